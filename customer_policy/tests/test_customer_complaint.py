import logging
import re
import time
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestComplaintDeadlines(ComplaintCase):
    def test_sequence(self):
        ticket = self._ticket()
        self.assertRegex(ticket.name, r"^TS2026-\d{5}$")
        other = self._ticket()
        self.assertEqual(
            int(other.name[-5:]), int(ticket.name[-5:]) + 1, "numbers follow"
        )

    def test_deadlines_on_working_time(self):
        # Normal, Friday 2026-01-23 16:00 Shanghai = 08:00 UTC: 24 working hours
        # end Wednesday 2026-01-28 16:00 Shanghai = 08:00 UTC.
        # Major, Monday 2026-01-26 11:30 (03:30 UTC): 2 hours across the lunch
        # break end at 14:30 (06:30 UTC).
        # Received on the holiday Tue 2026-01-13 10:00: the clock starts
        # Wednesday 08:00, 2 hours -> 10:00 (02:00 UTC).
        tickets = self.Complaint.create(
            [
                {
                    "partner_id": self.customer.id,
                    "severity": "normal",
                    "received_at": datetime(2026, 1, 23, 8, 0),
                },
                {
                    "partner_id": self.customer.id,
                    "severity": "major",
                    "received_at": datetime(2026, 1, 26, 3, 30),
                },
                {
                    "partner_id": self.customer.id,
                    "severity": "major",
                    "received_at": datetime(2026, 1, 13, 2, 0),
                },
            ]
        )
        self.assertEqual(
            tickets.mapped("response_deadline"),
            [
                datetime(2026, 1, 28, 8, 0),
                datetime(2026, 1, 26, 6, 30),
                datetime(2026, 1, 14, 2, 0),
            ],
        )
        # Contact within 1 working day, same clock time: Friday -> Monday,
        # Monday -> Tuesday, the holiday Tuesday -> Wednesday.
        self.assertEqual(
            tickets.mapped("contact_deadline"),
            [
                datetime(2026, 1, 26, 8, 0),
                datetime(2026, 1, 27, 3, 30),
                datetime(2026, 1, 14, 2, 0),
            ],
        )
        # Directors hear of a major complaint after twice its response time.
        self.assertEqual(tickets[1].escalation_deadline, datetime(2026, 1, 26, 8, 30))
        # Changing the severity recomputes.
        tickets[0].severity = "major"
        # Friday 16:00 + 2 hours: Monday 09:00 Shanghai.
        self.assertEqual(tickets[0].response_deadline, datetime(2026, 1, 26, 1, 0))

    def test_deadlines_one_calendar_read_per_batch(self):
        """The calendar is read once per batch, not once per ticket."""
        vals = [
            {
                "partner_id": self.customer.id,
                "received_at": datetime(2026, 1, 5, 1, 0) + timedelta(hours=3 * i),
            }
            for i in range(40)
        ]
        tickets = self.Complaint.create(vals[:2])
        calls = []
        Calendar = type(self.calendar)
        original = Calendar._customer_policy_work_intervals

        def spy(calendar, start, stop):
            calls.append(calendar.id)
            return original(calendar, start, stop)

        self.patch(Calendar, "_customer_policy_work_intervals", spy)
        tickets = self.Complaint.create(vals)
        self.assertEqual(len(tickets), 40)
        self.assertLessEqual(len(calls), 2, "one read for hours, one for days")

    def test_tier_limit_when_stricter(self):
        tier = self.env.ref("customer_policy.customer_tier_general")
        tier.complaint_response_hours = 4
        self.customer.sudo().customer_tier_id = tier
        normal = self._ticket(received_at=datetime(2026, 1, 26, 2, 0))
        # Monday 10:00 + 4 hours: 15:00 (lunch in between) = 07:00 UTC.
        self.assertEqual(normal.response_deadline, datetime(2026, 1, 26, 7, 0))
        major = self._ticket(severity="major", received_at=datetime(2026, 1, 26, 2, 0))
        # The severity's 2 hours are stricter than the tier's 4: 12:00.
        self.assertEqual(major.response_deadline, datetime(2026, 1, 26, 4, 0))

    def test_tier_change_keeps_the_promise(self):
        """A ticket keeps the deadline promised when it came in when its
        customer changes tier or the tier its hours; the next ticket gets the
        new limit."""
        general = self.env.ref("customer_policy.customer_tier_general")
        general.complaint_response_hours = 4
        self.customer.sudo().customer_tier_id = general
        ticket = self._ticket(received_at=datetime(2026, 1, 26, 2, 0))
        # Monday 10:00 + 4 hours: 15:00 (lunch in between) = 07:00 UTC.
        self.assertEqual(ticket.response_deadline, datetime(2026, 1, 26, 7, 0))
        key = self.env.ref("customer_policy.customer_tier_key")
        # The key tier's staffing rules are another test's.
        key.write(
            {
                "complaint_response_hours": 1,
                "requires_project_team": False,
                "requires_senior_owner": False,
            }
        )
        self.customer.sudo().customer_tier_id = key
        general.complaint_response_hours = 3
        self.env.flush_all()
        ticket.invalidate_recordset()
        self.assertEqual(ticket.response_deadline, datetime(2026, 1, 26, 7, 0))
        later = self._ticket(received_at=datetime(2026, 1, 26, 2, 0))
        # The key tier's hour: Monday 11:00 = 03:00 UTC.
        self.assertEqual(later.response_deadline, datetime(2026, 1, 26, 3, 0))

    def test_first_response_working_hours(self):
        ticket = self._ticket(received_at=datetime(2026, 1, 23, 8, 0))
        # Friday 16:00 -> Monday 09:30 Shanghai: 1 + 1.5 working hours.
        ticket.first_response_at = datetime(2026, 1, 26, 1, 30)
        self.assertAlmostEqual(ticket.first_response_hours, 2.5)


