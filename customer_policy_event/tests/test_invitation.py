from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import JointEventCase


@tagged("post_install", "-at_install")
class TestInvitationLists(JointEventCase):
    def test_first_confirmed_and_handed_in_wins(self):
        """East confirms X at 10:00, North at 11:00; North hands in first (17:00),
        East at 17:30, both on time: East confirmed first, East keeps X."""
        east_x = self.invite(self.customer_x, self.east_sales, "2026-03-04 10:00")
        north_x = self.invite(self.customer_x, self.north_sales, "2026-03-04 11:00")
        self.assertEqual((east_x.state, north_x.state), ("confirmed", "confirmed"))
        self.assertEqual(str(east_x.counts_for_day), "2026-03-04")

        north_list = self.hand_in(self.north, date(2026, 3, 4), "2026-03-04 17:00")
        self.assertEqual(north_list.invitation_ids, north_x)
        self.assertEqual(north_x.state, "submitted")
        self.assertFalse(north_list.is_late)
        self.assertEqual(north_list.fine_amount, 0)

        east_list = self.hand_in(self.east, date(2026, 3, 4), "2026-03-04 17:30")
        self.assertEqual(east_x.state, "submitted")
        self.assertEqual(north_x.state, "rejected_duplicate")
        self.assertEqual(north_list.rejected_count, 1)
        self.assertEqual(str(east_x.submitted_at), "2026-03-04 09:30:00")
        self.assertFalse(east_list.is_late)
        # The rejection names the winning department and nothing else of it.
        message = north_x.with_user(self.north_sales).rejection_message
        self.assertIn("East", message)
        self.assertNotIn(self.east_sales.name, message)
        self.assertNotIn(self.east_manager.name, message)
        with self.assertRaises(AccessError):
            east_x.with_user(self.north_sales).read(["user_id"])

        # From now on North cannot invite X at all.
        with self.at("2026-03-05 09:00"), self.assertRaisesRegex(UserError, "by East"):
            self.env["customer.event.invitation"].with_user(self.north_sales).create(
                {
                    "event_id": self.event.id,
                    "partner_id": self.customer_x.id,
                    "team_id": self.north.id,
                }
            )

    def test_late_list_counts_for_the_next_day_and_loses(self):
        """On 5 March East confirms Y (15:00), Z (15:30) and W (16:00); North
        confirms Y at 17:00 and hands in at 17:55; East hands in at 18:05: late.

        By hand: East's list counts for 6 March and is fined 10. Y: North's
        on-time list of the 5th comes first -> North. Z: nobody else -> East, for
        the 6th. W: North confirms it at 18:02 (after the cut-off, so for the 6th)
        and hands it in on time on the 6th: on the 6th an on-time list beats a late
        one -> North, although East's late list came in first.
        """
        east_y = self.invite(self.customer_y, self.east_sales, "2026-03-05 15:00")
        east_z = self.invite(self.customer_z, self.east_sales, "2026-03-05 15:30")
        east_w = self.invite(self.customer_w, self.east_sales, "2026-03-05 16:00")
        north_y = self.invite(self.customer_y, self.north_sales, "2026-03-05 17:00")
        self.hand_in(self.north, date(2026, 3, 5), "2026-03-05 17:55")
        self.assertEqual(north_y.state, "submitted")
        north_w = self.invite(self.customer_w, self.north_sales, "2026-03-05 18:02")
        self.assertEqual(str(north_w.counts_for_day), "2026-03-06")

        east_list = self.hand_in(self.east, date(2026, 3, 5), "2026-03-05 18:05")
        self.assertTrue(east_list.is_late)
        self.assertEqual(east_list.fine_amount, 10)
        self.assertEqual(str(east_list.counts_for_day), "2026-03-06")
        self.assertEqual(east_list.invitation_ids, east_y | east_z | east_w)
        self.assertEqual(
            [str(i.counts_for_day) for i in (east_y, east_z, east_w)],
            ["2026-03-06"] * 3,
        )
        self.assertEqual(east_y.state, "rejected_duplicate")
        self.assertIn("North", east_y.rejection_message)
        self.assertEqual(east_z.state, "submitted")
        self.assertEqual(east_w.state, "submitted", "for now: North's W is not in")

        north_list_6 = self.hand_in(self.north, date(2026, 3, 6), "2026-03-06 17:00")
        self.assertEqual(north_list_6.invitation_ids, north_w)
        self.assertFalse(north_list_6.is_late)
        self.assertEqual(north_w.state, "submitted")
        self.assertEqual(east_w.state, "rejected_duplicate")
        self.assertIn("North", east_w.rejection_message)
        # The two lists of the 5th: only East's is fined.
        lists = self.env["customer.event.invitation.list"].search(
            [("event_id", "=", self.event.id)]
        )
        self.assertEqual(sum(lists.mapped("fine_amount")), 10)

    def test_confirmations_after_the_cutoffs(self):
        evening = self.invite(self.customer_x, self.east_sales, "2026-03-09 19:00")
        self.assertEqual(str(evening.counts_for_day), "2026-03-10")
        morning = self.invite(self.customer_y, self.east_sales, "2026-03-10 09:30")
        self.assertEqual(str(morning.counts_for_day), "2026-03-10")
        with self.at("2026-03-10 10:05"):
            late = (
                self.env["customer.event.invitation"]
                .with_user(self.east_sales)
                .create({"event_id": self.event.id, "partner_id": self.customer_z.id})
            )
            with self.assertRaisesRegex(UserError, "event-day cut-off"):
                late.action_confirm()
        self.assertEqual(late.state, "planned")
        # The event day's list is due at 10:00: handed in at 09:50, on time.
        event_day = self.hand_in(self.east, date(2026, 3, 10), "2026-03-10 09:50")
        self.assertFalse(event_day.is_late)
        self.assertEqual(event_day.invitation_ids, evening | morning)

    def test_missing_lists_are_fined_once(self):
        self.invite(self.customer_x, self.east_sales, "2026-03-04 10:00")
        self.hand_in(self.east, date(2026, 3, 4), "2026-03-04 17:00")
        with self.at("2026-03-05 18:30"):
            self.env["event.event"]._cron_customer_event_missing_lists()
            self.env["event.event"]._cron_customer_event_missing_lists()
        lists = self.env["customer.event.invitation.list"].search(
            [("event_id", "=", self.event.id)]
        )
        # 3, 4 and 5 March are past their cut-off; East handed in on the 4th:
        # 2 departments x 3 days - 1 = 5 missing lists, fined 10 each.
        missing = lists.filtered(lambda r: r.state == "missing")
        self.assertEqual(len(missing), 5)
        self.assertEqual(set(missing.mapped("fine_amount")), {10})
        self.assertEqual(
            sorted((str(r.day), r.team_id.name) for r in missing),
            [
                ("2026-03-03", "East"),
                ("2026-03-03", "North"),
                ("2026-03-04", "North"),
                ("2026-03-05", "East"),
                ("2026-03-05", "North"),
            ],
        )
        # Handed in afterwards, a missing list stays fined once.
        north_5 = missing.filtered(lambda r: r.team_id == self.north and r.day.day == 5)
        with self.at("2026-03-05 19:00"):
            north_5.with_user(self.north_manager).action_submit()
        self.assertEqual((north_5.state, north_5.fine_amount), ("submitted", 10))

    def test_missing_lists_job_is_batched(self):
        """The job's queries do not grow with the events, departments and days."""
        Event = self.env["event.event"]

        def run_and_count():
            Event.flush_model()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with self.at("2026-03-05 18:30"):
                Event._cron_customer_event_missing_lists()
                self.env.flush_all()
            return self.env.cr.sql_log_count - before

        small = run_and_count()
        self.env["customer.event.invitation.list"].search([]).unlink()
        teams = self.env["crm.team"].create(
            [{"name": f"Dept {n}", "user_id": self.director.id} for n in range(4)]
        )
        self.event.participating_team_ids |= teams
        self.event.copy({"name": "第二场", "participating_team_ids": teams.ids})
        self.event.copy({"name": "第三场", "participating_team_ids": teams.ids})
        big = run_and_count()
        lists = self.env["customer.event.invitation.list"].search([])
        # 3 days x (6 + 4 + 4) departments.
        self.assertEqual(len(lists), 42)
        self.assertLessEqual(big, small)

    def test_hand_over_moves_the_open_invitations(self):
        """The inviter leaves: invitations still ahead of the event follow the
        customer's successor (the customer mixin's hand-over)."""
        self.customer_x.write(
            {"user_id": self.east_sales.id, "customer_policy_managed": True}
        )
        ahead = self.invite(self.customer_x, self.east_sales, "2026-03-04 10:00")
        successor = new_test_user(
            self.env, login="ev_successor", groups="customer_policy.group_user"
        )
        self.customer_x._customer_policy_handover_records(
            {self.customer_x.id: successor}, self.east_sales
        )
        self.assertEqual(ahead.user_id, successor)
        self.assertEqual(ahead.team_id, self.east)
        self.assertEqual(ahead.state, "confirmed")

    def test_only_the_manager_hands_in(self):
        self.invite(self.customer_x, self.east_sales, "2026-03-04 10:00")
        with self.at("2026-03-04 17:00"):
            east_list = self.env["customer.event.invitation.list"].create(
                {
                    "event_id": self.event.id,
                    "team_id": self.east.id,
                    "day": "2026-03-04",
                }
            )
            with self.assertRaisesRegex(UserError, "Only the manager of East"):
                east_list.with_user(self.east_sales).action_submit()
            with self.assertRaises(AccessError):
                east_list.with_user(self.north_manager).action_submit()
            with self.assertRaisesRegex(UserError, "Hand In button"):
                east_list.with_user(self.east_manager).write({"state": "submitted"})
        self.assertEqual(east_list.state, "draft")

    def test_lead_department_hands_in_the_plan(self):
        self.event.lead_team_id = self.east
        self.invite(self.customer_x, self.east_sales, "2026-03-04 10:00")
        with self.at("2026-03-04 17:00"):
            east_list = (
                self.env["customer.event.invitation.list"]
                .with_user(self.east_manager)
                .create(
                    {
                        "event_id": self.event.id,
                        "team_id": self.east.id,
                        "day": "2026-03-04",
                    }
                )
            )
            with self.assertRaisesRegex(UserError, "plan for the next day"):
                east_list.action_submit()
            east_list.next_day_plan = "明天邀约客户Y、客户Z"
            east_list.action_submit()
        self.assertEqual(east_list.state, "submitted")


