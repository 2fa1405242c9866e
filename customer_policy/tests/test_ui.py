from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_settings_tour(self):
        """An administrator opens the app, finds Settings, changes the deadline."""
        self.env.company.customer_registration_days = 5
        self.start_tour("/odoo", "customer_policy_settings_tour", login="admin")
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.customer_registration_days, 8)
