from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CustomerAccessCase

FORM_SPEC = {
    "name": {},
    "phone": {},
    "email": {},
    "user_id": {"fields": {"display_name": {}}},
    "child_ids": {"fields": {"name": {}, "email": {}}},
}


@tagged("post_install", "-at_install")
class TestAccessLog(CustomerAccessCase):
    def _logs(self, **filters):
        domain = [(key, "=", value) for key, value in filters.items()]
        return self.env["customer.access.log"].search(domain)

    def test_opening_a_customer_form_is_logged_once(self):
        self.customer.with_user(self.user_sales).web_read(FORM_SPEC)
        logs = self._logs(action="read", user_id=self.user_sales.id)
        # The form's contact list is part of the same opening.
        self.assertEqual(logs.partner_id, self.customer)
        self.assertEqual(logs.partner_name, self.customer.display_name)
        self.assertEqual(logs.company_id, self.env.company)
        self.assertEqual(len(logs), 1)

    def test_lists_names_and_unmanaged_partners_are_not_logged(self):
        Partner = self.env["res.partner"].with_user(self.user_sales)
        Partner.web_search_read(
            [("id", "=", self.customer.id)], {"name": {}, "phone": {}}
        )
        # A many2one reads the partner with an empty specification.
        self.customer.with_user(self.user_sales).web_read({"display_name": {}})
        vendor = self.env["res.partner"].create({"name": "Vendor", "is_company": True})
        vendor.with_user(self.user_sales).web_read(FORM_SPEC)
        self.customer.with_user(self.user_sales).read(["name", "phone"])
        self.assertFalse(self._logs(user_id=self.user_sales.id))

    def test_denied_read_writes_no_log_and_raises(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_same).web_read(FORM_SPEC)
        self.assertFalse(self._logs(user_id=self.user_same.id))

    def test_export_is_logged(self):
        partners = (self.customer | self.contact).with_user(self.user_manager)
        partners.export_data(["name", "phone"])
        logs = self._logs(action="export", user_id=self.user_manager.id)
        self.assertEqual(logs.partner_id, self.customer | self.contact)
        self.assertEqual(set(logs.mapped("detail")), {"name, phone"})

    def test_log_is_read_by_directors_only_and_never_changed(self):
        self.customer.with_user(self.user_sales).web_read(FORM_SPEC)
        log = self._logs(user_id=self.user_sales.id)
        self.assertEqual(
            log.with_user(self.user_director).read(["action"])[0]["action"], "read"
        )
        for user in (self.user_sales, self.user_manager, self.user_legal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                log.with_user(user).read(["action"])
        for user in (self.user_director, self.user_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    log.with_user(user).write({"action": "export"})
                with self.assertRaises(AccessError):
                    log.with_user(user).unlink()
        self.assertEqual(log.action, "read")
        # The list offers neither create, edit nor delete.
        arch = (
            self.env["customer.access.log"]
            .with_user(self.user_director)
            .get_views([(False, "list")])["views"]["list"]["arch"]
        )
        for attribute in ('create="false"', 'edit="false"', 'delete="false"'):
            self.assertIn(attribute, arch)

    def test_purge_keeps_the_retention(self):
        self.env.company.customer_access_log_retention_days = 30
        Log = self.env["customer.access.log"]
        old = Log._customer_policy_log(self.customer, "read")
        recent = Log._customer_policy_log(self.customer, "read")
        self.env.flush_all()
        # The transaction's timestamp is fixed: date the entries by hand.
        for log, date in (
            (old, "2026-01-01 10:00:00"),
            (recent, "2026-01-20 10:00:00"),
        ):
            self.env.cr.execute(
                "UPDATE customer_access_log SET create_date = %s WHERE id = %s",
                (date, log.id),
            )
        with freeze_time("2026-02-05 10:00:00"):
            deleted = self.env["customer.access.log"]._cron_purge()
        self.assertEqual(deleted, 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_settings(self):
        arch = (
            self.env["res.config.settings"]
            .with_user(self.user_admin)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in (
            "customer_access_duration_days",
            "customer_access_approver_id",
            "customer_access_log_retention_days",
        ):
            self.assertIn(f'name="{name}"', arch)
        settings = self.env["res.config.settings"].create(
            {
                "customer_access_duration_days": 3,
                "customer_access_log_retention_days": 90,
            }
        )
        settings.execute()
        self.assertEqual(self.env.company.customer_access_duration_days, 3)
        self.assertEqual(self.env.company.customer_access_log_retention_days, 90)
        with self.assertRaises(ValidationError):
            self.env.company.customer_access_log_retention_days = 0