@tagged("post_install", "-at_install")
class TestComplaintWorkflow(ComplaintCase):
    def _assert_refused(self, ticket, vals, message):
        before = ticket.read(list(vals) + ["state", "write_date"])[0]
        with self.assertRaisesRegex(UserError, message):
            ticket.write(vals)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.read(list(vals) + ["state", "write_date"])[0], before)

    def test_transitions_and_refusals(self):
        ticket = self._ticket(user=self.user_sales)
        self._assert_refused(ticket, {"state": "contacted"}, "first response")
        self._assert_refused(ticket, {"state": "closed"}, "cannot go from")
        ticket.action_contacted()
        self.assertEqual(ticket.state, "contacted")
        self.assertTrue(ticket.first_response_at)
        self.assertTrue(ticket.contacted_at)
        ticket.action_investigate()
        self._assert_refused(
            ticket, {"state": "resolved", "solution": "换新设备"}, "root cause"
        )
        self._assert_refused(
            ticket, {"state": "resolved", "root_cause": "电源老化"}, "root cause"
        )
        ticket.write({"root_cause": "电源老化", "solution": "换新设备"})
        ticket.action_resolve()
        self.assertTrue(ticket.resolved_at)
        self._assert_refused(ticket, {"state": "closed"}, "satisfaction")
        ticket.write({"satisfaction": "4", "state": "closed"})
        self.assertTrue(ticket.closed_at)
        # Reopened within the window: counted.
        ticket.action_reopen()
        self.assertEqual((ticket.state, ticket.reopen_count), ("investigating", 1))
        ticket.action_resolve()
        ticket.write({"satisfaction": False, "no_satisfaction_reason": "客户未接电话"})
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")
        # Past the window: refused.
        with freeze_time(datetime.now() + timedelta(days=31)):
            self._assert_refused(ticket, {"state": "investigating"}, "30 days ago")

    def test_first_responder_never_changes(self):
        ticket = self._ticket(user=self.user_sales)
        self.assertEqual(ticket.first_responder_id, self.user_sales)
        for user in (self.user_sales, self.user_director):
            with self.assertRaisesRegex(UserError, "never changes"):
                ticket.with_user(user).write(
                    {"first_responder_id": self.user_manager.id}
                )
        self.assertEqual(ticket.first_responder_id, self.user_sales)
        with self.assertRaisesRegex(UserError, "hand-over"):
            ticket.with_user(self.user_sales).write({"user_id": self.user_sales_2.id})
        self.assertEqual(ticket.user_id, self.user_sales)

    def test_handover(self):
        ticket = self._ticket(user=self.user_internal)
        self.assertEqual(ticket.first_responder_id, self.user_internal)
        messages = len(ticket.message_ids)
        # Neither a colleague nor the owner of the customer may take it over.
        for user in (self.user_sales_2, self.user_sales):
            with self.assertRaisesRegex(AccessError, "may hand it over"):
                ticket.with_user(user).action_handover(self.user_sales.id, "接手")
        with self.assertRaisesRegex(UserError, "written note"):
            ticket.with_user(self.user_internal).action_handover(
                self.user_sales.id, " "
            )
        self.assertEqual(ticket.user_id, self.user_internal)
        self.assertEqual(len(ticket.message_ids), messages)
        # The handler hands over, in writing.
        ticket.with_user(self.user_internal).action_handover(
            self.user_sales.id, "客户要求技术上门，请跟进"
        )
        self.assertEqual(ticket.user_id, self.user_sales)
        self.assertEqual(ticket.first_responder_id, self.user_internal)
        self.assertIn("客户要求技术上门，请跟进", ticket.message_ids[0].body)
        followers = ticket.message_partner_ids
        self.assertIn(self.user_internal.partner_id, followers)
        self.assertIn(self.user_sales.partner_id, followers)
        # The first responder still reads the ticket it received.
        self.assertEqual(
            ticket.with_user(self.user_internal).read(["name"])[0]["name"], ticket.name
        )
        # The department manager hands over too.
        ticket.with_user(self.user_manager).action_handover(
            self.user_sales_2.id, "调岗"
        )
        self.assertEqual(ticket.user_id, self.user_sales_2)
        # Closed: the first responder stops following.
        ticket.sudo().write(
            {"root_cause": "x", "solution": "y", "first_response_at": datetime.now()}
        )
        ticket.sudo().write({"state": "contacted"})
        ticket.sudo().write({"state": "resolved"})
        ticket.sudo().write({"state": "closed", "satisfaction": "5"})
        self.assertNotIn(self.user_internal.partner_id, ticket.message_partner_ids)

    def test_handover_over_rpc_signature(self):
        ticket = self._ticket(user=self.user_sales)
        result = (
            self.env["customer.complaint"]
            .with_user(self.user_sales)
            .browse(ticket.id)
            .action_handover(user_id=self.user_sales_2.id, note="请处理")
        )
        self.assertTrue(result)
        self.assertEqual(ticket.user_id, self.user_sales_2)

    def test_any_employee_records_without_opening_the_customer(self):
        self.env.ref("base.group_allow_export").users = [(4, self.user_internal.id)]
        Partner = self.env["res.partner"].with_user(self.user_internal)
        self.assertFalse(Partner.search([("id", "=", self.customer.id)]))
        ticket = self._ticket(user=self.user_internal, severity="major")
        mine = ticket.with_user(self.user_internal)
        values = mine.read(["name", "partner_id", "response_deadline"])[0]
        self.assertEqual(values["partner_id"][1], self.customer.display_name)
        self.assertTrue(values["response_deadline"])
        with self.assertRaises(AccessError):
            self.assertTrue(mine.partner_id.phone)
        with self.assertRaises(AccessError):
            mine.export_data(["partner_id/phone"])
        # A colleague sees nothing of it; the owner, its manager, the director do.
        colleague = self.env["customer.complaint"].with_user(self.user_sales_2)
        self.assertFalse(colleague.search([("id", "=", ticket.id)]))
        for user in (self.user_sales, self.user_manager, self.user_director):
            Complaint = self.env["customer.complaint"].with_user(user)
            self.assertEqual(Complaint.search([("id", "=", ticket.id)]), ticket)

    def test_kpis(self):
        done = self._ticket(received_at=datetime(2026, 1, 23, 8, 0))
        done.write({"first_response_at": datetime(2026, 1, 26, 1, 30)})
        done.write({"state": "contacted"})
        done.write({"root_cause": "r", "solution": "s", "state": "resolved"})
        done.write({"satisfaction": "4", "state": "closed"})
        done.action_reopen()
        other = self._ticket(received_at=datetime(2026, 1, 26, 2, 0))
        other.write({"first_response_at": datetime(2026, 1, 26, 3, 0)})
        kpis = self.Complaint.customer_policy_complaint_kpis(
            [("id", "in", (done | other).ids)]
        )
        self.assertEqual(kpis["count"], 2)
        self.assertEqual(kpis["resolution_rate"], 0.0)
        self.assertEqual(kpis["reopen_rate"], 0.5)
        self.assertAlmostEqual(kpis["avg_first_response_hours"], (2.5 + 1) / 2)
        self.assertEqual(kpis["satisfaction_avg"], 4)
        done.action_resolve()
        kpis = self.Complaint.customer_policy_complaint_kpis(
            [("id", "in", (done | other).ids)]
        )
        self.assertEqual(kpis["resolution_rate"], 0.5)
        # The same figures in the pivot, per group.
        groups = self.Complaint._read_group(
            [("id", "in", (done | other).ids)],
            [],
            ["resolution_rate:avg", "reopen_rate:avg", "first_response_hours:avg"],
        )
        self.assertEqual(groups[0][0], 50.0)
        self.assertEqual(groups[0][1], 50.0)
        self.assertAlmostEqual(groups[0][2], 1.75)

    def test_partner_smart_button(self):
        self._ticket()
        self._ticket(partner_id=self.contact.id)
        customer = self.customer.with_user(self.user_sales)
        self.assertEqual(customer.customer_complaint_count, 2)
        action = customer.action_view_customer_complaints()
        self.assertEqual(
            self.env["customer.complaint"]
            .with_user(self.user_sales)
            .search_count(action["domain"]),
            2,
        )


