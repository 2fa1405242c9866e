from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta

import pytz

from odoo import models
from odoo.exceptions import UserError

# How far ahead a deadline may fall before the calendar is deemed empty: a year of
# leaves in a row is not a working calendar.
_MAX_SPAN_DAYS = 800


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _customer_policy_work_intervals(self, start, stop):
        """Working intervals of this calendar between two aware datetimes.

        Attendances minus the calendar's and the global leaves (public holidays),
        in the calendar's time zone, as a sorted list of (start, stop) pairs.
        """
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        intervals = self._work_intervals_batch(start, stop, tz=tz)[False]
        return [(begin, end) for begin, end, _meta in intervals]

    def _customer_policy_plan_hours(self, starts, hours):
        """Add working hours to many start moments at once.

        :param starts: naive UTC datetimes, as Odoo stores them
        :param hours: a number of working hours, or one number per start
        :return: naive UTC datetimes, one per start: the moment the working hours
            are used up. A start outside working time (night, weekend, holiday)
            begins at the next working hour.

        The calendar is read once for the whole batch, not once per start.
        """
        self.ensure_one()
        if not starts:
            return []
        hours_list = (
            list(hours) if isinstance(hours, list | tuple) else [hours] * len(starts)
        )
        aware = [pytz.utc.localize(start) for start in starts]
        results = [None] * len(starts)
        todo = list(range(len(starts)))
        per_day = self.hours_per_day or 8.0
        # Enough calendar for the longest deadline of the batch, with room for
        # weekends and holidays; widened below when leaves eat it up.
        span = timedelta(days=14 + int(max(hours_list) / per_day * 2))
        window_start = min(aware)
        window_stop = max(aware) + span
        while todo:
            intervals = self._customer_policy_work_intervals(window_start, window_stop)
            stops = [end for _begin, end in intervals]
            still = []
            for index in todo:
                moment = self._customer_policy_consume(
                    intervals, stops, aware[index], hours_list[index]
                )
                if moment is None:
                    still.append(index)
                else:
                    results[index] = moment.astimezone(pytz.utc).replace(tzinfo=None)
            todo = still
            if todo:
                if window_stop - window_start > timedelta(days=_MAX_SPAN_DAYS):
                    raise UserError(
                        self.env._(
                            "The working calendar %(calendar)s has no working time "
                            "left to count the deadline on.",
                            calendar=self.display_name,
                        )
                    )
                window_stop += (window_stop - window_start) * 2
        return results

    @staticmethod
    def _customer_policy_consume(intervals, stops, start, hours):
        """The moment `hours` of the intervals after `start` are used, or None."""
        if hours <= 0:
            return start
        remaining = timedelta(hours=hours)
        index = bisect_right(stops, start)
        for begin, end in intervals[index:]:
            begin = max(begin, start)
            available = end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        return None

    def _customer_policy_plan_days(self, dates, days):
        """The `days`-th working day after each date, for many dates at once.

        A working day is a day with working time left once leaves (public
        holidays) are deducted, in the calendar's time zone. With 5 days, a first
        contact on a Friday gives the Friday after, or later when holidays fall
        in between.

        :param dates: dates (``datetime.date``)
        :param days: a number of working days, or one number per date
        :return: dates, one per given date
        """
        self.ensure_one()
        if not dates:
            return []
        days_list = (
            list(days) if isinstance(days, list | tuple) else [days] * len(dates)
        )
        tz = pytz.timezone(self.tz or "UTC")
        first = min(dates)
        span = timedelta(days=14 + max(days_list) * 2)
        window_stop = max(dates) + span
        while True:
            start = tz.localize(datetime.combine(first + timedelta(days=1), time.min))
            stop = tz.localize(datetime.combine(window_stop, time.max))
            working_days = sorted(
                {
                    begin.date()
                    for begin, _end in self._customer_policy_work_intervals(start, stop)
                }
            )
            results = []
            for date, count in zip(dates, days_list, strict=True):
                if count <= 0:
                    results.append(date)
                    continue
                position = (
                    bisect_left(working_days, date + timedelta(days=1)) + count - 1
                )
                if position >= len(working_days):
                    break
                results.append(working_days[position])
            else:
                return results
            if (window_stop - first).days > _MAX_SPAN_DAYS:
                raise UserError(
                    self.env._(
                        "The working calendar %(calendar)s has no working days left "
                        "to count the deadline on.",
                        calendar=self.display_name,
                    )
                )
            window_stop += (window_stop - first) * 2

    def _customer_policy_next_working_day(self, day):
        """``day`` when it is a working day of the calendar, else the next one (a
        holiday's to-do is due when the office reopens). ``day`` itself without a
        calendar, or when the calendar has no working day at all."""
        if not self:
            return day
        self.ensure_one()
        try:
            return self._customer_policy_plan_days([day - timedelta(days=1)], 1)[0]
        except UserError:
            return day
