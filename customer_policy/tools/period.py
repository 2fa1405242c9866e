"""Periods of plans and scorecards: years, quarters, months, as first days."""

from datetime import date

from dateutil.relativedelta import relativedelta

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_start(day, period_type):
    """First day of the month, quarter or year that contains ``day``."""
    if period_type == "month":
        return day.replace(day=1)
    if period_type == "quarter":
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return day.replace(month=1, day=1)


def period_end(start, period_type):
    """Last day of the period that begins on ``start``."""
    return start + relativedelta(months=PERIOD_MONTHS[period_type], days=-1)


def period_months(start, period_type):
    """First days of the months of the period that begins on ``start``."""
    return [start + relativedelta(months=n) for n in range(PERIOD_MONTHS[period_type])]


def quarter_starts(year):
    return [date(year, month, 1) for month in (1, 4, 7, 10)]


def split_evenly(total, parts, digits=0):
    """``total`` in ``parts`` shares that add up to it exactly: equal shares
    rounded to ``digits`` decimals, the rounding remainder spread on the first
    shares one unit at a time (10 customers in 4 quarters: 3, 3, 2, 2)."""
    unit = 10**digits
    cents = round(total * unit)
    base, remainder = divmod(cents, parts)
    shares = [base + (1 if index < remainder else 0) for index in range(parts)]
    if digits:
        return [share / unit for share in shares]
    return shares
