import math
from datetime import timedelta

from dateutil.relativedelta import relativedelta

# Visit types that count toward a tier's minimum number of visits; phone calls and
# e-mails only count as contact (the policy's "at least every two weeks").
VISIT_TYPES_COUNTED = ("visit", "return_visit", "online")

DIGEST_PARAM = "customer_policy.visit_digest_date"
# Customers listed in a section of the managers' daily digest; a link leads to
# the full list.
DIGEST_LIMIT = 20


def visit_period_bounds(day, period):
    """First and last day of the month or quarter that contains ``day``."""
    if period == "month":
        start = day.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)
    start = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return start, start + relativedelta(months=3, days=-1)


def visit_due_date(start, end, required, rank):
    """Last day for the ``rank``-th of ``required`` visits of a period: the
    visits are spread evenly, the last one due on the period's last day."""
    days = (end - start).days + 1
    return start + timedelta(days=math.ceil(rank * days / required) - 1)


def visit_requirement(today, required, period, done, horizon):
    """``(next due date, compliance)`` of a customer under a tier rule.

    ``required`` visits per ``period`` (month or quarter); ``done`` of them were
    made in the current period. A customer without a requirement has no due date
    and is compliant. Each period stands alone: visits missed in a finished
    period are not carried over (the digest and reminders report them while the
    period runs).
    """
    if not required:
        return False, "ok"
    start, end = visit_period_bounds(today, period)
    if done < required:
        due = visit_due_date(start, end, required, done + 1)
    else:
        start, end = visit_period_bounds(end + timedelta(days=1), period)
        due = visit_due_date(start, end, required, 1)
    if due < today:
        return due, "overdue"
    if due <= today + timedelta(days=horizon):
        return due, "due_soon"
    return due, "ok"
