"""Solar dates of lunar and solar anniversaries (生日, 节日), through lunar-python.

Nothing here knows the lunar calendar itself: `lunar_python` (6tail's maintained
library, from the astronomical new moons and solar terms) converts. What this
module decides is what a birthday or a holiday means in a year that does not
have its day:

- a lunar day 30 in a year whose month has 29 days falls on the month's last
  day (the 29th), as families usually keep it;
- a lunar month is the ordinary month of that number, never its leap month
  (闰月): a birthday of 闰四月 is kept in 四月, and a year with a leap month
  does not celebrate twice;
- a solar 29 February falls on 28 February in a common year.
"""

import datetime

from lunar_python import Lunar, LunarMonth


def lunar_to_solar(lunar_year, month, day):
    """The solar date of lunar ``month``/``day`` of ``lunar_year`` (the lunar year
    that starts at the Spring Festival of that solar year)."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {month}/{day}")
    last_day = LunarMonth.fromYm(lunar_year, month).getDayCount()
    solar = Lunar.fromYmd(lunar_year, month, min(day, last_day)).getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def solar_in_year(year, month, day):
    """``month``/``day`` of solar ``year``; 29 February on the 28th in a common
    year."""
    if month == 2 and day == 29:
        try:
            return datetime.date(year, 2, 29)
        except ValueError:
            return datetime.date(year, 2, 28)
    return datetime.date(year, month, day)


def dates_in_year(calendar, month, day, year):
    """Every solar date of ``year`` on which ``month``/``day`` of ``calendar``
    (``solar`` or ``lunar``) falls, in order: one, or for a lunar day of the
    twelfth month sometimes two (the end of one lunar year in January, of the
    next in December)."""
    if calendar == "solar":
        return [solar_in_year(year, month, day)]
    # Lunar year Y runs from the Spring Festival of Y into January or February of
    # Y + 1: the dates of solar year ``year`` come from lunar years Y - 1 and Y.
    found = (lunar_to_solar(lunar_year, month, day) for lunar_year in (year - 1, year))
    return sorted(date for date in found if date.year == year)


def next_date(calendar, month, day, today):
    """The first solar date from ``today`` (included) on which ``month``/``day``
    of ``calendar`` falls."""
    for year in (today.year, today.year + 1):
        for date in dates_in_year(calendar, month, day, year):
            if date >= today:
                return date
    return None
