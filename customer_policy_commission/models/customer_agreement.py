from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import float_compare, float_round

from .customer_commission_credit import CREDITS_BATCH
from .customer_commission_rule import KINDS, RATE_OPEN_STATES

# Who may change what an agreement earns: the department manager its costs and
# credits, a Director the rate. The system (sudo) may do both.
MANAGER_FIELDS = {"commission_cost", "credit_ids"}
DIRECTOR_FIELDS = {
    "commission_rule_id",
    "commission_rate",
    "commission_operations_share",
}


class CustomerAgreement(models.Model):
    _inherit = "customer.agreement"

    commission_kind = fields.Selection(
        selection=KINDS,
        compute="_compute_commission_kind",
        store=True,
    )
    commission_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Commission Currency"
    )
    commission_first_year_amount = fields.Monetary(
        string="First-Year Amount",
        compute="_compute_commission_first_year_amount",
        store=True,
        help="The installments due in the agreement's first twelve months: the "
        "amount commission is paid on.",
    )
    commission_cost = fields.Monetary(
        string="Costs to Deduct",
        copy=False,
        tracking=True,
        help="Costs incurred to win and serve the customer in the first year, "
        "deducted from the first-year amount before the rate applies. Entered by "
        "the department manager.",
    )
    commission_rule_id = fields.Many2one(
        comodel_name="customer.commission.rule",
        compute="_compute_commission_rate",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        help="The rule of the customer's tier for a new agreement or a renewal, "
        "fixed when Legal approves the agreement.",
    )
    commission_amount_change = fields.Float(
        string="Change of Amount (%)",
        digits=(16, 2),
        compute="_compute_commission_rate",
        store=True,
        copy=False,
        help="Renewals: change of the first-year amount against the previous "
        "agreement's.",
    )
    commission_rate = fields.Float(
        string="Commission Rate (%)",
        digits=(16, 2),
        compute="_compute_commission_rate",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
    )
    commission_operations_share = fields.Float(
        string="Operations Share (%)",
        digits=(16, 2),
        compute="_compute_commission_rate",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
    )
    credit_ids = fields.One2many(
        comodel_name="customer.commission.credit",
        inverse_name="agreement_id",
        string="Commission Credits",
        copy=False,
        help="Who earns the salespeople's commission, by share. By default the "
        "customer's developer for a new agreement, the owner for a renewal.",
    )
    commission_line_ids = fields.One2many(
        comodel_name="customer.commission.line",
        inverse_name="agreement_id",
        readonly=True,
    )
    commission_amount = fields.Monetary(
        string="Commission",
        currency_field="commission_currency_id",
        compute="_compute_commission_amount",
        help="(First-year amount - costs) × rate: earned as the first year's "
        "money comes in.",
    )
    commission_earned = fields.Monetary(
        currency_field="commission_currency_id",
        compute="_compute_commission_amount",
        help="Booked so far on the monthly statements, for what was collected.",
    )
    commission_can_edit = fields.Boolean(compute="_compute_commission_can_edit")
    commission_can_edit_rate = fields.Boolean(compute="_compute_commission_can_edit")

    @api.depends("previous_agreement_id")
    def _compute_commission_kind(self):
        for agreement in self:
            agreement.commission_kind = (
                "renewal" if agreement.previous_agreement_id else "new"
            )

    @api.depends("date_start", "installment_ids.amount", "installment_ids.due_date")
    def _compute_commission_first_year_amount(self):
        for agreement in self:
            end = agreement._commission_first_year_end()
            agreement.commission_first_year_amount = agreement.currency_id.round(
                sum(
                    installment.amount
                    for installment in agreement.installment_ids
                    if not end or (installment.due_date and installment.due_date < end)
                )
            )

    @api.depends(
        "state",
        "company_id",
        "partner_id.customer_tier_id",
        "commission_kind",
        "commission_first_year_amount",
        "previous_agreement_id.commission_first_year_amount",
    )
    def _compute_commission_rate(self):
        rules = self.env["customer.commission.rule"]._commission_rules_by_key(
            self.company_id
        )
        for agreement in self:
            if agreement.state not in RATE_OPEN_STATES and (
                agreement.commission_rule_id or agreement.commission_rate
            ):
                # Legal approved it: the rate is the signed agreement's. A
                # Director corrects it by hand, and the lines follow.
                continue
            rule = rules.get(
                (
                    agreement.company_id.id,
                    agreement.partner_id.commercial_partner_id.customer_tier_id.id,
                    agreement.commission_kind,
                )
            )
            change = agreement._commission_change()
            agreement.commission_rule_id = rule
            agreement.commission_amount_change = change or 0.0
            agreement.commission_rate = (
                rule._commission_adjusted_rate(change) if rule else 0.0
            )
            agreement.commission_operations_share = (
                rule.operations_share if rule else 0.0
            )

    @api.depends(
        "commission_first_year_amount",
        "commission_cost",
        "commission_rate",
        "commission_line_ids.amount",
    )
    def _compute_commission_amount(self):
        earned = dict(
            self.env["customer.commission.line"]
            .sudo()
            ._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["amount:sum"]
            )
        )
        expenses = self._commission_cost_from_expenses()
        for agreement in self:
            agreement.commission_amount = agreement._commission_totals(
                expenses.get(agreement.id, 0.0)
            )[1]
            agreement.commission_earned = earned.get(agreement._origin, 0.0)

    @api.depends_context("uid")
    def _compute_commission_can_edit(self):
        manager = self.env.user.has_group("customer_policy.group_manager")
        director = self.env.user.has_group("customer_policy.group_director")
        for agreement in self:
            agreement.commission_can_edit = manager
            agreement.commission_can_edit_rate = director

    # ------------------------------------------------------------------ rules

    @api.constrains("credit_ids")
    def _commission_check_credits(self):
        for agreement in self:
            total = sum(agreement.credit_ids.mapped("share"))
            if float_compare(total, 100.0, precision_digits=2) != 0:
                raise ValidationError(
                    self.env._(
                        "The commission credits of %(agreement)s add up to "
                        "%(total)s %%: they must add up to 100 %%.",
                        agreement=agreement.display_name,
                        total=float_round(total, precision_digits=2),
                    )
                )

    @api.constrains("commission_cost", "commission_rate", "commission_operations_share")
    def _commission_check_figures(self):
        for agreement in self:
            if agreement.currency_id.compare_amounts(agreement.commission_cost, 0) < 0:
                raise ValidationError(
                    self.env._("The costs to deduct cannot be negative.")
                )
            for value in (
                agreement.commission_rate,
                agreement.commission_operations_share,
            ):
                if value < 0 or value > 100:
                    raise ValidationError(
                        self.env._(
                            "The commission rate and the operations share are "
                            "percentages between 0 and 100."
                        )
                    )

    def _commission_check_rights(self, fnames):
        if self.env.su:
            return
        if DIRECTOR_FIELDS & fnames and not self.env.user.has_group(
            "customer_policy.group_director"
        ):
            raise AccessError(
                self.env._(
                    "Only a Director changes the commission rule, rate or operations "
                    "share of an agreement."
                )
            )
        if MANAGER_FIELDS & fnames and not self.env.user.has_group(
            "customer_policy.group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only the department manager or a Director changes the costs to "
                    "deduct and the commission credits of an agreement."
                )
            )

    # ------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            given = {
                name
                for name in MANAGER_FIELDS | DIRECTOR_FIELDS
                if vals.get(name) and name != "credit_ids"
            }
            if any(cmd[0] != Command.CLEAR for cmd in vals.get("credit_ids") or []):
                given.add("credit_ids")
            self._commission_check_rights(given)
        agreements = super(
            CustomerAgreement, self.with_context(**{CREDITS_BATCH: True})
        ).create(vals_list)
        agreements = agreements.with_env(self.env)
        agreements.filtered(
            lambda a: not a.credit_ids
        )._commission_set_default_credits()
        # Signed from a walk-in or an event: its credits, unless given explicitly.
        origins = self._commission_origin_fields()
        agreements.browse(
            [
                agreement.id
                for agreement, vals in zip(agreements, vals_list, strict=True)
                if any(vals.get(name) for name in origins)
                and not vals.get("credit_ids")
            ]
        )._commission_credit_from_origin()
        return agreements

    def write(self, vals):
        changed = (MANAGER_FIELDS | DIRECTOR_FIELDS) & set(vals)
        self._commission_check_rights(changed)
        following = (
            self._commission_following_default()
            if {"partner_id", "user_id"} & set(vals) and "credit_ids" not in vals
            else self.browse()
        )
        origins = self._commission_origin_fields() & set(vals)
        relinked = self.filtered(
            lambda a: any(a[name].id != (vals[name] or False) for name in origins)
        )
        relinked._commission_check_origin_rights()
        credited = relinked.filtered(lambda a: a._commission_origin_credits())
        records = self.with_context(**{CREDITS_BATCH: True}) if changed else self
        result = super(CustomerAgreement, records).write(vals)
        following._commission_set_default_credits()
        if changed:
            self._commission_refresh()
        if relinked and "credit_ids" not in vals:
            relinked._commission_credit_from_origin()
            # No longer signed from the walk-in or event that credited it.
            for agreement in credited.filtered(
                lambda a: not a._commission_origin_credits()
            ):
                agreement._commission_set_credits(
                    [(agreement._commission_default_credit_user(), 100.0)]
                )
        return result

    # --------------------------------------------------------------- credits

    def _commission_default_credit_user(self):
        """The developer of the customer for a new agreement (谁开发), the owner for
        a renewal; the owner too when the developer has left."""
        self.ensure_one()
        developer = self.partner_id.commercial_partner_id.customer_developer_id
        if self.commission_kind != "renewal" and developer.active:
            return developer
        return self.user_id

    def _commission_following_default(self):
        """Drafts whose credit is still the default one: it follows a new customer
        or owner."""
        return self.filtered(
            lambda a: (
                a.state in RATE_OPEN_STATES
                and (
                    not a.credit_ids
                    or (
                        len(a.credit_ids) == 1
                        and a.credit_ids.user_id == a._commission_default_credit_user()
                    )
                )
                and not a._commission_origin_credits()
            )
        )

    def _commission_set_default_credits(self):
        """Credit 100 % to the default colleague where it is not so yet.

        Nothing to book: until an agreement has credits, its lines already go to
        its default colleague (``_commission_parts``). Only agreements without
        credits or with their one default credit come here (creation,
        installation, a draft following its customer): that credit is moved,
        never deleted, so that the rest of the transaction keeps its cache.
        """
        credits = (
            self.env["customer.commission.credit"]
            .sudo()
            .with_context(**{CREDITS_BATCH: True})
        )
        to_create, to_move = [], defaultdict(lambda: credits.browse())
        for agreement in self:
            user = agreement._commission_default_credit_user()
            if not user or agreement.credit_ids.user_id == user:
                continue
            if agreement.credit_ids:
                to_move[user] |= agreement.credit_ids
            else:
                to_create.append(
                    {"agreement_id": agreement.id, "user_id": user.id, "share": 100.0}
                )
        for user, moved in to_move.items():
            moved.write({"user_id": user.id, "share": 100.0})
        credits.create(to_create)

    def _commission_set_credits(self, credits):
        """Credit the commission of these agreements to ``credits``.

        For other addons (the event addon credits a sale to the colleague who
        invited the customer): ``credits`` is a list of ``(user, share percent)``
        adding up to 100, the user a ``res.users`` record or id, optionally with
        the credit's reason as a third item, ``(user, share, reason)``. It runs as
        the system: the calling feature decides who may credit whom. Lines already
        booked follow at once.
        """
        commands = [Command.clear()] + [
            Command.create(
                {
                    "user_id": user.id if isinstance(user, models.BaseModel) else user,
                    "share": share,
                    "reason": reason[0] if reason else False,
                }
            )
            for user, share, *reason in credits
        ]
        self.sudo().write({"credit_ids": commands})
        return True

    # ------------------------------------------------- where the sale came from

    @api.model
    def _commission_origin_fields(self):
        """The fields that name what an agreement was signed from (a walk-in
        visit, a joint-event invitation): bridge addons add theirs.

        Where the origin gives credits (``_commission_origin_credits``) they
        replace the default credit. The salesperson drafting the agreement names
        its origin; changing it afterwards changes who is credited, so it is the
        department manager's, as the credits are.
        """
        return set()

    def _commission_origin_credits(self):
        """``[(user, share %, reason)]`` that the agreement's origin gives, or an
        empty list: no origin, or nothing credited there (no same-day deal, no
        sale credited at the event). Bridge addons extend it."""
        self.ensure_one()
        return []

    def _commission_credit_from_origin(self):
        """Credit the agreements as their origins say, where they say something.

        Bridges call it when an origin's credits change (the deal closed, the
        sale at the event was credited)."""
        for agreement in self:
            credits = agreement._commission_origin_credits()
            if credits:
                agreement._commission_set_credits(credits)
        return True

    def _commission_check_origin_rights(self):
        """Naming the origin of a draft that has none is the drafting
        salesperson's; anything else is the department manager's."""
        if self.env.su or self.env.user.has_group("customer_policy.group_manager"):
            return
        origins = self._commission_origin_fields()
        if any(
            agreement.state != "draft" or any(agreement[name] for name in origins)
            for agreement in self
        ):
            raise AccessError(
                self.env._(
                    "Only the department manager or a Director changes what an "
                    "agreement was signed from once it is set or the agreement is "
                    "past its draft: it decides who is credited with the commission."
                )
            )

    def _commission_parts(self):
        """{user id or False (the pool): fraction of the agreement's commission}."""
        self.ensure_one()
        pool = self.commission_operations_share / 100.0
        parts = {False: pool} if pool > 0 else {}
        credits = [(c.user_id.id, c.share) for c in self.credit_ids]
        if not credits:
            credits = [(self._commission_default_credit_user().id, 100.0)]
        for user_id, share in credits:
            parts[user_id] = parts.get(user_id, 0.0) + (1 - pool) * share / 100.0
        return parts

    # ---------------------------------------------------------------- amounts

    def _commission_first_year_end(self):
        self.ensure_one()
        return self.date_start and self.date_start + relativedelta(years=1)

    def _commission_change(self):
        """Change in percent of the first-year amount against the previous
        agreement's; ``None`` for a new agreement or nothing to compare."""
        self.ensure_one()
        previous = self.previous_agreement_id.commission_first_year_amount
        if not self.previous_agreement_id or previous <= 0:
            return None
        return float_round(
            (self.commission_first_year_amount - previous) / previous * 100,
            precision_digits=4,
        )

    def _commission_cost_from_expenses(self):
        """{agreement id: first-year expenses to deduct}, beside the costs entered.

        Nothing here: the glue addon of the expense bridge overrides it with the
        customer's expenses of the agreement's first year (and calls
        ``_commission_refresh()`` when they change).
        """
        return dict.fromkeys(self.ids, 0.0)

    def _commission_totals(self, expenses=None):
        """(base, commission) of the agreement in the company's currency: the
        first-year amount less the costs, and that times the rate.

        :param expenses: the first-year expenses to deduct, when the caller already
            has them (``_commission_cost_from_expenses()`` of many agreements)
        """
        self.ensure_one()
        if expenses is None:
            expenses = self._commission_cost_from_expenses().get(self.id, 0.0)
        base = max(
            self.commission_first_year_amount - self.commission_cost - expenses, 0.0
        )
        company = self.company_id
        if self.currency_id != company.currency_id:
            # One rate for the whole agreement: its lines add up to its commission.
            base = self.currency_id._convert(
                base,
                company.currency_id,
                company,
                self.date_signed or self.date_start or fields.Date.context_today(self),
                round=False,
            )
        commission = base * self.commission_rate / 100.0
        currency = company.currency_id
        return currency.round(base), currency.round(commission)

    def _commission_collected(self):
        """{agreement id: {month: first-year installments' money collected}}.

        Posted payments allocated to the installments due in the first year;
        money collected before the company's commission start date earns nothing.
        """
        per_company = [
            [("company_id", "=", company.id)]
            + (
                [("date", ">=", company.commission_date_start)]
                if company.commission_date_start
                else []
            )
            for company in self.company_id
        ]
        domain = expression.AND(
            [[("agreement_id", "in", self.ids)], expression.OR(per_company)]
        )
        groups = (
            self.env["customer.payment.allocation"]
            .sudo()
            ._read_group(domain, ["installment_id", "date:month"], ["amount:sum"])
        )
        ends = {a.id: a._commission_first_year_end() for a in self}
        result = defaultdict(lambda: defaultdict(float))
        for installment, month, amount in groups:
            end = ends[installment.agreement_id.id]
            if end and not (installment.due_date and installment.due_date < end):
                continue
            result[installment.agreement_id.id][month] += amount
        return result

    def _commission_refresh(self):
        """Book what these agreements earned since the last time (see
        ``customer.commission.line._commission_book``)."""
        self.env["customer.commission.line"]._commission_book(self)
        return True

    # --------------------------------------------------------------- actions

    def action_view_commission_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_commission.action_customer_commission_line"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"search_default_group_month": 1}
        return action
