from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.customer_policy.tools.sql import update_from_unnest

# Invitations sent per call of the daily cron: the cron runner calls again while
# some remain (the first run after go-live invites every customer). Each call
# reads the candidates again, so its queries are proportional to the customers
# over this size: 1,000, as the budget of the policy's crons asks; a call writes
# and renders its 1,000 mails in a few seconds.
SURVEY_BATCH_SIZE = 1000
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
        wanted = self._customer_policy_survey_candidates(today)
        missing = self._customer_policy_without_invitation(wanted)
        invitations = self._customer_policy_claim(missing[:limit])
        invitations._customer_policy_send(today)
        self.env["ir.cron"]._notify_progress(
            done=len(invitations), remaining=max(len(missing) - limit, 0)
        )
        return invitations

    @api.model
    def _customer_policy_survey_candidates(self, today):
        """[(customer, survey, period, trigger, visit)] due ``today``: the
        customers of a tier with a survey schedule, and those with a return visit
        done in the last days; active managed customers that did not opt out, of a
        company with a survey."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, c.customer_survey_id, t.survey_frequency, v.id,
                       v.done_date, c.customer_survey_after_return_visit
                  FROM res_partner p
                  JOIN res_company c ON c.id = COALESCE(p.company_id, %(company)s)
             LEFT JOIN customer_tier t ON t.id = p.customer_tier_id
             LEFT JOIN LATERAL (
                       SELECT id, done_date FROM customer_visit
                        WHERE commercial_partner_id = p.id AND state = 'done'
                          AND visit_type = 'return_visit' AND done_date >= %(since)s
                     ORDER BY done_date DESC LIMIT 1) v ON TRUE
                 WHERE p.customer_policy_managed AND p.active AND p.parent_id IS NULL
                   AND NOT COALESCE(p.care_opt_out, FALSE)
                   AND c.customer_survey_id IS NOT NULL
                   AND (t.survey_frequency IS NOT NULL OR v.id IS NOT NULL)
              ORDER BY p.id
                """,
                company=self.env.company.id,
                since=today - timedelta(days=RETURN_VISIT_DAYS),
            )
        )
        wanted = []
        for (
            partner,
            survey,
            frequency,
            visit,
            done,
            after_visit,
        ) in self.env.cr.fetchall():
            if frequency:
                period = survey_period(today, frequency)
                wanted.append((partner, survey, period, "schedule", None))
            if visit and after_visit:
                period = f"R{done:%Y-%m}"
                wanted.append((partner, survey, period, "return_visit", visit))
        return wanted

    @api.model
    def _customer_policy_without_invitation(self, wanted):
        """The rows of ``wanted`` not invited yet, with the main contact that can
        receive the survey (an e-mail address, not opted out), as
        (customer, contact, survey, period, trigger, visit)."""
        if not wanted:
            return []
        self.env.cr.execute(
            "SELECT partner_id, survey_id, period FROM customer_survey_invitation "
            "WHERE partner_id = ANY(%s)",
            [list({row[0] for row in wanted})],
        )
        existing = set(self.env.cr.fetchall())
        rows = [row for row in wanted if row[:3] not in existing]
        customers = self.env["res.partner"].sudo().browse({row[0] for row in rows})
        customers.child_ids.mapped("email")  # one prefetch for the main contacts
        contacts = {
            customer.id: customer._customer_policy_main_contact()
            for customer in customers
        }
        return [
            (partner, contacts[partner].id, survey, period, trigger, visit)
            for partner, survey, period, trigger, visit in rows
            if contacts[partner] and not contacts[partner].care_opt_out
        ]

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
            template.sudo().send_mail_batch(
                answers.ids, email_layout_xmlid="mail.mail_notification_light"
            )
