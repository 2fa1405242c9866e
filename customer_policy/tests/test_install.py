from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import tagged
from odoo.tools import file_open

from .common import CustomerPolicyCase


@tagged("post_install", "-at_install")
class TestInstall(CustomerPolicyCase):
    def test_module_installed_as_application(self):
        module = self.env["ir.module.module"].search([("name", "=", "customer_policy")])
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.application)
        self.assertEqual(module.license, "LGPL-3")
        dependencies = set(module.dependencies_id.mapped("name"))
        self.assertEqual(
            dependencies, {"base", "mail", "contacts", "sales_team", "resource"}
        )

    def test_app_menu_and_settings_reachable(self):
        root = self.env.ref("customer_policy.menu_customer_policy_root")
        self.assertFalse(root.parent_id)
        self.assertEqual(root.web_icon, "customer_policy,static/description/icon.png")
        settings = self.env.ref("customer_policy.menu_customer_policy_settings")
        self.assertEqual(settings.parent_id.parent_id, root)
        self.assertEqual(settings.action.res_model, "res.config.settings")
        self.assertEqual(
            settings.action.context, "{'module': 'customer_policy', 'bin_size': False}"
        )
        # The admin sees the app and its Settings; a plain employee sees neither.
        admin_menus = (
            self.env["ir.ui.menu"].with_user(self.user_admin)._visible_menu_ids()
        )
        self.assertIn(root.id, admin_menus)
        self.assertIn(settings.id, admin_menus)
        employee_menus = (
            self.env["ir.ui.menu"].with_user(self.user_internal)._visible_menu_ids()
        )
        self.assertNotIn(settings.id, employee_menus)

    def test_settings_view_renders_section(self):
        arch = (
            self.env["res.config.settings"]
            .with_user(self.user_admin)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="customer_policy"', arch)
        self.assertIn('name="customer_registration_days"', arch)

    def test_zh_cn_translation_applies(self):
        """Staff read Chinese: the module's terms load and show in zh_CN."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_policy"], ["zh_CN"], overwrite=True
        )
        root = self.env.ref("customer_policy.menu_customer_policy_root")
        self.assertEqual(root.with_context(lang="zh_CN").name, "客户管理")
        self.assertEqual(root.with_context(lang="en_US").name, "Customer Policy")
        director = self.env.ref("customer_policy.group_director")
        self.assertEqual(director.with_context(lang="zh_CN").name, "总经理：全部客户")


@tagged("post_install", "-at_install")
class TestInstallKeepsCompanySettings(CustomerPolicyCase):
    """Only the demo data makes the company Chinese: installing the addon on a
    company's database never changes its currency or working calendar."""

    def test_data_files_leave_currency_and_calendar_alone(self):
        manifest = get_manifest("customer_policy")
        touched = []
        for path in manifest["data"]:
            if not path.endswith(".xml"):
                continue
            with file_open(f"customer_policy/{path}", "rb") as xml:
                tree = etree.parse(xml)
            for record in tree.iter("record"):
                if record.get("model") in (
                    "res.company",
                    "res.currency",
                    "resource.calendar",
                ):
                    touched.append(f"{path}: {record.get('id')}")
            for call in tree.iter("function"):
                if call.get("model") in ("res.currency", "resource.calendar"):
                    touched.append(f"{path}: {call.get('name')}")
        self.assertFalse(touched)
        demo = " ".join(manifest["demo"])
        self.assertIn("demo/res_company_demo.xml", demo)
