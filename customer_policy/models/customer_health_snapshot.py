from odoo import fields, models
from odoo.tools import SQL

from ..tools.health import CHURN_RISKS

# The columns of a snapshot the nightly health check writes, with their SQL types.
SNAPSHOT_COLUMNS = (
    ("satisfaction_score", "numeric"),
    ("purchase_frequency", "numeric"),
    ("loyalty_years", "numeric"),
    ("interaction_days", "int"),
    ("complaint_rate", "int"),
    ("health_score", "int"),
    ("churn_risk", "varchar"),
    ("user_id", "int"),
    ("team_id", "int"),
    ("company_id", "int"),
)


class CustomerHealthSnapshot(models.Model):
    """The relationship health of a customer in a month (健康度月度快照): one row
    per customer and month, kept up to date by the nightly health check until
    the month ends, so that trends can be drawn per customer and department.

    The owner and the department are those of the month, not of today: a
    customer moving to another department keeps its history where it was.
    """

    _name = "customer.health.snapshot"
    _description = "Customer Health Snapshot"
    _inherit = "customer.policy.customer.mixin"
    _order = "month desc, partner_id"
    _rec_name = "month"
    _sql_constraints = (
        (
            "partner_month_uniq",
            "unique(partner_id, month)",
            "A customer has one health snapshot a month.",
        ),
    )

    partner_id = fields.Many2one(ondelete="cascade", readonly=True)
    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    user_id = fields.Many2one(string="Owner", readonly=True, help=None)
    team_id = fields.Many2one(
        comodel_name="crm.team", related=None, readonly=True, index=True
    )
    company_id = fields.Many2one(readonly=True)
    health_score = fields.Integer(string="Health", readonly=True, aggregator="avg")
    satisfaction_score = fields.Float(
        string="Satisfaction", digits=(16, 1), readonly=True, aggregator="avg"
    )
    purchase_frequency = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    loyalty_years = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    interaction_days = fields.Integer(readonly=True, aggregator="avg")
    complaint_rate = fields.Integer(
        string="Complaints", readonly=True, aggregator="avg"
    )
    churn_risk = fields.Selection(
        selection=CHURN_RISKS,
        readonly=True,
    )

    def _customer_policy_upsert(self, month, rows):
        """Write the snapshots of ``month``: ``rows`` are (customer id, values in
        the order of ``SNAPSHOT_COLUMNS``). One statement; a second run the same
        day changes nothing, a later one the month's values."""
        if not rows:
            return 0
        names = ["partner_id", *(name for name, _type in SNAPSHOT_COLUMNS)]
        types = ["int", *(sql_type for _name, sql_type in SNAPSHOT_COLUMNS)]
        values = SQL(", ").join(SQL.identifier(name) for name in names[1:])
        excluded = SQL(", ").join(
            SQL("EXCLUDED.%s", SQL.identifier(name)) for name in names[1:]
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_health_snapshot
                       (month, commercial_partner_id, customer_owner_id, %(names)s,
                        create_uid, write_uid, create_date, write_date)
                SELECT %(month)s, v.partner_id,
                       (SELECT p.user_id FROM res_partner p WHERE p.id = v.partner_id),
                       %(columns)s, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM unnest(%(arrays)s) AS v(%(names)s)
                ON CONFLICT (partner_id, month) DO UPDATE
                   SET (%(values)s, write_uid, write_date)
                     = (%(excluded)s, EXCLUDED.write_uid, EXCLUDED.write_date)
                 WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                """,
                names=SQL(", ").join(SQL.identifier(name) for name in names),
                columns=SQL(", ").join(
                    SQL("v.%s", SQL.identifier(name)) for name in names
                ),
                month=month,
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", list(column), SQL(sql_type))
                    for column, sql_type in zip(
                        zip(*rows, strict=True), types, strict=True
                    )
                ),
                values=values,
                excluded=excluded,
                current=SQL(", ").join(
                    SQL("customer_health_snapshot.%s", SQL.identifier(name))
                    for name in names[1:]
                ),
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount
