import json

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerTierRpc(HttpCase):
    def test_change_tier_over_rpc(self):
        """What an integration does: call action_change_tier over JSON-RPC."""
        manager = new_test_user(
            self.env,
            login="cp_rpc_manager",
            password="cp_rpc_manager",
            groups="customer_policy.group_manager",
        )
        team = self.env["crm.team"].create(
            {"name": "RPC Department", "user_id": manager.id}
        )
        customer = self.env["res.partner"].create(
            {
                "name": "远程调用测试有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": manager.id,
                "team_id": team.id,
            }
        )
        general = self.env.ref("customer_policy.customer_tier_general")
        strategic = self.env.ref("customer_policy.customer_tier_strategic")
        self.authenticate("cp_rpc_manager", "cp_rpc_manager")

        def call(tier, reason):
            response = self.url_open(
                "/web/dataset/call_kw/res.partner/action_change_tier",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "res.partner",
                            "method": "action_change_tier",
                            "args": [[customer.id], tier.id, reason],
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            response.raise_for_status()
            return response.json()

        self.assertIs(call(general, "First order over RPC")["result"], True)
        customer.invalidate_recordset()
        self.assertEqual(customer.customer_tier_id, general)
        error = call(strategic, "Not mine to decide")["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn("Only a Director", error["message"])
        error = call(general.browse(), "")["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        customer.invalidate_recordset()
        self.assertEqual(customer.customer_tier_id, general)
        self.assertEqual(
            customer.customer_tier_history_ids.mapped("reason"),
            ["First order over RPC"],
        )
