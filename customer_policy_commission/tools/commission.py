"""The arithmetic of an agreement's commission lines, apart from the ORM.

An agreement's commission is ``base_total × rate``, where ``base_total`` is its
first year's amount less the costs. It is earned as the first year's money comes
in: with ``fraction`` of the first year's amount collected up to a month, each
part (a credited user, or ``False`` for the operations pool) has earned
``commission × fraction × part's fraction`` up to that month.
"""

from dateutil.relativedelta import relativedelta


def format_month(month):
    """ "2026-02" for the month starting on ``month`` (a date), "" for none."""
    return month.strftime("%Y-%m") if month else ""


def collected_fractions(collected, first_year):
    """{month: fraction of the first year's amount collected up to that month}.

    :param collected: {month: amount collected in the month}
    :param first_year: the first year's amount (same currency)
    """
    result, running = {}, 0.0
    for month in sorted(collected):
        running += collected[month]
        result[month] = min(running / first_year, 1.0) if first_year > 0 else 0.0
    return result


def part_targets(fractions, months, parts, part, commission_total, base_total, round_):
    """{month: (cumulative commission, cumulative base)} of ``part`` at each month.

    Each cumulative amount is rounded once, so the lines of a part add up to its
    rounded total; the cent that rounding the parts loses or adds goes to the
    largest part, so that all parts add up to the rounded commission.
    """
    largest = max(parts, key=lambda p: (parts[p], -(p or 0))) if parts else None
    active = parts.get(part, 0.0) > 0 and commission_total > 0
    result, fraction = {}, 0.0
    for month in months:
        fraction = fractions.get(month, fraction)
        if not active:
            result[month] = (0.0, 0.0)
            continue
        earned = commission_total * fraction
        rounded = {p: round_(earned * f) for p, f in parts.items()}
        amount = rounded[part]
        if part == largest:
            amount = round_(amount + round_(earned) - sum(rounded.values()))
        result[month] = (amount, round_(base_total * fraction))
    return result


def plan_lines(
    *,
    collected,
    first_year,
    parts,
    booked,
    frozen,
    commission_total,
    base_total,
    round_,
):
    """What an agreement's lines should be, one per part and month.

    :param collected: {month: amount collected on the first year's installments}
    :param first_year: the first year's amount
    :param parts: {user id or False: fraction of the commission}, adding up to 1
    :param booked: {(part, month): (amount, base)} of the lines as they are
    :param frozen: {(part, month)} whose statement is confirmed: never changed
    :param commission_total: the agreement's whole commission (company currency)
    :param base_total: the first year's amount less the costs (company currency)
    :param round_: rounds an amount to the currency
    :return: {(part, month): (amount, base, of which corrections) or None, when
        the line must go}; lines not named stay as they are

    Targets are cumulative: an open month takes what the part earned up to it
    less what the months before it booked. A confirmed month keeps its line, so a
    change that reaches it (a payment reversed, a cost, a credit or the rate
    corrected) shows in the part's next open month, as a correction.
    """
    fractions = collected_fractions(collected, first_year)
    plan = {}
    for part in set(parts) | {p for p, __ in booked}:
        months = sorted(set(fractions) | {m for p, m in booked if p == part})
        if not months:
            continue
        targets = part_targets(
            fractions, months, parts, part, commission_total, base_total, round_
        )
        booked_amount = booked_base = previous_target = 0.0
        for month in months:
            target_amount, target_base = targets[month]
            if (part, month) in frozen:
                amount, base = booked.get((part, month), (0.0, 0.0))
                booked_amount += amount
                booked_base += base
                previous_target = target_amount
                continue
            plan[(part, month)] = _line(
                round_(target_amount - booked_amount),
                round_(target_base - booked_base),
                round_(previous_target - booked_amount),
            )
            booked_amount, booked_base = target_amount, target_base
            previous_target = target_amount
        # The last months were confirmed: what they could not take goes to the
        # part's next open month.
        final_amount, final_base = targets[months[-1]]
        amount = round_(final_amount - booked_amount)
        base = round_(final_base - booked_base)
        if amount or base:
            month = months[-1] + relativedelta(months=1)
            while (part, month) in frozen:
                month += relativedelta(months=1)
            plan[(part, month)] = (amount, base, amount)
    return plan


def _line(amount, base, adjustment):
    if not amount and not base:
        return None
    return (amount, base, adjustment)
