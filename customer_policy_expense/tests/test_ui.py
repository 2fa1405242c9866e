from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestExpenseUi(HttpCase):
    def test_override_tour(self):
        """A Director overrides the policy on an employee's hospitality expense."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        new_test_user(
            env,
            login="cp_tour_director",
            name="Tour Director",
            groups="customer_policy.group_director",
        )
        employee_user = new_test_user(
            env, login="cp_tour_employee", groups="customer_policy.group_user"
        )
        employee = env["hr.employee"].create(
            {"name": "Tour Employee", "user_id": employee_user.id}
        )
        prospect = env["res.partner"].create(
            {"name": "未备案导览客户有限公司", "is_company": True}
        )
        expense = env["hr.expense"].create(
            {
                "name": "Dinner with the tender committee",
                "employee_id": employee.id,
                "product_id": env.ref(
                    "customer_policy_expense.product_expense_customer_hospitality"
                ).id,
                "customer_partner_id": prospect.id,
                "total_amount_currency": 1200.0,
            }
        )
        self.start_tour(
            f"/odoo/action-customer_policy_expense.action_customer_expense/{expense.id}",
            "customer_expense_override_tour",
            login="cp_tour_director",
        )
        self.assertEqual(
            expense.customer_policy_override_reason,
            "First meeting of the tender; registered next week.",
        )
        self.assertEqual(
            expense.customer_policy_override_user_id.login, "cp_tour_director"
        )
