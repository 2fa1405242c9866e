from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.cron import run_in_chunks
from ..tools.formats import format_money
from ..tools.tz import with_company_tz

# Unpaid installments refreshed and chased per call of the daily cron.
CRON_BATCH_SIZE = 5000

# Days overdue, aging bucket and state of the unpaid installments of a key range
# whose days overdue changed since the last run, computed by PostgreSQL; the due
# date and the amount still owed are those of _customer_policy_collection_basis_sql.
_REFRESH_OVERDUE_SQL = """
    WITH fresh AS (
        SELECT i.id,
               CASE WHEN %(residual)s > 0 AND %(due)s < %(today)s
                    THEN %(today)s - %(due)s ELSE 0 END AS days
          FROM customer_agreement_installment i
         WHERE i.state != 'paid' AND i.id > %(after)s AND i.id <= %(last)s
    ), changed AS (
        SELECT f.id, f.days FROM fresh f
          JOIN customer_agreement_installment i ON i.id = f.id
         WHERE i.days_overdue IS DISTINCT FROM f.days
    )
    UPDATE customer_agreement_installment i
       SET days_overdue = c.days,
           aging_bucket = CASE
               WHEN c.days <= 0 THEN 'current'
               WHEN c.days <= 30 THEN '1_30'
               WHEN c.days <= 60 THEN '31_60'
               WHEN c.days <= 90 THEN '61_90'
               ELSE 'over_90' END,
           state = CASE
               WHEN c.days > 0 THEN 'overdue'
               WHEN i.amount_received > 0 THEN 'partial'
               ELSE 'open' END
      FROM changed c
     WHERE i.id = c.id
 RETURNING i.agreement_id
"""


def aging_bucket(days):
    if days <= 0:
        return "current"
    if days <= 30:
        return "1_30"
    if days <= 60:
        return "31_60"
    if days <= 90:
        return "61_90"
    return "over_90"


