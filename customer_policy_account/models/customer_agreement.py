from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError


class CustomerAgreement(models.Model):
    _inherit = "customer.agreement"

    invoice_count = fields.Integer(compute="_compute_invoice_count")

    # === COMPUTE METHODS === #

    def _compute_invoice_count(self):
        counts = defaultdict(int)
        for installment, count in (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("customer_agreement_installment_id.agreement_id", "in", self.ids)],
                ["customer_agreement_installment_id"],
                ["__count"],
            )
        ):
            counts[installment.agreement_id] += count
        for agreement in self:
            agreement.invoice_count = counts[agreement._origin]

    # === ACTION METHODS === #

    def action_create_invoice(self):
        """Invoice the agreement's next installment: the first due of those not
        invoiced yet and not paid."""
        self.ensure_one()
        installment = self.installment_ids.filtered(
            lambda i: not i.invoice_id and i.state != "paid"
        ).sorted(lambda i: (i.due_date, i.id))[:1]
        if not installment:
            raise UserError(
                self.env._(
                    "Every installment of %(agreement)s is invoiced or paid.",
                    agreement=self.display_name,
                )
            )
        return installment.action_create_invoice()

    def action_view_invoices(self):
        self.ensure_one()
        invoices = self.installment_ids.invoice_ids
        return invoices._get_records_action(name=self.env._("Invoices"))
