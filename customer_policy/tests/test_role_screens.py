"""Every role opens every screen it is shown, on the demo data.

The access matrix tests models; people open screens. A screen reads more than its
model: the customer of every line, the sub-lists of a form (an agreement's
payments), the fields a kanban card shows. This guard opens each menu of the app
for each role exactly as the web client does (see ``screen_guard``) and fails on
any access error or traceback.

It fails when a screen needs an access it is not given. For instance, without the
access line ``access_customer_agreement_installment_legal`` (Legal reads the
payment schedule of the agreements it reviews), Legal's "Agreements ▸ To Review"
form fails to read its ``installment_ids`` sub-list:
``test_guard_fails_without_an_access_line_a_screen_needs`` removes that line and
checks that the guard reports it.
"""

from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from .screen_guard import format_failures, open_every_menu

# Demo users, one per role of the policy.
ROLES = {
    "salesperson": "customer_policy.user_liu_yang",
    "manager": "customer_policy.user_wang_fang",
    "director": "customer_policy.user_zheng_guohua",
    "legal": "customer_policy.user_sun_li",
    "finance": "customer_policy.user_zhou_qing",
    "service": "customer_policy.user_wu_ting",
    "administrator": "base.user_admin",
}


@tagged("post_install", "-at_install")
class TestRoleScreens(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "customer_policy")])
        if not module.demo:
            cls.skipTest(cls, "database installed without demo data")
        cls.users = {role: cls.env.ref(xmlid) for role, xmlid in ROLES.items()}
        # An employee outside the policy records the complaints they receive.
        cls.users["employee"] = new_test_user(
            cls.env, login="cp_screen_employee", groups="base.group_user"
        )

    def _open(self, role):
        menus, failures = open_every_menu(self.env, self.users[role])
        self.assertFalse(
            failures,
            f"{role} cannot open these screens:\n{format_failures(failures)}",
        )
        return menus

    def _xmlid_paths(self, role):
        """The menus ``role`` sees, by xmlid."""
        visible = self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
        menus = self.env["ir.ui.menu"].browse(visible)
        return set(menus.get_external_id().values())

    def test_salesperson(self):
        menus = self._open("salesperson")
        self.assertIn("menu_customer_visit_my_plan", " ".join(menus))

    def test_manager(self):
        self._open("manager")

    def test_director(self):
        self._open("director")

    def test_administrator(self):
        self._open("administrator")

    def test_legal(self):
        self._open("legal")
        self.assertIn(
            "customer_policy.menu_customer_agreement_review", self._xmlid_paths("legal")
        )

    def test_finance(self):
        self._open("finance")
        seen = self._xmlid_paths("finance")
        for xmlid in (
            "menu_customer_agreement_installment",
            "menu_customer_payment",
            "menu_customer_ledger_report",
            "menu_customer_ledger_export",
        ):
            self.assertIn(f"customer_policy.{xmlid}", seen)

    def test_service_desk(self):
        self._open("service")
        seen = self._xmlid_paths("service")
        for xmlid in (
            "menu_customer_complaint_tickets",
            "menu_customer_complaint_intake",
        ):
            self.assertIn(f"customer_policy.{xmlid}", seen)

    def test_employee(self):
        menus = self._open("employee")
        self.assertTrue(menus, "an employee records complaints in the app")

    def test_every_role_sees_the_app_and_lands_on_its_work(self):
        root = self.env.ref("customer_policy.menu_customer_policy_root")
        expected = {
            "salesperson": "customer_policy.action_customer_visit_my_plan",
            "manager": "customer_policy.action_customer_visit_team_plan",
            "director": "customer_policy.action_customer_visit_team_plan",
            "legal": "customer_policy.action_customer_agreement_review",
            "finance": "customer_policy.action_customer_agreement_installment",
            "service": "customer_policy.action_customer_complaint",
            "employee": "customer_policy.action_customer_complaint",
        }
        for role, xmlid in expected.items():
            user = self.users[role]
            with self.subTest(role=role):
                Menu = self.env["ir.ui.menu"].with_user(user)
                self.assertIn(root.id, Menu._visible_menu_ids())
                self.assertIn(root.id, Menu.load_menus(debug=False))
                landing = root.action.with_user(user).run()
                self.assertEqual(landing["id"], self.env.ref(xmlid).id)

    def test_guard_fails_without_an_access_line_a_screen_needs(self):
        """The guard is what it claims: take Legal's read access to the payment
        schedule away and Legal's agreement screens fail."""
        self.env.ref(
            "customer_policy.access_customer_agreement_installment_legal"
        ).unlink()
        _menus, failures = open_every_menu(self.env, self.users["legal"])
        self.assertTrue(failures)
        self.assertTrue(
            any(
                "customer.agreement.installment" in failure.error
                and "menu_customer_agreement_review" in failure.menu
                for failure in failures
            ),
            format_failures(failures),
        )


@tagged("post_install", "-at_install")
class TestHomeAction(TransactionCase):
    """Staff given a group of the policy start on the app when they log in."""

    def setUp(self):
        super().setUp()
        self.landing = self.env.ref("customer_policy.action_customer_policy_landing")

    def test_new_staff_start_on_the_app(self):
        for group in (
            "customer_policy.group_user",
            "customer_policy.group_legal",
            "customer_policy.group_finance",
            "customer_policy.group_service",
        ):
            with self.subTest(group=group):
                user = new_test_user(
                    self.env, login=f"cp_home_{group.split('.')[1]}", groups=group
                )
                self.assertEqual(user.action_id.id, self.landing.id)

    def test_given_a_group_later(self):
        user = new_test_user(self.env, login="cp_home_later", groups="base.group_user")
        self.assertFalse(user.action_id)
        user.write(
            {"groups_id": [(4, self.env.ref("customer_policy.group_finance").id)]}
        )
        self.assertEqual(user.action_id.id, self.landing.id)

    def test_a_chosen_home_action_stays(self):
        chosen = self.env.ref("base.action_res_users")
        user = new_test_user(
            self.env,
            login="cp_home_chosen",
            groups="customer_policy.group_user",
            action_id=chosen.id,
        )
        self.assertEqual(user.action_id.id, chosen.id)
        user.write(
            {"groups_id": [(4, self.env.ref("customer_policy.group_manager").id)]}
        )
        self.assertEqual(user.action_id.id, chosen.id)

    def test_employees_outside_the_policy_keep_odoo_home(self):
        user = new_test_user(self.env, login="cp_home_none", groups="base.group_user")
        self.assertFalse(user.action_id)
