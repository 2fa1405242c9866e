from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerArchiveUi(HttpCase):
    def test_customer_archive_tour(self):
        """A salesperson creates a customer, sees the duplicate, registers it."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        user = new_test_user(
            env,
            login="cp_tour_sales",
            name="Tour Sales",
            groups="customer_policy.group_user",
        )
        other = new_test_user(
            env,
            login="cp_tour_other",
            name="Tour Other Sales",
            groups="customer_policy.group_user",
        )
        team = env["crm.team"].create(
            {"name": "Tour Other Department", "member_ids": [(6, 0, other.ids)]}
        )
        env["res.partner"].search([("customer_policy_managed", "=", True)]).write(
            {"active": False}
        )
        env["res.partner"].create(
            {
                "name": "上海星河科技有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": other.id,
                "team_id": team.id,
                "vat": "91310115MA1K4B5C3K",
            }
        )
        env.company.customer_registration_required_fields = env[
            "ir.model.fields"
        ].search(
            [
                ("model", "=", "res.partner"),
                ("name", "in", ["vat", "legal_representative", "company_scale"]),
            ]
        )
        self.start_tour(
            "/odoo", "customer_policy_customer_archive_tour", login=user.login
        )
        partner = env["res.partner"].search([("name", "=", "苏州新客户科技有限公司")])
        self.assertEqual(partner.registration_state, "registered")
        self.assertTrue(partner.customer_policy_managed)
        self.assertEqual(partner.user_id, user)
        self.assertEqual(partner.customer_developer_id, user)
        self.assertEqual(partner.legal_representative, "周明")
        self.assertEqual(partner.company_scale, "medium")
