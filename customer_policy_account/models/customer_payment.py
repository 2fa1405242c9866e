from odoo import api, fields, models
from odoo.exceptions import UserError

# Written by the reconciliation of an installment's invoice, never by hand.
ACCOUNTING_FIELDS = {"invoice_id", "account_partial_reconcile_id", "account_move_id"}


class CustomerPayment(models.Model):
    _inherit = "customer.payment"

    invoice_id = fields.Many2one(
        comodel_name="account.move",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The installment's invoice whose payment this is: recorded from "
        "Accounting, it is reversed there.",
    )
    account_partial_reconcile_id = fields.Many2one(
        comodel_name="account.partial.reconcile",
        string="Reconciliation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    account_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Paid With",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The payment, bank statement or credit note reconciled with the invoice.",
    )

    _sql_constraints = (
        (
            "account_partial_reconcile_uniq",
            "UNIQUE(account_partial_reconcile_id)",
            "A reconciliation is recorded once in the payment ledger.",
        ),
    )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(ACCOUNTING_FIELDS & set(vals) for vals in vals_list):
            raise UserError(self._customer_policy_accounting_only_message())
        payments = super().create(vals_list)
        payments.filtered(
            lambda p: not p.invoice_id
        )._customer_policy_check_manual_allowed()
        return payments

    def write(self, vals):
        if not self.env.su and ACCOUNTING_FIELDS & set(vals):
            raise UserError(self._customer_policy_accounting_only_message())
        return super().write(vals)

    # === ACTION METHODS === #

    def action_post(self):
        self.filtered(
            lambda p: not p.invoice_id
        )._customer_policy_check_manual_allowed()
        return super().action_post()

    def action_cancel(self):
        from_accounting = self.filtered("account_partial_reconcile_id")
        if from_accounting:
            raise UserError(
                self.env._(
                    "Payment %(payment)s was recorded from the payment of invoice "
                    "%(invoice)s: remove that reconciliation in Accounting and the "
                    "ledger follows.",
                    payment=from_accounting[0].name,
                    invoice=from_accounting[0].sudo().invoice_id.display_name,
                )
            )
        return super().action_cancel()

    def action_draft(self):
        if self.filtered("invoice_id"):
            raise UserError(self._customer_policy_accounting_only_message())
        return super().action_draft()

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
        }

    # === BUSINESS METHODS === #

    def _customer_policy_accounting_only_message(self):
        return self.env._(
            "Payments of invoiced installments are recorded from Accounting: "
            "register the payment on the invoice, or reconcile it there."
        )

    def _customer_policy_check_manual_allowed(self):
        """Refuse payments entered by hand where Accounting is the ledger's only
        source (the company's setting)."""
        closed = self.filtered(
            lambda p: not p.company_id.customer_ledger_manual_payments
        )
        if closed:
            raise UserError(
                self.env._(
                    "%(company)s records the payments received from Accounting "
                    "only: register the payment on the installment's invoice.",
                    company=closed[0].company_id.name,
                )
            )

    def _open_installments(self):
        # An invoiced installment is paid by its invoice only: a payment entered
        # by hand goes to the others, or stays a credit of the customer.
        if self.invoice_id:
            return self.invoice_id.customer_agreement_installment_id
        return super()._open_installments().filtered(lambda i: not i.invoice_id)

    @api.model
    def _customer_policy_record_reconciliations(self, partials):
        """One posted ledger payment per partial reconciliation of an installment's
        invoice, for the part of the invoice it settles, on the reconciliation's
        date, allocated to the installment (beyond what it still owes, the
        customer's credit: the ledger never refuses what Accounting did).

        Posted like any payment, so that what follows a posting (commission)
        follows these too.
        """
        found = self._customer_policy_invoice_partials(partials)
        if not found:
            return self
        payments = self.sudo().create(
            [
                self._customer_policy_reconciliation_vals(*found_one)
                for found_one in found
            ]
        )
        payments.action_post()
        return payments

    @api.model
    def _customer_policy_reconciliation_vals(
        self, partial, invoice, counterpart, amount
    ):
        installment = invoice.customer_agreement_installment_id
        return {
            "partner_id": installment.partner_id.id,
            "agreement_id": installment.agreement_id.id,
            "company_id": installment.company_id.id,
            "currency_id": invoice.currency_id.id,
            "date": partial.max_date,
            "amount": amount,
            "reference": counterpart.name,
            "invoice_id": invoice.id,
            "account_partial_reconcile_id": partial.id,
            "account_move_id": counterpart.id,
        }

    @api.model
    def _customer_policy_reverse_reconciliations(self, partials):
        """Cancel the ledger payments of reconciliations being removed."""
        if not partials:
            return self
        payments = self.sudo().search(
            [("account_partial_reconcile_id", "in", partials.ids)]
        )
        if payments:
            payments.write({"account_partial_reconcile_id": False})
            payments.action_cancel()
        return payments

    @api.model
    def _customer_policy_invoice_partials(self, partials):
        """[(partial, invoice, counterpart move, amount in the invoice's currency)]
        of the partials that settle the receivable of an installment's invoice."""
        partials = partials.sudo()
        found = []
        for partial in partials:
            for line, counterpart, amount in (
                (
                    partial.debit_move_id,
                    partial.credit_move_id,
                    partial.debit_amount_currency,
                ),
                (
                    partial.credit_move_id,
                    partial.debit_move_id,
                    partial.credit_amount_currency,
                ),
            ):
                invoice = line.move_id
                if (
                    invoice.customer_agreement_installment_id
                    and line.account_type == "asset_receivable"
                    # An exchange difference settles no money of the invoice.
                    and not invoice.currency_id.is_zero(amount)
                ):
                    found.append(
                        (
                            partial,
                            invoice,
                            counterpart.move_id,
                            invoice.currency_id.round(amount),
                        )
                    )
        return found
