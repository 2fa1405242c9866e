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
        settings = self.env["res.config.settings"].create(
            {"customer_registration_days": 0}
        )
        with self.assertRaisesRegex(ValidationError, "at least one working day"):
            settings.execute()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.customer_registration_days, 6)

    def test_only_administrators_save_settings(self):
        settings = self.env["res.config.settings"].create(
            {"customer_registration_days": 9}
        )
        with self.assertRaises(AccessError):
            settings.with_user(self.user_director).execute()
        self.assertEqual(self.company.customer_registration_days, 5)
