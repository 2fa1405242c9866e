from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.customer_policy.tools.sql import update_from_unnest

# Invitations sent per call of the daily cron: the cron runner calls again while
# some remain (the first run after go-live invites every customer with a survey
# schedule: 59,500 of 100,000). A call finds its chunk in SQL, so its fixed part
# (finding the chunk and counting what remains, about 2 s at 100,000) is paid
# once per chunk, and its variable part is about 3 ms of CPU per invitation (the
# answer, the rendering and the mail, see
# ``survey.user_input._customer_policy_mail_batched``): the CPU time of a call is
# the same at the start and at the end of the run. Measured on two cores shared
# with other busy processes (load 8-10): 5,000 a call took 15 s of CPU but 75 to
# 112 s of wall time, too close to a cron worker's real-time limit (120 s by
# default; 60 s of CPU); 2,500 a call takes 8 s of CPU and under 60 s of wall
# time under that load, for 24 calls at 100,000.
SURVEY_BATCH_SIZE = 2500
# Return visits done this many days back still get their survey (a cron that
# did not run for a few days catches up).
RETURN_VISIT_DAYS = 7
# Days the customer has to answer.
ANSWER_DAYS = 30


def survey_period(day, frequency):
    """The key of the period of ``day`` for a tier's survey ``frequency``:
    ``2026-Q3``, ``2026-H2``, ``2026``."""
    if frequency == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if frequency == "half_year":
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    return str(day.year)


