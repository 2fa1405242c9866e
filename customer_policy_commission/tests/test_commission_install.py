from freezegun import freeze_time

from odoo.tests import Form, TransactionCase, tagged

from ..hooks import post_init_hook
from .common import CommissionCase


@tagged("post_install", "-at_install")
class TestCommissionInstall(CommissionCase):
    def test_installed_on_a_database_with_history(self):
        """A company that collected money before the addon: the installation
        credits the agreements to their default colleague and starts the
        commission that day, so that the next payment pays no back commission."""
        agreement = self._key_agreement()
        self._pay(200000.0, agreement, date="2026-02-10")
        # As before the addon: no credits, no lines, no statements.
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM customer_commission_line; "
            "DELETE FROM customer_commission_statement; "
            "DELETE FROM customer_commission_credit WHERE agreement_id = %s",
            [agreement.id],
        )
        self.env.invalidate_all()
        with freeze_time("2026-03-05"):
            post_init_hook(self.env)
        self.assertEqual(str(self.env.company.commission_date_start), "2026-03-05")
        self.assertEqual(agreement.credit_ids.user_id, self.user_sales)
        self.assertEqual(agreement.credit_ids.share, 100.0)
        self._pay(300000.0, agreement, date="2026-03-15")
        # Only March's 300,000 (60 %) counts: 8,100, of which 810 to the pool.
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-03"): 7290.0, ("pool", "2026-03"): 810.0},
        )

    def test_installed_with_commission_already_booked(self):
        """Demo data booked commission during the installation: the start date
        stays empty."""
        agreement = self._key_agreement()
        self._pay(200000.0, agreement, date="2026-02-10")
        post_init_hook(self.env)
        self.assertFalse(self.env.company.commission_date_start)

    def test_agreement_form_for_every_role(self):
        """The agreement form with its commission tab opens for the owner
        (read-only), the manager and Finance."""
        agreement = self._key_agreement()
        for user in (self.user_sales, self.user_manager, self.user_finance):
            with self.subTest(user=user.login):
                form = Form(agreement.with_user(user))
                self.assertEqual(form.title, agreement.title)


@tagged("post_install", "-at_install")
class TestCommissionDemo(TransactionCase):
    def test_demo_books_the_demo_payments(self):
        """The demo's strategic customer signed 1,200,000 for its first year at
        4 % (10 % to the pool): 48,000. 300,000 + 120,000 were collected, 35 %:
        16,800, of which 1,680 to the pool and 15,120 to its developer."""
        agreement = self.env.ref(
            "customer_policy.customer_agreement_demo_01", raise_if_not_found=False
        )
        if not agreement:
            self.skipTest("installed without demo data")
        developer = self.env.ref("customer_policy.user_liu_yang")
        self.assertEqual(agreement.commission_rate, 4.0)
        self.assertEqual(agreement.commission_amount, 48000.0)
        lines = agreement.commission_line_ids
        self.assertEqual(len(set(lines.mapped("month"))), 2)
        self.assertEqual(sum(lines.filtered("user_id").mapped("amount")), 15120.0)
        self.assertEqual(lines.filtered("user_id").user_id, developer)
        pool = lines.filtered(lambda line: not line.user_id)
        self.assertEqual(sum(pool.mapped("amount")), 1680.0)
        shared = self.env.ref("customer_policy.customer_agreement_demo_02")
        self.assertEqual(
            sorted(shared.credit_ids.mapped("share")), [30.0, 70.0], "a mentor shares"
        )
