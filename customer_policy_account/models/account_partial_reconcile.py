from odoo import api, models


class AccountPartialReconcile(models.Model):
    """Every payment of an installment's invoice goes through a partial
    reconciliation of its receivable line, whatever the way (payment, bank
    statement, credit note, outstanding credit), and every undoing of it (unreconcile,
    reset to draft, cancelled payment) deletes that partial: the ledger follows
    them here, in the same transaction."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        self.env["customer.payment"]._customer_policy_record_reconciliations(partials)
        return partials

    def unlink(self):
        self.env["customer.payment"]._customer_policy_reverse_reconciliations(self)
        return super().unlink()
