from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The assessment's settings of the company (res_company_kpi.py)."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    # Its own label: Invoicing adds a "Currency" field to the settings too.
    kpi_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency of the KPI Targets"
    )
    kpi_weight_development = fields.Integer(
        related="company_id.kpi_weight_development", readonly=False
    )
    kpi_weight_service = fields.Integer(
        related="company_id.kpi_weight_service", readonly=False
    )
    kpi_weight_relationship = fields.Integer(
        related="company_id.kpi_weight_relationship", readonly=False
    )
    kpi_weight_sales = fields.Integer(
        related="company_id.kpi_weight_sales", readonly=False
    )
    kpi_target_new_customers = fields.Integer(
        related="company_id.kpi_target_new_customers", readonly=False
    )
    kpi_target_contract_amount = fields.Monetary(
        related="company_id.kpi_target_contract_amount",
        currency_field="kpi_currency_id",
        readonly=False,
    )
    kpi_target_payment_amount = fields.Monetary(
        related="company_id.kpi_target_payment_amount",
        currency_field="kpi_currency_id",
        readonly=False,
    )
    kpi_target_resolution_rate = fields.Float(
        related="company_id.kpi_target_resolution_rate", readonly=False
    )
    kpi_target_response_hours = fields.Float(
        related="company_id.kpi_target_response_hours", readonly=False
    )
    kpi_target_satisfaction = fields.Float(
        related="company_id.kpi_target_satisfaction", readonly=False
    )
    kpi_target_visit_compliance = fields.Float(
        related="company_id.kpi_target_visit_compliance", readonly=False
    )
    kpi_target_churn_rate = fields.Float(
        related="company_id.kpi_target_churn_rate", readonly=False
    )
    kpi_target_repeat_rate = fields.Float(
        related="company_id.kpi_target_repeat_rate", readonly=False
    )
    kpi_max_adjustment = fields.Float(
        related="company_id.kpi_max_adjustment", readonly=False
    )
