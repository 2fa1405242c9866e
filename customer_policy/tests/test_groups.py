from odoo.tests import tagged

from .common import CustomerPolicyCase


@tagged("post_install", "-at_install")
class TestGroups(CustomerPolicyCase):
    def test_hierarchy_user_manager_director(self):
        group_user = self.env.ref("customer_policy.group_user")
        group_manager = self.env.ref("customer_policy.group_manager")
        group_director = self.env.ref("customer_policy.group_director")
        category = self.env.ref("customer_policy.module_category_customer_policy")
        self.assertEqual(
            (group_user | group_manager | group_director).category_id, category
        )
        self.assertIn(group_user, group_manager.implied_ids)
        self.assertIn(group_manager, group_director.implied_ids)
        self.assertIn(self.env.ref("base.group_user"), group_user.implied_ids)
        # Staff register customers: they create and edit partners.
        self.assertIn(
            self.env.ref("base.group_partner_manager"), group_user.implied_ids
        )
        self.assertIn(group_director, self.env.ref("base.group_system").implied_ids)

    def test_users_get_implied_groups(self):
        director = self.user_director
        self.assertTrue(director.has_group("customer_policy.group_manager"))
        self.assertTrue(director.has_group("customer_policy.group_user"))
        self.assertTrue(self.user_manager.has_group("customer_policy.group_user"))
        self.assertFalse(self.user_manager.has_group("customer_policy.group_director"))
        self.assertFalse(self.user_sales.has_group("customer_policy.group_manager"))
        # An administrator is a Director without being added by hand.
        self.assertTrue(self.user_admin.has_group("customer_policy.group_director"))

    def test_functional_groups_are_not_implied(self):
        """Legal and Finance are duties, granted on their own."""
        for user in (self.user_director, self.user_admin):
            self.assertFalse(user.has_group("customer_policy.group_legal"))
            self.assertFalse(user.has_group("customer_policy.group_finance"))
        self.assertTrue(self.user_legal.has_group("customer_policy.group_legal"))
        self.assertFalse(self.user_legal.has_group("customer_policy.group_user"))
        self.assertTrue(self.user_finance.has_group("customer_policy.group_finance"))
        self.assertFalse(self.user_finance.has_group("customer_policy.group_user"))
        self.assertTrue(self.user_finance.has_group("base.group_user"))

    def test_group_selection_on_user_form(self):
        """The three ranks form one selection; the duties are separate checkboxes."""
        category = self.env.ref("customer_policy.module_category_customer_policy")
        duties = self.env.ref("customer_policy.module_category_customer_policy_duties")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertEqual(len(groups), 3)
        self.assertEqual(
            set(self.env["res.groups"].search([("category_id", "=", duties.id)]).ids),
            {
                self.env.ref("customer_policy.group_legal").id,
                self.env.ref("customer_policy.group_finance").id,
                self.env.ref("customer_policy.group_service").id,
                self.env.ref("customer_policy.group_service_manager").id,
            },
        )
