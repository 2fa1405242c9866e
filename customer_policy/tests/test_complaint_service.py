from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCase

# Friday 2026-12-04 16:00 in Shanghai (UTC+8).
FRIDAY_4PM = datetime(2026, 12, 4, 8, 0)


@tagged("post_install", "-at_install")
class TestComplaintClock(ComplaintCase):
    """The response clock: 24x7 by default (the policy's 2 hours / 24 hours),
    working hours on request; contact and resolution count working days."""

    def test_default_is_clock_hours(self):
        company = self.env["res.company"].create({"name": "新公司"})
        self.assertEqual(company.complaint_response_clock, "clock")

    def test_clock_hours(self):
        self.company.complaint_response_clock = "clock"
        major, normal = self.Complaint.create(
            [
                {
                    "partner_id": self.customer.id,
                    "severity": "major",
                    "received_at": FRIDAY_4PM,
                },
                {
                    "partner_id": self.customer.id,
                    "severity": "normal",
                    "received_at": FRIDAY_4PM,
                },
            ]
        )
        # 16:00 + 2 hours: 18:00 the same Friday (10:00 UTC).
        self.assertEqual(major.response_deadline, datetime(2026, 12, 4, 10, 0))
        # Twice the limit for the Directors: 20:00 Friday.
        self.assertEqual(major.escalation_deadline, datetime(2026, 12, 4, 12, 0))
        # 16:00 + 24 hours: Saturday 16:00.
        self.assertEqual(normal.response_deadline, datetime(2026, 12, 5, 8, 0))
        # Contact within 1 working day stays on working days: Monday 16:00.
        self.assertEqual(major.contact_deadline, datetime(2026, 12, 7, 8, 0))
        # Resolution: major 3 working days (Mon, Tue, Wed), normal 5 (to Fri 11).
        self.assertEqual(major.resolution_deadline, datetime(2026, 12, 9, 8, 0))
        self.assertEqual(normal.resolution_deadline, datetime(2026, 12, 11, 8, 0))
        # Answered on Saturday 09:00: 17 clock hours after reception.
        normal.first_response_at = datetime(2026, 12, 5, 1, 0)
        self.assertAlmostEqual(normal.first_response_hours, 17.0)

    def test_working_hours(self):
        major, normal = self.Complaint.create(
            [
                {
                    "partner_id": self.customer.id,
                    "severity": "major",
                    "received_at": FRIDAY_4PM,
                },
                {
                    "partner_id": self.customer.id,
                    "severity": "normal",
                    "received_at": FRIDAY_4PM,
                },
            ]
        )
        # 08-12 and 13-17: Friday 16-17, then Monday 08-09 (01:00 UTC).
        self.assertEqual(major.response_deadline, datetime(2026, 12, 7, 1, 0))
        # 1 (Fri) + 8 (Mon) + 8 (Tue) + 4 (Wed morning) + 3: Wednesday 16:00.
        self.assertEqual(normal.response_deadline, datetime(2026, 12, 9, 8, 0))

    def test_setting_change_keeps_existing_deadlines(self):
        self.company.complaint_response_clock = "clock"
        old = self._ticket(severity="major", received_at=FRIDAY_4PM)
        self.company.complaint_response_clock = "working"
        new = self._ticket(severity="major", received_at=FRIDAY_4PM)
        self.assertEqual(old.response_clock, "clock")
        self.assertEqual(old.response_deadline, datetime(2026, 12, 4, 10, 0))
        self.assertEqual(new.response_deadline, datetime(2026, 12, 7, 1, 0))
        # A change of the ticket itself counts on its own clock.
        old.severity = "normal"
        self.assertEqual(old.response_deadline, datetime(2026, 12, 5, 8, 0))

    def test_reopened_ticket_takes_todays_setting(self):
        self.company.complaint_response_clock = "clock"
        with freeze_time("2026-12-04 08:00:00"):
            ticket = self._ticket(severity="major", received_at=FRIDAY_4PM)
            ticket.action_contacted()
            ticket.write({"root_cause": "配件老化", "solution": "更换配件"})
            ticket.action_resolve()
            ticket.write({"satisfaction": "4"})
            ticket.action_close()
        self.company.complaint_response_clock = "working"
        # Reopened Monday 2026-12-07 10:00 Shanghai: 3 working days to Thursday.
        with freeze_time("2026-12-07 02:00:00"):
            ticket.action_reopen()
        self.assertEqual(ticket.response_clock, "working")
        self.assertEqual(ticket.reopened_at, datetime(2026, 12, 7, 2, 0))
        self.assertEqual(ticket.resolution_deadline, datetime(2026, 12, 10, 2, 0))
        self.assertFalse(ticket.is_resolution_overdue)

    def test_resolution_overdue_flag(self):
        ticket = self._ticket(severity="major", received_at=FRIDAY_4PM)
        late = self._ticket(severity="major", received_at=FRIDAY_4PM)
        late.action_contacted()
        late.write({"root_cause": "配件老化", "solution": "更换配件"})
        with freeze_time("2026-12-10 02:00:00"):
            # Thursday: both past Wednesday 16:00.
            self.Complaint._cron_customer_complaint_sla()
            late.action_resolve()
        self.assertTrue(ticket.is_resolution_overdue)
        self.assertTrue(ticket.resolution_notified)
        self.assertTrue(late.is_resolution_overdue, "resolved after the deadline")
        on_time = self._ticket(severity="major", received_at=FRIDAY_4PM)
        on_time.action_contacted()
        on_time.write({"root_cause": "配件老化", "solution": "更换配件"})
        with freeze_time("2026-12-08 02:00:00"):
            on_time.action_resolve()
        self.assertFalse(on_time.is_resolution_overdue)

    def test_settings_refuse_zero_days(self):
        with self.assertRaisesRegex(ValidationError, "resolve a ticket"):
            self.company.complaint_major_resolution_days = 0


class ServiceDeskCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar.import_china_holidays(2026)
        cls.user_service_manager = new_test_user(
            cls.env,
            login="cp_service_manager",
            name="Service Manager",
            groups="customer_policy.group_service_manager",
        )
        cls.user_service = new_test_user(
            cls.env,
            login="cp_service",
            name="Service Desk",
            groups="customer_policy.group_service",
        )
        cls.user_duty_1 = new_test_user(
            cls.env, login="cp_duty_1", name="值班员一", groups="base.group_user"
        )
        cls.user_duty_2 = new_test_user(
            cls.env, login="cp_duty_2", name="值班员二", groups="base.group_user"
        )

    def _messages_to(self, user, ticket):
        return self.env["mail.message"].search(
            [
                ("model", "=", ticket._name),
                ("res_id", "=", ticket.id),
                ("partner_ids", "in", user.partner_id.ids),
            ]
        )


@tagged("post_install", "-at_install")
class TestServiceDuty(ServiceDeskCase):
    def _plan(self):
        Duty = self.env["customer.service.duty"].with_user(self.user_service_manager)
        # One duty a day of National Day, 09:00 to 09:00 the next day (Shanghai).
        return Duty.create(
            [
                {
                    "user_id": user.id,
                    "date_start": datetime(2026, 10, day, 1, 0),
                    "date_end": datetime(2026, 10, day + 1, 1, 0),
                }
                for day, user in (
                    (2, self.user_duty_1),
                    (3, self.user_duty_2),
                    (4, self.user_duty_1),
                )
            ]
        )

    def test_holiday_major_complaint_goes_to_duty(self):
        self._plan()
        # Saturday 2026-10-03 10:00 Shanghai, 国庆节: recorded by the service desk.
        ticket = self._ticket(
            user=self.user_service,
            severity="major",
            received_at=datetime(2026, 10, 3, 2, 0),
        ).sudo()
        self.assertEqual(ticket.user_id, self.user_duty_2)
        self.assertEqual(ticket.first_responder_id, self.user_service)
        self.assertTrue(ticket.on_duty_assigned)
        self.assertEqual(len(self._messages_to(self.user_duty_2, ticket)), 1)
        self.assertFalse(self._messages_to(self.user_duty_1, ticket))
        self.assertTrue(
            ticket.activity_ids.filtered(lambda a: a.user_id == self.user_duty_2)
        )
        # The Directors hear of it once, at creation.
        directors = self.env["res.users"]._customer_policy_directors(self.company)
        self.assertIn(self.user_director, directors)
        for director in directors:
            self.assertEqual(len(self._messages_to(director, ticket)), 1)
        self.assertIn(
            ticket.name, self._messages_to(self.user_director, ticket).subject
        )

    def test_ticket_raised_to_major_is_reported_as_one(self):
        """Raised to major after it was recorded: the Directors hear of it, and
        on a holiday an unanswered one goes to the person on duty then."""
        self._plan()
        directors = self.env["res.users"]._customer_policy_directors(self.company)

        def ticket(received, severity="normal"):
            return self._ticket(
                user=self.user_service, severity=severity, received_at=received
            )

        # Saturday 2026-10-03, 国庆节: recorded normal at 10:00, raised at 12:00.
        holiday = ticket(datetime(2026, 10, 3, 2, 0))
        answered = ticket(datetime(2026, 10, 3, 2, 0))
        answered.with_user(self.user_service).action_first_response()
        with freeze_time("2026-10-03 04:00:00"):
            (holiday | answered).with_user(self.user_service).write(
                {"severity": "major"}
            )
        holiday, answered = holiday.sudo(), answered.sudo()
        self.assertEqual(holiday.user_id, self.user_duty_2)
        self.assertTrue(holiday.on_duty_assigned)
        self.assertEqual(holiday.first_responder_id, self.user_service)
        self.assertEqual(len(self._messages_to(self.user_duty_2, holiday)), 1)
        self.assertTrue(
            holiday.activity_ids.filtered(lambda a: a.user_id == self.user_duty_2)
        )
        # Answered already: the service desk keeps it.
        self.assertEqual(answered.user_id, self.user_service)
        self.assertFalse(answered.on_duty_assigned)
        for director in directors:
            self.assertEqual(len(self._messages_to(director, holiday)), 1)
            self.assertEqual(len(self._messages_to(director, answered)), 1)
        # Friday 2026-10-09 10:00, a working day: the desk keeps it; raising it
        # again, or a ticket recorded major, alerts nobody twice.
        working = ticket(datetime(2026, 10, 9, 2, 0))
        major = ticket(datetime(2026, 10, 9, 2, 0), severity="major")
        with freeze_time("2026-10-09 03:00:00"):
            (working | major).with_user(self.user_service).write({"severity": "major"})
            working.with_user(self.user_service).write({"severity": "major"})
        self.assertEqual(working.sudo().user_id, self.user_service)
        for director in directors:
            self.assertEqual(len(self._messages_to(director, working)), 1)
            self.assertEqual(len(self._messages_to(director, major)), 1)
        self.assertFalse(self._messages_to(self.user_duty_2, working))

    def test_working_time_and_normal_tickets_stay(self):
        self._plan()
        # Friday 2026-10-09 10:00 is a working day; a normal request of 10-03 waits.
        working = self._ticket(
            user=self.user_service,
            severity="major",
            received_at=datetime(2026, 10, 9, 2, 0),
        ).sudo()
        normal = self._ticket(
            user=self.user_service,
            severity="normal",
            received_at=datetime(2026, 10, 3, 2, 0),
        ).sudo()
        self.assertEqual(working.user_id, self.user_service)
        self.assertEqual(normal.user_id, self.user_service)
        self.assertFalse(working.on_duty_assigned or normal.on_duty_assigned)
        self.assertFalse(self._messages_to(self.user_director, normal))
        # Saturday 2026-10-10 10:00 is a make-up working day: no duty needed.
        make_up = self._ticket(
            user=self.user_service,
            severity="major",
            received_at=datetime(2026, 10, 10, 2, 0),
        ).sudo()
        self.assertEqual(make_up.user_id, self.user_service)

    def test_only_the_service_manager_plans(self):
        with self.assertRaises(AccessError):
            self.env["customer.service.duty"].with_user(self.user_service).create(
                {
                    "user_id": self.user_duty_1.id,
                    "date_start": datetime(2026, 10, 1, 1, 0),
                    "date_end": datetime(2026, 10, 2, 1, 0),
                }
            )
        with self.assertRaisesRegex(ValidationError, "end after it starts"):
            self.env["customer.service.duty"].with_user(
                self.user_service_manager
            ).create(
                {
                    "user_id": self.user_duty_1.id,
                    "date_start": datetime(2026, 10, 2, 1, 0),
                    "date_end": datetime(2026, 10, 1, 1, 0),
                }
            )
        # Everyone sees who is on duty.
        duties = self._plan()
        self.assertEqual(
            self.env["customer.service.duty"]
            .with_user(self.user_service)
            .search([("id", "in", duties.ids)]),
            duties,
        )


