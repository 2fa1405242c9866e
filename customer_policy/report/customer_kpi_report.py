from odoo import api, fields, models, tools
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from ..models.customer_agreement import LEDGER_STATES, RECEIVABLE_STATES
from ..tools.visit import VISIT_TYPES_COUNTED

# The measures of a row, summed from the facts; the rates below are computed
# from them.
MEASURES = (
    "new_customers",
    "registrations_on_time",
    "registrations_late",
    "registration_reminders",
    "visits_done",
    "visits_required",
    "visits_compliant",
    "complaints_received",
    "complaints_resolved",
    "complaints_responded",
    "complaints_on_time",
    "first_response_hours",
    "complaints_rated",
    "satisfaction_total",
    "customers_lost",
    "repeat_purchase_customers",
    "contract_amount",
    "payment_amount",
    "overdue_amount",
    "target_new_customers",
    "target_visits",
    "target_contract_amount",
    "target_payment_amount",
)
# rate -> (numerator, denominator, factor): a rate is the ratio of two sums in
# every grouping, never the average of the rows' rates.
RATES = {
    "visit_compliance": ("visits_compliant", "visits_required", 100.0),
    "resolution_rate": ("complaints_resolved", "complaints_received", 100.0),
    "response_on_time_rate": ("complaints_on_time", "complaints_received", 100.0),
    "avg_first_response_hours": ("first_response_hours", "complaints_responded", 1.0),
    "satisfaction_avg": ("satisfaction_total", "complaints_rated", 1.0),
    "achievement_rate": ("contract_amount", "target_contract_amount", 100.0),
}


