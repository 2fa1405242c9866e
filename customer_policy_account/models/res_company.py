from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of the installments' invoices and of the ledger's sources."""

    _inherit = "res.company"

    customer_installment_invoice_auto = fields.Boolean(
        string="Invoice Installments Automatically",
        help="Every day, draft invoices are made for the installments coming due.",
    )
    customer_installment_invoice_days = fields.Integer(
        string="Invoice Installments (days before due)",
        default=10,
        help="How many days before its due date an installment is invoiced.",
    )
    customer_ledger_manual_payments = fields.Boolean(
        string="Payments Entered in the Ledger",
        default=True,
        help="Finance may also record payments received directly in the payment "
        "ledger. Off: the ledger only records the payments of invoices, from "
        "Accounting, its one source of truth.",
    )

    @api.constrains("customer_installment_invoice_days")
    def _check_customer_installment_invoice_days(self):
        self._customer_policy_check_settings(
            lambda company: company.customer_installment_invoice_days >= 0,
            lambda company: self.env._(
                "%(company)s: installments are invoiced on or before their due "
                "date, not a negative number of days before it.",
                company=company.name,
            ),
        )
