"""The relationship health formula (客户关系健康度) and the churn warning.

Five factors, each scored from 0 to 100, are weighted by the company's settings
(the weights add up to 100)::

    satisfaction   S = the average of the ratings of the last 12 months, each on
                       0-100: a complaint's or a visit's rating r (1-5) counts
                       (r - 1) x 25, a survey answer its score in percent; 50
                       without any rating
    frequency      F = 100 x min(1, (agreements of the last 3 years / 3) / target)
    loyalty        L = 100 x min(1, (years since the first agreement) / full years)
    interaction    I = 100 x max(0, 1 - (days since the last contact) / max days)
    complaints     C = 100 x max(0, 1 - (complaints of the last 12 months) / max)

    health = round((wS x S + wF x F + wL x L + wI x I + wC x C) / 100)

rounded half up. The churn risk is ``high`` when the health is below the high
threshold or two reasons or more apply, ``medium`` when it is below the medium
threshold or one reason applies, ``low`` otherwise.
"""

import math

# The churn reasons, in the order they are shown.
CHURN_REASONS = ("health_drop", "no_contact", "overdue", "renewal", "complaint_spike")
# The churn risks, as the selection of the customers and their snapshots.
CHURN_RISKS = [("low", "Low Risk"), ("medium", "Medium Risk"), ("high", "High Risk")]
# A rating of a complaint or a visit (1-5) on the 0-100 scale of satisfaction.
RATING_POINTS = 25
NEUTRAL_SATISFACTION = 50.0
# Days of the period of a tier's visit rule, for the longest time without contact.
PERIOD_DAYS = {"month": 30, "quarter": 90}


def round_half_up(value):
    return math.floor(value + 0.5)


def factor_scores(facts, settings):
    """The five factor scores (0-100) of a customer.

    :param dict facts: ``satisfaction`` (0-100), ``purchase_frequency``
        (agreements a year), ``loyalty_years``, ``interaction_days``,
        ``complaint_rate`` (complaints in 12 months)
    :param dict settings: ``frequency_target``, ``loyalty_years``,
        ``interaction_days``, ``complaint_max`` of the company
    """
    return {
        "satisfaction": facts["satisfaction"],
        "frequency": 100.0
        * min(1.0, facts["purchase_frequency"] / settings["frequency_target"]),
        "loyalty": 100.0 * min(1.0, facts["loyalty_years"] / settings["loyalty_years"]),
        "interaction": 100.0
        * max(0.0, 1.0 - facts["interaction_days"] / settings["interaction_days"]),
        "complaint": 100.0
        * max(0.0, 1.0 - facts["complaint_rate"] / settings["complaint_max"]),
    }


def health_score(scores, weights):
    """The weighted health (0-100) of ``scores`` with ``weights`` (same keys,
    adding up to 100)."""
    return round_half_up(sum(weights[key] * scores[key] for key in weights) / 100.0)


def churn_risk(health, reasons, high_below, medium_below):
    """``low``, ``medium`` or ``high`` from the health and the reasons found."""
    if health < high_below or len(reasons) >= 2:
        return "high"
    if health < medium_below or reasons:
        return "medium"
    return "low"


def contact_gap_days(period, visit_min_count):
    """The longest time without contact a tier's visit rule allows: its period
    spread over its minimum visits (a month of 2 visits: 15 days), or None
    without a rule."""
    if not visit_min_count or period not in PERIOD_DAYS:
        return None
    return math.ceil(PERIOD_DAYS[period] / visit_min_count)
