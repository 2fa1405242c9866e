from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_installment_invoice_auto = fields.Boolean(
        related="company_id.customer_installment_invoice_auto", readonly=False
    )
    customer_installment_invoice_days = fields.Integer(
        related="company_id.customer_installment_invoice_days", readonly=False
    )
    customer_ledger_manual_payments = fields.Boolean(
        related="company_id.customer_ledger_manual_payments", readonly=False
    )
