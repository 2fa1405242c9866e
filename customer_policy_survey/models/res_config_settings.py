from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_survey_id = fields.Many2one(
        related="company_id.customer_survey_id", readonly=False
    )
    customer_survey_after_return_visit = fields.Boolean(
        related="company_id.customer_survey_after_return_visit", readonly=False
    )
