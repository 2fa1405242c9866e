from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

# Terms that Legal has approved; changing them needs a new version (renewal).
LOCKED_FIELDS = {
    "partner_id",
    "title",
    "scope",
    "date_start",
    "date_end",
    "currency_id",
    "amount_total",
    "price_terms",
    "payment_terms",
    "installment_ids",
}


class CustomerAgreement(models.Model):
    _name = "customer.agreement"
    _description = "Cooperation Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "date_start desc, id desc"

    name = fields.Char(
        string="Number", readonly=True, copy=False, default="/", tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", default=lambda self: self.env.user, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    title = fields.Char(required=True)
    scope = fields.Text()
    date_signed = fields.Date(string="Signed On", tracking=True)
    date_start = fields.Date(string="Start Date")
    date_end = fields.Date(string="End Date")
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount_total = fields.Monetary(string="Total Amount", tracking=True)
    price_terms = fields.Text()
    payment_terms = fields.Text()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("legal_review", "Legal Review"),
            ("approved", "Approved"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
            ("renewed", "Renewed"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    legal_reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    legal_review_note = fields.Text(copy=False)
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Signed Original and Annexes", copy=False
    )
    previous_agreement_id = fields.Many2one(
        "customer.agreement", readonly=True, copy=False
    )
    renewal_agreement_id = fields.Many2one(
        "customer.agreement", readonly=True, copy=False
    )
    installment_ids = fields.One2many(
        "customer.agreement.installment", "agreement_id", string="Installments"
    )
    amount_received = fields.Monetary(compute="_compute_amounts", store=True)
    amount_due = fields.Monetary(compute="_compute_amounts", store=True)
    renewal_reminder_days = fields.Integer(default=30)

    @api.depends("installment_ids.amount", "installment_ids.amount_received")
    def _compute_amounts(self):
        for agreement in self:
            received = sum(agreement.installment_ids.mapped("amount_received"))
            agreement.amount_received = received
            agreement.amount_due = agreement.currency_id.round(
                sum(agreement.installment_ids.mapped("amount")) - received
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if (
                agreement.date_start
                and agreement.date_end
                and agreement.date_end < agreement.date_start
            ):
                raise ValidationError(
                    self.env._("The agreement must end after it starts.")
                )

    def _check_installments_total(self):
        for agreement in self:
            total = sum(agreement.installment_ids.mapped("amount"))
            if (
                float_compare(
                    total,
                    agreement.amount_total,
                    precision_rounding=agreement.currency_id.rounding,
                )
                != 0
            ):
                raise ValidationError(
                    self.env._(
                        "The installments of %(agreement)s add up to %(sum)s "
                        "but the agreement total is %(total)s.",
                        agreement=agreement.display_name,
                        sum=total,
                        total=agreement.amount_total,
                    )
                )

    def write(self, vals):
        if LOCKED_FIELDS & set(vals) and any(a.state not in ("draft",) for a in self):
            raise UserError(
                self.env._(
                    "An agreement under review or approved cannot be changed; "
                    "renew it to make a new version."
                )
            )
        return super().write(vals)

    def _check_state(self, states):
        for agreement in self:
            if agreement.state not in states:
                raise UserError(
                    self.env._(
                        "This action is not possible for agreement %(name)s "
                        "in its current state.",
                        name=agreement.display_name,
                    )
                )

    def _check_legal(self):
        if not self.env.user.has_group("customer_policy.group_legal"):
            raise UserError(
                self.env._("Only the Legal department can review agreements.")
            )

    def action_submit_legal(self):
        self._check_state(["draft"])
        self._check_installments_total()
        self.write({"state": "legal_review"})

    def action_legal_approve(self):
        self._check_legal()
        self._check_state(["legal_review"])
        for agreement in self:
            number = self.env["ir.sequence"].next_by_code(
                "customer.agreement", sequence_date=fields.Date.context_today(self)
            )
            agreement.write(
                {
                    "state": "approved",
                    "name": number,
                    "legal_reviewer_id": self.env.user.id,
                }
            )

    def action_legal_reject(self, reason):
        self._check_legal()
        self._check_state(["legal_review"])
        if not reason:
            raise UserError(self.env._("Give the reason for the rejection."))
        self.write(
            {
                "state": "draft",
                "legal_reviewer_id": self.env.user.id,
                "legal_review_note": reason,
            }
        )

    def action_activate(self):
        self._check_state(["approved"])
        for agreement in self:
            if not agreement.attachment_ids or not agreement.date_signed:
                raise UserError(
                    self.env._(
                        "Attach the signed original and set the signing date "
                        "before activating %(name)s.",
                        name=agreement.display_name,
                    )
                )
        self.write({"state": "active"})

    def action_terminate(self, reason):
        self._check_state(["approved", "active"])
        if not reason:
            raise UserError(self.env._("Give the reason for the termination."))
        self.write({"state": "terminated"})
        for agreement in self:
            agreement.message_post(body=reason)

    def action_renew(self):
        self._check_state(["active", "expired"])
        renewals = self.env["customer.agreement"]
        for agreement in self:
            renewal = agreement.copy(
                {
                    "previous_agreement_id": agreement.id,
                    "date_start": agreement.date_end,
                    "date_end": False,
                    "amount_total": 0.0,
                }
            )
            agreement.write({"state": "renewed", "renewal_agreement_id": renewal.id})
            renewals |= renewal
        return renewals

    @api.model
    def _customer_policy_annual_amounts(self, partners):
        """Contract amount of active agreements signed in the last 12 months,
        in company currency, per commercial partner: {partner_id: amount}."""
        today = fields.Date.context_today(self)
        groups = self.sudo()._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "active"),
                ("date_signed", ">", fields.Date.subtract(today, years=1)),
            ],
            ["partner_id", "currency_id", "company_id"],
            ["amount_total:sum"],
        )
        result = dict.fromkeys(partners.ids, 0.0)
        for partner, currency, company, amount in groups:
            result[partner.id] += currency._convert(
                amount, company.currency_id, company, today
            )
        return result

    @api.model
    def _cron_expire_agreements(self):
        today = fields.Date.context_today(self)
        self.search([("state", "=", "active"), ("date_end", "<", today)]).write(
            {"state": "expired"}
        )
