from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.cron import run_in_chunks
from ..tools.formats import format_day
from ..tools.sql import update_from_unnest
from ..tools.tz import with_company_tz
from ..tools.visit import (
    DIGEST_LIMIT,
    DIGEST_PARAM,
    VISIT_TYPES_COUNTED,
    visit_period_bounds,
    visit_requirement,
)

# Customers refreshed and reminded per call of the daily cron: at most two
# activities each, created in one batch.
VISIT_CRON_BATCH_SIZE = 2000
# What a company without its own settings uses: (reminder days, contact days).
_DEFAULT_VISIT_SETTINGS = (7, 14)
# The visit fields of res.partner the refresh writes, with their SQL types.
_VISIT_COLUMNS = (
    ("last_visit_date", "timestamp"),
    ("last_contact_date", "timestamp"),
    ("next_visit_due_date", "date"),
    ("visit_compliance", "varchar"),
    ("visits_done_this_period", "int"),
)


class ResPartner(models.Model):
    """Visits and return visits (客户拜访与回访): what the customer's tier requires,
    whether it is on track, and the daily reminders and digests."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Kept by customer.visit and the daily reminder cron in one grouped pass
    # (_customer_policy_refresh_visits), not by @api.depends: a dependency on a
    # million visits and on the calendar date cannot be expressed as a compute.
    last_visit_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last visit, return visit or online meeting done with the customer.",
    )
    last_contact_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last contact of any kind (visit, phone, e-mail) with the customer.",
    )
    next_visit_due_date = fields.Date(
        readonly=True,
        copy=False,
        help="Day by which the next visit the customer's tier requires is due.",
    )
    visit_compliance = fields.Selection(
        selection=[
            ("ok", "On Track"),
            ("due_soon", "Due Soon"),
            ("overdue", "Overdue"),
        ],
        readonly=True,
        copy=False,
        index=True,
        help="Whether the visits the customer's tier requires are made on time.",
    )
    visits_done_this_period = fields.Integer(
        readonly=True,
        copy=False,
        help="Visits done in the current month or quarter of the tier's rule.",
    )
    customer_visit_ids = fields.One2many(
        comodel_name="customer.visit",
        inverse_name="partner_id",
        string="Visits",
    )
    customer_visit_count = fields.Integer(
        string="Visit Count", compute="_compute_customer_policy_counts"
    )

    # === COMPUTE METHODS === #

    def _customer_policy_count_fields(self):
        return {
            **super()._customer_policy_count_fields(),
            "customer_visit_count": "customer.visit",
        }

    # === ACTION METHODS === #

    def action_register(self):
        # The contacts logged with the prospect now count for the customer.
        result = super().action_register()
        self._customer_policy_refresh_visits()
        return result

    def action_view_customer_visits(self):
        return self._customer_policy_records_action(
            "customer_policy.action_customer_visit"
        )

    def action_plan_customer_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.visit",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    # === BUSINESS METHODS === #

    def _customer_policy_note_first_contacts(self):
        """The earliest contact logged with each draft of ``self`` is its first
        contact, when none is recorded or the recorded one is later: the
        registration deadline counts from it."""
        drafts = self.filtered(
            lambda p: p.registration_state == "draft" and not p.parent_id
        )
        if not drafts:
            return
        earliest = {
            partner.id: done
            for partner, done in self.env["customer.visit"]
            .sudo()
            ._read_group(
                [("commercial_partner_id", "in", drafts.ids), ("state", "=", "done")],
                ["commercial_partner_id"],
                ["done_date:min"],
            )
            if done
        }
        for partner in drafts.sudo():
            if partner.id not in earliest:
                continue
            day = fields.Date.context_today(partner, earliest[partner.id])
            if not partner.first_contact_date or day < partner.first_contact_date:
                partner.first_contact_date = day

    @api.model
    def _customer_policy_visit_settings(self):
        """{company id: (reminder days, contact days)} of every company."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search_fetch(
                [], ["customer_visit_reminder_days", "customer_visit_contact_days"]
            )
        )
        return {
            company.id: (
                company.customer_visit_reminder_days,
                company.customer_visit_contact_days,
            )
            for company in companies
        }

    def _customer_policy_refresh_visits(self, today=None):
        """Recompute the visit fields of ``self``. Nothing for an empty recordset:
        creating or deleting no visit (the return-visit cron on a day with
        nothing to plan) must not recompute every customer (ten seconds at
        100,000); the daily cron refreshes them all, by chunks."""
        if not self:
            return 0
        return self._customer_policy_refresh_visit_ids(
            today or fields.Date.context_today(self),
            self.commercial_partner_id.ids if self else None,
        )

    @api.model
    def _customer_policy_refresh_visit_ids(self, today, partner_ids=None):
        """Recompute the visit fields of the customers ``partner_ids`` (all managed
        customers when ``None``) in three queries: the customers with their tier
        rule, one grouped aggregate of their done visits, and one UPDATE of the
        rows that changed."""
        self.env["customer.visit"].flush_model(
            ["commercial_partner_id", "state", "done_date", "visit_type"]
        )
        self.flush_model(
            [
                "customer_policy_managed",
                "customer_tier_id",
                "company_id",
                *(name for name, _type in _VISIT_COLUMNS),
            ]
        )
        self.env["customer.tier"].flush_model(["visit_min_count", "visit_period"])
        customers = self._customer_policy_visit_rules(partner_ids)
        if not customers:
            return 0
        stats = self._customer_policy_visit_stats(
            today, [row[0] for row in customers] if partner_ids is not None else None
        )
        changed = self._customer_policy_visit_changes(today, customers, stats)
        if changed:
            update_from_unnest(
                self.env.cr, "res_partner", "id", list(_VISIT_COLUMNS), changed
            )
            self.invalidate_model([name for name, _type in _VISIT_COLUMNS])
        return len(customers)

    @api.model
    def _customer_policy_visit_rules(self, partner_ids=None):
        """The managed customers ``partner_ids`` (all when ``None``) with their
        tier's rule and their current visit fields, as rows."""
        scope = SQL("")
        if partner_ids is not None:
            scope = SQL("AND p.id = ANY(%s)", partner_ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.company_id, t.visit_min_count, t.visit_period,
                       p.last_visit_date, p.last_contact_date,
                       p.next_visit_due_date, p.visit_compliance,
                       p.visits_done_this_period
                  FROM res_partner p
             LEFT JOIN customer_tier t ON t.id = p.customer_tier_id
                 WHERE p.customer_policy_managed AND p.parent_id IS NULL %s
                """,
                scope,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _customer_policy_visit_stats(self, today, partner_ids=None):
        """{customer id: (counted visits this month, this quarter, last counted
        visit, last contact)} from the done visits, in one grouped query."""
        month_start = datetime.combine(visit_period_bounds(today, "month")[0], time())
        quarter_start = datetime.combine(
            visit_period_bounds(today, "quarter")[0], time()
        )
        scope = SQL("")
        if partner_ids is not None:
            scope = SQL("AND v.commercial_partner_id = ANY(%s)", partner_ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT v.commercial_partner_id,
                       COUNT(*) FILTER (WHERE v.visit_type = ANY(%(counted)s)
                                          AND v.done_date >= %(month)s),
                       COUNT(*) FILTER (WHERE v.visit_type = ANY(%(counted)s)
                                          AND v.done_date >= %(quarter)s),
                       MAX(v.done_date) FILTER (WHERE v.visit_type = ANY(%(counted)s)),
                       MAX(v.done_date)
                  FROM customer_visit v
                 WHERE v.state = 'done' %(scope)s
              GROUP BY v.commercial_partner_id
                """,
                counted=list(VISIT_TYPES_COUNTED),
                month=month_start,
                quarter=quarter_start,
                scope=scope,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _customer_policy_visit_changes(self, today, customers, stats):
        """The rows of ``customers`` whose visit fields change, as
        ``(id, last visit, last contact, due date, compliance, count)``."""
        settings = self._customer_policy_visit_settings()
        default_settings = settings.get(self.env.company.id, _DEFAULT_VISIT_SETTINGS)
        changed = []
        for partner_id, company_id, required, period, *old in customers:
            month_count, quarter_count, last_visit, last_contact = stats.get(
                partner_id, (0, 0, None, None)
            )
            done = month_count if period == "month" else quarter_count
            horizon = settings.get(company_id, default_settings)[0]
            due, compliance = visit_requirement(
                today, required or 0, period, done, horizon
            )
            new = (
                last_visit,
                last_contact,
                due or None,
                compliance,
                done if required else 0,
            )
            if new != tuple(old):
                changed.append((partner_id, *new))
        return changed

    @api.model
    def _customer_policy_schedule_visit_activities(self, today, partner_ids=None):
        """One visit reminder per customer (of ``partner_ids``, all when ``None``)
        whose required visit is due soon or overdue, one contact reminder per
        customer not contacted for too long, for its owner; never a second one
        while the first is open."""
        visit_type = self.env.ref("customer_policy.mail_activity_type_customer_visit")
        contact_type = self.env.ref(
            "customer_policy.mail_activity_type_customer_contact"
        )
        candidates = self._customer_policy_visit_reminder_candidates(today, partner_ids)
        if not candidates:
            return 0
        existing = {
            (values["res_id"], values["activity_type_id"][0])
            for values in self.env["mail.activity"]
            .sudo()
            .search_read(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", [row[0] for row, _v, _c in candidates]),
                    ("activity_type_id", "in", [visit_type.id, contact_type.id]),
                ],
                ["res_id", "activity_type_id"],
            )
        }
        owners = (
            self.env["res.users"].sudo().browse({row[1] for row, _v, _c in candidates})
        )
        todo = []
        for row, needs_visit, needs_contact in candidates:
            partner_id, owner = row[0], owners.browse(row[1])
            if needs_visit and (partner_id, visit_type.id) not in existing:
                todo.append(
                    {
                        "res_id": partner_id,
                        "activity_type": visit_type,
                        "user": owner,
                        "date_deadline": row[4],
                        "summary": lambda env, due=row[4], done=row[5]: env._(
                            "Visit the customer by %(date)s (%(done)s done this "
                            "period)",
                            date=format_day(env, due),
                            done=done,
                        ),
                    }
                )
            if needs_contact and (partner_id, contact_type.id) not in existing:
                todo.append(
                    {
                        "res_id": partner_id,
                        "activity_type": contact_type,
                        "user": owner,
                        "date_deadline": today,
                        "summary": lambda env, since=row[6]: env._(
                            "No contact since %(date)s: call or write to the customer",
                            date=format_day(env, since),
                        ),
                    }
                )
        self.env["mail.activity"]._customer_policy_schedule("res.partner", todo)
        return len(todo)

    @api.model
    def _customer_policy_visit_reminder_candidates(self, today, partner_ids=None):
        """``[(row, needs a visit, needs a contact)]`` of the managed customers with
        an active owner whose visits are due soon or overdue, or that nobody
        contacted for longer than their company allows. A row is (id, owner,
        company, compliance, due date, visits done, last contact day)."""
        settings = self._customer_policy_visit_settings()
        default_settings = settings.get(self.env.company.id, _DEFAULT_VISIT_SETTINGS)
        self.flush_model(["user_id", "registration_date", "create_date"])
        scope = SQL("")
        if partner_ids is not None:
            scope = SQL("AND p.id = ANY(%s)", partner_ids)
        # The contact limit is per company: compare in Python, over one query.
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.user_id, p.company_id, p.visit_compliance,
                       p.next_visit_due_date, p.visits_done_this_period,
                       COALESCE(p.last_contact_date::date, p.registration_date,
                                p.create_date::date)
                  FROM res_partner p
                  JOIN res_users u ON u.id = p.user_id AND u.active
                 WHERE p.customer_policy_managed AND p.parent_id IS NULL
                   AND p.active
                   AND (p.visit_compliance IN ('due_soon', 'overdue')
                        OR COALESCE(p.last_contact_date::date, p.registration_date,
                                    p.create_date::date) < %s)
                   %s
                """,
                today - timedelta(days=min(days for _r, days in settings.values())),
                scope,
            )
        )
        candidates = []
        for row in self.env.cr.fetchall():
            contact_days = settings.get(row[2], default_settings)[1]
            needs_visit = row[3] in ("due_soon", "overdue")
            needs_contact = row[6] < today - timedelta(days=contact_days)
            if needs_visit or needs_contact:
                candidates.append((row, needs_visit, needs_contact))
        return candidates

    @api.model
    def _customer_policy_send_visit_digests(self, today):
        """One e-mail per department manager listing the overdue customers of the
        departments they lead, with the sections other features add
        (``_customer_policy_digest_sections``); at most once a day."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DIGEST_PARAM) == fields.Date.to_string(today):
            return 0
        template = self.env.ref(
            "customer_policy.mail_template_customer_visit_digest",
            raise_if_not_found=False,
        )
        if not template:
            return 0
        # The overdue customers first, the first DIGEST_LIMIT of each manager
        # named, then what the other features add.
        sections = self._customer_policy_digest_add(
            {},
            SQL("p.visit_compliance = 'overdue'"),
            SQL("p.next_visit_due_date, p.id"),
            "customer_policy.customer_digest_overdue_visits",
            "customer_policy.action_customer_visit_due_customers",
        )
        for manager_id, more in self._customer_policy_digest_sections(today).items():
            sections.setdefault(manager_id, []).extend(more)
        for manager_id in sorted(sections):
            template.sudo().with_context(
                customer_policy_digest_sections=sections[manager_id],
            ).send_mail(manager_id, email_layout_xmlid="mail.mail_notification_light")
        params.set_param(DIGEST_PARAM, fields.Date.to_string(today))
        return len(sections)

    @api.model
    def _customer_policy_digest_sections(self, today):
        """{manager (res.users id): [section HTML]}: what other features add to
        the daily digest of the department managers, each section rendered in
        the manager's language. Override and extend the lists."""
        return {}

    @api.model
    def _customer_policy_digest_customers(self, condition, order):
        """{manager (res.users id): [customer ids]} of the active managed customers
        matching ``condition`` (SQL on ``p``, the customer) in the departments
        each manager leads, in ``order``."""
        self.flush_model()
        self.env["crm.team"].flush_model(["user_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT t.user_id, p.id
                  FROM res_partner p
                  JOIN crm_team t ON t.id = p.team_id
                 WHERE p.customer_policy_managed AND p.parent_id IS NULL AND p.active
                   AND t.user_id IS NOT NULL AND %s
              ORDER BY t.user_id, %s
                """,
                condition,
                order,
            )
        )
        by_manager = defaultdict(list)
        for manager_id, partner_id in self.env.cr.fetchall():
            by_manager[manager_id].append(partner_id)
        return by_manager

    @api.model
    def _customer_policy_digest_add(self, sections, condition, order, template, action):
        """Add to ``sections`` ({manager id: [HTML]}) a section for each manager
        with customers matching ``condition``: the QWeb ``template`` listing them
        in ``order``, with a link to the full list (the window ``action``)."""
        by_manager = self._customer_policy_digest_customers(condition, order)
        for manager in self.env["res.users"].sudo().browse(sorted(by_manager)):
            sections.setdefault(manager.id, []).append(
                self._customer_policy_digest_section(
                    manager,
                    template,
                    self.sudo().browse(by_manager[manager.id]),
                    action,
                )
            )
        return sections

    @api.model
    def _customer_policy_digest_section(self, manager, template, customers, action):
        """A section of ``manager``'s digest: the QWeb ``template`` rendered in
        their language with ``customers`` (the first ``DIGEST_LIMIT``, each as
        ``record``), how many more there are and the link to the full list (the
        window action ``action``)."""
        shown = customers[:DIGEST_LIMIT]
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        env = self.sudo().with_context(lang=manager.lang or self.env.lang).env
        return env["ir.qweb"]._render(
            template,
            {
                "customers": shown.with_env(env),
                "more": len(customers) - len(shown),
                "url": f"{base_url}/odoo/action-{action}",
                "format_date": lambda day: format_day(env, day),
            },
        )

    # === CRON METHODS === #

    @api.model
    def _cron_customer_visit_reminders(self, today=None):
        """Daily: refresh the visit fields of every managed customer, remind the
        owners of visits due soon or overdue and of customers not contacted for too
        long (one open activity each, never twice), and send each department
        manager one digest of their overdue customers.

        ``VISIT_CRON_BATCH_SIZE`` customers per call, by id: the cron framework
        commits and calls again for the next ones; the digests go with the last
        chunk, once every customer is refreshed."""
        # Today and the dates written are the company's, not the cron user's.
        self = with_company_tz(self)  # noqa: PLW0642
        today = today or fields.Date.context_today(self)
        created = []

        def step(after):
            done, last, remaining, count = self._customer_policy_visit_chunk(
                today, after, VISIT_CRON_BATCH_SIZE
            )
            created.append(count)
            if not remaining:
                self._customer_policy_send_visit_digests(today)
            return last, done, remaining

        run_in_chunks(self.env, "customer_policy.visit_reminders", step)
        return sum(created)

    @api.model
    def _customer_policy_visit_chunk(self, today, after, size):
        """Refresh and remind the next ``size`` managed customers after the id
        ``after``: ``(customers done, last id, customers remaining, activities
        created)``."""
        self.flush_model(["customer_policy_managed", "parent_id"])
        query = """
            SELECT id FROM res_partner
             WHERE customer_policy_managed AND parent_id IS NULL AND id > %s
          ORDER BY id
        """
        self.env.cr.execute(SQL(query + " LIMIT %s", after, size))
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return 0, after, 0, 0
        self.browse(ids)._customer_policy_refresh_visits(today=today)
        created = self._customer_policy_schedule_visit_activities(today, ids)
        remaining = 0
        if len(ids) == size:
            self.env.cr.execute(SQL("SELECT COUNT(*) FROM (%s) p", SQL(query, ids[-1])))
            remaining = self.env.cr.fetchone()[0]
        return len(ids), ids[-1], remaining, created
