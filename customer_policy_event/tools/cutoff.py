"""The invitation cut-offs of a joint event (联合会议邀约), on plain datetimes.

Each evening by the daily cut-off (18:00) every department hands in the customers it
confirmed that day; a confirmation after the cut-off counts for the next day. On the
event day the cut-off is 10:00 for an afternoon event and 16:00 for an evening one.
"""

from datetime import datetime, time, timedelta

import pytz

AFTERNOON_START = time(12, 0)
EVENING_START = time(18, 0)
AFTERNOON_CUTOFF = time(10, 0)
EVENING_CUTOFF = time(16, 0)


def hour_to_time(hour):
    """18.5 -> 18:30."""
    minutes = round(hour * 60)
    return time(min(minutes // 60, 23), minutes % 60)


def to_local(moment, tz):
    """A naive UTC datetime (as Odoo stores them) in ``tz``."""
    return pytz.utc.localize(moment).astimezone(tz)


def to_utc(day, at, tz):
    """``day`` at local time ``at`` in ``tz``, as a naive UTC datetime."""
    return (
        tz.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)
    )


def event_period(start_local):
    """``morning``, ``afternoon`` or ``evening`` from the event's local start."""
    if start_local.time() >= EVENING_START:
        return "evening"
    if start_local.time() >= AFTERNOON_START:
        return "afternoon"
    return "morning"


def event_day_cutoff(start_local, daily_cutoff):
    """The last moment to confirm an invitation for the event day, local.

    An afternoon event closes at 10:00 and an evening one at 16:00 that day; a
    morning event leaves no time that day: the day before's daily cut-off.
    """
    period = event_period(start_local)
    day = start_local.date()
    tz = start_local.tzinfo
    if period == "evening":
        return tz.localize(datetime.combine(day, EVENING_CUTOFF))
    if period == "afternoon":
        return tz.localize(datetime.combine(day, AFTERNOON_CUTOFF))
    return tz.localize(datetime.combine(day - timedelta(days=1), daily_cutoff))


def counts_for_day(moment_local, daily_cutoff, event_day, event_cutoff_local):
    """The day a confirmation (or a list handed in) at ``moment_local`` counts for,
    or ``None`` when it is past the event-day cut-off.

    Up to the daily cut-off it counts for its own day, after it for the next day;
    nothing counts beyond the event day.
    """
    if moment_local > event_cutoff_local:
        return None
    day = moment_local.date()
    if moment_local.time() > daily_cutoff:
        day += timedelta(days=1)
    return min(day, event_day)
