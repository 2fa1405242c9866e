from collections import Counter
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import china_holidays


class ResourceCalendar(models.Model):
    """China's working calendar (法定节假日与调休) on a resource calendar:
    statutory holidays as leaves, make-up working days as working time of that
    date only, imported from the State Council's arrangement."""

    _inherit = "resource.calendar"  # pylint: disable=consider-merging-classes-inherited

    china_holidays_year = fields.Integer(
        string="China's Holidays Imported Up To",
        readonly=True,
        copy=False,
        help="The latest year whose statutory holidays and make-up working days "
        "were imported into this calendar.",
    )
    # The year the Directors were told the library does not know yet: once.
    china_holidays_warned_year = fields.Integer(readonly=True, copy=False)

    # === BUSINESS METHODS === #

    def import_china_holidays(self, year):
        """Import China's statutory holidays and make-up working days of ``year``.

        Holidays become leaves of the calendar named after the festival (国庆节),
        one per run of days off; each make-up working day (调休) becomes working
        time of that date only, with the calendar's usual hours for a weekday.
        A day already off (any leave of the calendar or a global one covering it)
        or already worked is left as it is, so running it again adds nothing.

        :param int year: e.g. 2026
        :return: what was added: ``{"year", "leave_ids", "attendance_ids",
            "holidays" (days off added), "workdays" (make-up days added),
            "message"}``
        :raises UserError: when the installed ``chinesecalendar`` library does not
            know the year yet
        """
        # Working time is the administrators' (Odoo lets every employee write
        # time off, not attendances): refuse before writing anything.
        self.check_access("write")
        year = int(year)
        try:
            holidays, workdays = china_holidays.arrangement(year)
        except china_holidays.UnknownYear:
            raise UserError(self._customer_policy_unknown_year_message(year)) from None
        leaves = self.env["resource.calendar.leaves"]
        attendances = self.env["resource.calendar.attendance"]
        days_off = days_on = 0
        for calendar in self:
            new_leaves, count = calendar._customer_policy_add_holidays(holidays)
            new_attendances, dates = calendar._customer_policy_add_workdays(workdays)
            leaves |= new_leaves
            attendances |= new_attendances
            days_off += count
            days_on += dates
            calendar.china_holidays_year = max(calendar.china_holidays_year, year)
        if leaves or attendances:
            companies = (
                self.env["res.company"]
                .sudo()
                .search([("resource_calendar_id", "in", self.ids)])
            )
            # Drafts' registration deadlines count on this calendar.
            companies._customer_policy_recompute_partners(["registration_deadline"])
        return {
            "year": year,
            "leave_ids": leaves.ids,
            "attendance_ids": attendances.ids,
            "holidays": days_off,
            "workdays": days_on,
            "message": self._customer_policy_import_message(year, days_off, days_on),
        }

    def _customer_policy_import_message(self, year, days_off, days_on):
        if not (days_off or days_on):
            return self.env._(
                "China's %(year)s holidays and make-up working days are already in "
                "%(calendars)s: nothing added.",
                year=year,
                calendars=", ".join(self.mapped("name")),
            )
        return self.env._(
            "%(calendars)s: %(off)s holiday days and %(on)s make-up working days of "
            "%(year)s added.",
            calendars=", ".join(self.mapped("name")),
            off=days_off,
            on=days_on,
            year=year,
        )

    @api.model
    def _customer_policy_unknown_year_message(self, year):
        known = china_holidays.known_years()
        span = "%s-%s" % (known.start, known.stop - 1) if known else "-"
        return self.env._(
            "China's holiday arrangement for %(year)s is not known yet: the "
            "installed chinesecalendar library knows %(known)s. Upgrade it once the "
            "State Council has published the arrangement (pip install -U "
            "chinesecalendar), or enter the holidays by hand.",
            year=year,
            known=span,
        )

    def _customer_policy_day_bounds(self, day):
        """First and last second of ``day`` in the calendar's time zone, as naive
        UTC datetimes (how leaves are stored)."""
        tz = pytz.timezone(self.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min))
        stop = tz.localize(datetime.combine(day, time(23, 59, 59)))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            stop.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _customer_policy_add_holidays(self, holidays):
        """Leaves for the days of ``holidays`` no leave covers yet.

        :return: (the leaves created, the number of days they cover)
        """
        self.ensure_one()
        if not holidays:
            return self.env["resource.calendar.leaves"], 0
        first = self._customer_policy_day_bounds(holidays[0][0])[0]
        last = self._customer_policy_day_bounds(holidays[-1][1])[1]
        existing = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "in", [False, self.id]),
                    ("resource_id", "=", False),
                    ("time_type", "=", "leave"),
                    ("date_from", "<=", last),
                    ("date_to", ">=", first),
                ]
            )
        )
        covered = [(leave.date_from, leave.date_to) for leave in existing]
        vals_list = []
        days = 0
        for start, stop, name in holidays:
            run = []
            day = start
            while day <= stop:
                begin, end = self._customer_policy_day_bounds(day)
                if not any(low <= begin and end <= high for low, high in covered):
                    if run and run[-1][1] == day - timedelta(days=1):
                        run[-1][1] = day
                    else:
                        run.append([day, day])
                day += timedelta(days=1)
            for run_start, run_stop in run:
                days += (run_stop - run_start).days + 1
                vals_list.append(
                    {
                        "name": name,
                        "calendar_id": self.id,
                        "date_from": self._customer_policy_day_bounds(run_start)[0],
                        "date_to": self._customer_policy_day_bounds(run_stop)[1],
                        "time_type": "leave",
                    }
                )
        return self.env["resource.calendar.leaves"].create(vals_list), days

    def _customer_policy_add_workdays(self, workdays):
        """Working time on each make-up day of ``workdays`` not worked yet.

        :return: (the attendances created, the number of days they cover)
        """
        self.ensure_one()
        Attendance = self.env["resource.calendar.attendance"]
        vals_list = []
        days = 0
        for day, name in workdays:
            if self._customer_policy_works_on(day):
                continue
            template = self._customer_policy_usual_weekday(day)
            if not template:
                continue
            days += 1
            vals_list += [
                {
                    "name": self.env._(
                        "%(festival)s make-up working day", festival=name
                    ),
                    "calendar_id": self.id,
                    "dayofweek": str(day.weekday()),
                    "date_from": day,
                    "date_to": day,
                    "hour_from": attendance.hour_from,
                    "hour_to": attendance.hour_to,
                    "day_period": attendance.day_period,
                    "week_type": attendance.week_type,
                    "sequence": attendance.sequence,
                }
                for attendance in template
            ]
        return Attendance.create(vals_list), days

    def _customer_policy_week_attendances(self, day):
        """The calendar's own attendances (not a resource's) of ``day``'s week."""
        attendances = self.attendance_ids.filtered(
            lambda a: not a.resource_id and not a.display_type
        )
        if self.two_weeks_calendar:
            week_type = str(self.env["resource.calendar.attendance"].get_week_type(day))
            attendances = attendances.filtered(lambda a: a.week_type == week_type)
        return attendances

    def _customer_policy_works_on(self, day):
        """Whether the calendar already has working time on ``day``."""
        return any(
            attendance.day_period != "lunch"
            and int(attendance.dayofweek) == day.weekday()
            and (not attendance.date_from or attendance.date_from <= day)
            and (not attendance.date_to or day <= attendance.date_to)
            for attendance in self._customer_policy_week_attendances(day)
        )

    def _customer_policy_usual_weekday(self, day):
        """The attendances of the calendar's usual working weekday: the day plan
        (periods and hours) most weekdays share, Monday's on a tie."""
        attendances = self._customer_policy_week_attendances(day).filtered(
            lambda a: not a.date_from and not a.date_to and int(a.dayofweek) < 5
        )
        plans = {}
        counts = Counter()
        for weekday in sorted({int(a.dayofweek) for a in attendances}):
            of_day = attendances.filtered(
                lambda a, w=weekday: int(a.dayofweek) == w
            ).sorted("hour_from")
            key = tuple((a.hour_from, a.hour_to, a.day_period) for a in of_day)
            plans.setdefault(key, of_day)
            counts[key] += 1
        if not plans:
            return attendances
        # max() keeps the first of equals: the earliest weekday's plan.
        return plans[max(plans, key=counts.__getitem__)]

    # === CRON METHODS === #

    @api.model
    def _customer_policy_coming_year(self, today):
        """The year the cron looks after: in December the next one, in January
        the current one (the arrangement is often published late); none in
        other months."""
        if today.month == 12:
            return today.year + 1
        if today.month == 1:
            return today.year
        return None

    @api.model
    def _cron_import_china_holidays(self):
        """In December and January, import the coming year's holidays into each
        company's working calendar as soon as the library knows them; tell the
        Directors, once per year and calendar, while it does not."""
        year = self._customer_policy_coming_year(fields.Date.context_today(self))
        if not year:
            return
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("resource_calendar_id", "!=", False)])
        )
        calendars = companies.resource_calendar_id.filtered(
            lambda c: c.china_holidays_year < year
        )
        if not calendars:
            return
        if year in china_holidays.known_years():
            calendars.sudo().import_china_holidays(year)
            self.env["ir.cron"]._notify_progress(done=len(calendars), remaining=0)
            return
        for calendar in calendars:
            if not calendar._customer_policy_claim_warning(year):
                continue
            calendar._customer_policy_warn_directors(
                year,
                companies.filtered(
                    lambda c, cal=calendar: c.resource_calendar_id == cal
                ),
            )

    def _customer_policy_claim_warning(self, year):
        """Mark the warning of ``year`` as given; False when it already was (by an
        earlier run or another worker)."""
        self.ensure_one()
        self.flush_recordset(["china_holidays_warned_year"])
        rows = self.env.execute_query(
            SQL(
                """UPDATE resource_calendar SET china_holidays_warned_year = %(year)s
                    WHERE id = %(id)s
                      AND COALESCE(china_holidays_warned_year, 0) < %(year)s
                RETURNING id""",
                year=year,
                id=self.id,
            )
        )
        self.invalidate_recordset(["china_holidays_warned_year"])
        return bool(rows)

    def _customer_policy_warn_directors(self, year, companies):
        """Tell the companies' Directors, in their language, that ``year`` is
        unknown and the calendar stays without its holidays."""
        self.ensure_one()
        directors = self.env["res.users"].browse()
        for company in companies:
            directors |= self.env["res.users"]._customer_policy_directors(company)
        for lang, users in directors.grouped(
            lambda user: user.lang or self.env.lang
        ).items():
            calendar = self.with_context(lang=lang)
            subject = calendar.env._(
                "China's %(year)s holidays are not in the working calendar yet",
                year=year,
            )
            body = Markup("<p>%s</p><p>%s</p>") % (
                calendar._customer_policy_unknown_year_message(year),
                calendar.env._(
                    "Until then the deadlines of %(year)s in %(calendar)s count "
                    "weekends only, without the statutory holidays and make-up "
                    "working days.",
                    year=year,
                    calendar=self.name,
                ),
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=users.partner_id.ids,
                subject=subject,
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )
