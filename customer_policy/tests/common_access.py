from odoo.tests import new_test_user

from .common import CustomerPolicyCase


class CustomerAccessCase(CustomerPolicyCase):
    """Two departments, one customer each, and a user for every role of the matrix.

    - ``team`` (led by ``user_manager``): ``user_sales`` owns ``customer``,
      ``user_same`` is a colleague of the same department;
    - ``other_team`` (led by ``user_other_manager``): ``user_sales_2`` owns
      ``customer_other``;
    - ``far_team`` (led by ``user_far_manager``): ``user_far`` owns ``customer_far``,
      a customer nobody of the two departments sees.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_same = new_test_user(
            cls.env,
            login="cp_same",
            name="Same Department User",
            groups="customer_policy.group_user",
        )
        cls.user_other_manager = new_test_user(
            cls.env,
            login="cp_other_manager",
            name="Other Department Manager",
            groups="customer_policy.group_manager",
        )
        cls.user_far = new_test_user(
            cls.env,
            login="cp_far",
            name="Far User",
            groups="customer_policy.group_user",
        )
        cls.user_far_manager = new_test_user(
            cls.env,
            login="cp_far_manager",
            name="Far Manager",
            groups="customer_policy.group_manager",
        )
        cls.user_service = new_test_user(
            cls.env,
            login="cp_service",
            name="Service Desk",
            groups="customer_policy.group_service",
        )
        cls.user_portal = new_test_user(
            cls.env, login="cp_portal", name="Portal", groups="base.group_portal"
        )
        cls.user_public = cls.env.ref("base.public_user")
        # Exporting needs Odoo's export right: give it to every role so that the
        # record rules are what decides.
        export_group = cls.env.ref("base.group_allow_export")
        export_group.users = [
            (4, user.id)
            for user in (
                cls.user_sales,
                cls.user_sales_2,
                cls.user_same,
                cls.user_manager,
                cls.user_other_manager,
                cls.user_director,
                cls.user_legal,
                cls.user_finance,
                cls.user_service,
                cls.user_portal,
                cls.user_public,
            )
        ]
        cls.team.member_ids = [(4, cls.user_same.id)]
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Other Department",
                "user_id": cls.user_other_manager.id,
                "member_ids": [(6, 0, [cls.user_sales_2.id])],
            }
        )
        cls.far_team = cls.env["crm.team"].create(
            {
                "name": "Far Department",
                "user_id": cls.user_far_manager.id,
                "member_ids": [(6, 0, [cls.user_far.id])],
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "上海测试云帆信息技术有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_sales.id,
                "team_id": cls.team.id,
                "phone": "+86 21 5912 4478",
                "vat": "91310115MA1K4TEST7",
                "email": "info@cloudsail-test.cn",
            }
        )
        cls.contact = Partner.create(
            {
                "name": "王建国",
                "parent_id": cls.customer.id,
                "email": "wangjianguo@cloudsail-test.cn",
            }
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
        cls.customer_far = Partner.create(
            {
                "name": "广州南方物流集团有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_far.id,
                "team_id": cls.far_team.id,
                "phone": "+86 20 3888 1234",
            }
        )
        cls.roles = {
            "owner": cls.user_sales,
            "same_dept_user": cls.user_same,
            "other_dept_user": cls.user_sales_2,
            "manager": cls.user_manager,
            "other_manager": cls.user_other_manager,
            "director": cls.user_director,
            "legal": cls.user_legal,
            "finance": cls.user_finance,
            "service": cls.user_service,
            "portal": cls.user_portal,
            "public": cls.user_public,
        }

    @classmethod
    def _request(cls, requester, partner, **vals):
        """A pending request, created as the requester would."""
        return (
            cls.env["customer.access.request"]
            .with_user(requester)
            .create(
                {"partner_id": partner.id, "reason": "Customer called about renewal"}
                | vals
            )
            .with_user(cls.env.user)
        )
