from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.cron import run_exclusive
from ..tools.health import (
    CHURN_REASONS,
    CHURN_RISKS,
    NEUTRAL_SATISFACTION,
    RATING_POINTS,
    churn_risk,
    contact_gap_days,
    factor_scores,
    health_score,
)
from ..tools.sql import update_from_unnest
from .customer_agreement import LEDGER_STATES, RECEIVABLE_STATES

# Customers scored per call of the nightly cron (the cron runner calls again
# while some remain), so that each call fits the cron time limit.
HEALTH_BATCH_SIZE = 20000
# The health fields of res.partner the nightly check writes, with their SQL types.
_HEALTH_COLUMNS = (
    ("satisfaction_score", "numeric"),
    ("purchase_frequency", "numeric"),
    ("loyalty_years", "numeric"),
    ("interaction_days", "int"),
    ("complaint_rate", "int"),
    ("health_score", "int"),
    ("churn_risk", "varchar"),
    ("health_date", "date"),
)


class ResPartner(models.Model):
    """Relationship health and the churn warning (客户关系评估·流失预警).

    Every night the customers are scored in batches, from SQL aggregates of their
    ratings, agreements, contacts, complaints and installments: the formula is
    in ``tools/health.py`` (and the readme). Each score is kept as the month's
    snapshot; a customer whose risk turns high gets an activity for its owner,
    and the department managers read the high-risk customers in their digest.
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    satisfaction_score = fields.Float(
        string="Satisfaction",
        digits=(16, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="0-100: the ratings of the last 12 months (complaints, visits, "
        "surveys); 50 without any.",
    )
    purchase_frequency = fields.Float(
        digits=(16, 2),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Agreements reviewed by Legal a year, over the last 3 years.",
    )
    loyalty_years = fields.Float(
        string="Years of Cooperation",
        digits=(16, 2),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Years since the first agreement that passed Legal's review.",
    )
    interaction_days = fields.Integer(
        string="Days since Contact",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Days since the last visit, call or e-mail recorded as done.",
    )
    complaint_rate = fields.Integer(
        string="Complaints (12 months)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Complaints received in the last 12 months.",
    )
    health_score = fields.Integer(
        string="Health",
        readonly=True,
        copy=False,
        index=True,
        aggregator="avg",
        help="0-100: the weighted score of satisfaction, purchase frequency, "
        "loyalty, interaction and complaints, computed every night.",
    )
    churn_risk = fields.Selection(
        selection=CHURN_RISKS,
        readonly=True,
        copy=False,
        index=True,
        help="Risk that the customer drifts away, from its health and the reasons "
        "found.",
    )
    churn_reasons = fields.Many2many(
        comodel_name="customer.churn.reason",
        relation="res_partner_churn_reason_rel",
        column1="partner_id",
        column2="reason_id",
        readonly=True,
        copy=False,
        help="Why the customer may be drifting away.",
    )
    health_date = fields.Date(
        string="Health Checked On", readonly=True, copy=False, index=True
    )

    # === ACTION METHODS === #

    def action_view_customer_health_trend(self):
        return self._customer_policy_records_action(
            "customer_policy.action_customer_health_snapshot",
            field="partner_id",
        )

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_satisfaction_sources(self, date_from):
        """The ratings of customers since ``date_from``, as SQL queries whose rows
        are (customer id, rating on 0-100).

        The satisfaction score averages the rows of every source: override to add
        one (``return super()._customer_policy_satisfaction_sources(date_from) +
        [SQL(...)]``), as the survey addon does with the answered surveys.
        """
        return [
            SQL(
                """SELECT commercial_partner_id,
                          (satisfaction::int - 1) * %(points)s::numeric
                     FROM customer_complaint
                    WHERE satisfaction IS NOT NULL AND state != 'cancelled'
                      AND COALESCE(closed_at, resolved_at, received_at) >= %(since)s""",
                points=RATING_POINTS,
                since=date_from,
            ),
            SQL(
                """SELECT commercial_partner_id,
                          (satisfaction::int - 1) * %(points)s::numeric
                     FROM customer_visit
                    WHERE satisfaction IS NOT NULL AND state = 'done'
                      AND done_date >= %(since)s""",
                points=RATING_POINTS,
                since=date_from,
            ),
        ]

    def _customer_policy_health_facts(self, today):
        """One row per customer of ``self``: (id, company, owner, department, tier
        period, tier minimum visits, last contact day, current health, current
        risk, current reason ids, first agreement, agreements of 3 years,
        earliest end of an agreement to renew, complaints of 12 months, of 30
        days, overdue installments, health 3 months ago, ratings, rating
        average), in one query."""
        year_ago = today - relativedelta(years=1)
        self.env.cr.execute(
            SQL(
                """
                WITH ratings AS (%(sources)s),
                satisfaction AS (
                    SELECT partner_id, COUNT(*) AS n, AVG(points) AS average
                      FROM ratings r(partner_id, points)
                     WHERE partner_id = ANY(%(ids)s)
                  GROUP BY partner_id
                ),
                agreements AS (
                    SELECT a.commercial_partner_id AS partner_id,
                           MIN(COALESCE(a.date_start, a.date_signed)) AS started,
                           COUNT(*) FILTER (
                               WHERE COALESCE(a.date_signed, a.date_start)
                                     > %(three_years)s
                                 AND COALESCE(a.date_signed, a.date_start)
                                     <= %(today)s) AS recent,
                           MIN(a.date_end) FILTER (
                               WHERE a.state = 'active' AND a.date_end >= %(today)s
                                 AND a.renewal_agreement_id IS NULL
                                 AND NOT EXISTS (
                                     SELECT 1 FROM customer_agreement r
                                      WHERE r.previous_agreement_id = a.id)
                           ) AS ending
                      FROM customer_agreement a
                     WHERE a.commercial_partner_id = ANY(%(ids)s)
                       AND a.state IN %(reviewed)s
                  GROUP BY a.commercial_partner_id
                ),
                complaints AS (
                    SELECT commercial_partner_id AS partner_id,
                           COUNT(*) AS year_count,
                           COUNT(*) FILTER (WHERE received_at >= %(month_ago)s)
                               AS month_count
                      FROM customer_complaint
                     WHERE commercial_partner_id = ANY(%(ids)s)
                       AND request_type = 'complaint' AND state != 'cancelled'
                       AND received_at >= %(year_ago)s
                  GROUP BY commercial_partner_id
                ),
                overdue AS (
                    SELECT DISTINCT commercial_partner_id AS partner_id
                      FROM customer_agreement_installment
                     WHERE commercial_partner_id = ANY(%(ids)s)
                       AND state = 'overdue' AND agreement_state IN %(receivable)s
                       AND amount_residual > 0
                ),
                reasons AS (
                    SELECT partner_id, array_agg(reason_id ORDER BY reason_id) AS ids
                      FROM res_partner_churn_reason_rel
                     WHERE partner_id = ANY(%(ids)s)
                  GROUP BY partner_id
                )
                SELECT p.id, COALESCE(p.company_id, %(company)s), p.user_id,
                       p.team_id, t.visit_period, t.visit_min_count,
                       COALESCE(p.last_contact_date::date, p.registration_date,
                                p.create_date::date),
                       p.health_score, p.churn_risk, COALESCE(re.ids, '{}'),
                       ag.started, COALESCE(ag.recent, 0), ag.ending,
                       COALESCE(c.year_count, 0), COALESCE(c.month_count, 0),
                       o.partner_id IS NOT NULL, s.health_score,
                       COALESCE(sa.n, 0), sa.average
                  FROM res_partner p
             LEFT JOIN customer_tier t ON t.id = p.customer_tier_id
             LEFT JOIN agreements ag ON ag.partner_id = p.id
             LEFT JOIN complaints c ON c.partner_id = p.id
             LEFT JOIN overdue o ON o.partner_id = p.id
             LEFT JOIN reasons re ON re.partner_id = p.id
             LEFT JOIN satisfaction sa ON sa.partner_id = p.id
             LEFT JOIN customer_health_snapshot s
                    ON s.partner_id = p.id AND s.month = %(month_3)s
                 WHERE p.id = ANY(%(ids)s)
              ORDER BY p.id
                """,
                sources=SQL(" UNION ALL ").join(
                    SQL("(%s)", source)
                    for source in self._customer_policy_satisfaction_sources(year_ago)
                ),
                ids=self.ids,
                today=today,
                three_years=today - relativedelta(years=3),
                year_ago=year_ago,
                month_ago=today - relativedelta(days=30),
                month_3=today.replace(day=1) - relativedelta(months=3),
                reviewed=LEDGER_STATES,
                receivable=RECEIVABLE_STATES,
                company=self.env.company.id,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _customer_policy_health_of(self, row, today, settings, reason_ids):
        """The facts, the health, the risk and the reason ids of a row of
        ``_customer_policy_health_facts`` under the company's ``settings``."""
        (
            _id,
            _company,
            _owner,
            _team,
            period,
            visit_min,
            last_contact,
            _health,
            _risk,
            _reasons,
            started,
            recent,
            ending,
            complaints_year,
            complaints_month,
            overdue,
            health_before,
            ratings,
            rating_average,
        ) = row
        facts = {
            "satisfaction": float(rating_average) if ratings else NEUTRAL_SATISFACTION,
            "purchase_frequency": recent / 3.0,
            "loyalty_years": (today - started).days / 365.0 if started else 0.0,
            "interaction_days": max((today - last_contact).days, 0)
            if last_contact
            else 0,
            "complaint_rate": complaints_year,
        }
        health = health_score(factor_scores(facts, settings), settings["weights"])
        gap = contact_gap_days(period, visit_min)
        found = {
            "health_drop": health_before is not None
            and health_before - health > settings["drop_points"],
            "no_contact": gap is not None and facts["interaction_days"] > gap,
            "overdue": overdue,
            "renewal": ending is not None
            and (ending - today).days <= settings["renewal_days"],
            "complaint_spike": complaints_month >= settings["complaint_spike"],
        }
        reasons = [reason_ids[code] for code in CHURN_REASONS if found[code]]
        risk = churn_risk(
            health, reasons, settings["high_below"], settings["medium_below"]
        )
        return facts, health, risk, reasons

    def _customer_policy_refresh_health(self, today=None):
        """Score the customers of ``self``: their health fields, churn reasons and
        month's snapshot, in a fixed number of queries; an activity for the owner
        of each customer whose risk turned high.

        :return: the customers whose risk turned high
        """
        today = today or fields.Date.context_today(self)
        if not self:
            return self
        # The sources of the score may come from other addons: flush them all.
        self.env.flush_all()
        reason_ids = {
            reason.code: reason.id
            for reason in self.env["customer.churn.reason"]
            .sudo()
            .search([("code", "in", list(CHURN_REASONS))])
        }
        rows = self._customer_policy_health_facts(today)
        settings = {
            company.id: company._customer_policy_health_settings()
            for company in self.env["res.company"].sudo().browse({r[1] for r in rows})
        }
        partner_rows, reason_rows, snapshots, turned_high = [], {}, [], []
        for row in rows:
            partner_id, company_id, owner_id, team_id = row[:4]
            old_risk, old_reasons = row[8], row[9]
            facts, health, risk, reasons = self._customer_policy_health_of(
                row, today, settings[company_id], reason_ids
            )
            values = (
                round(facts["satisfaction"], 1),
                round(facts["purchase_frequency"], 2),
                round(facts["loyalty_years"], 2),
                facts["interaction_days"],
                facts["complaint_rate"],
                health,
                risk,
            )
            partner_rows.append((partner_id, *values, today))
            snapshots.append((partner_id, *values, owner_id, team_id, company_id))
            if sorted(reasons) != list(old_reasons):
                reason_rows[partner_id] = reasons
            if risk == "high" and old_risk != "high" and owner_id:
                turned_high.append(partner_id)
        update_from_unnest(
            self.env.cr, "res_partner", "id", list(_HEALTH_COLUMNS), partner_rows
        )
        self._customer_policy_write_churn_reasons(reason_rows)
        self.env["customer.health.snapshot"]._customer_policy_upsert(
            today.replace(day=1), snapshots
        )
        self.invalidate_model(
            [name for name, _type in _HEALTH_COLUMNS] + ["churn_reasons"]
        )
        at_risk = self.browse(turned_high)
        at_risk._customer_policy_schedule_churn_activities(today)
        return at_risk

    @api.model
    def _customer_policy_write_churn_reasons(self, reason_rows):
        """Replace the churn reasons of the customers of ``reason_rows``
        ({customer id: [reason ids]}) in two statements."""
        if not reason_rows:
            return
        self.env.cr.execute(
            "DELETE FROM res_partner_churn_reason_rel WHERE partner_id = ANY(%s)",
            [list(reason_rows)],
        )
        pairs = [(pid, rid) for pid, rids in reason_rows.items() for rid in rids]
        if pairs:
            self.env.cr.execute(
                """
                INSERT INTO res_partner_churn_reason_rel (partner_id, reason_id)
                SELECT * FROM unnest(%s::int[], %s::int[])
                """,
                [[pid for pid, _rid in pairs], [rid for _pid, rid in pairs]],
            )

    def _customer_policy_schedule_churn_activities(self, today):
        """An activity for the owner of each customer of ``self`` (whose risk just
        turned high), unless one is still open."""
        if not self:
            return
        activity_type = self.env.ref("customer_policy.mail_activity_type_churn_risk")
        open_ids = {
            values["res_id"]
            for values in self.env["mail.activity"]
            .sudo()
            .search_read(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        todo = [
            {
                "res_id": partner.id,
                "activity_type": activity_type,
                "user": partner.user_id,
                "date_deadline": today,
                "summary": partner._customer_policy_churn_summary,
            }
            for partner in self.sudo()
            if partner.id not in open_ids and partner.user_id
        ]
        self.env["mail.activity"]._customer_policy_schedule("res.partner", todo)

    def _customer_policy_churn_summary(self, env):
        """What the owner reads: the health and why, in their language."""
        self.ensure_one()
        partner = self.with_env(env)
        reasons = "; ".join(partner.churn_reasons.mapped("name"))
        if reasons:
            return env._(
                "Customer at risk of churn (health %(health)s): %(reasons)s",
                health=partner.health_score,
                reasons=reasons,
            )
        return env._(
            "Customer at risk of churn (health %(health)s): talk to the customer",
            health=partner.health_score,
        )

    @api.model
    def _customer_policy_digest_sections(self, today):
        """The managers' digest lists the high-risk customers of their
        departments, the least healthy first."""
        return self._customer_policy_digest_add(
            super()._customer_policy_digest_sections(today),
            SQL("p.churn_risk = 'high'"),
            SQL("p.health_score, p.id"),
            "customer_policy.customer_digest_at_risk",
            "customer_policy.action_customer_at_risk",
        )

    # === CRON METHODS === #

    @api.model
    def _cron_customer_health(self, today=None, limit=HEALTH_BATCH_SIZE):
        """Nightly: score the active managed customers not scored today yet,
        ``limit`` at a time (the cron runner calls again while some remain).
        One run at a time: a second one at once would open the same churn
        activities."""
        return (
            run_exclusive(
                self.env,
                "customer_policy.health",
                lambda: self._customer_policy_health_chunk(today, limit),
            )
            or 0
        )

    @api.model
    def _customer_policy_health_chunk(self, today, limit):
        today = today or fields.Date.context_today(self)
        self.flush_model(["customer_policy_managed", "parent_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE customer_policy_managed AND parent_id IS NULL AND active
                   AND health_date IS DISTINCT FROM %s
              ORDER BY id
                """,
                today,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.browse(ids[:limit])._customer_policy_refresh_health(today)
        self.env["ir.cron"]._notify_progress(
            done=min(len(ids), limit), remaining=max(len(ids) - limit, 0)
        )
        return len(ids[:limit])
