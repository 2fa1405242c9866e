from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_registration_days = fields.Integer(
        related="company_id.customer_registration_days",
        readonly=False,
    )
    customer_access_duration_days = fields.Integer(
        related="company_id.customer_access_duration_days",
        readonly=False,
    )
    customer_access_approver_id = fields.Many2one(
        related="company_id.customer_access_approver_id",
        readonly=False,
    )
    customer_access_log_retention_days = fields.Integer(
        related="company_id.customer_access_log_retention_days",
        readonly=False,
    )
