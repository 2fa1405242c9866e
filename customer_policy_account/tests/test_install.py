from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_bridge_between_the_policy_and_invoicing(self):
        """Installed by itself wherever both apps are, and the policy keeps its
        light dependencies."""
        Module = self.env["ir.module.module"]
        bridge = Module.search([("name", "=", "customer_policy_account")])
        self.assertEqual(bridge.state, "installed")
        self.assertTrue(bridge.auto_install)
        self.assertEqual(
            set(bridge.dependencies_id.mapped("name")), {"customer_policy", "account"}
        )
        core = Module.search([("name", "=", "customer_policy")])
        closure = core.upstream_dependencies() | core
        self.assertNotIn("account", closure.mapped("name"))

    def test_daily_job_and_settings(self):
        cron = self.env.ref(
            "customer_policy_account.ir_cron_customer_installment_invoice"
        )
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "days")
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('name="customer_ledger_manual_payments"', arch)
        self.assertIn('name="customer_installment_invoice_days"', arch)