@tagged("post_install", "-at_install")
class TestComplaintEscalation(ComplaintCase):
    def _notifications(self, partner, subject):
        return self.env["mail.message"].search_count(
            [
                ("partner_ids", "in", partner.ids),
                ("subject", "ilike", subject),
                ("message_type", "=", "user_notification"),
            ]
        )

    def test_escalation_exactly_once(self):
        Complaint = self.Complaint
        # Monday 2026-01-26 10:00 Shanghai: response due 12:00, directors at 15:00.
        # Recorded when received: the Directors are told at once, which computes
        # the ticket's flags then.
        with freeze_time("2026-01-26 02:00:00"):
            ticket = self._ticket(
                user=self.user_sales,
                severity="major",
                received_at=datetime(2026, 1, 26, 2, 0),
            )
        self.assertEqual(ticket.response_deadline, datetime(2026, 1, 26, 4, 0))
        self.assertEqual(ticket.escalation_deadline, datetime(2026, 1, 26, 7, 0))
        with freeze_time("2026-01-26 03:00:00"):
            Complaint._cron_customer_complaint_sla()
            ticket.invalidate_recordset()
            self.assertFalse(ticket.is_response_overdue)
        for moment in ("2026-01-26 04:15:00", "2026-01-26 04:30:00"):
            with freeze_time(moment):
                Complaint._cron_customer_complaint_sla()
        ticket.invalidate_recordset()
        self.assertTrue(ticket.is_response_overdue)
        self.assertEqual(ticket.escalation_level, "manager")
        self.assertEqual(
            self._notifications(self.user_sales.partner_id, "response deadline"), 1
        )
        self.assertEqual(
            self._notifications(self.user_manager.partner_id, "your department"), 1
        )
        self.assertEqual(
            self._notifications(self.user_director.partner_id, "still unanswered"), 0
        )
        for moment in (
            "2026-01-26 07:15:00",
            "2026-01-26 07:30:00",
            "2026-01-27 07:30:00",
        ):
            with freeze_time(moment):
                Complaint._cron_customer_complaint_sla()
        ticket.invalidate_recordset()
        self.assertEqual(ticket.escalation_level, "director")
        self.assertTrue(ticket.is_contact_overdue)
        self.assertEqual(
            self._notifications(self.user_director.partner_id, "still unanswered"), 1
        )
        self.assertEqual(
            self._notifications(self.user_manager.partner_id, "your department"), 1
        )
        self.assertEqual(
            self._notifications(self.user_sales.partner_id, "response deadline"), 1
        )
        self.assertEqual(
            self._notifications(self.user_sales.partner_id, "customer-contact"), 1
        )
        # A normal ticket is never escalated, an answered one neither.
        normal = self._ticket(received_at=datetime(2026, 1, 26, 2, 0))
        answered = self._ticket(
            severity="major", received_at=datetime(2026, 1, 26, 2, 0)
        )
        answered.first_response_at = datetime(2026, 1, 26, 3, 0)
        with freeze_time("2026-02-10 00:00:00"):
            Complaint._cron_customer_complaint_sla()
        (normal | answered).invalidate_recordset()
        self.assertEqual(normal.escalation_level, "none")
        self.assertTrue(normal.is_response_overdue)
        self.assertEqual(answered.escalation_level, "none")
        self.assertFalse(answered.is_response_overdue)


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestComplaintEscalationVolume(ComplaintCase):
    """The SLA check's queries do not grow with the open tickets (10,000)."""

    def _seed(self, count, handlers):
        """``count`` overdue major complaints received a week ago, by SQL."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO customer_complaint (
                name, company_id, partner_id, commercial_partner_id, team_id,
                request_type, channel, severity, received_at, first_responder_id,
                user_id, state, response_deadline, contact_deadline,
                escalation_deadline, is_response_overdue, is_contact_overdue,
                response_notified, contact_notified, escalation_level, reopen_count,
                create_uid, write_uid, create_date, write_date)
            SELECT 'VOL-' || n, %(company)s, %(partner)s, %(partner)s, %(team)s,
                'complaint', 'phone', 'major', now() - interval '7 days',
                (%(handlers)s)[1 + n %% %(nb)s], (%(handlers)s)[1 + n %% %(nb)s],
                'new', now() - interval '6 days', now() - interval '5 days',
                now() - interval '4 days', FALSE, FALSE, FALSE, FALSE, 'none', 0,
                1, 1, now(), now()
              FROM generate_series(1, %(count)s) n
            """,
            {
                "company": self.company.id,
                "partner": self.customer.id,
                "team": self.team.id,
                "handlers": handlers,
                "nb": len(handlers),
                "count": count,
            },
        )

    def _cron_queries(self):
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        self.env.cr.execute("SELECT 1")
        before = self.env.cr.sql_log_count
        started = time.time()
        self.Complaint._cron_customer_complaint_sla()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, time.time() - started

    def test_volume_constant_queries(self):
        handlers = [self.user_sales.id, self.user_sales_2.id, self.user_internal.id]
        self._seed(10, handlers)
        # Warm-up: caches of groups, templates and the like.
        self._cron_queries()
        self.env.cr.execute("DELETE FROM customer_complaint WHERE name LIKE 'VOL-%%'")
        self._seed(10, handlers)
        small, _small_time = self._cron_queries()
        self.env.cr.execute("DELETE FROM customer_complaint WHERE name LIKE 'VOL-%%'")
        started = time.time()
        self._seed(10000, handlers)
        large, large_time = self._cron_queries()
        self.env.cr.execute(
            "SELECT count(*) FROM customer_complaint WHERE name LIKE 'VOL-%%' "
            "AND escalation_level = 'director' AND response_notified "
            "AND contact_notified AND is_response_overdue"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 10000)
        self.assertEqual(large, small, "queries must not grow with the tickets")
        # A second run sends nothing more.
        again, _t = self._cron_queries()
        self.assertLess(again, large)
        # Record the measure for the report.
        _logger.info(
            "complaint SLA cron: %s queries for 10, %s for 10000 tickets; "
            "10000 in %.2fs (seed+run %.2fs)",
            small,
            large,
            large_time,
            time.time() - started,
        )


