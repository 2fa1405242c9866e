import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

# Friday 2026-11-27 10:00 in Shanghai: the weekly report covers Friday 11-20 to
# Thursday 11-26, i.e. [2026-11-19 16:00, 2026-11-26 16:00) in UTC.
REPORT_FRIDAY = "2026-11-27 02:00:00"
WEEK_START = datetime(2026, 11, 19, 16, 0)
WEEK_STOP = datetime(2026, 11, 26, 16, 0)


def shanghai(day, hour, minute=0):
    """A moment of November 2026 in Shanghai, as naive UTC."""
    return datetime(2026, 11, day, hour - 8, minute)


@tagged("post_install", "-at_install")
class TestServiceReports(ComplaintCase):
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
        cls.cause_a, cls.cause_b = cls.env["customer.complaint.root.cause"].create(
            [{"name": "质量问题测试"}, {"name": "物流问题测试"}]
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Other Department"})
        cls.other_customer = cls._customer(
            "另一部门客户有限公司", team_id=cls.other_team.id
        )
        cls.Report = cls.env["customer.service.report"]

    def _work(self, ticket, responded=None, resolved=None, cause=None, closed=None):
        if responded:
            with freeze_time(responded):
                ticket.action_contacted()
        if resolved:
            ticket.write(
                {
                    "root_cause": "原因",
                    "root_cause_category_id": cause.id,
                    "solution": "方案",
                }
            )
            with freeze_time(resolved):
                ticket.action_resolve()
        if closed:
            ticket.satisfaction = "4"
            with freeze_time(closed):
                ticket.action_close()
        return ticket

    def _week(self):
        """The tickets of the week, as described in each line; the department's
        figures are counted by hand in the tests."""
        with freeze_time(REPORT_FRIDAY):
            # Answered in an hour, resolved Tuesday, closed Wednesday 11:00.
            t1 = self._work(
                self._ticket(subject="设备异响", received_at=shanghai(23, 10)),
                responded=shanghai(23, 11),
                resolved=shanghai(24, 10),
                cause=self.cause_a,
                closed=shanghai(25, 11),
            )
            # Monday 09:00, never answered: 24 working hours ended Thursday 09:00.
            t2 = self._ticket(received_at=shanghai(23, 9), subject="发票错误")
            # The customer calls again Wednesday 14:00 on t1's subject (closed
            # three hours earlier): a repeat contact, major, solved Thursday.
            t3 = self._work(
                self._ticket(
                    subject="设备异响", severity="major", received_at=shanghai(25, 14)
                ),
                responded=shanghai(25, 14, 30),
                resolved=shanghai(26, 10),
                cause=self.cause_a,
            )
            t4 = self._work(
                self._ticket(subject="安装预约", received_at=shanghai(26, 10)),
                responded=shanghai(26, 11),
                resolved=shanghai(26, 15),
                cause=self.cause_b,
            )
            # Received the week before, resolved Monday: after its 3 working days.
            t5 = self._work(
                self._ticket(
                    subject="停机", severity="major", received_at=shanghai(17, 10)
                ),
                responded=shanghai(17, 11),
                resolved=shanghai(23, 10),
                cause=self.cause_b,
            )
            t6 = self._ticket(subject="误录", received_at=shanghai(24, 9))
            t6.action_cancel()
            # Another department's request, Thursday 16:00: not due yet.
            t7 = self._ticket(
                partner_id=self.other_customer.id,
                subject="咨询",
                received_at=shanghai(26, 16),
            )
        return t1, t2, t3, t4, t5, t6, t7

    def _workbook(self, report):
        return openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(report.attachment_id.datas))
        )

    def _summary(self, book):
        sheet = book["Overview"]
        return {
            sheet.cell(row, 1).value: sheet.cell(row, 2).value
            for row in range(5, sheet.max_row + 1)
        }

    def _reports(self, kind, user):
        return self.Report.search([("kind", "=", kind), ("user_id", "=", user.id)])

    def test_weekly_report_once_with_the_figures(self):
        t1, t2, t3, *_rest = self._week()
        self.assertEqual(t3.repeat_of_id, t1)
        with freeze_time(REPORT_FRIDAY):
            self.Report._cron_send_service_reports()
            self.Report._cron_send_service_reports()
        with freeze_time("2026-11-28 02:00:00"):
            self.Report._cron_send_service_reports()
        report = self._reports("weekly", self.user_manager)
        self.assertEqual(len(report), 1, "once per period and recipient")
        self.assertEqual(
            (report.date_from, report.date_to), (date(2026, 11, 20), date(2026, 11, 26))
        )
        self.assertEqual(report.team_ids, self.team)
        # The department (t1..t6): received t1-t4 (t5 before, t6 cancelled);
        # resolved t1, t3, t4, t5; t2 answered late (and overdue now); t5 resolved
        # late; t1 rated 4; t3 a repeat contact.
        self.assertEqual(
            (
                report.received_count,
                report.resolved_count,
                report.response_on_time_rate,
                report.resolution_on_time_rate,
                report.overdue_count,
                report.satisfaction_avg,
                report.repeat_count,
            ),
            (4, 4, 75.0, 75.0, 1, 4.0, 1),
        )
        book = self._workbook(report)
        summary = self._summary(book)
        self.assertEqual(summary["Tickets received"], 4)
        self.assertEqual(summary["Tickets resolved"], 4)
        self.assertEqual(summary["Response on time"], "75.0%")
        self.assertEqual(summary["Overdue now"], 1)
        self.assertEqual(summary["Repeat contacts"], 1)
        self.assertEqual(book["Overdue"].cell(2, 1).value, t2.name)
        self.assertEqual(book["Tickets"].max_row - 1, 4)
        causes = {
            book["Root Causes"].cell(row, 1).value: book["Root Causes"]
            .cell(row, 2)
            .value
            for row in range(2, book["Root Causes"].max_row + 1)
        }
        self.assertEqual(causes, {"质量问题测试": 2, "物流问题测试": 2})
        # Mailed to the manager with the workbook.
        message = report.message_ids.filtered(
            lambda m: self.user_manager.partner_id in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.attachment_ids, report.attachment_id)

    def test_company_report_equals_the_database(self):
        self._week()
        with freeze_time(REPORT_FRIDAY):
            self.Report._cron_send_service_reports()
        report = self._reports("weekly", self.user_service_manager)
        self.assertEqual(len(report), 1)
        self.assertFalse(report.team_ids)
        Ticket = self.env["customer.complaint"]
        company = [("company_id", "=", self.company.id), ("state", "!=", "cancelled")]
        received = Ticket.search_count(
            company
            + [("received_at", ">=", WEEK_START), ("received_at", "<", WEEK_STOP)]
        )
        resolved = Ticket.search_count(
            company
            + [("resolved_at", ">=", WEEK_START), ("resolved_at", "<", WEEK_STOP)]
        )
        book = self._workbook(report)
        summary = self._summary(book)
        self.assertEqual(summary["Tickets received"], received)
        self.assertEqual(book["Tickets"].max_row - 1, received)
        self.assertEqual(summary["Tickets resolved"], resolved)
        self.assertEqual(
            sum(
                book["Root Causes"].cell(row, 2).value
                for row in range(2, book["Root Causes"].max_row + 1)
            ),
            resolved,
        )
        # The other department's t7 is in the company's report only.
        self.assertEqual(received, report.received_count)
        self.assertEqual(
            received - 1, self._reports("weekly", self.user_manager).received_count
        )

    def test_monthly_report_on_the_first_working_day(self):
        self._week()
        with freeze_time("2026-12-01 02:00:00"):
            self.Report._cron_send_service_reports()
            self.Report._cron_send_service_reports()
        november = self._reports("monthly", self.user_director).filtered(
            lambda r: r.date_from == date(2026, 11, 1)
        )
        self.assertEqual(len(november), 1)
        self.assertEqual(november.date_to, date(2026, 11, 30))
        start, stop = datetime(2026, 10, 31, 16, 0), datetime(2026, 11, 30, 16, 0)
        received = self.env["customer.complaint"].search_count(
            [
                ("company_id", "=", self.company.id),
                ("state", "!=", "cancelled"),
                ("received_at", ">=", start),
                ("received_at", "<", stop),
            ]
        )
        # The week's six tickets of November that were not cancelled, at least.
        self.assertGreaterEqual(received, 6)
        summary = self._summary(self._workbook(november))
        self.assertEqual(summary["Tickets received"], received)
        self.assertEqual(november.received_count, received)

    def test_monthly_report_waits_for_the_holiday_to_end(self):
        # October 2026 starts with 国庆节: its first working day is Thursday 10-08.
        with freeze_time("2026-10-05 02:00:00"):
            self.Report._cron_send_service_reports()
        self.assertFalse(
            self._reports("monthly", self.user_director).filtered(
                lambda r: r.date_from == date(2026, 9, 1)
            )
        )
        with freeze_time("2026-10-08 02:00:00"):
            self.Report._cron_send_service_reports()
        self.assertEqual(
            len(
                self._reports("monthly", self.user_director).filtered(
                    lambda r: r.date_from == date(2026, 9, 1)
                )
            ),
            1,
        )

    def test_second_worker_cannot_send_twice(self):
        vals = {
            "kind": "weekly",
            "date_from": date(2026, 11, 20),
            "date_to": date(2026, 11, 26),
            "user_id": self.user_manager.id,
            "company_id": self.company.id,
        }
        self.assertTrue(self.Report._customer_policy_claim(vals))
        self.assertIsNone(self.Report._customer_policy_claim(vals))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Report.create(vals)
            self.Report.flush_model()

    def test_recipient_reads_only_their_reports(self):
        self._week()
        with freeze_time(REPORT_FRIDAY):
            self.Report._cron_send_service_reports()
        mine = self.Report.with_user(self.user_manager).search([])
        self.assertEqual(mine.user_id, self.user_manager)
        self.assertTrue(
            self.Report.with_user(self.user_director).search_count([]) > len(mine)
        )
