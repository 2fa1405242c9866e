import base64
import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_unique_index

from ..tools.commission import format_month
from ..tools.payroll_xlsx import payroll_workbook

# Statements of these states are frozen: their lines never change again; what
# changes later is booked in the user's next open month.
FROZEN_STATES = ("confirmed", "approved", "paid")
# The confirmation reminders are scheduled in chunks of this size.
CRON_BATCH_SIZE = 1000


class CustomerCommissionStatement(models.Model):
    _name = "customer.commission.statement"
    _description = "Monthly Commission Statement"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "month desc, user_id, id"
    _rec_names_search = ("user_id", "team_id")
    # Managers and Directors comment on the statements they may read; nobody
    # writes a statement but through its buttons.
    _mail_post_access = "read"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
        index=True,
        help="Empty: the operations department's pool.",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        readonly=True,
        index=True,
        help="The salesperson's department when the statement was opened: its "
        "leader confirms the statement.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(
        required=True,
        readonly=True,
        index=True,
        help="First day of the month whose collections the statement pays.",
    )
    month_label = fields.Char(string="Period", compute="_compute_month_label")
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("approved", "Approved"),
            ("paid", "Paid"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        comodel_name="customer.commission.line",
        inverse_name="statement_id",
        string="Lines",
        readonly=True,
    )
    amount_total = fields.Monetary(
        string="Total",
        compute="_compute_amounts",
        store=True,
        help="The sum of the statement's lines.",
    )
    adjustment_total = fields.Monetary(
        string="Of Which Corrections",
        compute="_compute_amounts",
        store=True,
        help="Corrections of earlier months whose statements were already "
        "confirmed: a payment reversed, a cost, a credit or a rate changed.",
    )
    line_count = fields.Integer(compute="_compute_amounts", store=True)
    confirm_requested = fields.Boolean(
        readonly=True,
        copy=False,
        help="The confirmation was asked of the department manager.",
    )
    confirmed_uid = fields.Many2one(
        comodel_name="res.users", string="Confirmed By", readonly=True, copy=False
    )
    confirmed_date = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    approved_uid = fields.Many2one(
        comodel_name="res.users", string="Approved By", readonly=True, copy=False
    )
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    paid_uid = fields.Many2one(
        comodel_name="res.users", string="Paid By", readonly=True, copy=False
    )
    paid_date = fields.Datetime(string="Paid On", readonly=True, copy=False)

    def init(self):
        # One statement per salesperson (or the pool) and month: also what the
        # concurrent creation in _commission_statements() relies on.
        create_unique_index(
            self.env.cr,
            "customer_commission_statement_month_unique",
            self._table,
            ["company_id", "(COALESCE(user_id, 0))", "month"],
        )

    @api.depends("line_ids.amount", "line_ids.adjustment_amount")
    def _compute_amounts(self):
        totals = {
            statement: (amount, adjustment, count)
            for statement, amount, adjustment, count in self.env[
                "customer.commission.line"
            ]
            .sudo()
            ._read_group(
                [("statement_id", "in", self.ids)],
                ["statement_id"],
                ["amount:sum", "adjustment_amount:sum", "__count"],
            )
        }
        for statement in self:
            amount, adjustment, count = totals.get(statement._origin, (0.0, 0.0, 0))
            statement.amount_total = statement.currency_id.round(amount)
            statement.adjustment_total = statement.currency_id.round(adjustment)
            statement.line_count = count

    @api.depends("month")
    def _compute_month_label(self):
        for record in self:
            record.month_label = format_month(record.month)

    @api.depends("user_id", "month")
    def _compute_display_name(self):
        for statement in self:
            who = statement.user_id.name or self.env._("Operations Pool")
            statement.display_name = f"{format_month(statement.month)} {who}"

    # ------------------------------------------------------------------ CRUD

    @api.ondelete(at_uninstall=False)
    def _unlink_only_empty_drafts(self):
        for statement in self:
            if statement.state != "draft" or statement.line_ids:
                raise UserError(
                    self.env._(
                        "Commission statement %(statement)s has lines: it stays. "
                        "What changes later is corrected in the next month.",
                        statement=statement.display_name,
                    )
                )

    @api.model
    def _commission_statements(self, keys):
        """The draft-or-later statements of ``keys``, creating the missing ones.

        :param keys: set of ``(company id, user id or False, month)``
        :return: ``{key: statement}``

        Created with INSERT … ON CONFLICT DO NOTHING: when two payments of one
        salesperson are posted at the same time, the transaction that loses the
        race gets a serialization failure, which Odoo retries, and finds the
        statement the other one made, instead of an error or a second statement.
        """
        found = self._commission_find(keys)
        missing = sorted(set(keys) - set(found), key=lambda k: (k[0], k[1] or 0, k[2]))
        if missing:
            companies = self.env["res.company"].sudo().browse({k[0] for k in missing})
            users = self.env["res.users"].sudo().browse({k[1] for k in missing if k[1]})
            team_of = {user.id: user.sale_team_id.id for user in users}
            pool_team = {c.id: c.commission_operations_team_id.id for c in companies}
            rows = [
                {
                    "company_id": company_id,
                    "user_id": user_id or None,
                    "month": fields.Date.to_string(month),
                    "team_id": (
                        team_of.get(user_id) if user_id else pool_team[company_id]
                    )
                    or None,
                }
                for company_id, user_id, month in missing
            ]
            self.flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO customer_commission_statement
                           (company_id, user_id, month, team_id, state, amount_total,
                            adjustment_total, line_count, create_uid, create_date,
                            write_uid, write_date)
                    SELECT r.company_id, r.user_id, r.month, r.team_id, 'draft', 0,
                           0, 0, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                           now() AT TIME ZONE 'UTC'
                      FROM json_to_recordset(%(rows)s) AS r(
                           company_id int, user_id int, month date, team_id int)
                        ON CONFLICT (company_id, (COALESCE(user_id, 0)), month)
                        DO NOTHING
                    """,
                    rows=json.dumps(rows),
                    uid=self.env.uid,
                )
            )
            found.update(self._commission_find(missing))
        return found

    @api.model
    def _commission_find(self, keys):
        keys = set(keys)
        if not keys:
            return {}
        statements = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "in", list({k[0] for k in keys})),
                    ("month", "in", list({k[2] for k in keys})),
                    "|",
                    ("user_id", "in", [k[1] for k in keys if k[1]]),
                    ("user_id", "=", False),
                ]
            )
        )
        result = {}
        for statement in statements:
            key = (
                statement.company_id.id,
                statement.user_id.id or False,
                statement.month,
            )
            if key in keys:
                result[key] = statement
        return result

    @api.model
    def _commission_frozen_months(self, companies, user_ids):
        """{(company id, user id or False, month)} of the confirmed statements of
        these users (``False``: the pool)."""
        statements = self.sudo().search_fetch(
            [
                ("company_id", "in", companies.ids),
                ("state", "in", FROZEN_STATES),
                "|",
                ("user_id", "in", [u for u in user_ids if u]),
                ("user_id", "=", False),
            ],
            ["company_id", "user_id", "month"],
        )
        return {
            (s.company_id.id, s.user_id.id or False, s.month)
            for s in statements
            if (s.user_id.id or False) in user_ids
        }

    # --------------------------------------------------------------- workflow

    def _commission_check_state(self, state):
        for statement in self:
            if statement.state != state:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "Commission statement %(statement)s is %(state)s: this step "
                        "is not possible now.",
                        statement=statement.display_name,
                        state=states[statement.state],
                    )
                )

    def _commission_is_director(self):
        return self.env.su or self.env.user.has_group("customer_policy.group_director")

    def _commission_confirmer(self):
        """Who confirms the statement: its department's leader, or the approving
        Director when the department has none or it is the leader's own."""
        self.ensure_one()
        leader = self.team_id.user_id
        if leader and leader != self.user_id:
            return leader
        return self.company_id._commission_approver(excluded=self.user_id)

    def action_confirm(self):
        """The department manager checks the month's statement: it is frozen."""
        self._commission_check_state("draft")
        today = fields.Date.context_today(self)
        for statement in self:
            if statement.month >= today.replace(day=1):
                raise UserError(
                    self.env._(
                        "The month of %(statement)s is not over: confirm it from the "
                        "first day of the next month, when all its collections are "
                        "in.",
                        statement=statement.display_name,
                    )
                )
            if self.env.su:
                continue
            own = statement.user_id == self.env.user
            leader = statement.team_id.user_id == self.env.user
            if own or not (leader or self._commission_is_director()):
                raise UserError(
                    self.env._(
                        "Only the manager of %(department)s or a Director confirms "
                        "%(statement)s, and nobody confirms their own commission.",
                        department=statement.team_id.name
                        or self.env._("the department"),
                        statement=statement.display_name,
                    )
                )
        self.sudo().write(
            {
                "state": "confirmed",
                "confirmed_uid": self.env.uid,
                "confirmed_date": fields.Datetime.now(),
            }
        )
        self._commission_close_activities(
            "customer_policy_commission.mail_activity_type_commission_confirm"
        )
        self._commission_schedule(
            "customer_policy_commission.mail_activity_type_commission_approve",
            lambda statement: statement.company_id._commission_approver(
                excluded=statement.user_id
            ),
            lambda env, statement: env._(
                "Approve the commission statement %(statement)s",
                statement=statement.display_name,
            ),
        )
        return True

    def action_approve(self):
        """A Director approves the confirmed statement for payroll."""
        self._commission_check_state("confirmed")
        for statement in self:
            if not self._commission_is_director() or (
                not self.env.su and statement.user_id == self.env.user
            ):
                raise UserError(
                    self.env._(
                        "Only a Director approves commission statements, and "
                        "another Director approves their own (%(statement)s).",
                        statement=statement.display_name,
                    )
                )
        self.sudo().write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        self._commission_close_activities(
            "customer_policy_commission.mail_activity_type_commission_approve"
        )
        return True

    def action_mark_paid(self):
        """Finance records that payroll paid the approved statement."""
        self._commission_check_state("approved")
        if not self.env.su and not self.env.user.has_group(
            "customer_policy.group_finance"
        ):
            raise UserError(
                self.env._("Only Finance records that a commission was paid.")
            )
        self.sudo().write(
            {
                "state": "paid",
                "paid_uid": self.env.uid,
                "paid_date": fields.Datetime.now(),
            }
        )
        return True

    def action_export_xlsx(self):
        """Download the statements as an XLSX workbook for payroll."""
        if not self:
            raise UserError(self.env._("Select the statements to export."))
        content = self._commission_xlsx()
        months = sorted({format_month(s.month) for s in self})
        period = "_".join(dict.fromkeys((months[0], months[-1])))
        name = self.env._("Commission %(months)s.xlsx", months=period)
        # Nobody writes a statement, which attaching a file to it would need: the
        # file is the system's, readable by whoever reads the statement.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(content),
                    "mimetype": "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    # Linked to the statement when there is one, so that whoever reads
                    # the statement reads its export; otherwise only its creator does.
                    "res_model": self._name if len(self) == 1 else False,
                    "res_id": self.id if len(self) == 1 else False,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_commission.action_customer_commission_line"
        )
        action["domain"] = [("statement_id", "=", self.id)]
        action["context"] = {}
        return action

    # -------------------------------------------------------------- business

    def _commission_xlsx(self):
        """The workbook payroll imports: one row per statement, then its lines."""
        return payroll_workbook(
            self.sorted(lambda s: (s.month, s.user_id.name or "", s.id))
        )

    def _commission_schedule(self, activity_xmlid, assignee, summary):
        """One activity per statement for ``assignee(statement)``, its summary
        ``summary(env, statement)`` written in the assignee's language."""
        activity_type = self.env.ref(activity_xmlid)
        today = fields.Date.context_today(self)
        todo = []
        for statement in self:
            user = assignee(statement)
            if user:
                todo.append(
                    {
                        "res_id": statement.id,
                        "activity_type": activity_type,
                        "user": user,
                        "date_deadline": today,
                        "summary": lambda env, statement=statement: summary(
                            env, statement.with_env(env)
                        ),
                    }
                )
        return self.env["mail.activity"]._customer_policy_schedule(self._name, todo)

    def _commission_close_activities(self, activity_xmlid):
        """The step was taken (by whoever may take it): its activities are done."""
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", self.env.ref(activity_xmlid).id),
            ]
        ).action_feedback()

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_commission_reminders(self, batch_size=CRON_BATCH_SIZE):
        """Ask the department managers to confirm the statements of months that
        are over, once per statement."""
        first_of_month = fields.Date.context_today(self).replace(day=1)
        domain = [
            ("state", "=", "draft"),
            ("month", "<", first_of_month),
            ("confirm_requested", "=", False),
        ]
        statements = self.sudo().search(domain, order="id", limit=batch_size)
        statements._commission_schedule(
            "customer_policy_commission.mail_activity_type_commission_confirm",
            lambda statement: statement._commission_confirmer(),
            lambda env, statement: env._(
                "Confirm the commission statement %(statement)s (%(amount)s)",
                statement=statement.display_name,
                amount=statement.currency_id.format(statement.amount_total),
            ),
        )
        statements.write({"confirm_requested": True})
        remaining = (
            self.sudo().search_count(domain) if len(statements) == batch_size else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(statements), remaining=remaining)
        return statements