class CustomerKpiReport(models.Model):
    """KPI report (考核指标): one row per salesperson, department and month of
    what the policy measures, computed by PostgreSQL from the records.

    Who a fact counts for: a new customer for whoever developed it (谁开发), a
    visit for the visitor, a ticket for its handler, an agreement and its
    overdue installments for the agreement's owner, a payment for the owner of
    the agreement paid (else of the customer), the visits a tier requires and a
    lost customer for the customer's owner; the department is the customer's
    (a ticket's: the department responsible for it). Months are those of the
    company's time zone.

    Each salesperson and department has a row for every month from its first
    fact to the current month (to its last one for a user who left), so that a
    month without activity shows as zeros rather than not at all.
    """

    _name = "customer.kpi.report"
    _description = "Customer Policy KPI Report"
    _auto = False
    _order = "month desc, team_id, user_id"
    _rec_name = "month"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    month = fields.Date(readonly=True, help="First day of the month.")
    new_customers = fields.Integer(
        readonly=True, help="Customers registered in the month, by their developer."
    )
    registrations_on_time = fields.Integer(
        string="Registered on Time",
        readonly=True,
        help="Customers registered in the month within their deadline.",
    )
    registrations_late = fields.Integer(
        string="Registered Late",
        readonly=True,
        help="Customers registered in the month after their deadline.",
    )
    registration_reminders = fields.Integer(
        string="Late despite Reminders",
        readonly=True,
        help="Customers registered late in the month although their owner was "
        "reminded to register them.",
    )
    visits_done = fields.Integer(
        readonly=True,
        help="Visits, return visits and online meetings done in the month.",
    )
    visits_required = fields.Integer(
        readonly=True,
        help="Visits the customers' tiers require: in each month for a monthly "
        "rule, in the quarter's last month for a quarterly one.",
    )
    visits_compliant = fields.Integer(
        string="Required Visits Made",
        readonly=True,
        help="Required visits made in their period; visits beyond a customer's "
        "minimum do not make up for another customer's.",
    )
    visit_compliance = fields.Float(
        string="Visit Compliance (%)", readonly=True, aggregator="avg"
    )
    complaints_received = fields.Integer(
        readonly=True, help="Complaints and service requests received in the month."
    )
    complaints_resolved = fields.Integer(
        readonly=True, help="Of those received in the month, resolved or closed."
    )
    complaints_responded = fields.Integer(readonly=True)
    complaints_on_time = fields.Integer(
        string="Answered on Time",
        readonly=True,
        help="Of those received in the month, answered within the response limit.",
    )
    first_response_hours = fields.Float(
        string="First Response Hours (total)", readonly=True
    )
    complaints_rated = fields.Integer(readonly=True)
    satisfaction_total = fields.Integer(string="Satisfaction Points", readonly=True)
    resolution_rate = fields.Float(
        string="Resolution Rate (%)", readonly=True, aggregator="avg"
    )
    response_on_time_rate = fields.Float(
        string="Response on Time (%)", readonly=True, aggregator="avg"
    )
    avg_first_response_hours = fields.Float(
        string="Average First Response (hours)", readonly=True, aggregator="avg"
    )
    satisfaction_avg = fields.Float(
        string="Satisfaction (1-5)", readonly=True, aggregator="avg"
    )
    customers_lost = fields.Integer(
        readonly=True,
        help="Customers whose tier fell to potential, or whose last agreement "
        "ended (expired or terminated) without renewal, in the month.",
    )
    repeat_purchase_customers = fields.Integer(
        string="Repeat Customers",
        readonly=True,
        help="Customers who signed an agreement in the month and another one "
        "within the 12 months before.",
    )
    contract_amount = fields.Monetary(
        readonly=True,
        help="Agreements approved by Legal and signed in the month.",
    )
    payment_amount = fields.Monetary(
        string="Amount Received", readonly=True, help="Payments posted."
    )
    overdue_amount = fields.Monetary(
        readonly=True,
        help="Still owed on the installments due in the month that are overdue.",
    )
    target_new_customers = fields.Integer(readonly=True)
    target_visits = fields.Integer(readonly=True)
    target_contract_amount = fields.Monetary(readonly=True)
    target_payment_amount = fields.Monetary(readonly=True)
    achievement_rate = fields.Float(
        string="Target Achievement (%)",
        readonly=True,
        aggregator="avg",
        help="Contract amount against the approved plan's target of the month.",
    )

    # === SQL === #

    def _with(self):
        """The facts, one row per event with the measures it adds, and the grid
        of months of every salesperson and department."""
        return SQL(
            """
            company_tz AS (
                SELECT c.id AS company_id, c.currency_id,
                       COALESCE(NULLIF(cal.tz, ''), NULLIF(cp.tz, ''), 'UTC') AS tz,
                       date_trunc('month', now() AT TIME ZONE COALESCE(
                           NULLIF(cal.tz, ''), NULLIF(cp.tz, ''), 'UTC'))::date
                           AS current_month,
                       (now() AT TIME ZONE COALESCE(
                           NULLIF(cal.tz, ''), NULLIF(cp.tz, ''), 'UTC'))::date
                           AS today,
                       COALESCE(split_part(c.parent_path, '/', 1)::int, c.id)
                           AS root_id
                  FROM res_company c
             LEFT JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
             LEFT JOIN res_partner cp ON cp.id = c.partner_id
            ),
            first_company AS (SELECT MIN(id) AS company_id FROM res_company),
            visit_months AS (%(visit_months)s),
            visit_periods AS (%(visit_periods)s),
            signed AS (%(signed)s),
            lost AS (%(lost)s),
            facts AS (%(facts)s),
            fact_sums AS (%(fact_sums)s),
            grid AS (%(grid)s)
            """,
            visit_months=self._visit_months(),
            visit_periods=self._visit_periods(),
            signed=self._signed(),
            lost=self._lost(),
            facts=SQL(" UNION ALL ").join(SQL("(%s)", fact) for fact in self._facts()),
            fact_sums=self._fact_sums(),
            grid=self._grid(),
        )

    def _select(self):
        sums = [
            SQL("COALESCE(f.%s, 0) AS %s", SQL(name), SQL(name)) for name in MEASURES
        ]
        rates = [
            SQL(
                "%s * f.%s / NULLIF(f.%s, 0) AS %s",
                factor,
                SQL(numerator),
                SQL(denominator),
                SQL(name),
            )
            for name, (numerator, denominator, factor) in RATES.items()
        ]
        return SQL(
            """
            ROW_NUMBER() OVER (ORDER BY g.month, g.company_id, g.team_key,
                                        g.user_key) AS id,
            NULLIF(g.user_key, 0) AS user_id,
            NULLIF(g.team_key, 0) AS team_id,
            g.company_id,
            ct.currency_id,
            g.month,
            %s
            """,
            SQL(", ").join(sums + rates),
        )

    def _from(self):
        return SQL(
            """
            grid g
            JOIN company_tz ct ON ct.company_id = g.company_id
            LEFT JOIN fact_sums f ON f.user_key = g.user_key
                             AND f.team_key = g.team_key
                             AND f.company_id = g.company_id
                             AND f.month = g.month
            """
        )

    def _where(self):
        return SQL("TRUE")

    def _query(self):
        return SQL(
            "WITH %s SELECT %s FROM %s WHERE %s",
            self._with(),
            self._select(),
            self._from(),
            self._where(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    # --- the pieces --- #

    @api.model
    def _local_month(self, column):
        """The first day of the month of a UTC timestamp, in the company's time
        zone (``ct``)."""
        return SQL(
            "date_trunc('month', %s AT TIME ZONE 'UTC' AT TIME ZONE ct.tz)::date",
            SQL(column),
        )

    @api.model
    def _convert(self, amount, currency, date):
        """``amount`` in ``currency`` converted to the currency of the company
        ``ct`` at ``date``, with the rates Odoo would use (the company's own,
        else the shared ones; 1 without a rate)."""

        def rate(currency_column):
            return SQL(
                """COALESCE((SELECT r.rate FROM res_currency_rate r
                              WHERE r.currency_id = %(currency)s
                                AND (r.company_id IS NULL OR r.company_id = ct.root_id)
                                AND r.name <= %(date)s
                           ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)""",
                currency=SQL(currency_column),
                date=SQL(date),
            )

        return SQL(
            """CASE WHEN %(currency)s = ct.currency_id THEN %(amount)s
                    ELSE %(amount)s * %(to_rate)s / %(from_rate)s END""",
            currency=SQL(currency),
            amount=SQL(amount),
            to_rate=rate("ct.currency_id"),
            from_rate=rate(currency),
        )

    @api.model
    def _fact(self, user, team, company, month, from_clause, **measures):
        """One fact query: the keys of its row and the measures it adds (the
        others are 0)."""
        columns = [
            SQL("COALESCE(%s, 0) AS user_key", SQL(user)),
            SQL("COALESCE(%s, 0) AS team_key", SQL(team)),
            SQL("%s AS company_id", SQL(company)),
            SQL("%s AS month", month if isinstance(month, SQL) else SQL(month)),
        ]
        for name in MEASURES:
            value = measures.pop(name, None)
            if value is None:
                value = SQL("0")
            else:
                value = SQL("SUM(%s)", value if isinstance(value, SQL) else SQL(value))
            columns.append(SQL("%s AS %s", value, SQL(name)))
        assert not measures, f"unknown measures {measures}"
        # Summed per salesperson, department, company and month already: the
        # facts are a few rows per month, not one per visit or ticket (1.3
        # million wide rows at 100,000 customers).
        return SQL(
            "SELECT %s FROM %s GROUP BY 1, 2, 3, 4",
            SQL(", ").join(columns),
            from_clause,
        )

    @api.model
    def _partner_company(self, partner, user):
        """A customer's company: its own, else its owner's, else the first."""
        return f"COALESCE({partner}.company_id, {user}.company_id, fc.company_id)"

    def _facts(self):
        return [
            self._fact_registrations(),
            self._fact_visits(),
            self._fact_visit_requirements(),
            self._fact_visits_compliant(),
            self._fact_complaints(),
            self._fact_lost(),
            self._fact_repeat(),
            self._fact_contracts(),
            self._fact_payments(),
            self._fact_overdue(),
            self._fact_targets(),
        ]

    def _fact_registrations(self):
        late = "COALESCE(p.is_registration_late, FALSE)"
        # Late although the registration reminders reached the owner (经多次督促).
        reminders = SQL(
            "CASE WHEN %s AND COALESCE(p.registration_reminder_count, 0) > 0 "
            "THEN 1 ELSE 0 END",
            SQL(late),
        )
        return self._fact(
            "COALESCE(p.customer_developer_id, p.user_id)",
            "p.team_id",
            self._partner_company("p", "u"),
            "date_trunc('month', p.registration_date)::date",
            SQL(
                """res_partner p
                   CROSS JOIN first_company fc
                   LEFT JOIN res_users u
                          ON u.id = COALESCE(p.customer_developer_id, p.user_id)
                   WHERE p.customer_policy_managed AND p.active
                     AND p.parent_id IS NULL
                     AND p.registration_state = 'registered'
                     AND p.registration_date IS NOT NULL"""
            ),
            new_customers="1",
            registrations_on_time=f"CASE WHEN {late} THEN 0 ELSE 1 END",
            registrations_late=f"CASE WHEN {late} THEN 1 ELSE 0 END",
            registration_reminders=reminders,
        )

    def _visit_months(self):
        """Counted visits done per customer and month."""
        return SQL(
            """SELECT v.commercial_partner_id AS partner_id, %(month)s AS month,
                      COUNT(*) AS visits
                 FROM customer_visit v
                 JOIN company_tz ct ON ct.company_id = v.company_id
                WHERE v.state = 'done' AND v.done_date IS NOT NULL
                  AND v.visit_type IN %(types)s
             GROUP BY 1, 2""",
            month=self._local_month("v.done_date"),
            types=VISIT_TYPES_COUNTED,
        )

    def _fact_visits(self):
        return self._fact(
            "v.user_id",
            "v.team_id",
            "v.company_id",
            self._local_month("v.done_date"),
            SQL(
                """customer_visit v
                   JOIN company_tz ct ON ct.company_id = v.company_id
                  WHERE v.state = 'done' AND v.done_date IS NOT NULL
                    AND v.visit_type IN %s""",
                VISIT_TYPES_COUNTED,
            ),
            visits_done="1",
        )

    def _period_step(self, tier):
        return SQL(
            "CASE WHEN %s.visit_period = 'month' THEN interval '1 month' "
            "ELSE interval '3 months' END",
            SQL(tier),
        )

    def _period_start(self, tier, day):
        """The first day of the month or quarter of ``tier``'s rule containing
        ``day``."""
        return SQL(
            "date_trunc(CASE WHEN %s.visit_period = 'month' THEN 'month' "
            "ELSE 'quarter' END, %s)::date",
            SQL(tier),
            SQL(day),
        )

    def _visit_customers(self, join=None):
        """The registered customers whose tier requires visits (``p``, their
        tier ``t``), with ``join`` (another table and its condition) if given."""
        return SQL(
            """res_partner p
               CROSS JOIN first_company fc
               JOIN customer_tier t ON t.id = p.customer_tier_id
                                   AND t.visit_min_count > 0
               LEFT JOIN res_users u ON u.id = p.user_id
               %s
              WHERE p.customer_policy_managed AND p.active AND p.parent_id IS NULL
                AND p.registration_state = 'registered'
                AND p.registration_date IS NOT NULL""",
            join or SQL(""),
        )

    def _visit_periods(self):
        """The visits the tiers require, per owner, department, rule and first
        period: the customers are counted by group before the periods are
        spread, so that the work grows with the groups, not the customers."""
        return SQL(
            """SELECT g.user_id, g.team_id, g.company_id,
                      (ps + %(step)s - interval '1 month')::date AS month,
                      g.customers * g.visit_min_count AS required
                 FROM (SELECT p.user_id, p.team_id, %(company)s AS company_id,
                              t.visit_min_count, t.visit_period,
                              %(first)s AS first_period, COUNT(*) AS customers
                         FROM %(customers)s
                     GROUP BY 1, 2, 3, 4, 5, 6) g
                 JOIN company_tz ct ON ct.company_id = g.company_id
           CROSS JOIN LATERAL generate_series(
                   g.first_period, ct.current_month, %(step)s) ps
                WHERE ps + %(step)s - interval '1 month' <= ct.current_month""",
            step=self._period_step("g"),
            company=SQL(self._partner_company("p", "u")),
            first=self._period_start("t", "p.registration_date"),
            customers=self._visit_customers(),
        )

    def _fact_visit_requirements(self):
        # A period's requirement counts in its last month, once that month has
        # come: a quarterly rule falls due in the quarter's last month.
        return self._fact(
            "vp.user_id",
            "vp.team_id",
            "vp.company_id",
            "vp.month",
            SQL("visit_periods vp"),
            visits_required="vp.required",
        )

    def _fact_visits_compliant(self):
        """The required visits made: per customer and period, its counted visits
        up to its tier's minimum (more visits to one customer do not make up
        for another's), in the period's last month. Only customers with visits
        have any."""
        return self._fact(
            "c.user_id",
            "c.team_id",
            "c.company_id",
            "c.month",
            SQL(
                """(SELECT p.user_id, p.team_id, %(company)s AS company_id,
                           (%(start)s + %(step)s - interval '1 month')::date AS month,
                           LEAST(SUM(vm.visits), t.visit_min_count) AS made
                      FROM %(customers)s
                       AND %(start)s >= %(first)s
                  GROUP BY p.id, p.user_id, p.team_id, 3, 4, t.visit_min_count
                   ) c
                   JOIN company_tz ct ON ct.company_id = c.company_id
                  WHERE c.month <= ct.current_month""",
                company=SQL(self._partner_company("p", "u")),
                start=self._period_start("t", "vm.month"),
                step=self._period_step("t"),
                customers=self._visit_customers(
                    SQL("JOIN visit_months vm ON vm.partner_id = p.id")
                ),
                first=self._period_start("t", "p.registration_date"),
            ),
            visits_compliant="c.made",
        )

    def _fact_complaints(self):
        answered = "c.first_response_at IS NOT NULL"
        rated = "c.satisfaction IS NOT NULL"
        return self._fact(
            "c.user_id",
            "COALESCE(c.responsible_team_id, c.team_id)",
            "c.company_id",
            self._local_month("c.received_at"),
            SQL(
                """customer_complaint c
                   JOIN company_tz ct ON ct.company_id = c.company_id
                  WHERE c.state != 'cancelled'"""
            ),
            complaints_received="1",
            complaints_resolved=(
                "CASE WHEN c.state IN ('resolved', 'closed') THEN 1 ELSE 0 END"
            ),
            complaints_responded=f"CASE WHEN {answered} THEN 1 ELSE 0 END",
            complaints_on_time=(
                f"CASE WHEN {answered} AND NOT COALESCE(c.is_response_overdue, FALSE)"
                " THEN 1 ELSE 0 END"
            ),
            first_response_hours=(
                f"CASE WHEN {answered} THEN COALESCE(c.first_response_hours, 0) "
                "ELSE 0 END"
            ),
            complaints_rated=f"CASE WHEN {rated} THEN 1 ELSE 0 END",
            satisfaction_total=(
                f"CASE WHEN {rated} THEN COALESCE(c.satisfaction_score, 0) ELSE 0 END"
            ),
        )

    def _signed(self):
        """Agreements approved by Legal and signed."""
        return SQL(
            """SELECT a.id, a.commercial_partner_id AS partner_id, a.user_id,
                      a.team_id, a.company_id, a.date_signed, a.currency_id,
                      a.amount_total
                 FROM customer_agreement a
                WHERE a.state IN %s AND a.date_signed IS NOT NULL""",
            LEDGER_STATES,
        )

    def _lost(self):
        """(customer, month) of each loss: its tier fell to potential, or its
        last agreement ended without renewal (expired at its end date,
        terminated on the day of termination)."""
        return SQL(
            """SELECT h.partner_id, %(month)s AS month
                 FROM customer_tier_history h
                 JOIN customer_tier nt ON nt.id = h.new_tier_id
                 JOIN customer_tier ot ON ot.id = h.old_tier_id
                 JOIN res_partner p ON p.id = h.partner_id
                 CROSS JOIN first_company fc
                 LEFT JOIN res_users u ON u.id = p.user_id
                 JOIN company_tz ct
                   ON ct.company_id = COALESCE(h.company_id, %(company)s)
                WHERE nt.code = 'potential' AND ot.code IS DISTINCT FROM 'potential'
            UNION
               SELECT a.commercial_partner_id,
                      date_trunc('month', CASE WHEN a.state = 'terminated'
                          THEN COALESCE(a.terminated_on, a.date_end)
                          ELSE a.date_end END)::date
                 FROM customer_agreement a
                WHERE a.state IN ('expired', 'terminated')
                  AND a.renewal_agreement_id IS NULL
                  AND COALESCE(a.terminated_on, a.date_end) IS NOT NULL
                  AND NOT EXISTS (
                      SELECT 1 FROM customer_agreement b
                       WHERE b.commercial_partner_id = a.commercial_partner_id
                         AND b.id != a.id AND b.state IN %(ledger)s
                         AND (b.state NOT IN ('expired', 'terminated')
                              OR COALESCE(b.terminated_on, b.date_end)
                                 > COALESCE(a.terminated_on, a.date_end)
                              OR (COALESCE(b.terminated_on, b.date_end)
                                  = COALESCE(a.terminated_on, a.date_end)
                                  AND b.id > a.id)))""",
            month=self._local_month("h.date"),
            company=SQL(self._partner_company("p", "u")),
            ledger=LEDGER_STATES,
        )

    def _fact_lost(self):
        return self._fact(
            "p.user_id",
            "p.team_id",
            self._partner_company("p", "u"),
            "l.month",
            SQL(
                """lost l
                   JOIN res_partner p ON p.id = l.partner_id
                   CROSS JOIN first_company fc
                   LEFT JOIN res_users u ON u.id = p.user_id"""
            ),
            customers_lost="1",
        )

    def _fact_repeat(self):
        # Once per customer and month, for the owner of its last agreement then.
        return self._fact(
            "r.user_id",
            "r.team_id",
            "r.company_id",
            "r.month",
            SQL(
                """(SELECT DISTINCT ON (s.partner_id,
                                        date_trunc('month', s.date_signed))
                           s.user_id, s.team_id, s.company_id,
                           date_trunc('month', s.date_signed)::date AS month
                      FROM signed s
                     WHERE EXISTS (
                           SELECT 1 FROM signed o
                            WHERE o.partner_id = s.partner_id AND o.id != s.id
                              AND o.date_signed >= s.date_signed - interval '12 months'
                              AND (o.date_signed < s.date_signed
                                   OR (o.date_signed = s.date_signed
                                       AND o.id < s.id)))
                  ORDER BY s.partner_id, date_trunc('month', s.date_signed),
                           s.date_signed DESC, s.id DESC) r"""
            ),
            repeat_purchase_customers="1",
        )

    def _fact_contracts(self):
        return self._fact(
            "s.user_id",
            "s.team_id",
            "s.company_id",
            "date_trunc('month', s.date_signed)::date",
            SQL("signed s JOIN company_tz ct ON ct.company_id = s.company_id"),
            contract_amount=self._convert(
                "s.amount_total", "s.currency_id", "s.date_signed"
            ),
        )

    def _fact_payments(self):
        return self._fact(
            "COALESCE(ag.user_id, cp.user_id)",
            "pay.team_id",
            "pay.company_id",
            "date_trunc('month', pay.date)::date",
            SQL(
                """customer_payment pay
                   JOIN company_tz ct ON ct.company_id = pay.company_id
                   JOIN res_partner cp ON cp.id = pay.commercial_partner_id
                   LEFT JOIN customer_agreement ag ON ag.id = pay.agreement_id
                  WHERE pay.state = 'posted'"""
            ),
            payment_amount=self._convert("pay.amount", "pay.currency_id", "pay.date"),
        )

    def _fact_overdue(self):
        return self._fact(
            "a.user_id",
            "i.team_id",
            "a.company_id",
            "date_trunc('month', i.due_date)::date",
            SQL(
                """customer_agreement_installment i
                   JOIN customer_agreement a ON a.id = i.agreement_id
                   JOIN company_tz ct ON ct.company_id = a.company_id
                  WHERE i.state = 'overdue' AND a.state IN %s""",
                RECEIVABLE_STATES,
            ),
            overdue_amount=self._convert(
                "i.amount_residual", "i.currency_id", "ct.today"
            ),
        )

    def _fact_targets(self):
        # A salesperson's approved plan, month by month; a department's plan is
        # compared with its own lines.
        return self._fact(
            "pl.user_id",
            "pl.department_id",
            "pl.company_id",
            "l.period_start",
            SQL(
                """customer_development_plan_line l
                   JOIN customer_development_plan pl ON pl.id = l.plan_id
                  WHERE pl.state = 'approved' AND pl.user_id IS NOT NULL
                    AND l.period_type = 'month'"""
            ),
            target_new_customers="l.target_new_customers",
            target_visits="l.target_visits",
            target_contract_amount="l.target_contract_amount",
            target_payment_amount="l.target_payment_amount",
        )

    def _fact_sums(self):
        """The measures summed per salesperson, department, company and month,
        before the grid of months is joined: joined fact by fact, the months of
        a salesperson met each of their facts (48 million rows compared at
        100,000 customers)."""
        return SQL(
            "SELECT user_key, team_key, company_id, month, %s FROM facts "
            "GROUP BY user_key, team_key, company_id, month",
            SQL(", ").join(
                # The counts summed twice stay integers (as summed once).
                SQL("SUM(%s)::bigint AS %s", SQL(name), SQL(name))
                if self._fields[name].type == "integer"
                else SQL("SUM(%s) AS %s", SQL(name), SQL(name))
                for name in MEASURES
            ),
        )

    def _grid(self):
        """Every month of each salesperson × department × company, from its
        first fact to its last one or, for an active user, the current month."""
        return SQL(
            """SELECT k.user_key, k.team_key, k.company_id, gs::date AS month
                 FROM (SELECT user_key, team_key, company_id,
                              MIN(month) AS first_month, MAX(month) AS last_month
                         FROM fact_sums GROUP BY user_key, team_key, company_id) k
                 JOIN company_tz ct ON ct.company_id = k.company_id
            LEFT JOIN res_users u ON u.id = k.user_key
           CROSS JOIN LATERAL generate_series(
                   k.first_month,
                   CASE WHEN u.active THEN GREATEST(k.last_month, ct.current_month)
                        ELSE k.last_month END,
                   interval '1 month') gs"""
        )

    # === ORM === #

    def _read_group_select(self, aggregate_spec, query):
        """A rate over a group is the ratio of the sums of its two measures (the
        visits made over those required), so that a pivot re-aggregates it
        correctly: the average of the rows' rates would weigh a customer with one
        ticket like one with a hundred."""
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        if fname in RATES and func in ("avg", "sum"):
            numerator, denominator, factor = RATES[fname]
            return SQL(
                "%s * SUM(%s) / NULLIF(SUM(%s), 0)",
                factor,
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)
