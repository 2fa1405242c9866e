from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_agreement import LEDGER_STATES, RECEIVABLE_STATES

# What a posted payment is: changing one of these means cancelling it.
POSTED_LOCKED_FIELDS = {"partner_id", "agreement_id", "date", "amount", "currency_id"}


class CustomerPayment(models.Model):
    _name = "customer.payment"
    _description = "Customer Payment Received"
    _inherit = ("customer.policy.customer.mixin", "mail.thread")
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        check_company=True, domain="[('is_company', '=', True)]"
    )
    agreement_id = fields.Many2one(
        comodel_name="customer.agreement",
        index=True,
        tracking=True,
        check_company=True,
        domain=f"[('partner_id', '=', partner_id), ('state', 'in', {LEDGER_STATES!r})]",
        help="The agreement paid; empty: the customer's oldest open installments.",
    )
    # The customer's owner, whoever it is now (a payment has no owner of its own).
    user_id = fields.Many2one(
        related="commercial_partner_id.user_id",
        string="Owner",
        readonly=True,
        help=None,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    amount = fields.Monetary(required=True, tracking=True)
    reference = fields.Char(help="Bank reference, receipt or voucher number.")
    note = fields.Text()
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("posted", "Posted"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    allocation_ids = fields.One2many(
        comodel_name="customer.payment.allocation",
        inverse_name="payment_id",
        string="Allocations",
        readonly=True,
    )
    amount_allocated = fields.Monetary(compute="_compute_amount_allocated", store=True)
    amount_unallocated = fields.Monetary(
        string="Unallocated Credit",
        compute="_compute_amount_allocated",
        store=True,
        help="Received beyond the open installments: a credit of the customer.",
    )

    # === COMPUTE METHODS === #

    @api.depends("agreement_id")
    def _compute_currency_id(self):
        for payment in self:
            payment.currency_id = (
                payment.agreement_id.currency_id
                or payment.currency_id
                or payment.company_id.currency_id
                or self.env.company.currency_id
            )

    @api.depends("amount", "state", "allocation_ids.amount")
    def _compute_amount_allocated(self):
        for payment in self:
            round_ = payment.currency_id.round
            allocated = round_(sum(payment.allocation_ids.mapped("amount")))
            payment.amount_allocated = allocated
            payment.amount_unallocated = (
                round_(payment.amount - allocated) if payment.state == "posted" else 0.0
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("amount")
    def _check_amount(self):
        for payment in self:
            if payment.currency_id.compare_amounts(payment.amount, 0) <= 0:
                raise ValidationError(
                    self.env._("A payment received must be a positive amount.")
                )

    @api.constrains("partner_id", "agreement_id", "currency_id")
    def _check_agreement(self):
        for payment in self:
            agreement = payment.agreement_id
            if not agreement:
                continue
            if agreement.partner_id != payment.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s belongs to %(owner)s, not to "
                        "%(customer)s: a payment is allocated only to its own "
                        "customer's agreements.",
                        agreement=agreement.display_name,
                        owner=agreement.partner_id.name,
                        customer=payment.partner_id.name,
                    )
                )
            if agreement.currency_id != payment.currency_id:
                raise ValidationError(
                    self.env._(
                        "Record the payment in %(currency)s, the currency of "
                        "agreement %(agreement)s.",
                        currency=agreement.currency_id.name,
                        agreement=agreement.display_name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        payments = super().create(vals_list)
        for payment in payments:
            payment.name = (
                self.env["ir.sequence"]
                .sudo()
                .with_company(payment.company_id)
                .next_by_code("customer.payment", sequence_date=payment.date)
                or "/"
            )
        return payments

    def write(self, vals):
        if POSTED_LOCKED_FIELDS & set(vals) and any(p.state != "draft" for p in self):
            raise UserError(
                self.env._(
                    "A posted or cancelled payment cannot be changed: cancel it and "
                    "record the correct one."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for payment in self:
            if payment.state != "draft":
                raise UserError(
                    self.env._(
                        "Payment %(payment)s was posted: the ledger keeps it. Cancel "
                        "it instead.",
                        payment=payment.name,
                    )
                )

    # === ACTION METHODS === #

    def action_post(self):
        vals_list = []
        # What each installment still owes once the earlier payments of this batch
        # are allocated: the allocations are written at once, not per payment.
        owed = {}
        for payment in self:
            if payment.state != "draft":
                raise UserError(
                    self.env._(
                        "Payment %(payment)s is already posted or cancelled.",
                        payment=payment.name,
                    )
                )
            if payment.agreement_id.state in ("draft", "legal_review"):
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s is not approved yet: nothing is due "
                        "under it.",
                        agreement=payment.agreement_id.display_name,
                    )
                )
            currency = payment.currency_id
            left = payment.amount
            for installment in payment._open_installments():
                if currency.compare_amounts(left, 0) <= 0:
                    break
                if installment not in owed:
                    owed[installment] = installment.amount_residual
                part = currency.round(min(left, owed[installment]))
                if currency.compare_amounts(part, 0) <= 0:
                    continue
                vals_list.append(
                    {
                        "payment_id": payment.id,
                        "installment_id": installment.id,
                        "amount": part,
                    }
                )
                owed[installment] = currency.round(owed[installment] - part)
                left = currency.round(left - part)
        # Allocations are the ledger's own bookkeeping: Finance posts, the
        # system writes them.
        self.env["customer.payment.allocation"].sudo().create(vals_list)
        self.write({"state": "posted"})
        return True

    def action_cancel(self):
        # Every payment may be cancelled, or none is: the allocations are
        # removed as superuser.
        self.check_access("write")
        for payment in self:
            if payment.state == "cancelled":
                continue
            payment.allocation_ids.sudo().unlink()
            payment.state = "cancelled"
        return True

    def action_draft(self):
        for payment in self:
            if payment.state != "cancelled":
                raise UserError(
                    self.env._("Only a cancelled payment goes back to draft.")
                )
        self.write({"state": "draft"})
        return True

    # === BUSINESS METHODS === #

    def _open_installments(self):
        """The installments this payment pays, oldest due first."""
        self.ensure_one()
        domain = [
            ("partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("state", "!=", "paid"),
            ("currency_id", "=", self.currency_id.id),
            ("agreement_state", "in", RECEIVABLE_STATES),
            ("company_id", "=", self.company_id.id),
        ]
        if self.agreement_id:
            domain = [
                ("agreement_id", "=", self.agreement_id.id),
                ("state", "!=", "paid"),
            ]
        return (
            self.env["customer.agreement.installment"]
            .sudo()
            .search(domain, order="due_date, id")
        )
