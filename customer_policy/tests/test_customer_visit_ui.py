from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerVisitUi(HttpCase):
    def test_visit_plan_tour(self):
        """A salesperson opens My Visit Plan, files the visit and marks it done."""
        user = new_test_user(
            self.env,
            login="cp_visit_tour",
            password="cp_visit_tour",
            name="Visit Tour User",
            groups="customer_policy.group_user",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "巡访测试客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": user.id,
            }
        )
        visit = self.env["customer.visit"].create(
            {"partner_id": customer.id, "planned_date": fields.Datetime.now()}
        )
        self.start_tour("/odoo", "customer_visit_tour", login="cp_visit_tour")
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.check_in_date)
        self.assertEqual(visit.summary, "讨论了续约")
        self.assertEqual(customer.last_visit_date, visit.done_date)
