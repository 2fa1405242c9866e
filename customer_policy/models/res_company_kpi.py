from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of the assessment (考核): how the scorecards weigh the four
    dimensions, and the targets they score against when a salesperson's approved
    plan sets none."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    kpi_weight_development = fields.Integer(
        string="Weight of Customer Development", default=30
    )
    kpi_weight_service = fields.Integer(string="Weight of Service", default=25)
    kpi_weight_relationship = fields.Integer(
        string="Weight of Relationship", default=20
    )
    kpi_weight_sales = fields.Integer(string="Weight of Sales", default=25)
    kpi_target_new_customers = fields.Integer(
        string="New Customers a Month",
        default=2,
        help="Customers each salesperson should register a month, when their "
        "approved plan sets no target.",
    )
    kpi_target_contract_amount = fields.Monetary(
        string="Contract Amount a Month",
        currency_field="currency_id",
        default=100000,
        help="When the approved plan sets no target.",
    )
    kpi_target_payment_amount = fields.Monetary(
        string="Payments a Month",
        currency_field="currency_id",
        default=100000,
        help="When the approved plan sets no target.",
    )
    kpi_target_resolution_rate = fields.Float(
        string="Resolution Rate Target (%)", default=90.0
    )
    kpi_target_response_hours = fields.Float(
        string="First Response Target (hours)",
        default=24.0,
        help="Average first response at or below it scores in full.",
    )
    kpi_target_satisfaction = fields.Float(
        string="Satisfaction Target (1-5)", default=4.0
    )
    kpi_target_visit_compliance = fields.Float(
        string="Visit Compliance Target (%)", default=100.0
    )
    kpi_target_churn_rate = fields.Float(
        string="Acceptable Churn (%)",
        default=5.0,
        help="Share of a salesperson's customers lost in the period that still "
        "scores in full.",
    )
    kpi_target_repeat_rate = fields.Float(
        string="Repeat Purchase Target (%)",
        default=20.0,
        help="Share of a salesperson's customers buying again within 12 months.",
    )
    kpi_max_adjustment = fields.Float(
        string="Manager's Adjustment (points)",
        default=10.0,
        help="How many points a manager may add to or take from a scorecard's "
        "score, with a reason.",
    )

    @api.constrains(
        "kpi_weight_development",
        "kpi_weight_service",
        "kpi_weight_relationship",
        "kpi_weight_sales",
    )
    def _check_kpi_weights(self):
        self._customer_policy_check_settings(
            lambda company: (
                min(company._customer_policy_kpi_weights().values()) >= 0
                and sum(company._customer_policy_kpi_weights().values()) == 100
            ),
            lambda company: self.env._(
                "%(company)s: the weights of the four dimensions of the scorecards "
                "cannot be negative and must add up to 100 (now %(total)s).",
                company=company.name,
                total=sum(company._customer_policy_kpi_weights().values()),
            ),
        )

    @api.constrains(
        "kpi_target_new_customers",
        "kpi_target_contract_amount",
        "kpi_target_payment_amount",
        "kpi_target_resolution_rate",
        "kpi_target_response_hours",
        "kpi_target_satisfaction",
        "kpi_target_visit_compliance",
        "kpi_target_churn_rate",
        "kpi_target_repeat_rate",
        "kpi_max_adjustment",
    )
    def _check_kpi_targets(self):
        self._customer_policy_check_settings(
            lambda company: (
                min(
                    company.kpi_target_new_customers,
                    company.kpi_target_contract_amount,
                    company.kpi_target_payment_amount,
                    company.kpi_target_response_hours,
                    company.kpi_max_adjustment,
                )
                >= 0
                and all(
                    0 <= rate <= 100
                    for rate in (
                        company.kpi_target_resolution_rate,
                        company.kpi_target_visit_compliance,
                        company.kpi_target_churn_rate,
                        company.kpi_target_repeat_rate,
                    )
                )
                and company.kpi_target_churn_rate < 100
                and 0 <= company.kpi_target_satisfaction <= 5
            ),
            lambda company: self.env._(
                "%(company)s: the assessment targets cannot be negative, the rates "
                "are percentages (the acceptable churn below 100) and satisfaction "
                "is scored from 1 to 5.",
                company=company.name,
            ),
        )

    def _customer_policy_kpi_weights(self):
        """{dimension: weight} of the scorecards."""
        self.ensure_one()
        return {
            "development": self.kpi_weight_development,
            "service": self.kpi_weight_service,
            "relationship": self.kpi_weight_relationship,
            "sales": self.kpi_weight_sales,
        }
