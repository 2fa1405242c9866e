from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import MissingError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

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
    "company_id",
}
# Agreement states whose unpaid installments the customer owes: reviewed by Legal
# and not terminated. Payments are allocated to them, the customer's amount due
# and the collection count them.
RECEIVABLE_STATES = ("approved", "active", "expired", "renewed")
# The ledger (对账) also keeps what a terminated agreement left unpaid.
LEDGER_STATES = (*RECEIVABLE_STATES, "terminated")
# Agreements still running: they need an owner for renewal and collection.
RUNNING_STATES = ("draft", "legal_review", "approved", "active")
# Agreements that passed Legal's review: signed business, whatever became of them
# since (expired, renewed, terminated). The annual contract amount counts them.
REVIEWED_STATES = LEDGER_STATES


class CustomerAgreement(models.Model):
    _name = "customer.agreement"
    _description = "Cooperation Agreement"
    _inherit = ("customer.policy.customer.mixin", "mail.thread", "mail.activity.mixin")
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        readonly=True,
        copy=False,
        default="/",
        tracking=True,
        help="Assigned when Legal approves the agreement; never reused.",
    )
    partner_id = fields.Many2one(
        check_company=True, domain="[('is_company', '=', True)]"
    )
    user_id = fields.Many2one(
        string="Owner",
        help="The salesperson who follows the agreement: by default the customer's.",
    )
    title = fields.Char(required=True, tracking=True)
    scope = fields.Text(help="What the cooperation covers: products, services, areas.")
    date_signed = fields.Date(string="Signed On", tracking=True, copy=False)
    date_start = fields.Date(string="Start Date", tracking=True)
    date_end = fields.Date(string="End Date", tracking=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount_total = fields.Monetary(string="Total Amount", tracking=True)
    price_terms = fields.Text()
    payment_terms = fields.Text()
    state = fields.Selection(
        selection=[
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
        index=True,
    )
    legal_reviewer_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False, tracking=True
    )
    legal_review_note = fields.Text(readonly=True, copy=False, tracking=True)
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="customer_agreement_attachment_rel",
        column1="agreement_id",
        column2="attachment_id",
        string="Signed Original and Annexes",
        copy=False,
    )
    previous_agreement_id = fields.Many2one(
        comodel_name="customer.agreement",
        string="Previous Version",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    renewal_agreement_id = fields.Many2one(
        comodel_name="customer.agreement",
        string="Renewal",
        readonly=True,
        copy=False,
    )
    installment_ids = fields.One2many(
        comodel_name="customer.agreement.installment",
        inverse_name="agreement_id",
        string="Installments",
    )
    # The payments are the ledger's: Legal reviews agreements, not what was paid.
    payment_ids = fields.One2many(
        comodel_name="customer.payment",
        inverse_name="agreement_id",
        string="Payments",
        groups="customer_policy.group_user,customer_policy.group_finance",
    )
    amount_received = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        help="Posted payments allocated to the installments.",
    )
    amount_due = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        help="What the customer still owes under the agreement.",
    )
    amount_overdue = fields.Monetary(compute="_compute_amounts", store=True)
    renewal_reminder_days = fields.Integer(
        default=lambda self: self.env.company.customer_renewal_reminder_days,
        help="Days before the end date when the owner is reminded to discuss the "
        "renewal.",
    )
    renewal_reminded = fields.Boolean(readonly=True, copy=False)
    termination_reason = fields.Text(readonly=True, copy=False)
    payment_count = fields.Integer(
        compute="_compute_payment_count",
        groups="customer_policy.group_user,customer_policy.group_finance",
    )

    # === COMPUTE METHODS === #

    @api.depends("partner_id")
    def _compute_user_id(self):
        for agreement in self:
            agreement.user_id = (
                agreement.partner_id.commercial_partner_id.user_id
                or agreement.user_id
                or self.env.user
            )

    @api.depends(
        "installment_ids.amount",
        "installment_ids.amount_received",
        "installment_ids.state",
    )
    def _compute_amounts(self):
        # Grouped: an agreement may carry many installments (the daily cron
        # recomputes thousands of agreements at once).
        received, due, overdue = {}, {}, {}
        for agreement, state, amount_received, amount_residual in (
            self.env["customer.agreement.installment"]
            .sudo()
            ._read_group(
                [("agreement_id", "in", self.ids)],
                ["agreement_id", "state"],
                ["amount_received:sum", "amount_residual:sum"],
            )
        ):
            received[agreement] = received.get(agreement, 0.0) + amount_received
            due[agreement] = due.get(agreement, 0.0) + amount_residual
            if state == "overdue":
                overdue[agreement] = amount_residual
        for agreement in self:
            round_ = agreement.currency_id.round
            key = agreement._origin
            agreement.amount_received = round_(received.get(key, 0.0))
            agreement.amount_due = round_(due.get(key, 0.0))
            agreement.amount_overdue = round_(overdue.get(key, 0.0))

    def _compute_payment_count(self):
        counts = dict(
            self.env["customer.payment"]._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.payment_count = counts.get(agreement, 0)

    @api.depends("name", "title")
    def _compute_display_name(self):
        for agreement in self:
            number = (
                agreement.name
                if agreement.name and agreement.name != "/"
                # Numbered on Legal's approval: "Draft" would be wrong while
                # Legal reviews it.
                else self.env._("Unnumbered")
            )
            agreement.display_name = (
                f"{number} {agreement.title}" if agreement.title else number
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if (
                agreement.date_start
                and agreement.date_end
                and agreement.date_end < agreement.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s must end after it starts.",
                        agreement=agreement.display_name,
                    )
                )

    @api.constrains("amount_total", "renewal_reminder_days")
    def _check_amount_total(self):
        for agreement in self:
            if agreement.currency_id.compare_amounts(agreement.amount_total, 0) < 0:
                raise ValidationError(
                    self.env._("The total amount of an agreement cannot be negative.")
                )
            if agreement.renewal_reminder_days < 0:
                raise ValidationError(
                    self.env._(
                        "The renewal reminder cannot be a negative number of days."
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for agreement in self:
            if agreement.partner_id != agreement.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Sign the agreement with the customer %(customer)s itself, "
                        "not with one of its contact persons.",
                        customer=agreement.partner_id.commercial_partner_id.name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # The number comes with Legal's approval, never from the caller.
            vals["name"] = "/"
        self._customer_policy_check_customer_access(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        agreements = super().create(vals_list)
        agreements._link_attachments()
        return agreements

    def write(self, vals):
        self._check_editable_terms(vals)
        if vals.get("partner_id"):
            self._customer_policy_check_customer_access({vals["partner_id"]})
        result = super().write(vals)
        if "attachment_ids" in vals:
            self._link_attachments()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for agreement in self:
            if agreement.state != "draft" or agreement.name != "/":
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s was reviewed: it stays in the "
                        "register. Terminate it instead.",
                        agreement=agreement.display_name,
                    )
                )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for agreement, vals in zip(self, vals_list, strict=True):
            vals.setdefault("title", agreement.title)
        return vals_list

    # === ACTION METHODS === #

    def action_submit_legal(self):
        self._check_state(["draft"])
        self._check_installments_total()
        self.write({"state": "legal_review"})
        legal = self.env.ref("customer_policy.group_legal").sudo().users
        for agreement in self:
            agreement.message_post(
                body=self.env._("Submitted to Legal for review."),
                partner_ids=legal.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_legal_approve(self):
        self._check_legal()
        self._check_state(["legal_review"])
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement._check_installments_total()
            # Legal reads agreements without owning them: the review is written
            # by the system once the duty is checked.
            agreement.sudo().write(
                {
                    "state": "approved",
                    "name": self.env["ir.sequence"]
                    .sudo()
                    .with_company(agreement.company_id)
                    .next_by_code("customer.agreement", sequence_date=today),
                    "legal_reviewer_id": self.env.uid,
                }
            )
        return True

    def action_legal_reject(self, reason):
        self._check_legal()
        self._check_state(["legal_review"])
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason why Legal rejects it."))
        self.sudo().write(
            {
                "state": "draft",
                "legal_reviewer_id": self.env.uid,
                "legal_review_note": reason,
            }
        )
        for agreement in self:
            agreement.sudo().message_post(
                body=self.env._("Rejected by Legal: %(reason)s", reason=reason),
                partner_ids=agreement.user_id.partner_id.ids,
            )
        return True

    def action_activate(self):
        self._check_state(["approved"])
        for agreement in self:
            if not agreement.attachment_ids or not agreement.date_signed:
                raise UserError(
                    self.env._(
                        "Attach the signed original and set the signing date before "
                        "activating %(agreement)s.",
                        agreement=agreement.display_name,
                    )
                )
        self.write({"state": "active"})
        self._customer_policy_create_return_schedules()
        return True

    def action_terminate(self, reason):
        self._check_state(["approved", "active"])
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the termination."))
        self.write({"state": "terminated", "termination_reason": reason})
        for agreement in self:
            agreement.message_post(
                body=self.env._("Terminated: %(reason)s", reason=reason)
            )
        return True

    def action_renew(self):
        self._check_state(["active", "expired"])
        renewals = self.env["customer.agreement"]
        for agreement in self:
            renewal = agreement.copy(
                {
                    "previous_agreement_id": agreement.id,
                    "date_start": agreement.date_end
                    and agreement.date_end + timedelta(days=1),
                    "date_end": False,
                    "amount_total": 0.0,
                }
            )
            agreement.write({"state": "renewed", "renewal_agreement_id": renewal.id})
            renewals |= renewal
        if len(renewals) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "customer.agreement",
                "res_id": renewals.id,
                "view_mode": "form",
            }
        return True

    def action_open_reason_wizard(self):
        """Ask for the reason of a rejection or a termination."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Give a Reason"),
            "res_model": "customer.agreement.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_agreement_id": self.id,
                "default_action": self.env.context.get("reason_action", "reject"),
            },
        }

    def action_view_payments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payments"),
            "res_model": "customer.payment",
            "view_mode": "list,form",
            "domain": [("agreement_id", "=", self.id)],
            "context": {
                "default_agreement_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }

    # === BUSINESS METHODS === #

    def _check_installments_total(self):
        for agreement in self:
            total = sum(agreement.installment_ids.mapped("amount"))
            rounding = agreement.currency_id.rounding
            if not agreement.installment_ids and not float_is_zero(
                agreement.amount_total, precision_rounding=rounding
            ):
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s has no payment schedule: add its "
                        "installments.",
                        agreement=agreement.display_name,
                    )
                )
            if (
                float_compare(
                    total, agreement.amount_total, precision_rounding=rounding
                )
                != 0
            ):
                raise ValidationError(
                    self.env._(
                        "The installments of %(agreement)s add up to %(sum)s but the "
                        "agreement total is %(total)s: they must be equal.",
                        agreement=agreement.display_name,
                        sum=agreement.currency_id.format(total),
                        total=agreement.currency_id.format(agreement.amount_total),
                    )
                )

    def _check_editable_terms(self, names):
        if LOCKED_FIELDS & set(names) and any(a.state != "draft" for a in self):
            raise UserError(
                self.env._(
                    "An agreement in legal review or approved cannot be changed: its "
                    "terms, amounts and payment schedule are what Legal reviewed. "
                    "Renew it to make a new version."
                )
            )

    def _check_state(self, states):
        if self - self.exists():
            raise MissingError(
                self.env._("This agreement no longer exists: reload the page.")
            )
        for agreement in self:
            if agreement.state not in states:
                state_names = dict(self._fields["state"].selection)
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s is %(state)s: this step is not "
                        "possible now.",
                        agreement=agreement.display_name,
                        state=state_names[agreement.state],
                    )
                )

    def _check_legal(self):
        # The superuser (data files, imports) stands in for Legal.
        if not self.env.su and not self.env.user.has_group(
            "customer_policy.group_legal"
        ):
            raise UserError(
                self.env._(
                    "Only the Legal department reviews agreements: ask a colleague "
                    "with the Legal duty."
                )
            )

    def _link_attachments(self):
        """Attach the uploaded originals to their agreement.

        Odoo lets only its uploader read an attachment linked to no record: once it
        belongs to the agreement, whoever may read the agreement (its owner, the
        manager, Legal, Finance) may read the signed original too. Only the
        caller's own loose uploads are claimed, never another user's.
        """
        for agreement in self:
            loose = agreement.sudo().attachment_ids.filtered(
                lambda a: (
                    not a.res_id and (self.env.su or a.create_uid == self.env.user)
                )
            )
            loose.write({"res_model": self._name, "res_id": agreement.id})

    def _customer_policy_customer_access_message(self, customers):
        return self.env._(
            "You cannot draw up an agreement with %(customers)s: you do not have "
            "access to this customer. Ask its owner or your manager.",
            customers=customers,
        )

    @api.model
    def _customer_policy_handover_domain(self):
        # The running ones need an owner for renewal, and those still owed money
        # one for collection; the others keep who signed them.
        return [
            "|",
            ("state", "in", list(RUNNING_STATES)),
            "&",
            ("state", "in", list(RECEIVABLE_STATES)),
            ("amount_due", ">", 0),
        ]

    def _prepare_return_schedule_vals(self):
        # No end of service: the project stays in service after the agreement
        # ends, until someone closes its schedule (or the termination says so).
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "name": self.display_name,
            "delivery_date": self.date_start or self.date_signed,
            "agreement_id": self.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
        }

    def _customer_policy_close_return_schedules(self):
        """End the service of the projects these agreements delivered."""
        schedules = (
            self.env["customer.return.schedule"]
            .sudo()
            .search([("agreement_id", "in", self.ids), ("state", "=", "in_service")])
        )
        if schedules:
            schedules.action_close()
        return schedules

    def _customer_policy_create_return_schedules(self):
        """Delivered cooperations get return visits (回访) planned for the owner.

        The schedule is a consequence of the activation, not something the
        activating user (often a manager or Legal) has to be allowed to plan.
        """
        return (
            self.env["customer.return.schedule"]
            .sudo()
            .create([agreement._prepare_return_schedule_vals() for agreement in self])
        )

    @api.model
    def _customer_policy_annual_amounts(self, partners=None, today=None):
        """Contract amount of the agreements signed in the 12 months up to
        ``today`` that passed Legal's review, in the company currency, per
        customer: ``{partner id: amount}``, for ``partners`` or, when ``None``,
        for every customer that has such agreements.

        One grouped read; one conversion rate per currency and company.
        """
        today = today or fields.Date.context_today(self)
        domain = [
            ("state", "in", list(REVIEWED_STATES)),
            ("date_signed", ">", fields.Date.subtract(today, years=1)),
        ]
        result = {}
        if partners is not None:
            result = dict.fromkeys(partners.ids, 0.0)
            domain.append(("partner_id", "in", partners.ids))
        groups = self.sudo()._read_group(
            domain,
            ["partner_id", "currency_id", "company_id"],
            ["amount_total:sum"],
        )
        rates = {}
        for partner, currency, company, amount in groups:
            if (currency, company) not in rates:
                rates[currency, company] = currency._get_conversion_rate(
                    currency, company.currency_id, company, today
                )
            result[partner.id] = (
                result.get(partner.id, 0.0) + amount * rates[currency, company]
            )
        return result
