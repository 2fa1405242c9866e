from odoo import fields, models, tools
from odoo.tools import SQL


class CustomerComplaintReport(models.Model):
    """Complaint analysis (投诉分析): how many requests came in, how many were
    answered on time and how many resolved, by month, department or cause.

    One row per ticket. The rates are averages of 100 (yes) and 0 (no) with NULL
    where the question does not apply yet, which PostgreSQL's AVG leaves out, so
    that every grouping divides the right sum by the right count:

    - on time: first response given by the deadline (100), after it or still
      missing past it (0, the overdue flag the SLA check keeps); not asked of a
      ticket still within its time, or without a deadline, or cancelled;
    - resolved: resolved or closed (100), open (0); cancelled tickets left out.
    """

    _name = "customer.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _order = "received_at desc"
    _rec_name = "name"

    name = fields.Char(string="Number", readonly=True)
    complaint_id = fields.Many2one(
        "customer.complaint", string="Complaint or Request", readonly=True
    )
    received_at = fields.Datetime(string="Received On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Handler", readonly=True)
    team_id = fields.Many2one("crm.team", string="Customer Department", readonly=True)
    responsible_team_id = fields.Many2one(
        "crm.team", string="Responsible Department", readonly=True
    )
    root_cause_category_id = fields.Many2one(
        "customer.complaint.root.cause", string="Root Cause Type", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    request_type = fields.Selection(
        selection=lambda self: self._complaint_selection("request_type"),
        string="Type",
        readonly=True,
    )
    severity = fields.Selection(
        selection=lambda self: self._complaint_selection("severity"), readonly=True
    )
    channel = fields.Selection(
        selection=lambda self: self._complaint_selection("channel"), readonly=True
    )
    state = fields.Selection(
        selection=lambda self: self._complaint_selection("state"),
        string="Status",
        readonly=True,
    )
    ticket_count = fields.Integer(string="Number of Requests", readonly=True)
    on_time_rate = fields.Float(
        string="On-time Response Rate (%)", readonly=True, aggregator="avg"
    )
    resolution_rate = fields.Float(
        string="Resolution Rate (%)", readonly=True, aggregator="avg"
    )
    first_response_hours = fields.Float(
        string="First Response (working hours)", readonly=True, aggregator="avg"
    )
    satisfaction_score = fields.Float(
        string="Satisfaction (1-5)", readonly=True, aggregator="avg"
    )

    def _complaint_selection(self, field_name):
        return (
            self.env["customer.complaint"]
            ._fields[field_name]
            ._description_selection(self.env)
        )

    def _query(self):
        return SQL(
            """
            SELECT c.id,
                   c.id AS complaint_id,
                   c.name,
                   c.received_at,
                   c.partner_id,
                   c.user_id,
                   c.team_id,
                   c.responsible_team_id,
                   c.root_cause_category_id,
                   c.company_id,
                   c.request_type,
                   c.severity,
                   c.channel,
                   c.state,
                   1 AS ticket_count,
                   CASE
                       WHEN c.state = 'cancelled' OR c.response_deadline IS NULL
                           THEN NULL
                       WHEN c.first_response_at IS NOT NULL
                           THEN CASE WHEN c.first_response_at <= c.response_deadline
                                     THEN 100.0 ELSE 0.0 END
                       WHEN c.is_response_overdue THEN 0.0
                   END AS on_time_rate,
                   CASE
                       WHEN c.state = 'cancelled' THEN NULL
                       WHEN c.state IN ('resolved', 'closed') THEN 100.0
                       ELSE 0.0
                   END AS resolution_rate,
                   CASE WHEN c.first_response_at IS NOT NULL
                        THEN c.first_response_hours END AS first_response_hours,
                   NULLIF(c.satisfaction_score, 0) AS satisfaction_score
              FROM customer_complaint c
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
