from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

SHANGHAI = timedelta(hours=8)


def local(text):
    """'2026-03-05 18:05' in Shanghai, as the naive UTC datetime Odoo stores."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M") - SHANGHAI


class JointEventCase(TransactionCase):
    """A joint afternoon event in Shanghai on 10 March 2026 (14:00-17:00), with two
    departments (East, North), their managers and salespeople, a coordinator and a
    Director; customers X, Y, Z, W."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"

        def user(login, name, groups="customer_policy.group_user"):
            return new_test_user(
                cls.env, login=login, name=name, groups=groups, tz="Asia/Shanghai"
            )

        cls.east_manager = user(
            "ev_east_mgr", "East Manager", "customer_policy.group_manager"
        )
        cls.north_manager = user(
            "ev_north_mgr", "North Manager", "customer_policy.group_manager"
        )
        cls.east_sales = user("ev_east", "East Salesperson")
        cls.north_sales = user("ev_north", "North Salesperson")
        cls.coordinator = user("ev_coord", "Event Coordinator")
        cls.director = user(
            "ev_director", "Event Director", "customer_policy.group_director"
        )
        cls.east = cls.env["crm.team"].create(
            {
                "name": "East",
                "user_id": cls.east_manager.id,
                "member_ids": [(6, 0, cls.east_sales.ids)],
            }
        )
        cls.north = cls.env["crm.team"].create(
            {
                "name": "North",
                "user_id": cls.north_manager.id,
                "member_ids": [(6, 0, cls.north_sales.ids)],
            }
        )
        cls.event = cls.env["event.event"].create(
            {
                "name": "春季联合推介会",
                "date_tz": "Asia/Shanghai",
                "date_begin": local("2026-03-10 14:00"),
                "date_end": local("2026-03-10 17:00"),
                "joint_event": True,
                "participating_team_ids": [(6, 0, (cls.east | cls.north).ids)],
                "coordinator_id": cls.coordinator.id,
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer_x, cls.customer_y, cls.customer_z, cls.customer_w = (
            Partner.create({"name": name, "is_company": True})
            for name in (
                "客户X有限公司",
                "客户Y有限公司",
                "客户Z有限公司",
                "客户W有限公司",
            )
        )

    @contextmanager
    def at(self, text):
        """Run the block at ``text`` (Shanghai time)."""
        with freeze_time(local(text)):
            yield

    def invite(self, customer, user, when, team=None):
        """``user`` invites ``customer`` and confirms at ``when`` (Shanghai)."""
        with self.at(when):
            invitation = (
                self.env["customer.event.invitation"]
                .with_user(user)
                .create(
                    {
                        "event_id": self.event.id,
                        "partner_id": customer.id,
                        "team_id": (team or user.sale_team_id).id,
                    }
                )
            )
            invitation.action_confirm()
        return invitation

    def hand_in(self, team, day, when):
        """``team``'s manager hands in the list of ``day`` at ``when`` (Shanghai)."""
        with self.at(when):
            List = self.env["customer.event.invitation.list"].with_user(team.user_id)
            record = List.search(
                [
                    ("event_id", "=", self.event.id),
                    ("team_id", "=", team.id),
                    ("day", "=", day),
                ]
            ) or List.create(
                {"event_id": self.event.id, "team_id": team.id, "day": day}
            )
            record.action_submit()
        return record
