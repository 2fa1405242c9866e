"""Time zones of the policy: dates and times as the people of the company read
them, not in UTC.

Odoo stores datetimes in UTC and gives ``fields.Date.context_today`` the time zone
of the context or of the user. Crons run as a technical user: their "today" and
the dates they write must be the company's, the time zone of its working calendar.
"""

import pytz

from odoo.tools import format_datetime


def company_tz(company):
    """The time zone the company works in: its calendar's, else its address'."""
    return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"


def with_company_tz(records):
    """``records`` with the current company's time zone in their context, unless
    the context already has one (a user's request)."""
    if records.env.context.get("tz"):
        return records
    return records.with_context(tz=company_tz(records.env.company))


def local_date(moment, tz_name):
    """The date of the naive UTC datetime ``moment`` in ``tz_name``."""
    if not moment:
        return False
    tz = pytz.timezone(tz_name or "UTC")
    return pytz.utc.localize(moment).astimezone(tz).date()


def format_local_datetime(env, moment, tz_name):
    """``moment`` (naive UTC) as a reader in ``tz_name`` sees it, to the minute, in
    the language of ``env``: for the text of messages."""
    return format_datetime(env, moment, tz=tz_name or "UTC", dt_format="short")
