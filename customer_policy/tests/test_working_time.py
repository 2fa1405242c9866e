from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CustomerPolicyCase


@tagged("post_install", "-at_install")
class TestWorkingTime(CustomerPolicyCase):
    """Deadlines count on the company's working calendar, in its time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._working_calendar("Shanghai office")

    def test_working_days_skip_weekend_and_holiday(self):
        # Friday 2026-01-09 + 5 working days: Mon 12, (Tue 13 holiday), Wed 14,
        # Thu 15, Fri 16, Mon 19.
        self.assertEqual(
            self.calendar._customer_policy_plan_days([date(2026, 1, 9)], 5),
            [date(2026, 1, 19)],
        )
        self.assertEqual(
            self.calendar._customer_policy_plan_days(
                [date(2026, 1, 12), date(2026, 1, 10), date(2026, 1, 14)], [1, 1, 0]
            ),
            [date(2026, 1, 14), date(2026, 1, 12), date(2026, 1, 14)],
        )

    def test_working_hours_with_lunch_break(self):
        starts = [
            # Friday 16:00 in Shanghai: 24 working hours end Wednesday 16:00.
            datetime(2026, 1, 23, 8, 0),
            # Monday 11:30: 2 working hours end at 14:30 (lunch 12:00-13:00).
            datetime(2026, 1, 26, 3, 30),
            # Received on the holiday (Tuesday 10:00): the clock starts Wednesday 08:00.
            datetime(2026, 1, 13, 2, 0),
            # Saturday night: Monday 08:00 + 1 hour.
            datetime(2026, 1, 24, 14, 0),
        ]
        self.assertEqual(
            self.calendar._customer_policy_plan_hours(starts, [24, 2, 2, 1]),
            [
                datetime(2026, 1, 28, 8, 0),
                datetime(2026, 1, 26, 6, 30),
                datetime(2026, 1, 14, 2, 0),
                datetime(2026, 1, 26, 1, 0),
            ],
        )

    def test_long_deadline(self):
        # 200 working hours = 25 working days of 8 hours: five full weeks.
        result = self.calendar._customer_policy_plan_hours(
            [datetime(2026, 3, 2, 0, 0)], 200
        )
        self.assertEqual(result, [datetime(2026, 4, 3, 9, 0)])

    def test_long_closure_widens_the_window(self):
        # Closed June to August: a request of Saturday 30 May is handled from
        # Tuesday 1 September, 08:00 in Shanghai.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Summer closure",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 5, 31, 16, 0),
                "date_to": datetime(2026, 8, 31, 15, 59, 59),
            }
        )
        self.assertEqual(
            self.calendar._customer_policy_plan_hours([datetime(2026, 5, 30, 2, 0)], 8),
            [datetime(2026, 9, 1, 9, 0)],
        )
        self.assertEqual(
            self.calendar._customer_policy_plan_days([date(2026, 5, 29)], 1),
            [date(2026, 9, 1)],
        )

    def test_calendar_without_working_time(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Never open", "tz": "Asia/Shanghai", "attendance_ids": [(5, 0, 0)]}
        )
        with self.assertRaisesRegex(UserError, "no working time left"):
            empty._customer_policy_plan_hours([datetime(2026, 1, 5, 0, 0)], 1)
        with self.assertRaisesRegex(UserError, "no working days left"):
            empty._customer_policy_plan_days([date(2026, 1, 5)], 1)

    def test_queries_do_not_grow_with_the_batch(self):
        def count(size):
            starts = [datetime(2026, 2, 2, hour % 10, 0) for hour in range(size)]
            dates = [date(2026, 2, 2 + day % 5) for day in range(size)]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.calendar._customer_policy_plan_hours(starts, 24)
            self.calendar._customer_policy_plan_days(dates, 5)
            return self.env.cr.sql_log_count - before

        self.assertEqual(count(5), count(500))