@tagged("post_install", "-at_install")
class TestFaultReport(ServiceDeskCase):
    def test_owner_and_manager_notified(self):
        ticket = self._ticket(user=self.user_service, request_type="fault").sudo()
        self.assertEqual(len(self._messages_to(self.user_sales, ticket)), 1)
        self.assertEqual(len(self._messages_to(self.user_manager, ticket)), 1)
        # A normal fault is not a matter for the Directors.
        self.assertFalse(self._messages_to(self.user_director, ticket))

    def test_fault_analysis_sent_to_the_customer(self):
        ticket = self._ticket(
            request_type="fault", contact_id=self.contact.id, user=self.user_sales
        )
        ticket.action_contacted()
        with self.assertRaisesRegex(UserError, "Preventive Action"):
            ticket.write({"root_cause": "主板电容老化", "solution": "更换主板"})
            ticket.action_send_fault_analysis()
        ticket.write(
            {
                "root_cause": "主板电容老化",
                "solution": "更换主板",
                "corrective_action": "为客户全部同批设备更换电容",
                "preventive_action": "来料检验增加电容寿命测试",
            }
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "customer_policy.report_customer_complaint_fault", ticket.ids
            )[0]
            .decode()
        )
        for text in (
            "主板电容老化",
            "更换主板",
            "来料检验增加电容寿命测试",
            ticket.name,
        ):
            self.assertIn(text, html)
        action = ticket.action_send_fault_analysis()
        composer = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertIn(ticket.name, composer.subject)
        self.assertEqual(composer.partner_ids[:], self.contact)
        composer.save().action_send_mail()
        sent = ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.contact in m.partner_ids
        )
        self.assertEqual(len(sent), 1)
        self.assertEqual(len(sent.attachment_ids), 1)
        self.assertIn(ticket.name, sent.attachment_ids.name)

    def test_only_fault_reports(self):
        ticket = self._ticket()
        with self.assertRaisesRegex(UserError, "not a fault report"):
            ticket.action_send_fault_analysis()


