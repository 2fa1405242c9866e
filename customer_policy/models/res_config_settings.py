from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_registration_days = fields.Integer(
        related="company_id.customer_registration_days",
        readonly=False,
    )
