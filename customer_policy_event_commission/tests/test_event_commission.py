from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import EventCommissionCase


@tagged("post_install", "-at_install")
class TestEventCommission(EventCommissionCase):
    def _credits(self, agreement):
        return sorted(agreement.credit_ids.mapped(lambda c: (c.user_id.name, c.share)))

    def test_sale_at_the_event_is_the_inviters_commission(self):
        """The customer's earlier follower helps sell with the inviter's consent;
        the sale is credited to the inviter, and so is the commission of the
        agreement signed at the event.

        By hand: (500,000 - 50,000 costs) x 3 % = 13,500 for the year; the
        200,000 collected in March are 2/5 of the first year's amount: 5,400, of
        which 10 % (540) to the operations pool and 4,860 to the inviter."""
        invitation = self._invitation()
        request = (
            self.env["customer.event.helper.request"]
            .with_user(self.user_sales_2)
            .create({"event_id": self.event.id, "partner_id": self.customer.id})
        )
        request.with_user(self.user_sales).action_consent()
        agreement = self._agreement(
            parts=(("2026-03-31", 200000.0), ("2026-06-30", 300000.0)),
            date_start="2026-03-10",
            user=self.user_sales,
            event_invitation_id=invitation.id,
        )
        # Until the sale is credited, the developer's default credit stands.
        self.assertEqual(self._credits(agreement), [("Sales User 2", 100.0)])

        invitation.with_user(self.user_sales).sale_amount = 500000.0
        invitation.with_user(self.user_sales).action_credit_sale()
        self.assertEqual(self._credits(agreement), [("Sales User", 100.0)])
        self.assertRegex(
            agreement.credit_ids.reason, "^Invited the customer to 春季联合推介会"
        )
        self.assertEqual(invitation.with_user(self.user_sales).agreement_ids, agreement)

        self._activate(agreement, signed="2026-03-10")
        agreement.with_user(self.user_manager).commission_cost = 50000.0
        self._pay(200000.0, agreement, date="2026-03-20")
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-03"): 4860.0, ("pool", "2026-03"): 540.0},
        )

    def test_who_links_an_agreement_to_the_event(self):
        """Only an attending customer's own invitation is linked; the coordinator,
        who reads no agreement, credits the sale and the system credits the
        agreement; once set, only the department manager changes the link, and
        unlinked the agreement returns to its developer."""
        invitation = self._invitation(attend=False)
        with self.assertRefused(ValidationError, "did not attend 春季联合推介会"):
            self._agreement(user=self.user_sales, event_invitation_id=invitation.id)
        self._attend(invitation)
        with self.assertRefused(ValidationError, "is not an invitation of 另一客户"):
            self._agreement(
                partner=self.other_customer,
                user=self.user_sales_2,
                event_invitation_id=invitation.id,
            )

        invitation.with_user(self.user_sales).sale_amount = 80000.0
        invitation.with_user(self.coordinator).action_credit_sale()
        agreement = self._agreement(
            user=self.user_sales, event_invitation_id=invitation.id
        )
        self.assertEqual(self._credits(agreement), [("Sales User", 100.0)])
        with self.assertRefused(AccessError, "Only the department manager"):
            agreement.with_user(self.user_sales).event_invitation_id = False
        self.assertEqual(agreement.event_invitation_id, invitation)
        agreement.with_user(self.user_manager).event_invitation_id = False
        self.assertEqual(self._credits(agreement), [("Sales User 2", 100.0)])
