from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import ReceptionCommissionCase


@tagged("post_install", "-at_install")
class TestReceptionCommission(ReceptionCommissionCase):
    def _credits(self, agreement):
        return sorted(
            agreement.credit_ids.mapped(lambda c: (c.user_id.name, c.share, c.reason))
        )

    def test_same_day_deal_splits_the_commission_50_50(self):
        """The returning visitor's sale closes the day of the visit: the agreement
        drafted from the visit credits the receiver and the colleague who served
        the visitor before, 50/50.

        By hand: (500,000 - 50,000 costs) x 3 % = 13,500 for the year; the
        200,000 collected in February are 2/5 of the first year's amount: 5,400,
        of which 10 % (540) to the operations pool and 4,860 shared 50/50: 2,430
        each."""
        visit = self._returning_walk_in()
        self.assertEqual(visit.received_by_id, self.user_sales_2)
        self.assertEqual(visit.user_id, self.user_sales)
        self.assertEqual(visit.partner_id, self.customer)

        action = visit.with_user(self.user_sales).action_new_agreement()
        Agreement = self.env["customer.agreement"].with_user(self.user_sales)
        with Form(Agreement.with_context(**action["context"])) as form:
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.reception_visit_id, visit)
            form.title = "年度备件供货合同"
            form.date_start = "2026-01-01"
            form.date_end = "2026-12-31"
            form.amount_total = 500000.0
            for due, amount in (("2026-02-28", 200000.0), ("2026-03-31", 300000.0)):
                with form.installment_ids.new() as installment:
                    installment.due_date = due
                    installment.amount = amount
        agreement = form.record
        self.assertEqual(
            self._credits(agreement),
            [
                (
                    "Sales User",
                    50.0,
                    "Served the walk-in 王经理, deal closed on 01/05/2026",
                ),
                (
                    "Sales User 2",
                    50.0,
                    "Received the walk-in 王经理, deal closed on 01/05/2026",
                ),
            ],
        )
        self.assertEqual(visit.with_user(self.user_sales).agreement_ids, agreement)

        self._activate(agreement)
        agreement.with_user(self.user_manager).commission_cost = 50000.0
        self._pay(200000.0, agreement, date="2026-02-10")
        self.assertEqual(
            self._lines(agreement),
            {
                (self.user_sales, "2026-02"): 2430.0,
                (self.user_sales_2, "2026-02"): 2430.0,
                ("pool", "2026-02"): 540.0,
            },
        )

    def test_deal_marked_after_the_draft_splits_it(self):
        """Linked before the deal is marked, the agreement keeps the developer's
        credit; the same-day deal then splits it."""
        visit = self._returning_walk_in(deal=False)
        agreement = self._key_agreement(
            cost=0.0, user=self.user_sales, reception_visit_id=visit.id
        )
        self.assertEqual(self._credits(agreement), [("Sales User", 100.0, False)])
        with freeze_time("2026-01-05 09:00:00"):
            visit.with_user(self.user_sales).action_deal_today()
        self.assertEqual(
            [(name, share) for name, share, __ in self._credits(agreement)],
            [("Sales User", 50.0), ("Sales User 2", 50.0)],
        )

    def test_who_links_an_agreement_to_a_walk_in(self):
        """Another customer's visit is refused; once set, or past the draft, only
        the department manager changes the link; unlinked, the agreement returns
        to its default credit."""
        visit = self._returning_walk_in()
        with self.assertRefused(ValidationError, "is not a visit of 另一客户有限公司"):
            self._agreement(
                partner=self.other_customer,
                user=self.user_sales_2,
                reception_visit_id=visit.id,
            )
        agreement = self._agreement(user=self.user_sales, reception_visit_id=visit.id)
        self.assertEqual(len(agreement.credit_ids), 2)
        with self.assertRefused(
            AccessError, "Only the department manager or a Director changes what"
        ):
            agreement.with_user(self.user_sales).reception_visit_id = False
        self.assertEqual(agreement.reception_visit_id, visit)
        self.assertEqual(len(agreement.credit_ids), 2)

        agreement.with_user(self.user_manager).reception_visit_id = False
        self.assertEqual(self._credits(agreement), [("Sales User", 100.0, False)])

        self._activate(agreement)
        with self.assertRefused(
            AccessError, "Only the department manager or a Director changes what"
        ):
            agreement.with_user(self.user_sales).reception_visit_id = visit
        agreement.with_user(self.user_manager).reception_visit_id = visit
        self.assertEqual(len(agreement.credit_ids), 2)
