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


@tagged("post_install", "-at_install")
class TestSettingsTimeZone(CustomerPolicyCase):
    """Settings warn when the calendar's time zone is not the staff's."""

    def setUp(self):
        super().setUp()
        self.company.resource_calendar_id = self._working_calendar("上海工时")
        internal = self.env["res.users"].search(
            [("share", "=", False), ("company_ids", "in", self.company.id)]
        )
        internal.tz = "Asia/Shanghai"

    def _warning(self):
        return (
            self.env["res.config.settings"]
            .with_user(self.user_admin)
            .create({})
            .customer_policy_tz_warning
        )

    def test_no_warning_when_everyone_works_in_the_calendar_time_zone(self):
        self.assertFalse(self._warning())

    def test_users_in_another_time_zone_are_named(self):
        self.user_sales.tz = "Europe/Brussels"
        self.user_legal.tz = False
        warning = self._warning()
        self.assertIn("Asia/Shanghai", warning)
        self.assertIn("Sales User (Europe/Brussels)", warning)
        self.assertIn("Legal (no time zone)", warning)
        self.assertNotIn("Finance", warning)
        arch = (
            self.env["res.config.settings"]
            .with_user(self.user_admin)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="customer_policy_tz_warning"', arch)
