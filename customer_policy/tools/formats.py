"""Dates in the words of the activities the crons write by the thousand."""

from datetime import date, datetime

from odoo.tools import format_date


def format_day(env, day):
    """``format_date(env, day)`` for a date, remembered per language for the
    cursor (a cron's run).

    Odoo's ``format_date`` looks the language up and parses its babel locale at
    each call (1.5 ms): most of a go-live run of the visit reminders, whose
    summaries carry a few hundred different dates for thousands of customers.
    """
    lang = env.context.get("lang")
    if not lang or not isinstance(day, date) or isinstance(day, datetime):
        return format_date(env, day)
    days = env.cr.cache.setdefault("customer_policy_format_day", {})
    text = days.get((lang, day))
    if text is None:
        text = days[lang, day] = format_date(env, day)
    return text


def format_money(currency, amount):
    """``currency.format(amount)``, remembered per language, currency and
    amount for the cursor: Odoo's looks the language up at each call (2 ms),
    a fifth of a go-live run of the installments' collection, whose thousands
    of summaries carry a few dozen different amounts."""
    env = currency.env
    lang = env.context.get("lang")
    if not lang or len(currency) != 1:
        return currency.format(amount)
    amounts = env.cr.cache.setdefault("customer_policy_format_money", {})
    key = (lang, currency.id, amount)
    text = amounts.get(key)
    if text is None:
        text = amounts[key] = currency.format(amount)
    return text
