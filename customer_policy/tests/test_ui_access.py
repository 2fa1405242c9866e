from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUiAccess(HttpCase):
    def test_request_and_approve_access_tour(self):
        """A salesperson asks to consult another department's customer through the
        lookup; the general manager approves it; the customer then opens."""
        requester = self.env.ref("customer_policy.user_huang_tao")
        customer = self.env.ref("customer_policy.res_partner_company_03")
        self.env.company.customer_access_approver_id = self.env.ref("base.user_admin")
        self.assertFalse(customer.with_user(requester)._filtered_access("read"))
        self.start_tour(
            "/odoo/action-customer_policy.action_customer_access_lookup",
            "customer_policy_access_request_tour",
            login=requester.login,
        )
        request = self.env["customer.access.request"].search(
            [("requester_id", "=", requester.id), ("partner_id", "=", customer.id)]
        )
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.approver_id, self.env.ref("base.user_admin"))
        self.assertIn("物流延误", request.reason)
        self.start_tour(
            "/odoo/action-customer_policy.action_customer_access_request",
            "customer_policy_access_approve_tour",
            login="admin",
        )
        # The menu leads to both screens.
        for xmlid in ("menu_customer_access_lookup", "menu_customer_access_request"):
            menu = self.env.ref(f"customer_policy.{xmlid}")
            self.assertEqual(
                menu.parent_id,
                self.env.ref("customer_policy.menu_customer_policy_access"),
            )
        request.invalidate_recordset()
        self.assertEqual(request.state, "approved")
        self.assertTrue(customer.with_user(requester)._filtered_access("read"))
        # The grant is traced with the address the approval came from.
        grant = self.env["customer.access.log"].search(
            [("request_id", "=", request.id), ("action", "=", "grant")]
        )
        self.assertEqual(grant.user_id, requester)
        self.assertEqual(grant.create_uid, self.env.ref("base.user_admin"))
        self.assertEqual(grant.ip_address, "127.0.0.1")