class CustomerAgreementInstallment(models.Model):
    _name = "customer.agreement.installment"
    _description = "Agreement Installment"
    _inherit = ("customer.policy.customer.mixin", "mail.thread", "mail.activity.mixin")
    _order = "due_date, id"
    _check_company_auto = True

    agreement_id = fields.Many2one(
        comodel_name="customer.agreement",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    name = fields.Char(compute="_compute_name")
    # The agreement's: an installment belongs to the customer, the owner and the
    # company of its agreement.
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, required=False
    )
    user_id = fields.Many2one(
        related="agreement_id.user_id",
        string="Owner",
        readonly=True,
        help=None,
    )
    team_id = fields.Many2one(tracking=False)
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, required=False, default=None
    )
    currency_id = fields.Many2one(related="agreement_id.currency_id", store=True)
    # Not tracked (a related field inherits the tracking of the agreement's
    # state): the agreement's chatter tells its status changes, each
    # installment's does not (an expiry wrote a note on every installment).
    agreement_state = fields.Selection(
        related="agreement_id.state",
        store=True,
        string="Agreement Status",
        tracking=False,
    )
    due_date = fields.Date(required=True, index=True)
    amount = fields.Monetary(required=True)
    allocation_ids = fields.One2many(
        comodel_name="customer.payment.allocation",
        inverse_name="installment_id",
        string="Payments Received",
    )
    amount_received = fields.Monetary(compute="_compute_amount_received", store=True)
    amount_residual = fields.Monetary(
        string="Amount Due", compute="_compute_amount_received", store=True
    )
    days_overdue = fields.Integer(
        compute="_compute_days_overdue",
        store=True,
        help="Days since the due date while money is still owed; refreshed daily.",
    )
    aging_bucket = fields.Selection(
        selection=[
            ("current", "Current"),
            ("1_30", "1-30 Days"),
            ("31_60", "31-60 Days"),
            ("61_90", "61-90 Days"),
            ("over_90", "Over 90 Days"),
        ],
        compute="_compute_days_overdue",
        store=True,
    )
    state = fields.Selection(
        selection=[
            ("open", "Awaiting Payment"),
            ("partial", "Partially Paid"),
            ("paid", "Paid"),
            ("overdue", "Overdue"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    collection_level = fields.Integer(
        readonly=True,
        copy=False,
        help="Highest escalation level whose collection activity was scheduled.",
    )
    collection_action_ids = fields.One2many(
        comodel_name="customer.collection.action",
        inverse_name="installment_id",
        string="Collection Actions",
    )

    # === COMPUTE METHODS === #

    @api.depends("agreement_id.name", "due_date")
    def _compute_name(self):
        for installment in self:
            installment.name = self.env._(
                "%(agreement)s due %(date)s",
                agreement=installment.agreement_id.display_name,
                date=installment.due_date or "",
            )

    @api.depends("amount", "allocation_ids.amount")
    def _compute_amount_received(self):
        for installment in self:
            round_ = installment.currency_id.round
            received = round_(sum(installment.allocation_ids.mapped("amount")))
            installment.amount_received = received
            installment.amount_residual = round_(installment.amount - received)

    @api.depends("due_date", "amount_residual")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for installment in self:
            days = 0
            due_date, residual = installment._customer_policy_collection_basis()
            if due_date and installment.currency_id.compare_amounts(residual, 0) > 0:
                days = max((today - due_date).days, 0)
            installment.days_overdue = days
            installment.aging_bucket = aging_bucket(days)

    @api.depends("amount_residual", "amount_received", "days_overdue")
    def _compute_state(self):
        for installment in self:
            currency = installment.currency_id
            if currency.compare_amounts(installment.amount_residual, 0) <= 0:
                installment.state = "paid"
            elif installment.days_overdue > 0:
                installment.state = "overdue"
            elif currency.compare_amounts(installment.amount_received, 0) > 0:
                installment.state = "partial"
            else:
                installment.state = "open"

    # === CONSTRAINT METHODS === #

    @api.constrains("amount")
    def _check_amount(self):
        for installment in self:
            if installment.currency_id.compare_amounts(installment.amount, 0) <= 0:
                raise ValidationError(
                    self.env._("Each installment must be a positive amount.")
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        installments = super().create(vals_list)
        installments._check_agreement_draft()
        return installments

    def write(self, vals):
        if {"agreement_id", "due_date", "amount"} & set(vals):
            self._check_agreement_draft()
            result = super().write(vals)
            self._check_agreement_draft()
            return result
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft_schedule(self):
        self._check_agreement_draft()

    # === ACTION METHODS === #

    def action_view_agreement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.agreement",
            "res_id": self.agreement_id.id,
            "view_mode": "form",
        }

    # === BUSINESS METHODS === #

    def _check_agreement_draft(self):
        for agreement in self.agreement_id:
            if agreement.state != "draft":
                raise UserError(
                    self.env._(
                        "The payment schedule of %(agreement)s was reviewed by Legal "
                        "and cannot change. Renew the agreement to make a new "
                        "version.",
                        agreement=agreement.display_name,
                    )
                )

    def _customer_policy_collection_basis(self):
        """(due date, amount still owed) that collection counts days overdue
        from: the installment's own. A bridge that bills installments overrides it
        (with ``_customer_policy_collection_basis_sql``) to chase its invoice."""
        self.ensure_one()
        return self.due_date, self.amount_residual

    @api.model
    def _customer_policy_collection_basis_sql(self):
        """The same as SQL expressions over the installment aliased ``i``, for
        the daily refresh: (due date, amount still owed)."""
        return SQL("i.due_date"), SQL("i.amount_residual")

    def _customer_policy_collection_users(self, level, director, legal):
        """Who hears of an installment at an escalation level: the owner, then the
        department manager, then a Director (``director``) and Legal."""
        self.ensure_one()
        company = self.company_id
        owner = self.user_id
        if level == 1:
            return owner or company.customer_tier_approver_id
        if level == 2:
            return self.team_id.user_id or owner
        return (director | legal.filtered(lambda u: company in u.company_ids)[:1]) or (
            owner
        )

    # === CRON METHODS === #

    @api.model
    def _cron_installment_daily(self, batch_size=CRON_BATCH_SIZE):
        """Refresh days overdue, aging and state; remind broken payment promises;
        schedule collection activities.

        ``batch_size`` unpaid installments per call, by id: the refresh is one
        UPDATE of the rows that changed, the activities one batch, each
        installment at most once per level, each broken promise once.
        """
        # Today and the dates written are the company's, not the cron user's.
        self = with_company_tz(self)  # noqa: PLW0642
        run_in_chunks(
            self.env,
            "customer_policy.installment_daily",
            lambda after: self._customer_policy_installment_chunk(after, batch_size),
        )

    @api.model
    def _customer_policy_installment_chunk(self, after, size):
        """The daily work on the next ``size`` unpaid installments after the id
        ``after``: ``(last id, installments done, installments remaining)``."""
        self.flush_model(["state"])
        query = SQL(
            "SELECT id FROM customer_agreement_installment "
            "WHERE state != 'paid' AND id > %s ORDER BY id",
            after,
        )
        ids = [
            row[0] for row in self.env.execute_query(SQL("%s LIMIT %s", query, size))
        ]
        if not ids:
            return after, 0, 0
        scope = (after, ids[-1])
        self._customer_policy_refresh_overdue(scope)
        self.env["customer.collection.action"]._customer_policy_remind_broken_promises(
            scope
        )
        self._customer_policy_schedule_collection(scope)
        remaining = 0
        if len(ids) == size:
            query = SQL(
                "SELECT COUNT(*) FROM customer_agreement_installment "
                "WHERE state != 'paid' AND id > %s",
                ids[-1],
            )
            remaining = self.env.execute_query(query)[0][0]
        return ids[-1], len(ids), remaining

    @api.model
    def _customer_policy_refresh_overdue(self, scope):
        """Refresh the installments of the id range ``scope`` (after, last);
        return how many changed."""
        self.flush_model()
        due, residual = self._customer_policy_collection_basis_sql()
        rows = self.env.execute_query(
            SQL(
                _REFRESH_OVERDUE_SQL,
                today=fields.Date.context_today(self),
                due=due,
                residual=residual,
                after=scope[0],
                last=scope[1],
            )
        )
        if rows:
            self.invalidate_model(["days_overdue", "aging_bucket", "state"])
            # The agreements' overdue totals read the installments' state.
            agreements = self.env["customer.agreement"].browse({row[0] for row in rows})
            self.env.add_to_compute(
                agreements._fields["amount_overdue"], agreements.sudo()
            )
            agreements.flush_recordset(["amount_overdue"])
        return len(rows)

    @api.model
    def _customer_policy_schedule_collection(self, scope):
        """One activity per overdue installment of the id range ``scope`` (after,
        last) and escalation level reached."""
        target_of = self._customer_policy_collection_targets(scope)
        if not target_of:
            return 0
        installments = self.sudo().browse(list(target_of))
        activity_type = self.env.ref("customer_policy.mail_activity_type_collection")
        legal = self.env.ref("customer_policy.group_legal").sudo().users
        today = fields.Date.context_today(self)
        directors = {}
        deadlines = {}
        todo = []
        by_level = defaultdict(list)
        for installment in installments:
            company = installment.company_id
            if company not in directors:
                directors[company] = (
                    company.customer_access_approver_id
                    or self.env["res.users"]._customer_policy_directors(company)[:1]
                )
                # Nobody chases money on a holiday: due on the next working day.
                deadlines[company] = (
                    company.resource_calendar_id._customer_policy_next_working_day(
                        today
                    )
                )
            target = target_of[installment.id]
            by_level[target].append(installment.id)
            amount = format_money(
                installment.currency_id,
                installment._customer_policy_collection_basis()[1],
            )
            # A level skipped (first run, import) still tells its people.
            for level in range(installment.collection_level + 1, target + 1):
                users = installment._customer_policy_collection_users(
                    level, directors[company], legal
                )
                todo += [
                    {
                        "res_id": installment.id,
                        "activity_type": activity_type,
                        "user": user,
                        "date_deadline": deadlines[company],
                        "summary": lambda env, i=installment, a=amount, lv=level: env._(
                            "Collect %(amount)s overdue %(days)s days from "
                            "%(customer)s (level %(level)s)",
                            amount=a,
                            days=i.days_overdue,
                            customer=i.partner_id.name,
                            level=lv,
                        ),
                    }
                    for user in users
                ]
        self.env["mail.activity"]._customer_policy_schedule(self._name, todo)
        for level, ids in by_level.items():
            self.browse(ids).sudo().write({"collection_level": level})
        return len(installments)

    @api.model
    def _customer_policy_collection_targets(self, scope):
        """{installment id: highest escalation level its days overdue reach} of the
        overdue installments of the id range ``scope`` (after, last) not told of
        that level yet.

        A payment promise holds the escalation: after one, the days count from
        the (latest) promised date instead of the due date, so nothing escalates
        while the promise runs and the next level comes as many days after the
        broken promise as it would have after the due date."""
        # Each company has its own escalation days: only those with overdue
        # installments matter.
        companies = [
            company
            for [company] in self.sudo()._read_group(
                [
                    ("state", "=", "overdue"),
                    ("id", ">", scope[0]),
                    ("id", "<=", scope[1]),
                ],
                ["company_id"],
            )
        ]
        cases = []
        for company in companies:
            days_of_levels = company._customer_policy_collection_days()
            for level, days in enumerate(days_of_levels, start=1):
                cases.append(
                    SQL(
                        "WHEN i.company_id = %s AND i.days >= %s THEN %s",
                        company.id,
                        days,
                        level,
                    )
                    if days > 0
                    else SQL("WHEN FALSE THEN 0")
                )
        if not cases:
            return {}
        # Highest level first: CASE stops at the first match.
        cases.reverse()
        self.env["customer.collection.action"].flush_model(
            ["installment_id", "promised_date"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, target FROM (
                    SELECT i.id, CASE %s ELSE 0 END AS target, i.collection_level
                      FROM (
                        SELECT i.id, i.company_id, i.collection_level,
                               CASE WHEN p.promised > i.due_date
                                    THEN GREATEST(%s - p.promised, 0)
                                    ELSE i.days_overdue END AS days
                          FROM customer_agreement_installment i
                          LEFT JOIN LATERAL (
                                SELECT MAX(a.promised_date) AS promised
                                  FROM customer_collection_action a
                                 WHERE a.installment_id = i.id
                          ) p ON TRUE
                         WHERE i.state = 'overdue' AND i.id > %s AND i.id <= %s
                      ) i
                ) t
                 WHERE target > COALESCE(collection_level, 0)
                 ORDER BY id
                """,
                SQL(" ").join(cases),
                fields.Date.context_today(self),
                scope[0],
                scope[1],
            )
        )
        return dict(rows)
