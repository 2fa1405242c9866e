from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..report.customer_kpi_report import MEASURES, RATES
from ..tools.period import PERIOD_MONTHS, period_end, period_start

# The figures a scorecard copies from the KPI report when it is refreshed.
_KPI_FIGURES = (
    "new_customers",
    "registrations_on_time",
    "registrations_late",
    "visits_done",
    "visits_required",
    "visits_compliant",
    "visit_compliance",
    "complaints_received",
    "complaints_resolved",
    "complaints_responded",
    "complaints_rated",
    "resolution_rate",
    "avg_first_response_hours",
    "satisfaction_avg",
    "customers_lost",
    "repeat_purchase_customers",
    "contract_amount",
    "payment_amount",
    "overdue_amount",
)
DIMENSIONS = ("development", "service", "relationship", "sales")
# What the system writes on a confirmed scorecard: the yearly ranking.
_RANKING_FIELDS = frozenset(
    {"rank", "award_development", "award_service", "award_relationship"}
)
_FREE_FIELDS = frozenset(
    {"message_main_attachment_id", "message_follower_ids", "activity_ids"}
)
# What the manager writes on a draft scorecard; every other field is the
# scorecard's own (figures, scores, who and when), written by its steps.
_MANAGER_FIELDS = frozenset({"adjustment", "adjustment_reason", "manager_comment"})