@tagged("post_install", "-at_install")
class TestAtTheEvent(JointEventCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "王经理",
                "parent_id": cls.customer_x.id,
                "email": "wang@x.example",
            }
        )

    def setUp(self):
        super().setUp()
        self.east_x = self.invite(self.customer_x, self.east_sales, "2026-03-04 10:00")
        self.east_x.with_user(self.east_sales).contact_id = self.contact
        self.hand_in(self.east, date(2026, 3, 4), "2026-03-04 17:00")

    def test_attendance_registers_and_the_sale_is_the_inviters(self):
        with self.at("2026-03-10 14:10"):
            self.east_x.with_user(self.coordinator).action_attend()
        registration = self.east_x.registration_id
        self.assertEqual(self.east_x.state, "attended")
        self.assertEqual(registration.event_id, self.event)
        self.assertEqual(registration.partner_id, self.contact)
        self.assertEqual(registration.state, "done")
        self.assertIn(registration, self.event.registration_ids)

        # North's salesperson followed X before: asks to help, East consents.
        with self.at("2026-03-10 14:20"):
            request = (
                self.env["customer.event.helper.request"]
                .with_user(self.north_sales)
                .create({"event_id": self.event.id, "partner_id": self.customer_x.id})
            )
            self.assertEqual(request.inviter_id, self.east_sales)
            self.assertEqual(request.invitation_id, self.east_x)
            with self.assertRaisesRegex(UserError, "Only East Salesperson"):
                request.with_user(self.north_sales).action_consent()
            request.with_user(self.east_sales).action_consent()
        self.assertEqual(request.state, "consented")

        self.east_x.with_user(self.east_sales).sale_amount = 50000
        self.east_x.with_user(self.east_sales).action_credit_sale()
        self.assertEqual(self.east_x.sale_credited_to_id, self.east_sales)
        self.assertEqual(
            self.east_x._customer_policy_event_credits(), [(self.east_sales, 100.0)]
        )

    def test_coordinator_records_the_event_of_an_archive_they_cannot_read(self):
        """The coordinator reads the lists, not the customers' archives, and
        writes no invitation: the attendance and the sale of a customer East's
        salesperson owns are recorded all the same."""
        self.customer_x.write(
            {"customer_policy_managed": True, "user_id": self.east_sales.id}
        )
        self.env.invalidate_all()
        with self.at("2026-03-10 14:10"):
            self.east_x.with_user(self.coordinator).action_attend()
        self.assertEqual(self.east_x.registration_id.partner_id, self.contact)
        self.assertEqual(self.east_x.registration_id.email, "wang@x.example")
        self.east_x.with_user(self.east_sales).sale_amount = 50000
        self.east_x.with_user(self.coordinator).action_credit_sale()
        self.assertEqual(self.east_x.sale_credited_to_id, self.east_sales)
        self.assertIn("credited to East Salesperson", self.east_x.message_ids[0].body)

    def test_helper_request_for_an_uninvited_customer(self):
        with self.assertRaisesRegex(UserError, "not on any department's list"):
            self.env["customer.event.helper.request"].with_user(
                self.north_sales
            ).create({"event_id": self.event.id, "partner_id": self.customer_y.id})

    def test_only_handed_in_invitations_attend(self):
        planned = (
            self.env["customer.event.invitation"]
            .with_user(self.east_sales)
            .create({"event_id": self.event.id, "partner_id": self.customer_y.id})
        )
        with self.assertRaisesRegex(UserError, "department's list"):
            planned.action_attend()
        with self.assertRaisesRegex(UserError, "buttons"):
            planned.write({"state": "attended"})
        self.assertFalse(self.event.registration_ids)

    def test_dispute_decided_after_the_event_and_escalated(self):
        Dispute = self.env["customer.event.dispute"]
        with self.assertRaisesRegex(UserError, "manager of the department"):
            Dispute.with_user(self.north_sales).create(
                {
                    "event_id": self.event.id,
                    "partner_id": self.customer_x.id,
                    "team_id": self.north.id,
                    "other_team_id": self.east.id,
                    "description": "X是我们的老客户",
                }
            )
        dispute = Dispute.with_user(self.north_manager).create(
            {
                "event_id": self.event.id,
                "partner_id": self.customer_x.id,
                "team_id": self.north.id,
                "other_team_id": self.east.id,
                "description": "X是北区的老客户，东区不应邀请",
            }
        )
        dispute.with_user(
            self.coordinator
        ).decision = "东区先确认并先交名单，客户归东区"
        with (
            self.at("2026-03-10 16:00"),
            self.assertRaisesRegex(UserError, "after the event"),
        ):
            dispute.with_user(self.coordinator).action_decide()
        with self.at("2026-03-10 18:00"):
            with self.assertRaisesRegex(UserError, "coordinator"):
                dispute.with_user(self.east_manager).action_decide()
            dispute.with_user(self.coordinator).action_decide()
        self.assertEqual(dispute.state, "decided")
        dispute.with_user(self.north_manager).action_escalate()
        self.assertEqual(dispute.state, "escalated")
        self.assertTrue(dispute.director_id.has_group("customer_policy.group_director"))
        with self.assertRaisesRegex(UserError, "Director closes"):
            dispute.with_user(self.north_manager).action_close()
        dispute.with_user(self.director).director_decision = "维持协调人决定"
        dispute.with_user(self.director).action_close()
        self.assertEqual(dispute.state, "closed")
