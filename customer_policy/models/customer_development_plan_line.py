from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..tools.period import period_end, period_months, period_start
from .customer_development_plan import TARGETS, TARGETS_POSITIVE


class CustomerDevelopmentPlanLine(models.Model):
    """A quarter or a month of a development plan: its targets, and what was
    achieved, read from the KPI report (the same figures the managers see)."""

    _name = "customer.development.plan.line"
    _description = "Customer Development Plan Period"
    _order = "plan_id, period_start, period_type desc, id"
    _sql_constraints = (
        (
            "period_uniq",
            "unique(plan_id, period_type, period_start)",
            "A plan has each quarter and each month once.",
        ),
        ("target_positive", TARGETS_POSITIVE, "Plan targets cannot be negative."),
    )

    plan_id = fields.Many2one(
        comodel_name="customer.development.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char(string="Period", compute="_compute_name")
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    user_id = fields.Many2one(related="plan_id.user_id")
    team_id = fields.Many2one(related="plan_id.team_id")
    state = fields.Selection(related="plan_id.state")
    period_type = fields.Selection(
        selection=[("quarter", "Quarter"), ("month", "Month")],
        required=True,
        default="month",
    )
    period_start = fields.Date(
        string="Starts On",
        required=True,
        help="First day of the quarter or month.",
    )
    period_end = fields.Date(
        string="Ends On", compute="_compute_period_end", store=True
    )
    quarter_start = fields.Date(
        compute="_compute_period_end",
        store=True,
        help="First day of the quarter the period belongs to.",
    )
    target_new_customers = fields.Integer(string="New Customers")
    target_visits = fields.Integer(string="Visits")
    target_contract_amount = fields.Monetary(string="Contract Amount")
    target_payment_amount = fields.Monetary(string="Amount Received")
    actual_new_customers = fields.Integer(
        string="New Customers Registered",
        compute="_compute_actuals",
        help="Customers registered in the period with this salesperson as their "
        "developer (or by this department).",
    )
    actual_visits = fields.Integer(
        string="Visits Done",
        compute="_compute_actuals",
        help="Visits, return visits and online meetings done in the period.",
    )
    actual_contract_amount = fields.Monetary(
        string="Contracts Signed",
        compute="_compute_actuals",
        help="Agreements approved by Legal and signed in the period, in the "
        "company currency.",
    )
    actual_payment_amount = fields.Monetary(
        string="Payments Posted",
        compute="_compute_actuals",
        help="Payments posted with a date in the period, in the company currency.",
    )
    achievement_new_customers = fields.Float(
        string="New Customers (%)", compute="_compute_actuals"
    )
    achievement_visits = fields.Float(string="Visits (%)", compute="_compute_actuals")
    achievement_contract_amount = fields.Float(
        string="Contract Amount (%)", compute="_compute_actuals"
    )
    achievement_payment_amount = fields.Float(
        string="Payments (%)", compute="_compute_actuals"
    )
    achievement_rate = fields.Float(
        string="Achievement (%)",
        compute="_compute_actuals",
        help="Average of the achievement of each target set for the period.",
    )

    # === COMPUTE METHODS === #

    @api.depends("period_type", "period_start")
    def _compute_name(self):
        for line in self:
            start = line.period_start
            if not start:
                line.name = ""
            elif line.period_type == "quarter":
                line.name = f"{start.year} Q{(start.month - 1) // 3 + 1}"
            else:
                line.name = f"{start.year}-{start.month:02d}"

    @api.depends("period_type", "period_start")
    def _compute_period_end(self):
        for line in self:
            start = line.period_start
            line.period_end = start and period_end(start, line.period_type)
            line.quarter_start = start and period_start(start, "quarter")

    def _compute_actuals(self):
        # All the lines being computed (an export's batch, a plan's form) from
        # one query on the KPI report.
        figures = self._customer_policy_actuals(
            (line.plan_id, line.period_type, line.period_start)
            for line in self
            if line.plan_id and line.period_start
        )
        for line in self:
            values = figures.get(
                (line.plan_id, line.period_type, line.period_start), {}
            )
            line.actual_new_customers = values.get("new_customers", 0)
            line.actual_visits = values.get("visits_done", 0)
            line.actual_contract_amount = values.get("contract_amount", 0.0)
            line.actual_payment_amount = values.get("payment_amount", 0.0)
            for name, measure in TARGETS:
                line[name.replace("target_", "achievement_")] = (
                    self._customer_policy_rate(values.get(measure, 0), line[name])
                )
            line.achievement_rate = self._customer_policy_achievement(line, values)

    # === CONSTRAINT METHODS === #

    @api.constrains("period_type", "period_start")
    def _check_period_start(self):
        for line in self:
            if line.period_start != period_start(line.period_start, line.period_type):
                raise ValidationError(
                    self.env._(
                        "A quarter starts on the first day of January, April, July "
                        "or October, a month on its first day: %(date)s is not.",
                        date=line.period_start,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["customer.development.plan"].browse(
            {vals["plan_id"] for vals in vals_list if vals.get("plan_id")}
        )
        plans._customer_policy_check_editable()
        lines = super().create(vals_list)
        self._customer_policy_check_plans(lines.plan_id)
        return lines

    def write(self, vals):
        self.plan_id._customer_policy_check_editable()
        result = super().write(vals)
        self._customer_policy_check_plans(self.plan_id)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if not self.env.context.get("customer_policy_plan_lines"):
            self.plan_id.exists()._customer_policy_check_editable()

    def unlink(self):
        plans = self.plan_id
        result = super().unlink()
        self._customer_policy_check_plans(plans.exists())
        return result

    # === BUSINESS METHODS === #

    def _customer_policy_check_plans(self, plans):
        # Within the plan's own create or write, the plan checks all its lines
        # at the end; a line written on its own is checked at once.
        if not self.env.context.get("customer_policy_plan_lines"):
            plans._customer_policy_check_add_up()

    @api.model
    def _customer_policy_rate(self, actual, target):
        return round(100.0 * actual / target, 2) if target else 0.0

    @api.model
    def _customer_policy_achievement(self, record, figures):
        """Average achievement of the targets ``record`` (a plan or a line) sets,
        in percent; 0 when it sets none."""
        rates = [
            self._customer_policy_rate(figures.get(measure, 0), record[name])
            for name, measure in TARGETS
            if record[name]
        ]
        return round(sum(rates) / len(rates), 2) if rates else 0.0

    @api.model
    def _customer_policy_actuals(self, periods):
        """{(plan, period type, period start): {measure: value}} of each plan's
        owner over each period of ``periods`` (``(plan, period type, period
        start)`` triples, ``period type`` one of ``year``, ``quarter``,
        ``month``), summed from the KPI report.

        One query on the KPI report whatever the number of plans: every query
        on that view costs as much as building it, so the months of all the
        owners are read at once, by owner, company and month, and added up
        here.

        Read as the superuser: whoever may read the plan may read its figures,
        the KPI report's rules are those of its rows."""
        # (owner field, owner id, company id, month) -> {(plan, type, start)}
        wanted = defaultdict(set)
        for plan, period_type, start in periods:
            if plan.user_id:
                owner = ("user_id", plan.user_id.id)
            elif plan.team_id:
                owner = ("team_id", plan.team_id.id)
            else:
                continue
            for month in period_months(start, period_type):
                wanted[(*owner, plan.company_id.id, month)].add(
                    (plan, period_type, start)
                )
        if not wanted:
            return {}
        user_ids = {key[1] for key in wanted if key[0] == "user_id"}
        team_ids = {key[1] for key in wanted if key[0] == "team_id"}
        owners = []
        if user_ids:
            owners.append([("user_id", "in", sorted(user_ids))])
        if team_ids:
            owners.append([("team_id", "in", sorted(team_ids))])
        months = [key[3] for key in wanted]
        measures = [measure for _name, measure in TARGETS]
        groups = (
            self.env["customer.kpi.report"]
            .sudo()
            ._read_group(
                expression.AND(
                    [
                        expression.OR(owners),
                        [
                            ("company_id", "in", sorted({key[2] for key in wanted})),
                            ("month", ">=", min(months)),
                            ("month", "<=", max(months)),
                        ],
                    ]
                ),
                ["user_id", "team_id", "company_id", "month:month"],
                [f"{measure}:sum" for measure in measures],
            )
        )
        result = defaultdict(lambda: dict.fromkeys(measures, 0))
        for user, team, company, month, *values in groups:
            month = date(month.year, month.month, 1)
            for owner in (("user_id", user.id), ("team_id", team.id)):
                for period in wanted.get((*owner, company.id, month), ()):
                    figures = result[period]
                    for measure, value in zip(measures, values, strict=True):
                        figures[measure] += value or 0
        return result
