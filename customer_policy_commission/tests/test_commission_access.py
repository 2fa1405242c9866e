from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CommissionCase


@tagged("post_install", "-at_install")
class TestCommissionAccess(CommissionCase):
    """Who reads and does what with commission, role by role.

    ``user_sales`` (department ``team``, led by ``user_manager``) and
    ``user_sales_2`` (department ``other_team``, led by ``user_other_manager``)
    each earn February's commission of their own customer.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other_manager = new_test_user(
            cls.env,
            login="cp_commission_other_manager",
            name="Other Department Manager",
            groups="customer_policy.group_manager",
        )
        cls.user_service = new_test_user(
            cls.env,
            login="cp_commission_service",
            name="Service Desk",
            groups="customer_policy.group_service",
        )
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Other Department",
                "user_id": cls.user_other_manager.id,
                "member_ids": [Command.set(cls.user_sales_2.ids)],
            }
        )
        cls.other_customer.team_id = cls.other_team
        cls.mine = cls._paid(cls, cls.customer, "2026-02-10")
        cls.theirs = cls._paid(cls, cls.other_customer, "2026-02-12")
        Statement = cls.env["customer.commission.statement"]
        cls.statement_mine = Statement.search([("user_id", "=", cls.user_sales.id)])
        cls.statement_theirs = Statement.search([("user_id", "=", cls.user_sales_2.id)])
        cls.statement_pool = Statement.search(
            [
                ("user_id", "=", False),
                ("line_ids.agreement_id", "in", (cls.mine | cls.theirs).ids),
            ]
        )

    def _paid(self, customer, date):
        agreement = self._agreement(self, partner=customer, parts=((date, 100000.0),))
        self._activate(self, agreement)
        self._pay(self, 100000.0, agreement, date=date)
        return agreement

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_statements_and_lines_by_role(self):
        statements = self.statement_mine | self.statement_theirs | self.statement_pool
        self.assertEqual(len(statements), 3)
        lines = statements.line_ids
        expected = {
            self.user_sales: self.statement_mine,
            self.user_sales_2: self.statement_theirs,
            self.user_manager: self.statement_mine,
            self.user_other_manager: self.statement_theirs,
            self.user_director: statements,
            self.user_finance: statements,
        }
        for user, visible in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._visible(user, "customer.commission.statement", statements),
                    visible,
                )
                self.assertEqual(
                    self._visible(user, "customer.commission.line", lines),
                    visible.line_ids,
                )
        with self.assertRaises(AccessError):
            self.statement_theirs.with_user(self.user_sales).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.statement_mine.line_ids.with_user(self.user_sales_2).read(["amount"])

    def test_no_access_outside_sales_and_finance(self):
        for user in (self.user_legal, self.user_service, self.user_internal):
            for model in ("customer.commission.statement", "customer.commission.line"):
                with (
                    self.subTest(user=user.login, model=model),
                    self.assertRaises(AccessError),
                ):
                    self.env[model].with_user(user).search([])

    def test_nobody_writes_statements_or_lines(self):
        for user in (self.user_sales, self.user_manager, self.user_director):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.statement_mine.with_user(user).write({"state": "paid"})
                with self.assertRaises(AccessError):
                    self.statement_mine.line_ids[:1].with_user(user).write(
                        {"amount": 1e6}
                    )
                with self.assertRaises(AccessError):
                    self.env["customer.commission.line"].with_user(user).create(
                        {
                            "statement_id": self.statement_mine.id,
                            "agreement_id": self.mine.id,
                            "month": "2026-02-01",
                            "amount": 1e6,
                        }
                    )
                with self.assertRaises(AccessError):
                    self.statement_mine.with_user(user).unlink()
        self.assertEqual(self.statement_mine.state, "draft")
        self.assertEqual(self.statement_mine.amount_total, 2700.0)

    def test_another_department_cannot_confirm(self):
        with freeze_time("2026-03-02"):
            with self.assertRaises(AccessError):
                self.statement_mine.with_user(self.user_other_manager).action_confirm()
            with self.assertRaises(UserError):
                self.statement_pool.with_user(self.user_manager).action_confirm()
            self.statement_pool.with_user(self.user_director).action_confirm()
            self.statement_theirs.with_user(self.user_other_manager).action_confirm()
        self.assertEqual(self.statement_mine.state, "draft")
        self.assertEqual(self.statement_theirs.state, "confirmed")
        self.assertEqual(self.statement_pool.state, "confirmed")

    def test_credits_by_role(self):
        credits = (self.mine | self.theirs).credit_ids
        visible = {
            self.user_sales: self.mine.credit_ids,
            self.user_sales_2: self.theirs.credit_ids,
            self.user_manager: self.mine.credit_ids,
            self.user_legal: credits,
            self.user_finance: credits,
            self.user_director: credits,
        }
        for user, expected in visible.items():
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._visible(user, "customer.commission.credit", credits),
                    expected,
                )
        # The other department's manager may not credit themself on our agreement.
        with self.assertRaises(AccessError):
            self.mine.with_user(self.user_other_manager).credit_ids = [
                Command.clear(),
                Command.create({"user_id": self.user_other_manager.id, "share": 100}),
            ]
        with self.assertRaises(AccessError):
            self.mine.credit_ids.with_user(self.user_finance).share = 50.0
        self.mine.with_user(self.user_manager).credit_ids = [
            Command.clear(),
            Command.create({"user_id": self.user_sales.id, "share": 60.0}),
            Command.create({"user_id": self.user_manager.id, "share": 40.0}),
        ]
        self.assertEqual(self.mine.credit_ids.mapped("share"), [60.0, 40.0])

    def test_rules_read_only_below_directors(self):
        for user in (self.user_sales, self.user_manager, self.user_legal):
            with self.subTest(user=user.login):
                self.assertTrue(
                    self.env["customer.commission.rule"].with_user(user).search([])
                )
                with self.assertRaises(AccessError):
                    self.rule_key_new.with_user(user).rate = 9.0
        self.rule_key_new.with_user(self.user_director).rate = 3.5
        self.assertEqual(self.rule_key_new.rate, 3.5)