@tagged("post_install", "-at_install")
class TestRepeatContacts(ComplaintCase):
    def test_same_subject_while_open(self):
        first = self._ticket(subject="打印机卡纸")
        again = self._ticket(
            subject="回复：打印机 卡纸", received_at=datetime(2026, 1, 27, 2, 0)
        )
        other = self._ticket(
            subject="发票抬头错误", received_at=datetime(2026, 1, 27, 3, 0)
        )
        self.assertEqual(again.repeat_of_id, first)
        self.assertTrue(again.is_repeat)
        self.assertEqual(first.repeat_count, 1)
        self.assertFalse(other.repeat_of_id)
        self.assertTrue(
            first.message_ids.filtered(lambda m: again.name in (m.body or ""))
        )
        # Another customer's same subject is not a repeat.
        stranger = self._customer("另一家投诉客户有限公司")
        self.assertFalse(
            self._ticket(
                partner_id=stranger.id,
                subject="打印机卡纸",
                received_at=datetime(2026, 1, 27, 4, 0),
            ).repeat_of_id
        )

    def _closed(self, subject, closed):
        ticket = self._ticket(subject=subject)
        ticket.action_contacted()
        ticket.write({"root_cause": "卡纸", "solution": "清理"})
        ticket.action_resolve()
        ticket.write({"satisfaction": "4"})
        with freeze_time(closed):
            ticket.action_close()
        return ticket

    def test_window_after_closing(self):
        recent = self._closed("门禁失灵", "2026-02-20 02:00:00")
        self._closed("空调漏水", "2026-02-01 02:00:00")
        # 2026-03-01: 9 days after the first closing, 28 after the second (14).
        late = self._ticket(subject="门禁失灵", received_at=datetime(2026, 3, 1, 2, 0))
        later = self._ticket(subject="空调漏水", received_at=datetime(2026, 3, 1, 3, 0))
        self.assertEqual(late.repeat_of_id, recent)
        self.assertFalse(later.repeat_of_id)

    def test_link_only_within_the_customer(self):
        first = self._ticket(subject="打印机卡纸")
        stranger = self._customer("另一家投诉客户有限公司")
        with self.assertRaisesRegex(ValidationError, "same customer"):
            self._ticket(
                partner_id=stranger.id,
                repeat_of_id=first.id,
                received_at=datetime(2026, 1, 27, 2, 0),
            )


