"""China's statutory holidays and make-up working days (法定节假日与调休).

The State Council publishes each year's arrangement late in the year before; the
``chinesecalendar`` library carries it, so no date is typed here. A year the
installed library does not know yet is reported as such (``UnknownYear``): the
arrangement must never be guessed.
"""

import logging
from datetime import timedelta

_logger = logging.getLogger(__name__)

try:
    import chinese_calendar
except ImportError:  # pragma: no cover - the manifest requires it
    chinese_calendar = None
    _logger.debug("The chinesecalendar library is not installed.")

# The library gives some festivals the short name; the State Council's notice
# calls them by their full name.
_NOTICE_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


class UnknownYear(LookupError):
    """The installed library does not know the year's arrangement."""


def known_years():
    """The years the installed library knows, as a ``range``."""
    if chinese_calendar is None:
        return range(0)
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def festival_name(value):
    """The Chinese name of a festival of the library (its English value)."""
    try:
        name = chinese_calendar.Holiday(value).chinese
    except ValueError:
        name = value
    return _NOTICE_NAMES.get(name, name)


def arrangement(year):
    """The arrangement of ``year``: ``(holidays, workdays)``.

    - ``holidays``: ``(first day, last day, name)`` of each run of consecutive
      days off, weekends inside a run included (国庆节 2026-10-01 to 10-07);
      festivals that join (国庆节 and 中秋节) form one run named after both;
    - ``workdays``: ``(day, name)`` of each make-up working day (调休上班), a
      weekend day worked for the festival ``name``.

    :raises UnknownYear: when the installed library does not know ``year``.
    """
    if year not in known_years():
        raise UnknownYear(year)
    days = sorted(
        (day, festival_name(value))
        for day, value in chinese_calendar.holidays.items()
        if day.year == year
    )
    runs = []
    for day, name in days:
        if runs and runs[-1][1] == day - timedelta(days=1):
            runs[-1][1] = day
            if name not in runs[-1][2]:
                runs[-1][2].append(name)
        else:
            runs.append([day, day, [name]])
    runs = [(first, last, "、".join(names)) for first, last, names in runs]
    workdays = sorted(
        (day, festival_name(value))
        for day, value in chinese_calendar.workdays.items()
        if day.year == year
    )
    return runs, workdays