class CustomerKpiScorecard(models.Model):
    """A salesperson's scorecard (考核表) for a month, a quarter or a year.

    While in draft it reads its figures from the KPI report and scores the four
    dimensions of the policy — customer development, service, relationship and
    sales — against the targets of the approved plan (else the company's), with
    the company's weights; the department manager comments and may adjust the
    score with a reason. Confirming freezes every figure and score: a later
    change to a visit, a ticket or an agreement does not alter it. The yearly
    scorecards rank the staff and propose the policy's awards."""

    _name = "customer.kpi.scorecard"
    _description = "KPI Scorecard"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "period_start desc, final_score desc, id"
    _check_company_auto = True
    _sql_constraints = (
        (
            "period_user_uniq",
            "unique(user_id, period_type, period_start, company_id)",
            "A salesperson has one scorecard per period.",
        ),
    )

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        required=True,
        index=True,
        domain=[("share", "=", False)],
        readonly=True,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        compute="_compute_team_id",
        store=True,
        index=True,
        help="The salesperson's department when the scorecard was made: its "
        "manager comments, adjusts and confirms it.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(
        selection=[("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Yearly")],
        required=True,
        default="month",
        readonly=True,
    )
    period_start = fields.Date(
        string="Period",
        required=True,
        readonly=True,
        help="First day of the month, quarter or year.",
    )
    period_end = fields.Date(compute="_compute_period_end", store=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_date = fields.Date(readonly=True, copy=False)

    # The figures, copied from the KPI report; frozen once confirmed.
    new_customers = fields.Integer(readonly=True)
    new_customers_previous = fields.Integer(
        string="New Customers (previous period)", readonly=True
    )
    growth_rate = fields.Float(
        string="Growth (%)",
        readonly=True,
        help="New customers against the previous period's.",
    )
    registrations_on_time = fields.Integer(string="Registered on Time", readonly=True)
    registrations_late = fields.Integer(string="Registered Late", readonly=True)
    visits_done = fields.Integer(readonly=True)
    visits_required = fields.Integer(readonly=True)
    visits_compliant = fields.Integer(string="Required Visits Made", readonly=True)
    visit_compliance = fields.Float(string="Visit Compliance (%)", readonly=True)
    complaints_received = fields.Integer(readonly=True)
    complaints_resolved = fields.Integer(readonly=True)
    complaints_responded = fields.Integer(readonly=True)
    complaints_rated = fields.Integer(readonly=True)
    resolution_rate = fields.Float(string="Resolution Rate (%)", readonly=True)
    avg_first_response_hours = fields.Float(
        string="Average First Response (hours)", readonly=True
    )
    satisfaction_avg = fields.Float(string="Satisfaction (1-5)", readonly=True)
    customers_owned = fields.Integer(
        readonly=True, help="Registered customers the salesperson owns."
    )
    customers_lost = fields.Integer(readonly=True)
    churn_rate = fields.Float(
        string="Churn (%)",
        readonly=True,
        help="Customers lost against the customers owned and lost.",
    )
    repeat_purchase_customers = fields.Integer(string="Repeat Customers", readonly=True)
    repeat_purchase_rate = fields.Float(
        string="Repeat Purchase (%)",
        readonly=True,
        help="Repeat customers against the customers owned.",
    )
    contract_amount = fields.Monetary(readonly=True)
    payment_amount = fields.Monetary(string="Amount Received", readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    target_new_customers = fields.Integer(readonly=True)
    target_contract_amount = fields.Monetary(readonly=True)
    target_payment_amount = fields.Monetary(readonly=True)
    achievement_rate = fields.Float(
        string="Target Achievement (%)",
        readonly=True,
        help="Contract amount against its target.",
    )
    # Scores, each 0-100, and the weights they were combined with.
    development_score = fields.Float(readonly=True, aggregator="avg")
    service_score = fields.Float(readonly=True, aggregator="avg")
    relationship_score = fields.Float(readonly=True, aggregator="avg")
    sales_score = fields.Float(readonly=True, aggregator="avg")
    weight_development = fields.Integer(readonly=True)
    weight_service = fields.Integer(readonly=True)
    weight_relationship = fields.Integer(readonly=True)
    weight_sales = fields.Integer(readonly=True)
    total_score = fields.Float(
        readonly=True, aggregator="avg", help="The weighted scores, out of 100."
    )
    adjustment = fields.Float(
        tracking=True,
        help="Points the manager adds or takes away, within the company's limit.",
    )
    adjustment_reason = fields.Text(tracking=True)
    manager_comment = fields.Text(string="Manager's Comment")
    final_score = fields.Float(
        compute="_compute_final_score", store=True, aggregator="avg"
    )
    rank = fields.Integer(
        readonly=True,
        help="Place among the company's confirmed yearly scorecards of the year.",
    )
    award_development = fields.Boolean(
        string="Best Development Award (proposed)", readonly=True
    )
    award_service = fields.Boolean(
        string="Best Service Award (proposed)", readonly=True
    )
    award_relationship = fields.Boolean(
        string="Best Relationship Award (proposed)", readonly=True
    )

    # === COMPUTE METHODS === #

    @api.depends("user_id.name", "period_type", "period_start")
    def _compute_name(self):
        for card in self:
            card.name = f"{card._customer_policy_period_label()} {card.user_id.name}"

    @api.depends("user_id")
    def _compute_team_id(self):
        for card in self:
            card.team_id = card.user_id.sale_team_id

    @api.depends("period_type", "period_start")
    def _compute_period_end(self):
        for card in self:
            card.period_end = card.period_start and period_end(
                card.period_start, card.period_type
            )

    @api.depends("total_score", "adjustment")
    def _compute_final_score(self):
        for card in self:
            card.final_score = round(card.total_score + card.adjustment, 2)

    # === CONSTRAINT METHODS === #

    @api.constrains("period_type", "period_start")
    def _check_period_start(self):
        for card in self:
            if card.period_start != period_start(card.period_start, card.period_type):
                raise ValidationError(
                    self.env._(
                        "A scorecard's period starts on the first day of its month, "
                        "quarter or year: %(date)s is not.",
                        date=card.period_start,
                    )
                )

    @api.constrains("adjustment", "adjustment_reason")
    def _check_adjustment(self):
        for card in self:
            limit = card.company_id.kpi_max_adjustment
            if abs(card.adjustment) > limit:
                raise ValidationError(
                    self.env._(
                        "An adjustment is at most %(limit)s points either way.",
                        limit=limit,
                    )
                )
            if card.adjustment and not (card.adjustment_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason for adjusting the score of %(card)s.",
                        card=card.name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A new scorecard is a draft, unranked: its figures and scores are
            # read at once from the records.
            for name in (
                "state",
                "confirmed_by_id",
                "confirmed_date",
                *_RANKING_FIELDS,
            ):
                vals.pop(name, None)
        cards = super().create(vals_list)
        cards._customer_policy_check_manager()
        cards._customer_policy_refresh()
        return cards

    def write(self, vals):
        if not self.env.context.get("customer_policy_scorecard_step"):
            if "state" in vals:
                raise UserError(
                    self.env._(
                        "A scorecard is confirmed with its Confirm button, reopened "
                        "with Reset to Draft."
                    )
                )
            if set(vals) - _FREE_FIELDS - _MANAGER_FIELDS and not self.env.su:
                raise UserError(
                    self.env._(
                        "A scorecard's figures and scores come from the records: "
                        "refresh it rather than change them."
                    )
                )
            if set(vals) - _FREE_FIELDS:
                self._customer_policy_check_manager()
                confirmed = self.filtered(lambda card: card.state == "confirmed")
                if confirmed:
                    raise UserError(
                        self.env._(
                            "%(card)s is confirmed: its figures and scores are "
                            "frozen. A Director may reset it to draft.",
                            card=confirmed[0].name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if any(card.state == "confirmed" for card in self):
            raise UserError(
                self.env._("A confirmed scorecard is kept: reset it to draft first.")
            )

    # === ACTION METHODS === #

    def action_refresh(self):
        if any(card.state != "draft" for card in self):
            raise UserError(self.env._("Only a draft scorecard is refreshed."))
        self._customer_policy_check_manager()
        self._customer_policy_refresh()
        return True

    def action_confirm(self):
        if any(card.state != "draft" for card in self):
            raise UserError(self.env._("Only a draft scorecard can be confirmed."))
        self._customer_policy_check_manager()
        # The figures of the day it is confirmed, then never again.
        self._customer_policy_refresh()
        self.with_context(customer_policy_scorecard_step=True).write(
            {
                "state": "confirmed",
                "confirmed_by_id": self.env.uid,
                "confirmed_date": fields.Date.context_today(self),
            }
        )
        self._customer_policy_rank_years()
        return True

    def action_reset_to_draft(self):
        if not (
            self.env.su or self.env.user.has_group("customer_policy.group_director")
        ):
            raise AccessError(
                self.env._("Only a Director reopens a confirmed scorecard.")
            )
        self.with_context(customer_policy_scorecard_step=True).write(
            {
                "state": "draft",
                "confirmed_by_id": False,
                "confirmed_date": False,
                "rank": 0,
                "award_development": False,
                "award_service": False,
                "award_relationship": False,
            }
        )
        self._customer_policy_rank_years()
        return True

    # === BUSINESS METHODS === #

    def _customer_policy_period_label(self):
        self.ensure_one()
        start = self.period_start
        if not start:
            return ""
        if self.period_type == "year":
            return str(start.year)
        if self.period_type == "quarter":
            return f"{start.year} Q{(start.month - 1) // 3 + 1}"
        return f"{start.year}-{start.month:02d}"

    def _customer_policy_check_manager(self):
        """The department manager of the salesperson, or a Director, works on a
        scorecard; nobody on their own."""
        if self.env.su or self.env.user.has_group("customer_policy.group_director"):
            return
        for card in self:
            if card.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You cannot score yourself: %(card)s is for your manager "
                        "or a Director.",
                        card=card.name,
                    )
                )
            if card.team_id.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "%(card)s is scored by the manager of %(team)s or a Director.",
                        card=card.name,
                        team=card.team_id.name or self.env._("their department"),
                    )
                )

    def _customer_policy_kpi_figures(self, start, months):
        """{measure or rate: value} of the salesperson over ``months`` months from
        ``start``, from the KPI report (as the superuser: the scorecard's own
        rules decide who reads it)."""
        self.ensure_one()
        rates = list(RATES)
        aggregates = [f"{name}:sum" for name in MEASURES] + [
            f"{name}:avg" for name in rates
        ]
        values = (
            self.env["customer.kpi.report"]
            .sudo()
            ._read_group(
                [
                    ("user_id", "=", self.user_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("month", ">=", start),
                    ("month", "<", start + relativedelta(months=months)),
                ],
                [],
                aggregates,
            )[0]
        )
        return {
            name: value or 0
            for name, value in zip([*MEASURES, *rates], values, strict=True)
        }

    def _customer_policy_refresh(self):
        """Copy the figures of the period from the KPI report and score them."""
        for card in self:
            months = PERIOD_MONTHS[card.period_type]
            figures = card._customer_policy_kpi_figures(card.period_start, months)
            previous = card._customer_policy_kpi_figures(
                card.period_start - relativedelta(months=months), months
            )
            owned = (
                self.env["res.partner"]
                .sudo()
                .search_count(
                    [
                        ("user_id", "=", card.user_id.id),
                        ("customer_policy_managed", "=", True),
                        ("parent_id", "=", False),
                    ]
                )
            )
            company = card.company_id
            vals = {name: figures[name] for name in _KPI_FIGURES}
            lost = figures["customers_lost"]
            vals.update(
                new_customers_previous=previous["new_customers"],
                growth_rate=self._customer_policy_growth(
                    figures["new_customers"], previous["new_customers"]
                ),
                customers_owned=owned,
                churn_rate=round(100.0 * lost / (owned + lost), 2)
                if owned + lost
                else 0.0,
                repeat_purchase_rate=round(
                    100.0 * figures["repeat_purchase_customers"] / owned, 2
                )
                if owned
                else 0.0,
                # The approved plan's targets, else the company's per month.
                target_new_customers=figures["target_new_customers"]
                or company.kpi_target_new_customers * months,
                target_contract_amount=figures["target_contract_amount"]
                or company.kpi_target_contract_amount * months,
                target_payment_amount=figures["target_payment_amount"]
                or company.kpi_target_payment_amount * months,
            )
            vals["achievement_rate"] = (
                round(
                    100.0 * vals["contract_amount"] / vals["target_contract_amount"], 2
                )
                if vals["target_contract_amount"]
                else 0.0
            )
            weights = company._customer_policy_kpi_weights()
            scores = self._customer_policy_scores(vals, company)
            vals.update({f"{dim}_score": scores[dim] for dim in DIMENSIONS})
            vals.update({f"weight_{dim}": weights[dim] for dim in DIMENSIONS})
            total_weight = sum(weights.values())
            vals["total_score"] = (
                round(
                    sum(scores[dim] * weights[dim] for dim in DIMENSIONS)
                    / total_weight,
                    2,
                )
                if total_weight
                else 0.0
            )
            card.with_context(customer_policy_scorecard_step=True).write(vals)

    @api.model
    def _customer_policy_growth(self, current, previous):
        if previous:
            return round(100.0 * (current - previous) / previous, 2)
        return 100.0 if current else 0.0

    @api.model
    def _customer_policy_scores(self, figures, company):
        """{dimension: score out of 100} of ``figures``.

        Each dimension is the average of its indicators that can be measured;
        one that has none (no ticket to answer) is not held against anybody
        and scores 100. An indicator scores its achievement of the target,
        capped at 100."""

        def achieved(actual, target):
            return min(100.0, 100.0 * actual / target) if target > 0 else None

        def at_most(actual, target):
            # Lower is better (hours to answer): in full up to the target.
            if target <= 0:
                return None
            return 100.0 if actual <= target else 100.0 * target / actual

        def average(scores):
            scores = [score for score in scores if score is not None]
            return round(sum(scores) / len(scores), 2) if scores else 100.0

        churn_limit = company.kpi_target_churn_rate
        churn = None
        if figures["customers_owned"] + figures["customers_lost"]:
            churn = (
                100.0
                if figures["churn_rate"] <= churn_limit
                else max(
                    0.0, 100.0 * (100 - figures["churn_rate"]) / (100 - churn_limit)
                )
            )
        received = figures["complaints_received"]
        return {
            "development": average(
                [achieved(figures["new_customers"], figures["target_new_customers"])]
            ),
            "service": average(
                [
                    achieved(
                        figures["resolution_rate"], company.kpi_target_resolution_rate
                    )
                    if received
                    else None,
                    at_most(
                        figures["avg_first_response_hours"],
                        company.kpi_target_response_hours,
                    )
                    if figures["complaints_responded"]
                    else None,
                    achieved(
                        figures["satisfaction_avg"], company.kpi_target_satisfaction
                    )
                    if figures["complaints_rated"]
                    else None,
                ]
            ),
            "relationship": average(
                [
                    achieved(
                        figures["visit_compliance"],
                        company.kpi_target_visit_compliance,
                    )
                    if figures["visits_required"]
                    else None,
                    churn,
                    achieved(
                        figures["repeat_purchase_rate"],
                        company.kpi_target_repeat_rate,
                    )
                    if figures["customers_owned"]
                    else None,
                ]
            ),
            "sales": average(
                [
                    achieved(
                        figures["contract_amount"], figures["target_contract_amount"]
                    ),
                    achieved(
                        figures["payment_amount"], figures["target_payment_amount"]
                    ),
                ]
            ),
        }

    def _customer_policy_rank_years(self):
        """Rank the confirmed yearly scorecards of the years and companies of
        ``self`` by final score (equal scores share a place), and propose the
        awards: the best score of development, of service and of relationship
        (every holder of an equal best)."""
        keys = {
            (card.company_id.id, card.period_start)
            for card in self
            if card.period_type == "year"
        }
        for company_id, start in keys:
            cards = self.sudo().search(
                [
                    ("company_id", "=", company_id),
                    ("period_type", "=", "year"),
                    ("period_start", "=", start),
                ]
            )
            confirmed = cards.filtered(lambda card: card.state == "confirmed")
            updates = {
                card: dict.fromkeys(_RANKING_FIELDS, False) | {"rank": 0}
                for card in cards
            }
            ordered = confirmed.sorted(lambda card: -card.final_score)
            for card in ordered:
                better = sum(1 for o in ordered if o.final_score > card.final_score)
                updates[card]["rank"] = better + 1
            for dimension in ("development", "service", "relationship"):
                best = max(confirmed.mapped(f"{dimension}_score"), default=0)
                for card in confirmed:
                    if best > 0 and card[f"{dimension}_score"] == best:
                        updates[card][f"award_{dimension}"] = True
            for card, vals in updates.items():
                if any(card[name] != value for name, value in vals.items()):
                    card.with_context(customer_policy_scorecard_step=True).write(vals)
        return True
