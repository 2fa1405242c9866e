from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerTierUi(HttpCase):
    def test_tier_tour(self):
        """A director opens the customers by tier and applies a suggestion."""
        potential = self.env.ref("customer_policy.customer_tier_potential")
        general = self.env.ref("customer_policy.customer_tier_general")
        customer = self.env["res.partner"].create(
            {
                "name": "巡检测试客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": self.env.ref("base.user_admin").id,
                "customer_tier_id": potential.id,
            }
        )
        customer.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET annual_contract_amount = 500 WHERE id = %s",
            (customer.id,),
        )
        customer.invalidate_recordset()
        self.assertEqual(customer.tier_suggested_id, general)
        self.start_tour("/odoo", "customer_policy_tier_tour", login="admin")
        customer.invalidate_recordset()
        self.assertEqual(customer.customer_tier_id, general)
        last = customer.customer_tier_history_ids.sorted("id")[-1]
        self.assertEqual(last.reason, "First order signed in March")
        self.assertEqual(last.user_id, self.env.ref("base.user_admin"))