class CustomerSurveyInvitation(models.Model):
    """A satisfaction survey sent to a customer (满意度调查): one per customer,
    survey and period (the tier's quarter, half-year or year, or the month of a
    return visit), whatever how often the cron runs."""

    _name = "customer.survey.invitation"
    _description = "Customer Satisfaction Survey Invitation"
    _inherit = "customer.policy.customer.mixin"
    _order = "sent_date desc, id desc"
    _rec_name = "partner_id"
    _sql_constraints = (
        (
            "partner_survey_period_uniq",
            "unique(partner_id, survey_id, period)",
            "The customer is already invited to this survey for this period.",
        ),
    )

    partner_id = fields.Many2one(ondelete="cascade", readonly=True)
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact Person",
        readonly=True,
        ondelete="set null",
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey", required=True, readonly=True, ondelete="cascade"
    )
    period = fields.Char(
        required=True,
        readonly=True,
        help="The period the invitation is for: 2026-Q3, 2026-H2, 2026, or R2026-09 "
        "after a return visit in September 2026.",
    )
    trigger = fields.Selection(
        selection=[("schedule", "Tier Schedule"), ("return_visit", "Return Visit")],
        required=True,
        readonly=True,
    )
    visit_id = fields.Many2one(
        comodel_name="customer.visit",
        string="Return Visit",
        readonly=True,
        ondelete="set null",
    )
    user_input_id = fields.Many2one(
        comodel_name="survey.user_input",
        string="Answer",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    sent_date = fields.Datetime(readonly=True)
    state = fields.Selection(
        related="user_input_id.state", store=True, string="Answer Status"
    )
    answered_date = fields.Datetime(
        related="user_input_id.end_datetime", store=True, string="Answered On"
    )
    scoring_percentage = fields.Float(
        related="user_input_id.scoring_percentage",
        store=True,
        string="Satisfaction (%)",
        aggregator="avg",
    )

    # === ACTIONS === #

    def action_view_answer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
        }

    # === CRON === #

    @api.model
    def _cron_send_customer_surveys(self, today=None, limit=SURVEY_BATCH_SIZE):
        """Daily: invite the customers whose tier's period has no invitation yet
        and those visited back recently, ``limit`` at a time (the cron runner
        calls again while some remain)."""
        today = today or fields.Date.context_today(self)
        rows = self._customer_policy_due_invitations(today, limit)
        invitations = self._customer_policy_claim(rows)
        invitations._customer_policy_send(today)
        # A chunk that found fewer than ``limit`` left none behind it.
        remaining = (
            self._customer_policy_due_invitations(today) if len(rows) >= limit else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(invitations), remaining=remaining)
        return invitations

    @api.model
    def _customer_policy_due_invitations(self, today, limit=None):
        """The invitations due ``today`` and not sent yet, the first ``limit``
        by customer, as (customer, contact, survey, period, trigger, visit); or,
        without ``limit``, how many there are.

        Due: the customers of a tier with a survey schedule (the tier's period of
        ``today``) and those with a return visit done in the last days (the
        visit's month); active managed customers that did not opt out, of a
        company with a survey, whose main contact (see ``_customer_policy_main_
        contact``, the same choice in SQL) can receive it: it has an e-mail
        address and did not opt out. Not sent yet: no invitation with the same
        customer, survey and period (the unique key).

        Found in SQL, the invitations already sent skipped by the unique index, so
        that a call reads its chunk only: the first run after go-live invites
        every customer in many calls, each call would otherwise read them all.
        """
        self.env.flush_all()
        query = SQL(
            """
              FROM res_partner p
              JOIN res_company c ON c.id = COALESCE(p.company_id, %(company)s)
         LEFT JOIN customer_tier t ON t.id = p.customer_tier_id
         LEFT JOIN LATERAL (
                   SELECT id, done_date FROM customer_visit
                    WHERE commercial_partner_id = p.id AND state = 'done'
                      AND visit_type = 'return_visit' AND done_date >= %(since)s
                      AND c.customer_survey_after_return_visit
                 ORDER BY done_date DESC LIMIT 1) v ON TRUE
        CROSS JOIN LATERAL (VALUES
                   (0, CASE t.survey_frequency WHEN 'quarter' THEN %(quarter)s
                           WHEN 'half_year' THEN %(half_year)s
                           WHEN 'year' THEN %(year)s END,
                    'schedule', NULL::int),
                   (1, 'R' || to_char(v.done_date, 'YYYY-MM'), 'return_visit', v.id)
                   ) AS d(rank, period, trigger, visit_id)
         LEFT JOIN LATERAL (
                   -- res.partner's order, as child_ids reads the contacts
                   SELECT ch.id, ch.care_opt_out FROM res_partner ch
                    WHERE COALESCE(p.email, '') = '' AND ch.parent_id = p.id
                      AND ch.active AND ch.type = 'contact'
                      AND COALESCE(ch.email, '') != ''
                 ORDER BY ch.complete_name, ch.id DESC LIMIT 1) ch ON TRUE
             WHERE p.customer_policy_managed AND p.active AND p.parent_id IS NULL
               AND NOT COALESCE(p.care_opt_out, FALSE)
               AND c.customer_survey_id IS NOT NULL
               AND d.period IS NOT NULL
               AND (COALESCE(p.email, '') != ''
                    OR ch.id IS NOT NULL AND NOT COALESCE(ch.care_opt_out, FALSE))
               AND NOT EXISTS (
                   SELECT FROM customer_survey_invitation i
                    WHERE i.partner_id = p.id AND i.survey_id = c.customer_survey_id
                      AND i.period = d.period)
            """,
            company=self.env.company.id,
            since=today - timedelta(days=RETURN_VISIT_DAYS),
            quarter=survey_period(today, "quarter"),
            half_year=survey_period(today, "half_year"),
            year=survey_period(today, "year"),
        )
        if limit is None:
            self.env.cr.execute(SQL("SELECT count(*) %s", query))
            return self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL(
                """SELECT p.id, COALESCE(ch.id, p.id), c.customer_survey_id,
                          d.period, d.trigger, d.visit_id
                     %s
                 ORDER BY p.id, d.rank
                    LIMIT %s""",
                query,
                limit,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _customer_policy_claim(self, rows):
        """Create the invitations of ``rows`` in one statement; a customer invited
        by another run or worker meanwhile is skipped by the unique index."""
        if not rows:
            return self.browse()
        columns = list(zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_survey_invitation
                       (partner_id, commercial_partner_id, contact_id, survey_id,
                        period, trigger, visit_id, user_id, customer_owner_id,
                        team_id, company_id, create_uid, write_uid, create_date,
                        write_date)
                SELECT v.partner_id, v.partner_id, v.contact_id, v.survey_id,
                       v.period, v.trigger, v.visit_id, p.user_id, p.user_id,
                       p.team_id,
                       COALESCE(p.company_id, %(company)s), %(uid)s, %(uid)s,
                       %(now)s, %(now)s
                  FROM unnest(%(partners)s::int[], %(contacts)s::int[],
                              %(surveys)s::int[], %(periods)s::varchar[],
                              %(triggers)s::varchar[], %(visits)s::int[])
                       AS v(partner_id, contact_id, survey_id, period, trigger,
                            visit_id)
                  JOIN res_partner p ON p.id = v.partner_id
                ON CONFLICT (partner_id, survey_id, period) DO NOTHING
             RETURNING id
                """,
                partners=list(columns[0]),
                contacts=list(columns[1]),
                surveys=list(columns[2]),
                periods=list(columns[3]),
                triggers=list(columns[4]),
                visits=list(columns[5]),
                company=self.env.company.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _customer_policy_send(self, today):
        """An answer for each invitation, and its e-mail to the contact."""
        if not self:
            return
        invitations = self.sudo()
        answers = self.env["survey.user_input"]._customer_policy_create_batched(
            [
                {
                    "survey_id": invitation.survey_id.id,
                    "partner_id": invitation.contact_id.id,
                    "email": invitation.contact_id.email,
                    "deadline": fields.Datetime.to_datetime(
                        today + timedelta(days=ANSWER_DAYS)
                    ),
                }
                for invitation in invitations
            ]
        )
        now = fields.Datetime.now()
        # The related answer fields start as the new answer's: written with the link.
        update_from_unnest(
            self.env.cr,
            self._table,
            "id",
            [
                ("user_input_id", "int"),
                ("sent_date", "timestamp"),
                ("state", "varchar"),
            ],
            [
                (invitation.id, answer.id, now, answer.state)
                for invitation, answer in zip(invitations, answers, strict=True)
            ],
        )
        self.invalidate_recordset(["user_input_id", "sent_date", "state"])
        template = self.env.ref(
            "customer_policy_survey.mail_template_customer_survey_invite",
            raise_if_not_found=False,
        )
        if template:
            answers._customer_policy_mail_batched(
                template, "mail.mail_notification_light"
            )
