from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    customer_agreement_installment_id = fields.Many2one(
        comodel_name="customer.agreement.installment",
        string="Agreement Installment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The installment of a cooperation agreement this invoice bills: its "
        "payments are recorded in the customer payment ledger.",
    )

    # === CONSTRAINT METHODS === #

    @api.constrains("customer_agreement_installment_id", "move_type")
    def _check_customer_agreement_installment(self):
        for move in self.filtered("customer_agreement_installment_id"):
            if move.move_type != "out_invoice":
                raise ValidationError(
                    self.env._(
                        "Only a customer invoice bills an agreement installment; "
                        "%(move)s is not one.",
                        move=move.display_name,
                    )
                )

    # === CRUD METHODS === #

    def write(self, vals):
        if "customer_agreement_installment_id" in vals and not self.env.su:
            # The link is the ledger's: it decides which installment the invoice's
            # payments pay.
            raise UserError(
                self.env._(
                    "An invoice is linked to an agreement installment only by "
                    "invoicing the installment."
                )
            )
        return super().write(vals)

    # === ACTION METHODS === #

    def action_view_customer_agreement_installment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.agreement.installment",
            "res_id": self.customer_agreement_installment_id.id,
            "view_mode": "form",
        }

    # === BUSINESS METHODS === #

    def _post(self, soft=True):
        self.filtered(
            "customer_agreement_installment_id"
        )._customer_policy_check_installment_invoice()
        return super()._post(soft=soft)

    def _customer_policy_check_installment_invoice(self):
        """An installment's invoice bills what is still due on it, in the
        agreement's currency, to its customer: then its payments can pay the
        installment exactly."""
        for move in self:
            installment = move.sudo().customer_agreement_installment_id
            currency = installment.currency_id
            if move.currency_id != currency:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s bills %(installment)s: it must be in "
                        "%(currency)s, the currency of the agreement.",
                        invoice=move.display_name,
                        installment=installment.name,
                        currency=currency.name,
                    )
                )
            if move.commercial_partner_id != installment.partner_id:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s bills %(installment)s: it must be "
                        "addressed to %(customer)s, the customer of the agreement.",
                        invoice=move.display_name,
                        installment=installment.name,
                        customer=installment.partner_id.name,
                    )
                )
            if currency.compare_amounts(move.amount_total, installment.amount_residual):
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s totals %(total)s, taxes included, but "
                        "%(due)s is still due on %(installment)s: the invoice of an "
                        "installment is for the amount still due on it. Correct "
                        "the invoice (a price-included tax keeps the total), or "
                        "cancel it.",
                        invoice=move.display_name,
                        total=currency.format(move.amount_total),
                        due=currency.format(installment.amount_residual),
                        installment=installment.name,
                    )
                )
