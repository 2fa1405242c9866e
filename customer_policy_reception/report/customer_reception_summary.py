from odoo import fields, models, tools
from odoo.tools import SQL


class CustomerReceptionSummary(models.Model):
    """Monthly summary per desk and salesperson: walk-ins, turns, deals, violations."""

    _name = "customer.reception.summary"
    _description = "Reception Monthly Summary"
    _auto = False
    _order = "month desc, desk_id, user_id"
    _rec_name = "month"
    # Reading the summary flushes what it is computed from.
    _depends = {  # noqa: RUF012
        "customer.reception.visit": [
            "visit_day",
            "desk_id",
            "team_id",
            "company_id",
            "user_id",
            "received_by_id",
            "counts_as_turn",
            "is_makeup",
            "visit_kind",
            "outcome",
        ],
        "customer.reception.violation": [
            "date",
            "desk_id",
            "team_id",
            "company_id",
            "user_id",
            "state",
        ],
    }

    month = fields.Date(readonly=True)
    desk_id = fields.Many2one("customer.reception.desk", readonly=True)
    team_id = fields.Many2one("crm.team", string="Department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    visit_count = fields.Integer(string="Visitors Served", readonly=True)
    turn_count = fields.Integer(string="Turns", readonly=True)
    makeup_count = fields.Integer(string="Make-up Turns", readonly=True)
    returning_count = fields.Integer(string="Returning Visitors", readonly=True)
    designated_count = fields.Integer(string="Times Asked For", readonly=True)
    received_count = fields.Integer(
        string="Received for Colleagues",
        readonly=True,
        help="Returning or designated visitors this salesperson received at the "
        "desk and handed to a colleague.",
    )
    deal_count = fields.Integer(string="Same-day Deals", readonly=True)
    violation_count = fields.Integer(string="Violations", readonly=True)
    confirmed_violation_count = fields.Integer(
        string="Confirmed Violations", readonly=True
    )

    def _query(self):
        return SQL(
            """
            SELECT row_number() OVER () AS id, lines.*
              FROM (
                SELECT date_trunc('month', v.visit_day)::date AS month,
                       v.desk_id, v.team_id, v.company_id, v.user_id,
                       count(*) AS visit_count,
                       count(*) FILTER (WHERE v.counts_as_turn) AS turn_count,
                       count(*) FILTER (WHERE v.is_makeup) AS makeup_count,
                       count(*) FILTER (WHERE v.visit_kind = 'returning')
                           AS returning_count,
                       count(*) FILTER (WHERE v.visit_kind = 'designated')
                           AS designated_count,
                       0 AS received_count,
                       count(*) FILTER (WHERE v.outcome = 'deal_today') AS deal_count,
                       0 AS violation_count,
                       0 AS confirmed_violation_count
                  FROM customer_reception_visit v
                 GROUP BY 1, v.desk_id, v.team_id, v.company_id, v.user_id
                UNION ALL
                SELECT date_trunc('month', v.visit_day)::date,
                       v.desk_id, v.team_id, v.company_id, v.received_by_id,
                       0, 0, 0, 0, 0, count(*), 0, 0, 0
                  FROM customer_reception_visit v
                 WHERE v.received_by_id IS NOT NULL
                   AND v.received_by_id != v.user_id
                 GROUP BY 1, v.desk_id, v.team_id, v.company_id, v.received_by_id
                UNION ALL
                SELECT date_trunc('month', r.date)::date,
                       r.desk_id, r.team_id, r.company_id, r.user_id,
                       0, 0, 0, 0, 0, 0, 0,
                       count(*),
                       count(*) FILTER (WHERE r.state = 'confirmed')
                  FROM customer_reception_violation r
                 GROUP BY 1, r.desk_id, r.team_id, r.company_id, r.user_id
              ) AS lines
            """
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
