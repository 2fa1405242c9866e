from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CommissionCase


@tagged("post_install", "-at_install")
class TestCommissionCredit(CommissionCase):
    def test_default_credit_follows_the_draft_customer(self):
        """A draft agreement credits its customer's developer; moved to another
        customer before Legal's review, it credits that customer's developer."""
        agreement = self._agreement()
        self.assertEqual(agreement.credit_ids.user_id, self.user_sales)
        agreement.partner_id = self.other_customer
        self.assertEqual(agreement.credit_ids.user_id, self.user_sales_2)
        self.assertEqual(agreement.credit_ids.share, 100.0)

    def test_credits_given_by_hand_stay(self):
        agreement = self._agreement()
        agreement.with_user(self.user_manager).credit_ids = [
            Command.clear(),
            Command.create({"user_id": self.user_manager.id, "share": 100.0}),
        ]
        agreement.user_id = self.user_sales_2
        self.assertEqual(agreement.credit_ids.user_id, self.user_manager)

    def test_departed_developer_credits_the_owner(self):
        # A leaver hands over their customers before being archived.
        self.env["customer.handover.wizard"].create(
            {"user_id": self.user_sales_2.id, "successor_id": self.user_sales.id}
        ).action_handover()
        self.user_sales_2.active = False
        self.customer.customer_developer_id = self.user_sales_2
        agreement = self._agreement()
        self.assertEqual(agreement.credit_ids.user_id, self.user_sales)

    def test_shares_must_add_up_to_100(self):
        """60 + 30 = 90: refused, the credits stay as they were."""
        agreement = self._agreement()
        with self.assertRefused(ValidationError, r"add up to 90\.0 %"):
            agreement.with_user(self.user_manager).credit_ids = [
                Command.clear(),
                Command.create({"user_id": self.user_sales.id, "share": 60.0}),
                Command.create({"user_id": self.user_sales_2.id, "share": 30.0}),
            ]
        self.assertEqual(agreement.credit_ids.mapped("share"), [100.0])
        with self.assertRefused(ValidationError, "add up to 50"):
            agreement.credit_ids.with_user(self.user_manager).share = 50.0
        with self.assertRefused(ValidationError, "more than 0"):
            agreement.with_user(self.user_manager).credit_ids = [
                Command.create({"user_id": self.user_sales_2.id, "share": 0.0})
            ]
        with self.assertRefused(ValidationError, "add up to 0"):
            agreement.credit_ids.with_user(self.user_manager).unlink()
        self.assertEqual(agreement.credit_ids.mapped("share"), [100.0])

    def test_manager_splits_in_the_form(self):
        agreement = self._agreement()
        with Form(agreement.with_user(self.user_manager)) as form:
            with form.credit_ids.edit(0) as credit:
                credit.share = 50.0
            with form.credit_ids.new() as credit:
                credit.user_id = self.user_sales_2
                credit.share = 50.0
                credit.reason = "同一位到店客户，两人共同接待"
        self.assertEqual(
            sorted(agreement.credit_ids.mapped(lambda c: (c.user_id.id, c.share))),
            sorted([(self.user_sales.id, 50.0), (self.user_sales_2.id, 50.0)]),
        )

    def test_salesperson_cannot_credit_or_change_costs(self):
        """The owner may not give themself credits, costs or a rate: refused,
        nothing written."""
        agreement = self._agreement()
        as_owner = agreement.with_user(self.user_sales)
        with self.assertRefused(AccessError, "department manager or a Director"):
            as_owner.credit_ids = [
                Command.create({"user_id": self.user_sales_2.id, "share": 10.0})
            ]
        with self.assertRefused(AccessError, "department manager or a Director"):
            as_owner.commission_cost = 1.0
        with self.assertRefused(AccessError, "Only a Director"):
            agreement.with_user(self.user_manager).commission_rate = 9.0
        with self.assertRefused(AccessError, "department manager or a Director"):
            self._agreement(user=self.user_sales, commission_cost=10.0)
        self.assertEqual(agreement.commission_cost, 0.0)
        self.assertEqual(agreement.commission_rate, 3.0)
        self.assertEqual(len(agreement.credit_ids), 1)

    def test_salesperson_drafts_in_the_form(self):
        """The form the owner uses shows the commission read-only and saves."""
        with Form(self.env["customer.agreement"].with_user(self.user_sales)) as form:
            form.partner_id = self.customer
            form.title = "年度供货合同"
            form.amount_total = 1000.0
            with form.installment_ids.new() as installment:
                installment.due_date = "2026-03-31"
                installment.amount = 1000.0
            self.assertTrue(form._get_modifier("credit_ids", "readonly"))
            self.assertTrue(form._get_modifier("commission_cost", "readonly"))
            self.assertEqual(form.commission_rate, 3.0)
        agreement = form.record
        self.assertEqual(agreement.credit_ids.user_id, self.user_sales)
        self.assertEqual(agreement.commission_rule_id, self.rule_key_new)

    def test_credit_moved_after_a_confirmed_month(self):
        """February (4,860 to user_sales) is confirmed; then the manager gives the
        agreement to user_sales_2 entirely. user_sales gets -4,860 in March;
        user_sales_2 has no February statement yet, so February is still open for
        them: 4,860 there."""
        agreement = self._key_agreement()
        self._pay(200000.0, agreement, date="2026-02-10")
        with freeze_time("2026-03-02"):
            self._statement(self.user_sales, "2026-02-01").with_user(
                self.user_manager
            ).action_confirm()
        agreement.with_user(self.user_manager)._commission_set_credits(
            [(self.user_sales_2, 100.0)]
        )
        self.assertEqual(
            self._lines(agreement),
            {
                (self.user_sales, "2026-02"): 4860.0,
                (self.user_sales, "2026-03"): -4860.0,
                (self.user_sales_2, "2026-02"): 4860.0,
                ("pool", "2026-02"): 540.0,
            },
        )

    def test_set_credits_for_other_addons(self):
        """The event addon credits the inviter: any user may trigger it, the
        method runs as the system, ids work as well as records, a reason may
        come with a credit."""
        agreement = self._agreement()
        agreement.with_user(self.user_sales)._commission_set_credits(
            [(self.user_sales_2.id, 70.0, "邀约参会"), (self.user_sales, 30.0)]
        )
        self.assertEqual(
            sorted(
                agreement.credit_ids.mapped(lambda c: (c.user_id.id, c.share, c.reason))
            ),
            sorted(
                [
                    (self.user_sales_2.id, 70.0, "邀约参会"),
                    (self.user_sales.id, 30.0, False),
                ]
            ),
        )
        with self.assertRefused(ValidationError, "add up to 70"):
            agreement._commission_set_credits([(self.user_sales, 70.0)])
