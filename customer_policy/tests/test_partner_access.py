from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CustomerPolicyCase


@tagged("post_install", "-at_install")
class TestPartnerAccess(CustomerPolicyCase):
    """Managed customers open only to their owner, department managers, directors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Other Department", "member_ids": [(6, 0, [cls.user_sales_2.id])]}
        )
        cls.customer_own = Partner.create(
            {
                "name": "上海星河科技有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_sales.id,
                "team_id": cls.team.id,
            }
        )
        cls.contact_own = Partner.create(
            {"name": "王建国", "parent_id": cls.customer_own.id}
        )
        cls.customer_other = Partner.create(
            {
                "name": "北京华夏数据技术有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_sales_2.id,
                "team_id": cls.other_team.id,
            }
        )
        cls.contact_other = Partner.create(
            {"name": "李丽华", "parent_id": cls.customer_other.id}
        )
        cls.vendor = Partner.create({"name": "Office Supplies Ltd", "is_company": True})

    def _visible(self, user):
        partners = (
            self.customer_own
            | self.contact_own
            | self.customer_other
            | self.contact_other
            | self.vendor
        )
        return partners.with_user(user)._filtered_access("read")

    def test_owner_sees_own_customers_only(self):
        visible = self._visible(self.user_sales)
        self.assertEqual(visible, self.customer_own | self.contact_own | self.vendor)
        found = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .search([("id", "in", (self.customer_own | self.customer_other).ids)])
        )
        self.assertEqual(found, self.customer_own)
        with self.assertRaises(AccessError):
            self.customer_other.with_user(self.user_sales).read(["name"])
        with self.assertRaises(AccessError):
            self.contact_other.with_user(self.user_sales).write({"phone": "123"})

    def test_manager_sees_departments_they_lead(self):
        self.assertEqual(
            self._visible(self.user_manager),
            self.customer_own | self.contact_own | self.vendor,
        )
        self.other_team.user_id = self.user_manager
        self.assertEqual(
            self._visible(self.user_manager),
            self.customer_own
            | self.contact_own
            | self.customer_other
            | self.contact_other
            | self.vendor,
        )

    def test_director_sees_all(self):
        self.assertEqual(len(self._visible(self.user_director)), 5)

    def test_employees_outside_the_policy_see_no_managed_customer(self):
        for user in (self.user_internal, self.user_legal, self.user_finance):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user), self.vendor)

    def test_unmanaged_partners_keep_odoo_behaviour(self):
        vendor = self.vendor.with_user(self.user_sales)
        vendor.write({"phone": "+86 21 5555 0000"})
        self.assertEqual(vendor.phone, "+86 21 5555 0000")
        created = (
            self.env["res.partner"]
            .with_user(self.user_internal)
            .create({"name": "New Supplier", "is_company": True})
        )
        self.assertTrue(created.exists())

    def test_user_cannot_put_a_customer_under_someone_else(self):
        prospect = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create({"name": "杭州云帆电子商务有限公司", "is_company": True})
        )
        # Registering is the Register button's (and its checks'), whoever the
        # owner would be.
        for owner in (self.user_sales_2, self.user_sales):
            with self.assertRaises(UserError):
                prospect.write({"customer_policy_managed": True, "user_id": owner.id})
        self.assertFalse(prospect.customer_policy_managed)