@tagged("post_install", "-at_install")
class TestCompensation(ComplaintCase):
    def _investigated(self):
        ticket = self._ticket(user=self.user_sales)
        ticket.action_contacted()
        ticket.write({"root_cause": "送货延误", "solution": "补发并赔偿运费"})
        return ticket

    def test_approval_before_resolving(self):
        ticket = self._investigated()
        with self.assertRaisesRegex(ValidationError, "say what the compensation is"):
            ticket.write({"compensation_amount": 500})
        ticket.write({"compensation_type": "refund", "compensation_amount": 500})
        self.assertEqual(ticket.compensation_state, "to_approve")
        with self.assertRaisesRegex(UserError, "must be approved"):
            ticket.action_resolve()
        self.assertEqual(ticket.state, "contacted")
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_sales).action_approve_compensation()
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_sales).write(
                {"compensation_approved_by_id": self.user_sales.id}
            )
        ticket.action_request_compensation_approval()
        self.assertTrue(
            ticket.activity_ids.filtered(lambda a: a.user_id == self.user_manager)
        )
        ticket.with_user(self.user_manager).action_approve_compensation()
        self.assertEqual(ticket.compensation_state, "approved")
        self.assertEqual(ticket.compensation_approved_by_id, self.user_manager)
        # A larger amount needs a new approval.
        ticket.with_user(self.user_sales).compensation_amount = 800
        self.assertEqual(ticket.compensation_state, "to_approve")
        ticket.with_user(self.user_director).action_approve_compensation()
        ticket.with_user(self.user_sales).action_resolve()
        self.assertEqual(ticket.state, "resolved")

    def test_service_without_amount_needs_no_approval(self):
        ticket = self._investigated()
        ticket.write({"compensation_type": "service"})
        self.assertEqual(ticket.compensation_state, "none")
        ticket.action_resolve()
        self.assertEqual(ticket.state, "resolved")
        with self.assertRaisesRegex(ValidationError, "negative"):
            ticket.compensation_amount = -1
