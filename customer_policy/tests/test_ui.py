from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_settings_tour(self):
        """An administrator opens the app, finds Settings, changes the deadline."""
        self.env.company.customer_registration_days = 5
        self.start_tour("/odoo", "customer_policy_settings_tour", login="admin")
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.customer_registration_days, 8)


@tagged("post_install", "-at_install")
class TestComplaintUi(HttpCase):
    def test_complaint_tour(self):
        """The service desk's main screen: SLA badges, then a ticket is answered."""
        customer = self.env["res.partner"].create(
            {"name": "导览测试客户", "is_company": True}
        )
        Complaint = self.env["customer.complaint"]
        now = fields.Datetime.now()
        fresh = Complaint.create(
            {"partner_id": customer.id, "severity": "normal", "received_at": now}
        )
        late = Complaint.create(
            {
                "partner_id": customer.id,
                "severity": "major",
                "received_at": now - timedelta(days=20),
            }
        )
        # Recognisable numbers for the tour.
        fresh.sudo().name = "TOUR-0001"
        late.sudo().name = "TOUR-0002"
        self.start_tour("/odoo", "customer_complaint_tour", login="admin")
        fresh.invalidate_recordset()
        self.assertEqual(fresh.state, "contacted")
        self.assertTrue(fresh.first_response_at)
