from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerPaymentAllocation(models.Model):
    _name = "customer.payment.allocation"
    _description = "Payment Allocated to an Installment"
    _order = "id"

    payment_id = fields.Many2one(
        comodel_name="customer.payment",
        required=True,
        ondelete="cascade",
        index=True,
    )
    installment_id = fields.Many2one(
        comodel_name="customer.agreement.installment",
        required=True,
        ondelete="restrict",
        index=True,
    )
    agreement_id = fields.Many2one(
        related="installment_id.agreement_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="installment_id.partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(related="payment_id.company_id", store=True)
    currency_id = fields.Many2one(related="payment_id.currency_id", store=True)
    date = fields.Date(related="payment_id.date", store=True)
    amount = fields.Monetary(required=True)

    @api.constrains("amount", "payment_id", "installment_id")
    def _check_allocation(self):
        for allocation in self:
            payment = allocation.payment_id
            installment = allocation.installment_id
            currency = allocation.currency_id
            if currency.compare_amounts(allocation.amount, 0) <= 0:
                raise ValidationError(
                    self.env._("An allocation must be a positive amount.")
                )
            if installment.partner_id != payment.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A payment of %(customer)s cannot pay an installment of "
                        "%(other)s.",
                        customer=payment.partner_id.name,
                        other=installment.partner_id.name,
                    )
                )
            if currency.compare_amounts(installment.amount_residual, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "%(installment)s would receive more than its amount.",
                        installment=installment.name,
                    )
                )
