from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.cron import run_exclusive
from ..tools.formats import format_day
from ..tools.sql import update_from_unnest

# Draft customers one call of the daily reminder cron handles; the cron framework
# calls again (and commits in between) while some remain.
REMINDER_BATCH_SIZE = 2000


class ResPartner(models.Model):
    """Registration reminders (备案催办): a customer not registered by its deadline
    gets its owner reminded on the deadline and every N working days after, the
    owner's manager told at the second reminder; the reminders are counted for
    the monthly assessment (经多次督促均不配合的, 月底考核)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    registration_reminder_count = fields.Integer(
        string="Registration Reminders",
        readonly=True,
        copy=False,
        help="How many times the owner was reminded to register the customer after "
        "its deadline; kept once registered, for the monthly assessment.",
    )
    registration_next_reminder = fields.Date(
        string="Next Registration Reminder",
        readonly=True,
        copy=False,
    )

    # === ACTION METHODS === #

    def action_register(self):
        result = super().action_register()
        self._customer_policy_registration_reminders().action_feedback(
            feedback=self.env._("Registered.")
        )
        return result

    # === BUSINESS METHODS === #

    def _customer_policy_registration_reminders(self):
        """The open registration reminders of ``self``."""
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_registration_reminder",
            raise_if_not_found=False,
        )
        if not activity_type or not self:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    @api.model
    def _customer_policy_reminders_due(self, today, limit):
        """Drafts whose reminder is due today, ``limit`` at most, as rows (id,
        reminders so far, deadline, who must register it, company), and how many
        there are. Whoever must register it is the owner, or else whoever entered
        the customer, if still an active employee."""
        self.flush_model(
            [
                "registration_state",
                "registration_deadline",
                "registration_next_reminder",
                "registration_reminder_count",
                "user_id",
                "parent_id",
                "active",
                "company_id",
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, COALESCE(p.registration_reminder_count, 0),
                       p.registration_deadline, u.id, COALESCE(p.company_id, %s),
                       COUNT(*) OVER ()
                  FROM res_partner p
                  JOIN res_users u ON u.id = COALESCE(p.user_id, p.create_uid)
                                  AND u.active AND NOT u.share
                 WHERE p.registration_state = 'draft' AND p.active
                   AND p.parent_id IS NULL
                   AND p.registration_deadline <= %s
                   AND COALESCE(p.registration_next_reminder,
                                p.registration_deadline) <= %s
                 ORDER BY p.id
                 LIMIT %s
                """,
                self.env.company.id,
                today,
                today,
                limit,
            )
        )
        return [row[:5] for row in rows], (rows[0][5] if rows else 0)

    @api.model
    def _customer_policy_next_reminders(self, today, company_ids):
        """{company id: day of the next reminder}: the company's reminder interval
        in working days after today, on its working calendar."""
        companies = self.env["res.company"].sudo().browse(company_ids)
        by_calendar = defaultdict(list)
        for company in companies:
            by_calendar[company.resource_calendar_id].append(company)
        result = {}
        for calendar, members in by_calendar.items():
            days = [company.customer_registration_reminder_days for company in members]
            dates = self._customer_policy_registration_deadlines(
                calendar, [today] * len(members), days
            )
            for company, date in zip(members, dates, strict=True):
                result[company.id] = date
        return result

    @api.model
    def _customer_policy_schedule_registration_reminders(self, rows, today):
        """The activities of one batch: one open reminder per customer for whoever
        must register it (an open one is moved to today and renumbered), and one
        for the owner's manager at the second reminder."""
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_registration_reminder"
        )
        partners = self.sudo().browse(row[0] for row in rows)
        users = self.env["res.users"].sudo().browse({row[3] for row in rows})
        open_reminders = {
            (activity.res_id, activity.user_id.id): activity
            for activity in partners._customer_policy_registration_reminders()
        }
        todo = []
        for (partner_id, count, deadline, user_id, _company), partner in zip(
            rows, partners, strict=True
        ):
            owner = users.browse(user_id)
            number = count + 1

            def owner_summary(env, partner=partner, deadline=deadline, number=number):
                return env._(
                    "Register %(customer)s: the deadline was %(date)s "
                    "(reminder %(count)s)",
                    customer=partner.name,
                    date=format_day(env, deadline),
                    count=number,
                )

            activity = open_reminders.get((partner_id, user_id))
            if activity:
                lang_env = self.with_context(lang=owner.lang or self.env.lang).env
                activity.write(
                    {"date_deadline": today, "summary": owner_summary(lang_env)}
                )
            else:
                todo.append(
                    {
                        "res_id": partner_id,
                        "activity_type": activity_type,
                        "user": owner,
                        "date_deadline": today,
                        "summary": owner_summary,
                    }
                )
            manager = (partner.team_id or owner.sale_team_id).user_id
            if number == 2 and manager and manager != owner and manager.active:
                todo.append(
                    {
                        "res_id": partner_id,
                        "activity_type": activity_type,
                        "user": manager,
                        "date_deadline": today,
                        "summary": lambda env, p=partner, o=owner, d=deadline: env._(
                            "%(owner)s has not registered %(customer)s despite two "
                            "reminders (deadline %(date)s)",
                            owner=o.name,
                            customer=p.name,
                            date=format_day(env, d),
                        ),
                    }
                )
        self.env["mail.activity"]._customer_policy_schedule(self._name, todo)
        return len(todo)

    # === CRON METHODS === #

    @api.model
    def _cron_registration_reminders(self, batch_size=REMINDER_BATCH_SIZE):
        """Daily: remind whoever must register each customer past its deadline,
        on the deadline and every N working days after (N in Settings), tell the
        owner's manager at the second reminder, count the reminders. The next
        reminder's day is stored with the count, so a second run the same day
        reminds nobody twice, and two runs at once run one after the other."""
        return (
            run_exclusive(
                self.env,
                "customer_policy.registration_reminders",
                lambda: self._customer_policy_send_registration_reminders(batch_size),
            )
            or 0
        )

    @api.model
    def _customer_policy_send_registration_reminders(self, batch_size):
        today = fields.Date.context_today(self)
        rows, total = self._customer_policy_reminders_due(today, batch_size)
        if rows:
            self._customer_policy_schedule_registration_reminders(rows, today)
            next_day = self._customer_policy_next_reminders(
                today, {row[4] for row in rows}
            )
            update_from_unnest(
                self.env.cr,
                "res_partner",
                "id",
                [
                    ("registration_reminder_count", "int"),
                    ("registration_next_reminder", "date"),
                ],
                [(row[0], row[1] + 1, next_day[row[4]]) for row in rows],
            )
            self.invalidate_model(
                ["registration_reminder_count", "registration_next_reminder"]
            )
        self.env["ir.cron"]._notify_progress(
            done=len(rows), remaining=max(total - len(rows), 0)
        )
        return len(rows)
