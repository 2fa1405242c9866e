from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.cron import run_in_chunks
from ..tools.formats import format_day
from ..tools.tracking import write_tracked
from ..tools.tz import with_company_tz

# Approved or active agreements expired and reminded per call of the daily cron.
AGREEMENT_CRON_BATCH_SIZE = 5000


class CustomerAgreement(models.Model):
    """The daily expiry of agreements and the reminders of their renewal."""

    _inherit = "customer.agreement"

    # === CRON METHODS === #

    @api.model
    def _cron_agreement_daily(self, batch_size=AGREEMENT_CRON_BATCH_SIZE):
        """Expire agreements and remind renewals, ``batch_size`` approved or
        active agreements per call, by id. (The customers' 12-month amounts have
        their own nightly cron: an agreement that expires still counts.)"""
        # Today and the dates written are the company's, not the cron user's.
        self = with_company_tz(self)  # noqa: PLW0642
        today = fields.Date.context_today(self)
        run_in_chunks(
            self.env,
            "customer_policy.agreement_daily",
            lambda after: self._customer_policy_agreement_chunk(
                today, after, batch_size
            ),
        )

    @api.model
    def _customer_policy_agreement_chunk(self, today, after, size):
        """Expire and remind the next ``size`` approved or active agreements
        after the id ``after``: ``(last id, agreements done, remaining)``."""
        self.flush_model(["state"])
        query = SQL(
            "SELECT id FROM customer_agreement "
            "WHERE state IN ('approved', 'active') AND id > %s ORDER BY id",
            after,
        )
        ids = [
            row[0] for row in self.env.execute_query(SQL("%s LIMIT %s", query, size))
        ]
        if not ids:
            return after, 0, 0
        chunk = self.sudo().browse(ids)
        ended = chunk.filtered(lambda a: a.date_end and a.date_end < today)
        write_tracked(ended, {"state": "expired"})
        chunk._customer_policy_remind_renewals(today)
        remaining = 0
        if len(ids) == size:
            remaining = self.env.execute_query(
                SQL(
                    "SELECT COUNT(*) FROM customer_agreement "
                    "WHERE state IN ('approved', 'active') AND id > %s",
                    ids[-1],
                )
            )[0][0]
        return ids[-1], len(ids), remaining

    def _customer_policy_remind_renewals(self, today):
        """One renewal activity for the owner of each active agreement of
        ``self`` (all when empty) whose end date comes within its reminder days;
        once per agreement."""
        self.flush_model(["state", "renewal_reminded", "date_end"])
        # Filtered in SQL: the window differs per agreement.
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM customer_agreement
                 WHERE state = 'active' AND NOT COALESCE(renewal_reminded, FALSE)
                   AND date_end IS NOT NULL
                   AND date_end - COALESCE(renewal_reminder_days, 0) <= %s
                   %s
                """,
                today,
                SQL("AND id = ANY(%s)", self.ids) if self else SQL(""),
            )
        )
        to_remind = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not to_remind:
            return to_remind
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_agreement_renewal"
        )
        self.env["mail.activity"]._customer_policy_schedule(
            self._name,
            [
                {
                    "res_id": agreement.id,
                    "activity_type": activity_type,
                    "user": agreement.user_id or self.env.user,
                    "date_deadline": min(agreement.date_end, today),
                    "summary": lambda env, agreement=agreement: env._(
                        "Discuss the renewal of %(agreement)s (ends %(date)s)",
                        agreement=agreement.display_name,
                        date=format_day(env, agreement.date_end),
                    ),
                }
                for agreement in to_remind
            ],
        )
        to_remind.write({"renewal_reminded": True})
        return to_remind