@tagged("post_install", "-at_install")
class TestComplaintMailGateway(ComplaintCase):
    def test_email_to_alias_creates_ticket(self):
        domain = self.env["mail.alias.domain"].create({"name": "tousu.example.com"})
        alias = self.env.ref("customer_policy.mail_alias_customer_complaint")
        alias.alias_domain_id = domain
        raw = (
            "Return-Path: <liming@tousu-test.cn>\n"
            "To: complaints@tousu.example.com\n"
            "From: 李明 <liming@tousu-test.cn>\n"
            "Subject: 设备无法启动\n"
            "Date: Mon, 26 Jan 2026 02:00:00 +0000\n"
            "Message-ID: <complaint-test-1@tousu-test.cn>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            "我们的设备从昨天起无法启动，请尽快处理。\n"
        )
        thread_id = self.env["mail.thread"].message_process(
            None, raw.encode(), save_original=False
        )
        ticket = self.Complaint.browse(thread_id)
        self.assertEqual(ticket._name, "customer.complaint")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.contact_id, self.contact)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.request_type, "complaint")
        self.assertEqual(ticket.first_responder_id, self.user_sales)
        self.assertEqual(ticket.user_id, self.user_sales)
        self.assertRegex(ticket.name, r"^TS2026-\d{5}$")
        self.assertIn("无法启动", ticket.description)
        self.assertEqual(ticket.received_at, datetime(2026, 1, 26, 2, 0))
        self.assertTrue(ticket.response_deadline)

    def test_unknown_sender_domain_of_known_customer(self):
        raw = (
            "To: complaints\n"
            "From: 张三 <zhangsan@tousu-test.cn>\n"
            "Subject: 发票问题\n"
            "Message-ID: <complaint-test-2@tousu-test.cn>\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            "发票抬头错误。\n"
        )
        thread_id = self.env["mail.thread"].message_process(
            "customer.complaint", raw.encode()
        )
        ticket = self.Complaint.browse(thread_id)
        self.assertEqual(ticket.partner_id.commercial_partner_id, self.customer)
        self.assertTrue(re.search("发票", ticket.description))


