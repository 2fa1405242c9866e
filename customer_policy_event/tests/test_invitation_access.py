from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import JointEventCase


@tagged("post_install", "-at_install")
class TestInvitationAccess(JointEventCase):
    def setUp(self):
        super().setUp()
        self.east_x = self.invite(self.customer_x, self.east_sales, "2026-03-04 10:00")
        self.north_y = self.invite(
            self.customer_y, self.north_sales, "2026-03-04 11:00"
        )
        self.east_list = self.hand_in(self.east, date(2026, 3, 4), "2026-03-04 17:00")

    def visible(self, user, model="customer.event.invitation"):
        return (
            self.env[model].with_user(user).search([("event_id", "=", self.event.id)])
        )

    def test_invitations_per_role(self):
        self.assertEqual(self.visible(self.east_sales), self.east_x)
        self.assertEqual(self.visible(self.north_sales), self.north_y)
        self.assertEqual(self.visible(self.east_manager), self.east_x)
        self.assertEqual(self.visible(self.coordinator), self.east_x | self.north_y)
        self.assertEqual(self.visible(self.director), self.east_x | self.north_y)
        with self.assertRaises(AccessError):
            self.north_y.with_user(self.coordinator).write({"note": "协调"})
        with self.assertRaises(AccessError):
            self.east_x.with_user(self.north_manager).read(["partner_id"])

    def test_lists_per_role(self):
        model = "customer.event.invitation.list"
        self.assertEqual(self.visible(self.east_sales, model), self.east_list)
        self.assertFalse(self.visible(self.north_sales, model))
        self.assertFalse(self.visible(self.north_manager, model))
        self.assertEqual(self.visible(self.coordinator, model), self.east_list)
        with self.assertRaises(AccessError):
            self.env[model].with_user(self.east_sales).create(
                {
                    "event_id": self.event.id,
                    "team_id": self.east.id,
                    "day": "2026-03-05",
                }
            )
        with self.assertRaises(AccessError):
            self.env[model].with_user(self.north_manager).create(
                {
                    "event_id": self.event.id,
                    "team_id": self.east.id,
                    "day": "2026-03-05",
                }
            )

    def test_event_staff_outside_the_policy(self):
        """An event manager who is not in the customer policy opens a joint
        event's form, without its invitations, and cannot read them."""
        event_manager = new_test_user(
            self.env, login="ev_event_only", groups="event.group_event_manager"
        )
        event = self.event.with_user(event_manager)
        with Form(event) as form:
            form.name = "联合展会（改期）"
        self.assertEqual(event.name, "联合展会（改期）")
        self.assertEqual(event.customer_invitation_count, 0)
        self.event.invalidate_recordset(["customer_invitation_count"])
        self.assertEqual(
            self.event.with_user(self.coordinator).customer_invitation_count, 2
        )
        with self.assertRaises(AccessError):
            self.east_x.with_user(event_manager).read(["partner_id"])
