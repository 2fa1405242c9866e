from odoo import api, fields, models


class CustomerAgreementInstallment(models.Model):
    _name = "customer.agreement.installment"
    _description = "Agreement Installment"
    _order = "due_date, id"

    agreement_id = fields.Many2one(
        "customer.agreement", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, index=True
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id", store=True)
    due_date = fields.Date(required=True, index=True)
    amount = fields.Monetary(required=True)
    amount_received = fields.Monetary(default=0.0)
    amount_residual = fields.Monetary(compute="_compute_residual", store=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("partial", "Partially Paid"),
            ("paid", "Paid"),
            ("overdue", "Overdue"),
        ],
        default="open",
        required=True,
    )
    days_overdue = fields.Integer(default=0)
    aging_bucket = fields.Selection(
        [
            ("current", "Current"),
            ("1_30", "1-30 Days"),
            ("31_60", "31-60 Days"),
            ("61_90", "61-90 Days"),
            ("over_90", "Over 90 Days"),
        ],
        default="current",
    )

    @api.depends("amount", "amount_received")
    def _compute_residual(self):
        for installment in self:
            installment.amount_residual = installment.currency_id.round(
                installment.amount - installment.amount_received
            )
