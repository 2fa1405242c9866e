from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.period import period_months, quarter_starts, split_evenly

# The year's targets and the measures of the KPI report that realise them.
TARGETS = (
    ("target_new_customers", "new_customers"),
    ("target_visits", "visits_done"),
    ("target_contract_amount", "contract_amount"),
    ("target_payment_amount", "payment_amount"),
)
# Targets are counts and amounts to reach: never below zero.
TARGETS_POSITIVE = (
    "CHECK(target_new_customers >= 0 AND target_visits >= 0 "
    "AND target_contract_amount >= 0 AND target_payment_amount >= 0)"
)
# Fields the plan keeps itself: its department (whose manager approves it), its
# owner key, who approved it and when. Written only by its own steps.
_KEPT_FIELDS = frozenset(
    {"department_id", "owner_key", "approver_id", "approval_date", "state"}
)
# Fields of an approved plan anyone may still write: its discussion.
_FREE_FIELDS = frozenset(
    {
        "message_main_attachment_id",
        "message_follower_ids",
        "activity_ids",
    }
)


class CustomerDevelopmentPlan(models.Model):
    """A yearly customer-development plan (客户开发计划): a salesperson's or a
    department's targets for the year, the key customer groups and measures,
    broken down into quarters and months and tracked against what the
    addon records.

    The plan is drawn up in draft, submitted, then approved by the department
    manager (a salesperson's plan) or by a Director (a department's plan). An
    approved plan is the yardstick of the KPI report and of the scorecards: only
    a Director changes it."""

    _name = "customer.development.plan"
    _description = "Customer Development Plan"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "year desc, id desc"
    _check_company_auto = True
    _sql_constraints = (
        ("target_positive", TARGETS_POSITIVE, "Plan targets cannot be negative."),
        (
            "owner_year_uniq",
            "unique(owner_key, year, company_id)",
            "One development plan a year per salesperson or department.",
        ),
        (
            "owner_one",
            "CHECK((user_id IS NULL) != (team_id IS NULL))",
            "A plan is either a salesperson's or a department's: fill in one of them.",
        ),
    )

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="Whose plan it is; leave empty for a department's plan.",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department Plan Of",
        index=True,
        tracking=True,
        help="The department whose plan it is; leave empty for a salesperson's plan.",
    )
    department_id = fields.Many2one(
        comodel_name="crm.team",
        compute="_compute_department_id",
        store=True,
        index=True,
        help="The department the plan belongs to: its manager approves a "
        "salesperson's plan.",
    )
    # One plan per salesperson or department a year: "user,<id>" or "team,<id>".
    owner_key = fields.Char(compute="_compute_owner_key", store=True)
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    focus = fields.Text(
        string="Key Customer Groups and Measures",
        help="Which customers the plan goes after and how: industries, regions, "
        "key accounts, events, visits.",
    )
    target_new_customers = fields.Integer(
        string="New Customers", tracking=True, help="Customers to register."
    )
    target_visits = fields.Integer(string="Visits", tracking=True)
    target_contract_amount = fields.Monetary(string="Contract Amount", tracking=True)
    target_payment_amount = fields.Monetary(string="Amount Received", tracking=True)
    line_ids = fields.One2many(
        comodel_name="customer.development.plan.line",
        inverse_name="plan_id",
        string="Quarters and Months",
        copy=True,
    )
    approver_id = fields.Many2one(
        comodel_name="res.users", string="Approved By", readonly=True, copy=False
    )
    approval_date = fields.Date(string="Approved On", readonly=True, copy=False)
    actual_new_customers = fields.Integer(compute="_compute_actuals")
    actual_visits = fields.Integer(compute="_compute_actuals")
    actual_contract_amount = fields.Monetary(compute="_compute_actuals")
    actual_payment_amount = fields.Monetary(compute="_compute_actuals")
    achievement_rate = fields.Float(
        string="Achievement (%)",
        compute="_compute_actuals",
        help="Average of the achievement of each target set for the year.",
    )

    # === COMPUTE METHODS === #

    @api.depends("year", "user_id.name", "team_id.name")
    def _compute_name(self):
        for plan in self:
            owner = plan.user_id.name or plan.team_id.name or ""
            plan.name = f"{plan.year or ''} {owner}".strip()

    @api.depends("team_id")
    def _compute_user_id(self):
        # Whoever draws up a plan draws up their own, unless it is a department's.
        for plan in self:
            if plan.team_id:
                plan.user_id = False
            elif not plan.user_id:
                plan.user_id = self.env.user

    @api.depends("user_id", "team_id")
    def _compute_owner_key(self):
        for plan in self:
            plan.owner_key = (
                f"user,{plan.user_id.id}" if plan.user_id else f"team,{plan.team_id.id}"
            )

    @api.depends("user_id", "team_id", "user_id.sale_team_id")
    def _compute_department_id(self):
        for plan in self:
            plan.department_id = plan.team_id or plan.user_id.sale_team_id

    def _compute_actuals(self):
        # All the plans being computed from one query on the KPI report.
        Line = self.env["customer.development.plan.line"]
        figures = Line._customer_policy_actuals(
            (plan, "year", date(plan.year, 1, 1))
            for plan in self
            if 1 <= plan.year <= 9999
        )
        for plan in self:
            values = (
                figures.get((plan, "year", date(plan.year, 1, 1)), {})
                if 1 <= plan.year <= 9999
                else {}
            )
            plan.actual_new_customers = values.get("new_customers", 0)
            plan.actual_visits = values.get("visits_done", 0)
            plan.actual_contract_amount = values.get("contract_amount", 0.0)
            plan.actual_payment_amount = values.get("payment_amount", 0.0)
            plan.achievement_rate = Line._customer_policy_achievement(plan, values)

    # === CONSTRAINT METHODS === #

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(
                    self.env._("%(year)s is not a plan year.", year=plan.year)
                )

    @api.constrains(
        "line_ids",
        "target_new_customers",
        "target_visits",
        "target_contract_amount",
        "target_payment_amount",
        "year",
    )
    def _check_lines_add_up(self):
        errors = [error for plan in self for error in plan._customer_policy_errors()]
        if errors:
            raise ValidationError("\n".join(errors))

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(self.env._("A plan starts as a draft."))
        # The lines are checked together, once the plan holds all of them.
        plans = super(
            CustomerDevelopmentPlan, self.with_context(customer_policy_plan_lines=True)
        ).create(vals_list)
        plans._customer_policy_check_author()
        return plans.with_env(self.env)

    def write(self, vals):
        if (
            _KEPT_FIELDS & set(vals)
            and not self.env.su
            and not self.env.context.get("customer_policy_plan_step")
        ):
            raise UserError(
                self.env._(
                    "A plan's status changes with its Submit and Approve buttons; "
                    "its department and approval are kept by the plan itself."
                )
            )
        if set(vals) - _FREE_FIELDS and not self.env.context.get(
            "customer_policy_plan_step"
        ):
            self._customer_policy_check_editable()
        # The lines are checked together, once every command of the form is
        # applied: moving a customer from one month to another changes two lines.
        result = super(
            CustomerDevelopmentPlan, self.with_context(customer_policy_plan_lines=True)
        ).write(vals)
        if {"user_id", "team_id"} & set(vals):
            self._customer_policy_check_author()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.env.su or self._customer_policy_is_director():
            return
        if any(plan.state != "draft" for plan in self):
            raise UserError(
                self.env._(
                    "Only a draft plan can be deleted; a submitted or approved plan "
                    "is kept."
                )
            )

    # === ACTION METHODS === #

    def action_split_evenly(self):
        """Replace the quarters and months with the year's targets split evenly:
        four equal quarters, each split into three equal months. Whole numbers of
        customers and visits, amounts to the cent; the shares add up exactly."""
        self._customer_policy_check_editable()
        for plan in self:
            digits = plan.currency_id.decimal_places
            commands = [fields.Command.clear()]
            quarters = {
                name: split_evenly(plan[name], 4, digits if "amount" in name else 0)
                for name, _measure in TARGETS
            }
            for index, quarter in enumerate(quarter_starts(plan.year)):
                quarter_targets = {name: quarters[name][index] for name in quarters}
                commands.append(
                    fields.Command.create(
                        {
                            "period_type": "quarter",
                            "period_start": quarter,
                            **quarter_targets,
                        }
                    )
                )
                months = {
                    name: split_evenly(value, 3, digits if "amount" in name else 0)
                    for name, value in quarter_targets.items()
                }
                for month_index, month in enumerate(period_months(quarter, "quarter")):
                    commands.append(
                        fields.Command.create(
                            {
                                "period_type": "month",
                                "period_start": month,
                                **{name: months[name][month_index] for name in months},
                            }
                        )
                    )
            plan.line_ids = commands
        return True

    def action_submit(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "%(plan)s was already submitted.", plan=plan.display_name
                    )
                )
            plan._customer_policy_check_author()
            errors = plan._customer_policy_errors(complete=True)
            if errors:
                raise ValidationError("\n".join(errors))
        self.with_context(customer_policy_plan_step=True).write({"state": "submitted"})
        self._customer_policy_ask_approval()
        return True

    def action_approve(self):
        for plan in self:
            if plan.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only a submitted plan can be approved: %(plan)s is not.",
                        plan=plan.display_name,
                    )
                )
            plan._customer_policy_check_approver()
        self.with_context(customer_policy_plan_step=True).write(
            {
                "state": "approved",
                "approver_id": self.env.uid,
                "approval_date": fields.Date.context_today(self),
            }
        )
        self._customer_policy_approval_activities().action_feedback(
            feedback=self.env._("Approved.")
        )
        return True

    def action_reset_to_draft(self):
        """Send a submitted plan back to its author (its approver), or reopen an
        approved one (a Director) to revise it."""
        for plan in self:
            if plan.state == "approved" and not self._customer_policy_is_director():
                raise AccessError(
                    self.env._("Only a Director reopens an approved plan.")
                )
            if plan.state == "submitted":
                plan._customer_policy_check_approver()
        self.with_context(customer_policy_plan_step=True).write(
            {"state": "draft", "approver_id": False, "approval_date": False}
        )
        self._customer_policy_approval_activities().unlink()
        return True

    # === BUSINESS METHODS === #

    def _customer_policy_is_director(self):
        return self.env.su or self.env.user.has_group("customer_policy.group_director")

    def _customer_policy_approvers(self):
        """Who approves the plan: the department manager for a salesperson's
        plan (a Director when the salesperson leads the department, or it has
        no manager), the Directors for a department's plan."""
        self.ensure_one()
        manager = self.department_id.user_id
        if self.user_id and manager and manager != self.user_id:
            return manager
        return self.env["res.users"]._customer_policy_directors(self.company_id)

    def _customer_policy_check_approver(self):
        self.ensure_one()
        if self._customer_policy_is_director():
            return
        if self.env.user not in self._customer_policy_approvers():
            raise AccessError(
                self.env._(
                    "%(plan)s is approved by %(approvers)s, not by you.",
                    plan=self.display_name,
                    approvers=", ".join(
                        self._customer_policy_approvers().mapped("name")
                    )
                    or self.env._("a Director"),
                )
            )

    def _customer_policy_check_author(self):
        """A salesperson draws up their own plan; a department's plan is the
        department manager's (or a Director's)."""
        if self.env.su or self._customer_policy_is_director():
            return
        user = self.env.user
        for plan in self:
            own = plan.user_id == user
            led = plan.department_id.user_id == user
            if plan.team_id and not led:
                raise AccessError(
                    self.env._(
                        "Only the manager of %(team)s or a Director draws up the "
                        "department's plan.",
                        team=plan.team_id.name,
                    )
                )
            if plan.user_id and not (own or led):
                raise AccessError(
                    self.env._(
                        "You cannot draw up a plan for %(user)s: only they or "
                        "their department manager can.",
                        user=plan.user_id.name,
                    )
                )

    def _customer_policy_check_editable(self):
        if self._customer_policy_is_director():
            return
        approved = self.filtered(lambda plan: plan.state == "approved")
        if approved:
            raise UserError(
                self.env._(
                    "%(plan)s is approved: only a Director may change it.",
                    plan=approved[0].display_name,
                )
            )

    def _customer_policy_errors(self, complete=False):
        """Why the quarters and months do not add up, as messages. With
        ``complete``, also every quarter and month missing (to submit)."""
        self.ensure_one()
        errors = []
        env = self.env
        currency = self.currency_id
        labels = {
            name: self._fields[name]._description_string(env)
            for name, _measure in TARGETS
        }

        def differ(name, left, right):
            if "amount" in name:
                return currency.compare_amounts(left, right) != 0
            return left != right

        quarters = self.line_ids.filtered(lambda line: line.period_type == "quarter")
        months = self.line_ids - quarters
        for line in self.line_ids:
            if line.period_start and line.period_start.year != self.year:
                errors.append(
                    env._(
                        "%(period)s is not in %(year)s.",
                        period=line.name,
                        year=self.year,
                    )
                )
        if complete:
            expected = {("quarter", start) for start in quarter_starts(self.year)} | {
                ("month", month)
                for start in quarter_starts(self.year)
                for month in period_months(start, "quarter")
            }
            present = {(line.period_type, line.period_start) for line in self.line_ids}
            if expected - present:
                errors.append(
                    env._(
                        "%(plan)s must be broken down into its four quarters and "
                        "twelve months before it is submitted: use Split Evenly, "
                        "then adjust.",
                        plan=self.display_name,
                    )
                )
        if quarters:
            for name, _measure in TARGETS:
                total = sum(quarters.mapped(name))
                if differ(name, total, self[name]):
                    errors.append(
                        env._(
                            "%(target)s: the quarters add up to %(sum)s, the year "
                            "is %(year)s.",
                            target=labels[name],
                            sum=total,
                            year=self[name],
                        )
                    )
        by_quarter = defaultdict(lambda: self.env["customer.development.plan.line"])
        for month in months:
            by_quarter[month.quarter_start] |= month
        for quarter_start, quarter_months in sorted(by_quarter.items()):
            quarter = quarters.filtered(lambda q, s=quarter_start: q.period_start == s)
            if not quarter:
                errors.append(
                    env._(
                        "%(month)s has no quarter line: add its quarter first.",
                        month=quarter_months[0].name,
                    )
                )
                continue
            for name, _measure in TARGETS:
                total = sum(quarter_months.mapped(name))
                if differ(name, total, quarter[0][name]):
                    errors.append(
                        env._(
                            "%(target)s: the months of %(quarter)s add up to "
                            "%(sum)s, the quarter is %(value)s.",
                            target=labels[name],
                            quarter=quarter[0].name,
                            sum=total,
                            value=quarter[0][name],
                        )
                    )
        return errors

    def _customer_policy_ask_approval(self):
        activity_type = self.env.ref("customer_policy.mail_activity_type_plan_approval")
        todo = []
        for plan in self:
            approver = plan._customer_policy_approvers()[:1]
            if approver:
                todo.append(
                    {
                        "res_id": plan.id,
                        "activity_type": activity_type,
                        "user": approver,
                        "date_deadline": fields.Date.context_today(self),
                        "summary": lambda env, plan=plan: env._(
                            "Approve the development plan %(plan)s", plan=plan.name
                        ),
                    }
                )
        self.env["mail.activity"]._customer_policy_schedule(self._name, todo)

    def _customer_policy_approval_activities(self):
        activity_type = self.env.ref("customer_policy.mail_activity_type_plan_approval")
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    def _customer_policy_check_add_up(self):
        """Refuse quarters and months that do not add up (the lines' own writes,
        outside of the plan's form)."""
        self._check_lines_add_up()
