from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.customer_policy_commission.tests.common import CommissionCase
from odoo.addons.customer_policy_event.tests.common import local


class EventCommissionCase(CommissionCase):
    """The commission tests' key customer, owned by ``user_sales`` and developed by
    ``user_sales_2`` (who followed it before), at a joint afternoon event in
    Shanghai on 10 March 2026 in which ``user_sales``'s department takes part; its
    coordinator is a salesperson who reads no agreement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.customer.customer_developer_id = cls.user_sales_2
        cls.coordinator = new_test_user(
            cls.env,
            login="ev_glue_coord",
            name="Event Coordinator",
            groups="customer_policy.group_user",
            tz="Asia/Shanghai",
        )
        cls.event = cls.env["event.event"].create(
            {
                "name": "春季联合推介会",
                "date_tz": "Asia/Shanghai",
                "date_begin": local("2026-03-10 14:00"),
                "date_end": local("2026-03-10 17:00"),
                "joint_event": True,
                "participating_team_ids": [Command.set(cls.team.ids)],
                "coordinator_id": cls.coordinator.id,
            }
        )

    def _invitation(self, attend=True):
        """``user_sales`` invites the customer on 4 March, the department's list is
        handed in that afternoon, and the customer comes to the event when
        ``attend``."""
        with freeze_time(local("2026-03-04 10:00")):
            invitation = (
                self.env["customer.event.invitation"]
                .with_user(self.user_sales)
                .create({"event_id": self.event.id, "partner_id": self.customer.id})
            )
            invitation.action_confirm()
        with freeze_time(local("2026-03-04 17:00")):
            List = self.env["customer.event.invitation.list"].with_user(
                self.user_manager
            )
            vals = {
                "event_id": self.event.id,
                "team_id": self.team.id,
                "day": date(2026, 3, 4),
            }
            (
                List.search([(key, "=", value) for key, value in vals.items()])
                or List.create(vals)
            ).action_submit()
        if attend:
            self._attend(invitation)
        return invitation

    def _attend(self, invitation):
        """The customer comes to the event: the coordinator records it."""
        with freeze_time(local("2026-03-10 14:10")):
            invitation.with_user(self.coordinator).action_attend()
