from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    commission_date_start = fields.Date(
        related="company_id.commission_date_start", readonly=False
    )
    commission_operations_team_id = fields.Many2one(
        related="company_id.commission_operations_team_id", readonly=False
    )
    commission_approver_id = fields.Many2one(
        related="company_id.commission_approver_id", readonly=False
    )
