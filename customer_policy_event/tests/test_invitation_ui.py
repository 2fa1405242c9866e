from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInvitationListUi(HttpCase):
    def test_hand_in_the_list(self):
        """A department manager hands in today's list before the cut-off."""
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        manager = new_test_user(
            self.env,
            login="ev_tour_mgr",
            password="ev_tour_mgr_pw",
            name="Tour Event Manager",
            groups="customer_policy.group_manager",
            tz="Asia/Shanghai",
        )
        sales = new_test_user(
            self.env,
            login="ev_tour_sales",
            name="Tour Event Salesperson",
            groups="customer_policy.group_user",
        )
        team = self.env["crm.team"].create(
            {
                "name": "Tour Dept",
                "user_id": manager.id,
                "member_ids": [(6, 0, sales.ids)],
            }
        )
        now = fields.Datetime.now()
        event = self.env["event.event"].create(
            {
                "name": "巡演联合推介会",
                "date_tz": "Asia/Shanghai",
                "date_begin": now + timedelta(days=5),
                "date_end": now + timedelta(days=5, hours=3),
                "joint_event": True,
                "participating_team_ids": [(6, 0, team.ids)],
                "coordinator_id": manager.id,
                # Whatever the hour the test runs at, today's list is not late yet.
                "daily_cutoff_hour": 23.99,
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "名单测试客户有限公司", "is_company": True}
        )
        invitation = (
            self.env["customer.event.invitation"]
            .with_user(sales)
            .create({"event_id": event.id, "partner_id": customer.id})
        )
        invitation.action_confirm()
        today_list = (
            self.env["customer.event.invitation.list"]
            .with_user(manager)
            ._customer_event_open_today(event, team)
        )
        if invitation.counts_for_day > today_list.day:
            self.skipTest("Run in the last minute of the day: the list is tomorrow's.")
        self.start_tour(
            "/odoo", "customer_event_invitation_list_tour", login="ev_tour_mgr"
        )
        self.assertEqual(today_list.state, "submitted")
        self.assertFalse(today_list.is_late)
        self.assertEqual(invitation.state, "submitted")
        self.assertEqual(today_list.invitation_ids, invitation)
