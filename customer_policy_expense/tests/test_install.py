from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_bridge_between_the_policy_and_expenses(self):
        Module = self.env["ir.module.module"]
        bridge = Module.search([("name", "=", "customer_policy_expense")])
        self.assertEqual(bridge.state, "installed")
        self.assertTrue(bridge.auto_install)
        self.assertEqual(
            set(bridge.dependencies_id.mapped("name")),
            {"customer_policy", "hr_expense"},
        )
        core = Module.search([("name", "=", "customer_policy")])
        closure = core.upstream_dependencies() | core
        self.assertNotIn("hr_expense", closure.mapped("name"))

    def test_the_policys_categories(self):
        """The three categories the addon ships need a registered customer; Odoo's
        own do not until a company says so."""
        shipped = [
            self.env.ref(f"customer_policy_expense.product_expense_customer_{name}")
            for name in ("hospitality", "travel", "gift")
        ]
        for product in shipped:
            self.assertTrue(product.can_be_expensed)
            self.assertTrue(product.customer_policy_requires_customer)
        self.assertFalse(
            self.env.ref(
                "hr_expense.expense_product_meal"
            ).customer_policy_requires_customer
        )

    def test_reporting_menu(self):
        menu = self.env.ref("customer_policy_expense.menu_customer_expense_analysis")
        self.assertEqual(
            menu.parent_id,
            self.env.ref("customer_policy.menu_customer_policy_reporting"),
        )
        action = menu.action
        self.assertEqual(action.res_model, "hr.expense")
        self.assertEqual(action.view_mode.split(",")[0], "pivot")
