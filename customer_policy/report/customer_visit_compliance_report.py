from odoo import fields, models, tools
from odoo.tools import SQL


class CustomerVisitComplianceReport(models.Model):
    """Visit compliance (拜访达标): per salesperson and department, the visits the
    customers' tiers require this period, those done, the rate and the customers
    below their minimum.

    One row per visit a customer's tier requires in its current month or quarter
    (a customer of a tier asking 3 visits has 3 rows): a row counts as done when
    the customer had at least that many visits. The rate is then the average of
    the rows, done visits over required ones in every grouping, and visits beyond
    the minimum do not make up for another customer's missing ones. The visits
    done are those the customers' visit fields count for the period (kept by the
    visits and the daily reminder cron).
    """

    _name = "customer.visit.compliance.report"
    _description = "Visit Compliance Report"
    _auto = False
    _order = "user_id, partner_id, slot"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Department", readonly=True)
    customer_tier_id = fields.Many2one("customer.tier", string="Tier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    visit_period = fields.Selection(
        selection=[("month", "Month"), ("quarter", "Quarter")],
        readonly=True,
    )
    slot = fields.Integer(string="Required Visit No.", readonly=True)
    next_visit_due_date = fields.Date(readonly=True)
    required_count = fields.Integer(string="Visits Required", readonly=True)
    done_count = fields.Integer(string="Visits Done", readonly=True)
    compliance_rate = fields.Float(
        string="Compliance Rate (%)", readonly=True, aggregator="avg"
    )
    below_minimum_count = fields.Integer(
        string="Customers below Minimum", readonly=True
    )
    customer_count = fields.Integer(string="Customers", readonly=True)

    def _select(self):
        return SQL(
            """
            p.id * 1000 + s.slot AS id,
            p.id AS partner_id,
            p.user_id,
            p.team_id,
            p.customer_tier_id,
            p.company_id,
            t.visit_period,
            s.slot,
            p.next_visit_due_date,
            1 AS required_count,
            CASE WHEN s.slot = 1 THEN COALESCE(p.visits_done_this_period, 0)
                 ELSE 0 END AS done_count,
            CASE WHEN s.slot <= COALESCE(p.visits_done_this_period, 0)
                 THEN 100.0 ELSE 0.0 END AS compliance_rate,
            CASE WHEN s.slot = 1
                  AND COALESCE(p.visits_done_this_period, 0) < t.visit_min_count
                 THEN 1 ELSE 0 END AS below_minimum_count,
            CASE WHEN s.slot = 1 THEN 1 ELSE 0 END AS customer_count
            """
        )

    def _from(self):
        return SQL(
            """
            res_partner p
            JOIN customer_tier t ON t.id = p.customer_tier_id
            CROSS JOIN LATERAL generate_series(1, t.visit_min_count) AS s(slot)
            """
        )

    def _where(self):
        return SQL(
            "p.customer_policy_managed AND p.active AND p.parent_id IS NULL"
            " AND t.visit_min_count > 0"
        )

    def _query(self):
        return SQL(
            "SELECT %s FROM %s WHERE %s", self._select(), self._from(), self._where()
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
