from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CustomerPolicyCase
from .test_ledger import InstallmentCronCase


@tagged("post_install", "-at_install")
class TestChinaHolidays(CustomerPolicyCase):
    """China's 2026 arrangement (State Council notice): 国庆节 and 中秋节 off from
    Friday 09-25 to Sunday 09-27 and Thursday 10-01 to Wednesday 10-07; Sunday 09-20
    and Saturday 10-10 are make-up working days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._working_calendar("Shanghai office")
        cls.company.write(
            {"resource_calendar_id": cls.calendar.id, "customer_registration_days": 5}
        )
        cls.Leave = cls.env["resource.calendar.leaves"]

    def _customer(self, name, first_contact):
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "first_contact_date": first_contact}
        )

    def test_registration_deadline_with_holidays_and_make_up_days(self):
        before = self._customer("国庆前联系的客户", date(2026, 10, 8))
        # Without the arrangement: Fri 9, Mon 12, Tue 13, Wed 14, Thu 15.
        self.assertEqual(before.registration_deadline, date(2026, 10, 15))
        result = self.calendar.import_china_holidays(2026)
        self.assertTrue(result["leave_ids"])
        self.assertTrue(result["attendance_ids"])
        # Thursday 10-08 + 5 working days: Fri 9, Sat 10 (调休), Mon 12, Tue 13,
        # Wed 14. The draft entered before the import follows the calendar.
        self.assertEqual(before.registration_deadline, date(2026, 10, 14))
        after = self._customer("国庆后联系的客户", date(2026, 10, 8))
        self.assertEqual(after.registration_deadline, date(2026, 10, 14))
        # Thursday 09-24 + 5: (Fri 25 中秋节), Mon 28, Tue 29, Wed 30,
        # (10-01..07 国庆节) Thu 8, Fri 9.
        september = self._customer("中秋前联系的客户", date(2026, 9, 24))
        self.assertEqual(september.registration_deadline, date(2026, 10, 9))

    def test_leaves_and_make_up_days_written(self):
        result = self.calendar.import_china_holidays(2026)
        leaves = self.Leave.browse(result["leave_ids"])
        national = leaves.filtered(lambda leave: leave.name == "国庆节")
        # Thursday 10-01 00:00 to Wednesday 10-07 23:59:59 in Shanghai (UTC+8).
        self.assertEqual(
            (national.date_from, national.date_to),
            (datetime(2026, 9, 30, 16, 0), datetime(2026, 10, 7, 15, 59, 59)),
        )
        self.assertEqual(national.calendar_id, self.calendar)
        # 元旦 3, 春节 9, 清明节 3, 劳动节 5, 端午节 3, 中秋节 3, 国庆节 7 days.
        self.assertEqual(
            sorted(leaves.mapped("name")),
            sorted(["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]),
        )
        self.assertEqual(result["holidays"], 3 + 9 + 3 + 5 + 3 + 3 + 7)
        # Six make-up days (Sun 01-04, Sat 02-14, Sat 02-28, Sat 05-09, Sun 09-20,
        # Sat 10-10), each with the usual two periods of the calendar.
        self.assertEqual(result["workdays"], 6)
        saturday = self.env["resource.calendar.attendance"].search(
            [("calendar_id", "=", self.calendar.id), ("date_from", "=", "2026-10-10")]
        )
        self.assertEqual(
            sorted((a.dayofweek, a.date_to, a.hour_from, a.hour_to) for a in saturday),
            [
                ("5", date(2026, 10, 10), 8.0, 12.0),
                ("5", date(2026, 10, 10), 13.0, 17.0),
            ],
        )
        # The weekly hours are unchanged: a make-up day is for its date only.
        self.assertEqual(self.calendar.hours_per_day, 8.0)
        self.assertEqual(
            self.calendar._customer_policy_plan_days([date(2026, 10, 16)], 1),
            [date(2026, 10, 19)],
            "Saturday 10-17 is not a working day",
        )
        self.assertEqual(self.calendar.china_holidays_year, 2026)
        self.assertIn("2026", result["message"])

    def test_import_twice_adds_nothing(self):
        self.calendar.import_china_holidays(2026)
        leaves = self.Leave.search_count([("calendar_id", "=", self.calendar.id)])
        attendances = len(self.calendar.attendance_ids)
        again = self.calendar.import_china_holidays(2026)
        self.assertEqual((again["leave_ids"], again["attendance_ids"]), ([], []))
        self.assertEqual((again["holidays"], again["workdays"]), (0, 0))
        self.assertIn("nothing added", again["message"])
        self.assertEqual(
            self.Leave.search_count([("calendar_id", "=", self.calendar.id)]), leaves
        )
        self.assertEqual(len(self.calendar.attendance_ids), attendances)

    def test_days_entered_by_hand_are_kept(self):
        # The company entered 10-01 to 10-03 itself, as a global leave: only the
        # rest of the holiday is added.
        self.Leave.create(
            {
                "name": "国庆（手工）",
                "calendar_id": False,
                "date_from": datetime(2026, 9, 30, 16, 0),
                "date_to": datetime(2026, 10, 3, 15, 59, 59),
            }
        )
        result = self.calendar.import_china_holidays(2026)
        national = self.Leave.browse(result["leave_ids"]).filtered(
            lambda leave: leave.name == "国庆节"
        )
        self.assertEqual(
            (national.date_from, national.date_to),
            (datetime(2026, 10, 3, 16, 0), datetime(2026, 10, 7, 15, 59, 59)),
        )

    def test_only_administrators_import(self):
        with self.assertRaises(AccessError):
            self.calendar.with_user(self.user_director).import_china_holidays(2026)
        self.assertFalse(
            self.Leave.search(
                [("calendar_id", "=", self.calendar.id), ("name", "=", "国庆节")]
            )
        )

    def test_unknown_year_is_refused(self):
        with self.assertRaisesRegex(UserError, "2027.*not known yet"):
            self.calendar.import_china_holidays(2027)
        self.assertFalse(
            self.Leave.search(
                [("calendar_id", "=", self.calendar.id), ("name", "=", "国庆节")]
            )
        )

    def test_complaint_contact_deadline_honours_both(self):
        self.calendar.import_china_holidays(2026)
        customer = self._customer("投诉客户", date(2026, 9, 1))
        tickets = self.env["customer.complaint"].create(
            [
                {
                    "partner_id": customer.id,
                    # Wednesday 09-30 10:00 Shanghai: 1 working day after is
                    # Thursday 10-08 (10-01..07 off).
                    "received_at": datetime(2026, 9, 30, 2, 0),
                },
                {
                    "partner_id": customer.id,
                    # Friday 10-09 10:00: the next working day is Saturday 10-10.
                    "received_at": datetime(2026, 10, 9, 2, 0),
                },
            ]
        )
        self.assertEqual(
            tickets.mapped("contact_deadline"),
            [datetime(2026, 10, 8, 2, 0), datetime(2026, 10, 10, 2, 0)],
        )

    def test_settings_button(self):
        settings = Form(self.env["res.config.settings"].with_user(self.user_admin))
        settings.china_holidays_year = 2026
        record = settings.save()
        action = record.action_import_china_holidays()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("2026", action["params"]["message"])
        self.assertTrue(
            self.Leave.search(
                [("calendar_id", "=", self.calendar.id), ("name", "=", "春节")]
            )
        )
        record.china_holidays_year = 2027
        with self.assertRaisesRegex(UserError, "2027"):
            record.action_import_china_holidays()


@tagged("post_install", "-at_install")
class TestChinaHolidaysCron(CustomerPolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._working_calendar("Shanghai office")
        cls.company.resource_calendar_id = cls.calendar
        cls.Calendar = cls.env["resource.calendar"]

    def _warnings(self):
        return self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.user_director.partner_id.ids),
                ("subject", "ilike", "2027"),
            ]
        )

    @freeze_time("2026-01-05 02:00:00")
    def test_january_imports_the_current_year(self):
        self.Calendar._cron_import_china_holidays()
        self.assertEqual(self.calendar.china_holidays_year, 2026)
        self.assertTrue(
            self.env["resource.calendar.leaves"].search(
                [("calendar_id", "=", self.calendar.id), ("name", "=", "国庆节")]
            )
        )

    @freeze_time("2026-06-01 02:00:00")
    def test_nothing_outside_december_and_january(self):
        self.Calendar._cron_import_china_holidays()
        self.assertEqual(self.calendar.china_holidays_year, 0)

    @freeze_time("2026-12-01 02:00:00")
    def test_unknown_next_year_tells_the_directors_once(self):
        self.Calendar._cron_import_china_holidays()
        warnings = self._warnings()
        self.assertEqual(len(warnings), 1)
        self.assertIn("chinesecalendar", warnings.body)
        self.assertEqual(self.calendar.china_holidays_warned_year, 2027)
        self.assertEqual(self.calendar.china_holidays_year, 0)
        with freeze_time("2026-12-02 02:00:00"):
            self.Calendar._cron_import_china_holidays()
        with freeze_time("2027-01-04 02:00:00"):
            self.Calendar._cron_import_china_holidays()
        self.assertEqual(len(self._warnings()), 1, "told once")


@tagged("post_install", "-at_install")
class TestCollectionOnHolidays(InstallmentCronCase):
    @freeze_time("2026-10-02")
    def test_collection_due_when_the_office_reopens(self):
        calendar = self._working_calendar("Shanghai office")
        calendar.import_china_holidays(2026)
        self.company.resource_calendar_id = calendar
        agreement = self._activate(self._agreement(parts=(("2026-09-01", 500.0),)))
        self.env["customer.agreement.installment"]._cron_installment_daily()
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.agreement.installment"),
                ("res_id", "=", agreement.installment_ids.id),
            ]
        )
        # 31 days overdue: the owner and the manager; 10-02 is 国庆节, the office
        # reopens Thursday 10-08.
        self.assertEqual(activities.user_id, self.user_sales | self.user_manager)
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2026, 10, 8)})
