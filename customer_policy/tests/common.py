from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class CustomerPolicyCase(TransactionCase):
    """Shared fixtures: one user per group of the addon, a department and a company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_sales = new_test_user(
            cls.env,
            login="cp_sales",
            name="Sales User",
            groups="customer_policy.group_user",
        )
        cls.user_sales_2 = new_test_user(
            cls.env,
            login="cp_sales_2",
            name="Sales User 2",
            groups="customer_policy.group_user",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="cp_manager",
            name="Department Manager",
            groups="customer_policy.group_manager",
        )
        cls.user_director = new_test_user(
            cls.env,
            login="cp_director",
            name="General Manager",
            groups="customer_policy.group_director",
        )
        cls.user_legal = new_test_user(
            cls.env,
            login="cp_legal",
            name="Legal",
            groups="customer_policy.group_legal",
        )
        cls.user_finance = new_test_user(
            cls.env,
            login="cp_finance",
            name="Finance",
            groups="customer_policy.group_finance",
        )
        cls.user_internal = new_test_user(
            cls.env,
            login="cp_internal",
            name="Internal",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.user_admin = cls.env.ref("base.user_admin")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Test Department",
                "user_id": cls.user_manager.id,
                "member_ids": [(6, 0, [cls.user_sales.id])],
            }
        )
