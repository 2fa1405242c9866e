from datetime import date as Date
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.care_calendar import solar_in_year
from ..tools.cron import run_exclusive
from ..tools.formats import format_day
from .customer_agreement import LEDGER_STATES

# New care events claimed per call of the daily cron: the cron runner calls
# again while some remain (first run after go-live: every contact's holiday).
CARE_BATCH_SIZE = 2000
# The New-Year gift is planned from 1 December for this day of the month.
NEW_YEAR_GIFT_DAY = 20
_INSERT_COLUMNS = (
    ("plan_key", "varchar"),
    ("event_type", "varchar"),
    ("date", "date"),
    ("partner_id", "int"),
    ("contact_id", "int"),
    ("occasion_id", "int"),
    ("user_id", "int"),
    ("team_id", "int"),
    ("company_id", "int"),
)


def _row(key, kind, day, owner, contact_id=None, occasion_id=None):
    """A care event to plan, in the order of ``_INSERT_COLUMNS``; ``owner`` is
    (customer, owner, department, company)."""
    customer_id, user_id, team_id, company_id = owner
    return (key, kind, day, customer_id, contact_id, occasion_id, user_id, team_id) + (
        company_id,
    )


class CustomerCareEvent(models.Model):
    """The daily care planning (关怀计划): birthdays, holidays, cooperation
    anniversaries and the New-Year gift, each planned once as an event with an
    activity for the customer's owner."""

    _inherit = "customer.care.event"

    @api.model
    def _cron_plan_customer_care(self, today=None, limit=CARE_BATCH_SIZE):
        """Daily: move the birthdays that passed, then plan the care events due
        within their horizon that are not planned yet, ``limit`` at a time (the
        cron runner calls again while some remain). One run at a time: the
        second of two at once would fail on the events the first claims."""
        return (
            run_exclusive(
                self.env,
                "customer_policy.care_planning",
                lambda: self._customer_policy_plan_care(today, limit),
            )
            or self.browse()
        )

    @api.model
    def _customer_policy_plan_care(self, today, limit):
        today = today or fields.Date.context_today(self)
        self.env["res.partner"]._customer_policy_refresh_birthdays(today)
        wanted = self._customer_policy_care_candidates(today)
        existing = self._customer_policy_existing_plan_keys([w[0] for w in wanted])
        missing = [row for row in wanted if row[0] not in existing]
        events = self._customer_policy_claim_care_events(missing[:limit])
        events._customer_policy_schedule_care_activities(today)
        self.env["ir.cron"]._notify_progress(
            done=len(events), remaining=max(len(missing) - limit, 0)
        )
        return events

    # === CANDIDATES === #

    @api.model
    def _customer_policy_care_customers(self):
        """Rows (id, company, tier, owner, department, start of the cooperation)
        of the managed customers that receive care: active, with an active owner,
        not opted out."""
        self.env["res.partner"].flush_model(
            [
                "customer_policy_managed",
                "active",
                "parent_id",
                "care_opt_out",
                "user_id",
                "team_id",
                "customer_tier_id",
                "company_id",
            ]
        )
        self.env["customer.agreement"].flush_model(
            ["commercial_partner_id", "state", "date_start", "date_signed"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, COALESCE(p.company_id, %(company)s), p.customer_tier_id,
                       p.user_id, p.team_id, a.started
                  FROM res_partner p
                  JOIN res_users u ON u.id = p.user_id AND u.active
             LEFT JOIN (SELECT commercial_partner_id,
                               MIN(COALESCE(date_start, date_signed)) AS started
                          FROM customer_agreement
                         WHERE state IN %(states)s
                      GROUP BY commercial_partner_id) a
                       ON a.commercial_partner_id = p.id
                 WHERE p.customer_policy_managed AND p.active
                   AND p.parent_id IS NULL AND NOT COALESCE(p.care_opt_out, FALSE)
                """,
                company=self.env.company.id,
                states=LEDGER_STATES,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _customer_policy_care_contacts(self, customer_ids):
        """{customer id: [(contact id, next birthday)]} of the active contact
        persons who did not opt out."""
        self.env.cr.execute(
            SQL(
                """
                SELECT commercial_partner_id, id, next_birthday
                  FROM res_partner
                 WHERE commercial_partner_id = ANY(%s) AND id != commercial_partner_id
                   AND active AND type = 'contact'
                   AND NOT COALESCE(care_opt_out, FALSE)
              ORDER BY id
                """,
                customer_ids,
            )
        )
        contacts = {}
        for customer_id, contact_id, birthday in self.env.cr.fetchall():
            contacts.setdefault(customer_id, []).append((contact_id, birthday))
        return contacts

    @api.model
    def _customer_policy_care_candidates(self, today):
        """Every care event due within its horizon from ``today``, planned or not,
        as rows in the order of ``_INSERT_COLUMNS``."""
        customers = self._customer_policy_care_customers()
        if not customers:
            return []
        contacts = self._customer_policy_care_contacts([row[0] for row in customers])
        companies = {
            company.id: company
            for company in self.env["res.company"]
            .sudo()
            .browse({row[1] for row in customers})
        }
        occasions = self._customer_policy_occasion_dates(today)
        rows = []
        for customer_id, company_id, tier_id, user_id, team_id, started in customers:
            company = companies[company_id]
            people = contacts.get(customer_id) or [(customer_id, None)]
            owner = (customer_id, user_id, team_id, company_id)
            horizon = today + timedelta(days=company.customer_care_birthday_days)
            rows.extend(
                _row(f"birthday:{person}:{day.year}", "birthday", day, owner, person)
                for person, day in people
                if day and today <= day <= horizon
            )
            rows.extend(
                _row(
                    f"holiday:{occasion.id}:{person}:{day.year}",
                    "holiday",
                    day,
                    owner,
                    person,
                    occasion.id,
                )
                for occasion, day in occasions
                if occasion._customer_policy_applies_to(tier_id, company_id)
                for person, _birthday in people
            )
            day = self._customer_policy_anniversary(
                started, today, company.customer_care_anniversary_days
            )
            if day:
                rows.append(
                    _row(
                        f"anniversary:{customer_id}:{day.year}",
                        "anniversary",
                        day,
                        owner,
                    )
                )
            new_year_tiers = company.customer_care_new_year_tier_ids.ids
            if today.month == 12 and (not new_year_tiers or tier_id in new_year_tiers):
                day = max(today, today.replace(day=NEW_YEAR_GIFT_DAY))
                rows.append(
                    _row(f"new_year:{customer_id}:{today.year}", "new_year", day, owner)
                )
        return rows

    @api.model
    def _customer_policy_occasion_dates(self, today):
        """[(occasion, date)] of the active occasions that fall within their
        planning horizon from ``today``."""
        found = []
        for occasion in (
            self.env["customer.care.occasion"].sudo().search([("active", "=", True)])
        ):
            horizon = today + timedelta(days=occasion.days_ahead)
            for year in range(today.year, horizon.year + 1):
                found.extend(
                    (occasion, day)
                    for day in occasion.date_in_year(year, all_dates=True)
                    if today <= day <= horizon
                )
        return found

    @api.model
    def _customer_policy_anniversary(self, started, today, days_ahead):
        """The next anniversary of a cooperation started on ``started`` if it falls
        within ``days_ahead`` days from ``today`` (a first year completed)."""
        if not started:
            return None
        for year in (today.year, today.year + 1):
            day = solar_in_year(year, started.month, started.day)
            if year > started.year and today <= day <= today + timedelta(days_ahead):
                return day
        return None

    # === CLAIM AND ACTIVITIES === #

    @api.model
    def _customer_policy_existing_plan_keys(self, keys):
        if not keys:
            return set()
        self.flush_model(["plan_key"])
        self.env.cr.execute(
            "SELECT plan_key FROM customer_care_event WHERE plan_key = ANY(%s)",
            [keys],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _customer_policy_claim_care_events(self, rows):
        """Create the events of ``rows`` in one statement; a key another run or
        worker claimed already is skipped by the unique index, without an error.

        :return: the events created
        """
        if not rows:
            return self.browse()
        names = [name for name, _type in _INSERT_COLUMNS]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_care_event
                       (%(names)s, commercial_partner_id, customer_owner_id, state,
                        create_uid, write_uid, create_date, write_date)
                SELECT %(values)s, v.partner_id,
                       (SELECT p.user_id FROM res_partner p WHERE p.id = v.partner_id),
                       'planned', %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM unnest(%(arrays)s) AS v(%(names)s)
                ON CONFLICT (plan_key) DO NOTHING
             RETURNING id
                """,
                names=SQL(", ").join(SQL.identifier(name) for name in names),
                values=SQL(", ").join(
                    SQL("v.%s", SQL.identifier(name)) for name in names
                ),
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", list(column), SQL(sql_type))
                    for column, (_name, sql_type) in zip(
                        zip(*rows, strict=True), _INSERT_COLUMNS, strict=True
                    )
                ),
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _customer_policy_schedule_care_activities(self, today):
        """One activity per event for its owner on the event's day; the New-Year
        gift adds a task on the customer to ask for its needs of next year."""
        if not self:
            return
        care_type = self.env.ref("customer_policy.mail_activity_type_care")
        needs_type = self.env.ref("customer_policy.mail_activity_type_next_year_needs")
        todo, needs = [], []
        for event in self.sudo():
            todo.append(
                {
                    "res_id": event.id,
                    "activity_type": care_type,
                    "user": event.user_id,
                    "date_deadline": event.date,
                    "summary": event._customer_policy_care_summary,
                }
            )
            if event.event_type == "new_year":
                needs.append(
                    {
                        "res_id": event.partner_id.id,
                        "activity_type": needs_type,
                        "user": event.user_id,
                        "date_deadline": Date(today.year, 12, 31),
                        "summary": lambda env, year=today.year + 1: env._(
                            "Ask the customer for its needs of %(year)s and note "
                            "them on the customer",
                            year=year,
                        ),
                    }
                )
        Activity = self.env["mail.activity"]
        Activity._customer_policy_schedule(self._name, todo)
        Activity._customer_policy_schedule("res.partner", needs)

    def _customer_policy_care_summary(self, env):
        """What the owner reads in the activity, in their language."""
        self.ensure_one()
        event = self.with_env(env)
        person = (event.contact_id or event.partner_id).name
        day = format_day(env, event.date)
        if event.event_type == "birthday":
            return env._(
                "Birthday of %(person)s on %(date)s: send greetings",
                person=person,
                date=day,
            )
        if event.event_type == "holiday":
            if event.occasion_id.gift_planned:
                return env._(
                    "%(occasion)s on %(date)s: greet %(person)s and send the gift",
                    occasion=event.occasion_id.name,
                    date=day,
                    person=person,
                )
            return env._(
                "%(occasion)s on %(date)s: greet %(person)s",
                occasion=event.occasion_id.name,
                date=day,
                person=person,
            )
        if event.event_type == "anniversary":
            return env._(
                "Anniversary of the cooperation with %(customer)s on %(date)s",
                customer=event.partner_id.name,
                date=day,
            )
        return env._(
            "New-Year gift for %(customer)s by %(date)s",
            customer=event.partner_id.name,
            date=day,
        )
