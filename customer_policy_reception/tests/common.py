from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class ReceptionCase(TransactionCase):
    """A sales office in Shanghai with four salespeople on the roster, in order
    A, B, C, D, their department manager, a Director, and a salesperson of another
    department."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"

        def user(login, name, groups="customer_policy.group_user"):
            return new_test_user(
                cls.env, login=login, name=name, groups=groups, tz="Asia/Shanghai"
            )

        cls.user_a = user("rc_a", "Salesperson A")
        cls.user_b = user("rc_b", "Salesperson B")
        cls.user_c = user("rc_c", "Salesperson C")
        cls.user_d = user("rc_d", "Salesperson D")
        cls.manager = user(
            "rc_manager", "Reception Manager", "customer_policy.group_manager"
        )
        cls.director = user(
            "rc_director", "Reception Director", "customer_policy.group_director"
        )
        cls.outsider = user("rc_outsider", "Other Department")
        cls.other_manager = user(
            "rc_other_manager", "Other Manager", "customer_policy.group_manager"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Shanghai Sales",
                "user_id": cls.manager.id,
                "member_ids": [
                    (6, 0, (cls.user_a | cls.user_b | cls.user_c | cls.user_d).ids)
                ],
            }
        )
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Beijing Sales",
                "user_id": cls.other_manager.id,
                "member_ids": [(6, 0, cls.outsider.ids)],
            }
        )
        cls.desk = cls.env["customer.reception.desk"].create(
            {"name": "Shanghai Office", "team_id": cls.team.id}
        )
        cls.desk.member_ids = cls.user_a | cls.user_b | cls.user_c | cls.user_d
        cls.other_desk = cls.env["customer.reception.desk"].create(
            {"name": "Beijing Office", "team_id": cls.other_team.id}
        )
        cls.other_desk.member_ids = cls.outsider

    def walk_in(self, name, mobile, user=None, desk=None, **kwargs):
        """Record a walk-in as ``user`` (A by default) and return the visit."""
        desk = (desk or self.desk).with_user(user or self.user_a)
        visit_id = desk.register_walk_in(name, mobile, **kwargs)
        return self.env["customer.reception.visit"].browse(visit_id)

    def turn(self, user, desk=None):
        return (desk or self.desk).turn_ids.filtered(lambda t: t.user_id == user)