@tagged("post_install", "-at_install")
class TestComplaintPlainEmployee(ComplaintCase):
    def test_plain_employee_cannot_touch_others(self):
        ticket = self._ticket(user=self.user_sales)
        employee = new_test_user(self.env, login="cp_plain_2", groups="base.group_user")
        with self.assertRaises(AccessError):
            ticket.with_user(employee).read(["name"])
        with self.assertRaises(AccessError):
            ticket.with_user(employee).write({"solution": "x"})
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_sales).unlink()


@tagged("post_install", "-at_install")
class TestComplaintSharedAccess(ComplaintCase):
    def test_project_team_and_granted_users(self):
        ticket = self._ticket(
            first_responder_id=self.user_admin.id, user_id=self.user_admin.id
        )
        member = self.user_sales_2
        Complaint = self.env["customer.complaint"].with_user(member)
        self.assertFalse(Complaint.search([("id", "=", ticket.id)]))
        self.customer.sudo().customer_project_team_ids = [(4, member.id)]
        self.assertEqual(Complaint.search([("id", "=", ticket.id)]), ticket)
        ticket.with_user(member).write({"solution": "上门检修"})
        self.assertEqual(ticket.solution, "上门检修")
        # A granted user reads, but does not write.
        granted = new_test_user(
            self.env, login="cp_granted", groups="customer_policy.group_user"
        )
        request = (
            self.env["customer.access.request"]
            .with_user(granted)
            .create({"partner_id": self.customer.id, "reason": "联合项目"})
        )
        self.assertFalse(
            self.env["customer.complaint"]
            .with_user(granted)
            .search_count([("id", "=", ticket.id)])
        )
        request.with_user(self.user_director).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(
            ticket.with_user(granted).read(["name"])[0]["name"], ticket.name
        )
        with self.assertRaises(AccessError):
            ticket.with_user(granted).write({"solution": "x"})

    def test_service_desk_reads_every_complaint(self):
        service = new_test_user(
            self.env, login="cp_service_5", groups="customer_policy.group_service"
        )
        ticket = self._ticket(user=self.user_sales)
        self.assertEqual(
            ticket.with_user(service).read(["name"])[0]["name"], ticket.name
        )
        with self.assertRaises(AccessError):
            ticket.with_user(service).write({"solution": "x"})

    def test_intake_for_a_customer_the_recorder_cannot_read(self):
        intake = (
            self.env["customer.complaint.intake"]
            .with_user(self.user_internal)
            .create({"phone": "+86 21 6000 0001", "severity": "major"})
        )
        intake.action_search()
        self.assertEqual(intake.line_ids.mapped("partner_id.id"), [self.customer.id])
        self.assertEqual(intake.line_ids.owner_name, self.user_sales.name)
        action = intake.line_ids.action_record()
        ticket = self.env["customer.complaint"].browse(action["res_id"])
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.first_responder_id, self.user_internal)
        self.assertEqual(ticket.severity, "major")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_internal).read(["phone"])
        # A customer the lookup did not answer cannot be slipped in.
        intake.line_ids.partner_id = self.contact
        with self.assertRaisesRegex(UserError, "Search the customer again"):
            intake.line_ids.action_record()
        menus = self.env["ir.ui.menu"].with_user(self.user_internal)._visible_menu_ids()
        self.assertIn(
            self.env.ref("customer_policy.menu_customer_complaint_intake").id, menus
        )


@tagged("post_install", "-at_install")
class TestComplaintHandoverHook(ComplaintCase):
    def test_open_complaints_follow_the_customer_successor(self):
        specs = self.env["res.partner"]._customer_policy_handover_models()
        self.assertIn("customer.complaint", [spec["model"] for spec in specs])
        open_ticket = self._ticket(user=self.user_sales)
        done = self._ticket(user=self.user_sales)
        done.sudo().write({"first_response_at": datetime(2026, 1, 26, 3, 0)})
        done.sudo().write({"state": "cancelled"})
        other = self._ticket(user=self.user_internal)
        moved = self.customer.with_user(
            self.user_manager
        )._customer_policy_handover_records(
            {self.customer.id: self.user_sales_2}, self.user_sales
        )
        self.assertEqual(open_ticket.user_id, self.user_sales_2)
        self.assertEqual(open_ticket.first_responder_id, self.user_sales)
        self.assertEqual(done.user_id, self.user_sales)
        self.assertEqual(other.user_id, self.user_internal)
        self.assertIn(open_ticket.id, moved["customer.complaint"][self.user_sales_2])
