from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CustomerPolicyCase


@tagged("post_install", "-at_install")
class TestSettings(CustomerPolicyCase):
    def test_default_registration_days(self):
        company = self.env["res.company"].create({"name": "New Branch"})
        self.assertEqual(company.customer_registration_days, 5)

    def test_settings_persist_per_company(self):
        other = self.env["res.company"].create({"name": "Other Branch"})
        self.user_admin.company_ids |= other
        with Form(
            self.env["res.config.settings"].with_user(self.user_admin)
        ) as settings:
            self.assertEqual(settings.customer_registration_days, 5)
            settings.customer_registration_days = 7
        settings.save().execute()
        self.assertEqual(self.company.customer_registration_days, 7)
        self.assertEqual(other.customer_registration_days, 5)
        # Opening the settings again shows the stored value.
        reopened = Form(self.env["res.config.settings"].with_user(self.user_admin))
        self.assertEqual(reopened.customer_registration_days, 7)

    def test_invalid_registration_days_refused(self):
        self.company.customer_registration_days = 6
        settings_model = self.env["res.config.settings"].with_user(self.user_admin)
        for bad in (0, -3):
            with self.assertRaises(ValidationError) as error:
                settings_model.create({"customer_registration_days": bad}).execute()
            self.assertIn("at least one working day", str(error.exception))
            self.company.invalidate_recordset()
            self.assertEqual(self.company.customer_registration_days, 6)

    def test_only_administrators_open_settings(self):
        """Directors manage tiers and customers; the Settings page stays the admins'."""
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user_director).create(
                {"customer_registration_days": 9}
            )
        self.company.invalidate_recordset()
        self.assertEqual(self.company.customer_registration_days, 5)
