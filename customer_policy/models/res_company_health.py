from odoo import api, fields, models

# Weight field of each factor of the health formula (tools/health.py).
HEALTH_WEIGHT_FIELDS = {
    "satisfaction": "customer_health_weight_satisfaction",
    "frequency": "customer_health_weight_frequency",
    "loyalty": "customer_health_weight_loyalty",
    "interaction": "customer_health_weight_interaction",
    "complaint": "customer_health_weight_complaint",
}


class ResCompany(models.Model):
    """Settings of relationship health and the churn warning (客户关系评估·流失预警)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    customer_health_weight_satisfaction = fields.Integer(
        string="Weight of Satisfaction", default=30
    )
    customer_health_weight_frequency = fields.Integer(
        string="Weight of Purchase Frequency", default=20
    )
    customer_health_weight_loyalty = fields.Integer(
        string="Weight of Loyalty", default=10
    )
    customer_health_weight_interaction = fields.Integer(
        string="Weight of Interaction", default=25
    )
    customer_health_weight_complaint = fields.Integer(
        string="Weight of Complaints", default=15
    )
    customer_health_frequency_target = fields.Float(
        string="Agreements a Year for Full Score",
        default=2.0,
        help="A customer signing this many agreements a year (over the last 3 "
        "years) scores 100 on purchase frequency.",
    )
    customer_health_loyalty_years = fields.Integer(
        string="Years of Cooperation for Full Score",
        default=5,
        help="A customer cooperating for this many years since its first agreement "
        "scores 100 on loyalty.",
    )
    customer_health_interaction_days = fields.Integer(
        string="Days without Contact for Zero Score",
        default=90,
        help="The interaction score falls from 100 (contacted today) to 0 after "
        "this many days without contact.",
    )
    customer_health_complaint_max = fields.Integer(
        string="Complaints a Year for Zero Score",
        default=5,
        help="The complaint score falls from 100 (no complaint in 12 months) to 0 "
        "at this many complaints.",
    )
    customer_churn_high_below = fields.Integer(
        string="High Risk below Health",
        default=30,
        help="A customer whose health is below this is at high risk of churn.",
    )
    customer_churn_medium_below = fields.Integer(
        string="Medium Risk below Health",
        default=50,
        help="A customer whose health is below this is at medium risk of churn.",
    )
    customer_churn_drop_points = fields.Integer(
        string="Health Drop Warning (points)",
        default=15,
        help="A health that fell by more than this in 3 months is a churn reason.",
    )
    customer_churn_renewal_days = fields.Integer(
        string="Renewal Warning (days)",
        default=60,
        help="An active agreement ending within this many days without a renewal "
        "draft is a churn reason.",
    )
    customer_churn_complaint_spike = fields.Integer(
        string="Complaint Spike (in 30 days)",
        default=3,
        help="This many complaints received in the last 30 days is a churn reason.",
    )

    @api.constrains(*HEALTH_WEIGHT_FIELDS.values())
    def _check_customer_health_weights(self):
        self._customer_policy_check_settings(
            lambda company: (
                min(company[name] for name in HEALTH_WEIGHT_FIELDS.values()) >= 0
                and sum(company[name] for name in HEALTH_WEIGHT_FIELDS.values()) == 100
            ),
            lambda company: self.env._(
                "%(company)s: the weights of the health factors must be positive "
                "and add up to 100 (now %(total)s).",
                company=company.name,
                total=sum(company[name] for name in HEALTH_WEIGHT_FIELDS.values()),
            ),
        )

    @api.constrains(
        "customer_health_frequency_target",
        "customer_health_loyalty_years",
        "customer_health_interaction_days",
        "customer_health_complaint_max",
        "customer_churn_high_below",
        "customer_churn_medium_below",
        "customer_churn_drop_points",
        "customer_churn_renewal_days",
        "customer_churn_complaint_spike",
    )
    def _check_customer_health_settings(self):
        self._customer_policy_check_settings(
            lambda company: (
                company.customer_health_frequency_target > 0
                and min(
                    company.customer_health_loyalty_years,
                    company.customer_health_interaction_days,
                    company.customer_health_complaint_max,
                    company.customer_churn_complaint_spike,
                )
                >= 1
                and 0
                <= company.customer_churn_high_below
                <= company.customer_churn_medium_below
                <= 100
                and min(
                    company.customer_churn_drop_points,
                    company.customer_churn_renewal_days,
                )
                >= 0
            ),
            lambda company: self.env._(
                "%(company)s: the full-score targets and the complaint spike must be "
                "at least 1, the risk thresholds between 0 and 100 with the high "
                "one below the medium one, the drop and the renewal warning not "
                "negative.",
                company=company.name,
            ),
        )

    def _customer_policy_health_settings(self):
        """The settings the health formula and the churn reasons read."""
        self.ensure_one()
        return {
            "weights": {key: self[name] for key, name in HEALTH_WEIGHT_FIELDS.items()},
            "frequency_target": self.customer_health_frequency_target,
            "loyalty_years": self.customer_health_loyalty_years,
            "interaction_days": self.customer_health_interaction_days,
            "complaint_max": self.customer_health_complaint_max,
            "high_below": self.customer_churn_high_below,
            "medium_below": self.customer_churn_medium_below,
            "drop_points": self.customer_churn_drop_points,
            "renewal_days": self.customer_churn_renewal_days,
            "complaint_spike": self.customer_churn_complaint_spike,
        }
