from lxml import etree

from odoo import fields
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerPolicyCase


@tagged("post_install", "-at_install")
class TestCustomerScreens(CustomerPolicyCase):
    """The Customers screens list the policy's customers and prospects, start a
    salesperson on their own, and help enter a new one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._customer("上海屏幕测试客户有限公司")
        cls.theirs = cls._customer("北京屏幕测试客户有限公司", user=cls.user_sales_2)
        # A company entered by a salesperson, not yet registered: a prospect.
        cls.prospect = (
            cls.env["res.partner"]
            .with_user(cls.user_sales)
            .with_context(customer_policy_new_customer=True)
            .create({"name": "苏州屏幕测试潜在客户有限公司", "is_company": True})
        )
        # What the database holds beside the customers.
        cls.other_company = cls.env["res.company"].create({"name": "屏幕测试分公司"})
        cls.odoo_company = cls.env["res.partner"].create(
            {"name": "Screens Test Supplier", "is_company": True}
        )
        cls.odoo_company.first_contact_date = False

    def _customers(self, user):
        action = (
            self.env["res.partner"].with_user(user)._customer_policy_customers_action()
        )
        partners = self.env["res.partner"].with_user(user).search(action["domain"])
        return action, partners

    def test_customers_and_prospects_only(self):
        action, partners = self._customers(self.user_director)
        self.assertIn(self.mine, partners)
        self.assertIn(self.theirs, partners)
        self.assertIn(self.prospect, partners)
        for other in (
            self.env.company.partner_id,
            self.other_company.partner_id,
            self.user_sales.partner_id,
            self.odoo_company,
        ):
            self.assertNotIn(other, partners)
        # The window the menu opens and the one a bookmark reloads list the same.
        window = self.env.ref("customer_policy.action_customer_policy_customer")
        self.assertEqual(
            set(self.env["res.partner"].search(safe_eval(window.domain)).ids),
            set(self.env["res.partner"].search(action["domain"]).ids),
        )

    def test_salespeople_start_on_my_customers(self):
        action, _partners = self._customers(self.user_sales)
        self.assertEqual(action["context"].get("search_default_filter_my_customers"), 1)
        for user in (self.user_manager, self.user_director):
            action, _partners = self._customers(user)
            self.assertNotIn("search_default_filter_my_customers", action["context"])
        menu = self.env.ref("customer_policy.menu_customer_policy_customer")
        self.assertEqual(
            menu.action,
            self.env.ref("customer_policy.action_customer_policy_customer_menu"),
        )

    def test_new_customer_defaults(self):
        """A new customer is the salesperson's, of their department, first
        contacted today."""
        action, _partners = self._customers(self.user_sales)
        Partner = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .with_context(**action["context"])
        )
        with Form(Partner) as form:
            self.assertEqual(form.user_id, self.user_sales)
            self.assertEqual(form.team_id, self.team)
            self.assertEqual(
                form.first_contact_date, fields.Date.context_today(Partner)
            )
            self.assertTrue(form.is_company)
            form.name = "杭州新客户默认值测试有限公司"
        partner = form.save()
        self.assertEqual(partner.user_id, self.user_sales)
        self.assertEqual(partner.team_id, self.team)

    def test_defaults_only_on_the_customers_screen(self):
        partner = Form(self.env["res.partner"].with_user(self.user_sales))
        self.assertFalse(partner.user_id)

    def test_fields_registration_requires(self):
        self.company.customer_registration_required_fields = self.env[
            "ir.model.fields"
        ].search(
            [
                ("model", "=", "res.partner"),
                ("name", "in", ["vat", "legal_representative", "phone"]),
            ]
        )
        self.mine.invalidate_recordset()
        self.assertEqual(
            self.mine.customer_policy_required_fields, "vat,phone,legal_representative"
        )
        contact = self.env["res.partner"].create(
            {"name": "张三", "parent_id": self.mine.id}
        )
        self.assertFalse(contact.customer_policy_required_fields)
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="customer_policy_required_fields"', arch)

    def test_tax_id_reads_uscc_in_a_chinese_company(self):
        self.company.country_id = self.env.ref("base.cn")
        Partner = self.env["res.partner"].with_context(lang="en_US")
        arch = etree.fromstring(
            Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        vat = arch.find(".//field[@name='vat']")
        self.assertEqual(vat.get("string"), "Unified Social Credit Code")
        self.assertEqual(vat.get("placeholder"), "e.g. 91310115MA1K4B5C3K")

    def test_tax_id_elsewhere_stays_odoo_s(self):
        self.company.country_id = self.env.ref("base.be")
        arch = etree.fromstring(
            self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
                "arch"
            ]
        )
        self.assertNotEqual(
            arch.find(".//field[@name='vat']").get("string"),
            "Unified Social Credit Code",
        )

    def test_kanban_shows_the_tier(self):
        self.mine.customer_tier_id = self.tier_general
        view = self.env.ref("customer_policy.view_partner_kanban_customer_archive")
        arch = self.env["res.partner"].get_views([(view.id, "kanban")])["views"][
            "kanban"
        ]["arch"]
        self.assertIn('name="customer_tier_id"', arch)
        record = self.mine.web_read(
            {"customer_tier_id": {"fields": {"display_name": {}}}}
        )
        self.assertEqual(record[0]["customer_tier_id"]["id"], self.tier_general.id)

    def test_visit_tab_next_then_past(self):
        Visit = self.env["customer.visit"]
        done = Visit.create(
            {
                "partner_id": self.mine.id,
                "planned_date": "2026-01-05 02:00:00",
                "state": "done",
                "summary": "季度回顾",
                "customer_feedback": "满意",
            }
        )
        later = Visit.create(
            {"partner_id": self.mine.id, "planned_date": "2026-03-02 02:00:00"}
        )
        sooner = Visit.create(
            {"partner_id": self.mine.id, "planned_date": "2026-02-02 02:00:00"}
        )
        self.assertEqual(self.mine.customer_visit_planned_ids, sooner | later)
        self.assertEqual(self.mine.customer_visit_past_ids, done)
        arch = etree.fromstring(
            self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
                "arch"
            ]
        )
        planned = arch.find(".//field[@name='customer_visit_planned_ids']/list")
        self.assertEqual(planned.get("default_order"), "planned_date asc")
        self.assertIsNotNone(planned.find("field[@name='return_schedule_id']"))
        past = arch.find(".//field[@name='customer_visit_past_ids']/list")
        self.assertEqual(past.get("default_order"), "planned_date desc")
