from collections import defaultdict
from datetime import datetime, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.cron import run_exclusive
from .customer_complaint import OPEN_STATES

# How many tickets a notification lists by name; the rest are counted.
_DIGEST_NAMES = 20


def _subject(env, kind):
    """The title of a list of tickets in a notification, in ``env``'s language."""
    if kind == "is_response_overdue":
        return env._("Tickets past their response deadline")
    if kind == "is_contact_overdue":
        return env._("Complaints past their customer-contact deadline")
    if kind == "is_resolution_overdue":
        return env._("Tickets past their resolution deadline")
    if kind == "escalation_manager":
        return env._("Escalation: major complaints unanswered in your department")
    return env._("Escalation: major complaints still unanswered")


def _section(env, title, shown, count, url):
    """A list of ``count`` tickets under ``title``: the first ones (``shown``)
    named, how many more, a link to the full list."""
    items = Markup("").join(
        Markup('<li><a href="/odoo/customer.complaint/%s">%s</a> %s</li>')
        % (ticket.id, ticket.name, ticket.commercial_partner_id.name or "")
        for ticket in shown
    )
    html = Markup("<p>%s</p><ul>%s</ul>") % (title, items)
    more = count - len(shown)
    if more:
        html += Markup('<p>%s <a href="%s">%s</a></p>') % (
            env._("… and %(count)s more.", count=more),
            url,
            env._("See the full list"),
        )
    return html


class CustomerComplaint(models.Model):
    """The limits of complaints and service requests (SLA): when a ticket must be
    answered (clock or working hours, as the company chose when the ticket came
    in), its customer contacted and its result given back (working days of the
    company's calendar), and the check that tells the handler, then escalates."""

    _inherit = "customer.complaint"  # pylint: disable=consider-merging-classes-inherited

    response_clock = fields.Selection(
        selection=lambda self: (
            self.env["res.company"]
            ._fields["complaint_response_clock"]
            ._description_selection(self.env)
        ),
        readonly=True,
        copy=False,
        help="How the response limit counts for this ticket: the company's setting "
        "when it was received or reopened. Tickets recorded before the setting "
        "existed count working hours.",
    )
    reopened_at = fields.Datetime(string="Reopened On", readonly=True, copy=False)
    response_deadline = fields.Datetime(
        compute="_compute_deadlines",
        store=True,
        help="Counted on the ticket's response clock.",
    )
    contact_deadline = fields.Datetime(
        compute="_compute_deadlines",
        store=True,
        help="The customer must be contacted by then (working days).",
    )
    escalation_deadline = fields.Datetime(
        compute="_compute_deadlines",
        store=True,
        help="A major complaint still unanswered then goes to the Directors.",
    )
    resolution_deadline = fields.Datetime(
        compute="_compute_deadlines",
        store=True,
        help="The result must be back to the customer by then: working days by "
        "severity, from the reception or the reopening.",
    )
    is_response_overdue = fields.Boolean(
        string="Response Overdue", compute="_compute_overdue", store=True
    )
    is_contact_overdue = fields.Boolean(
        string="Contact Overdue", compute="_compute_overdue", store=True
    )
    is_resolution_overdue = fields.Boolean(
        string="Resolution Overdue", compute="_compute_overdue", store=True
    )
    first_response_hours = fields.Float(
        string="First Response (hours)",
        help="Hours from reception to the first response, on the ticket's clock.",
        compute="_compute_first_response_hours",
        store=True,
        aggregator="avg",
    )
    # What the escalation cron already sent, so that it sends each once.
    response_notified = fields.Boolean(readonly=True, copy=False)
    contact_notified = fields.Boolean(readonly=True, copy=False)
    resolution_notified = fields.Boolean(readonly=True, copy=False)
    escalation_level = fields.Selection(
        [
            ("none", "None"),
            ("manager", "Department Manager"),
            ("director", "Directors"),
        ],
        default="none",
        required=True,
        readonly=True,
        copy=False,
    )
    sla_label = fields.Char(string="SLA", compute="_compute_sla_label")

    # === COMPUTE METHODS === #

    @api.depends(
        "received_at",
        "reopened_at",
        "response_clock",
        "severity",
        "request_type",
        "company_id",
        "partner_id",
    )
    def _compute_deadlines(self):
        """Deadlines on the company's working calendar, one batch per calendar.

        The company's limits and the customer's tier's are read when the ticket
        is received (or its severity or customer changes), never pushed to
        existing tickets when the settings or the tier change: a ticket keeps
        the promise made when it came in (and a re-grade does not rewrite the
        deadlines of years of closed tickets)."""
        by_calendar = defaultdict(lambda: self.browse())
        for ticket in self:
            if not ticket.received_at:
                ticket.response_deadline = False
                ticket.contact_deadline = False
                ticket.escalation_deadline = False
                ticket.resolution_deadline = False
                continue
            company = ticket.company_id or self.env.company
            by_calendar[company.resource_calendar_id] |= ticket
        for calendar, tickets in by_calendar.items():
            if calendar:
                tickets._customer_policy_plan_deadlines(calendar)
            else:
                tickets._customer_policy_plan_deadlines_without_calendar()

    @api.depends(
        "response_deadline",
        "contact_deadline",
        "resolution_deadline",
        "first_response_at",
        "contacted_at",
        "resolved_at",
        "state",
    )
    def _compute_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            active = ticket.state != "cancelled"
            answered = ticket.first_response_at or (
                now if ticket.state in OPEN_STATES else False
            )
            ticket.is_response_overdue = bool(
                active
                and ticket.response_deadline
                and answered
                and answered > ticket.response_deadline
            )
            contacted = ticket.contacted_at or (
                now if ticket.state in OPEN_STATES else False
            )
            ticket.is_contact_overdue = bool(
                active
                and ticket.contact_deadline
                and contacted
                and contacted > ticket.contact_deadline
            )
            resolved = ticket.resolved_at or (
                now if ticket.state in OPEN_STATES else False
            )
            ticket.is_resolution_overdue = bool(
                active
                and ticket.resolution_deadline
                and resolved
                and resolved > ticket.resolution_deadline
            )

    @api.depends("received_at", "first_response_at", "company_id", "response_clock")
    def _compute_first_response_hours(self):
        for ticket in self:
            calendar = (ticket.company_id or self.env.company).resource_calendar_id
            if (
                not (ticket.first_response_at and ticket.received_at)
                or ticket.first_response_at <= ticket.received_at
            ):
                ticket.first_response_hours = 0.0
            elif not calendar or ticket._customer_policy_on_clock():
                delta = ticket.first_response_at - ticket.received_at
                ticket.first_response_hours = delta.total_seconds() / 3600
            else:
                ticket.first_response_hours = calendar.get_work_hours_count(
                    pytz.utc.localize(ticket.received_at),
                    pytz.utc.localize(ticket.first_response_at),
                )

    @api.depends_context("uid")
    @api.depends("response_deadline", "first_response_at", "state")
    def _compute_sla_label(self):
        now = fields.Datetime.now()
        for ticket in self:
            if (
                ticket.state not in OPEN_STATES
                or ticket.first_response_at
                or not ticket.response_deadline
            ):
                ticket.sla_label = False
                continue
            left = ticket.response_deadline - now
            minutes = int(abs(left.total_seconds()) // 60)
            span = self.env._(
                "%(hours)sh %(minutes)02dm", hours=minutes // 60, minutes=minutes % 60
            )
            if left.total_seconds() >= 0:
                ticket.sla_label = self.env._("%(span)s left", span=span)
            else:
                ticket.sla_label = self.env._("Overdue %(span)s", span=span)

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        # The ticket keeps the clock of the day it came in.
        for vals in vals_list:
            if not vals.get("response_clock"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["response_clock"] = company.complaint_response_clock
        return super().create(vals_list)

    # === BUSINESS METHODS === #

    def _customer_policy_transition_stamps(self, vals):
        """A reopened ticket takes the company's clock of today, and its result is
        due again counted from the reopening."""
        reopening = vals["state"] == "investigating" and self.filtered(
            lambda t: t.state == "closed"
        )
        vals = super()._customer_policy_transition_stamps(vals)
        if reopening:
            company = reopening[:1].company_id or self.env.company
            vals.update(
                reopened_at=fields.Datetime.now(),
                response_clock=company.complaint_response_clock,
                resolution_notified=False,
            )
        return vals

    def _customer_policy_on_clock(self):
        """Whether the ticket's response limit counts clock hours (24×7)."""
        self.ensure_one()
        # Tickets recorded before the setting existed counted working hours.
        return (self.response_clock or "working") == "clock"

    def _customer_policy_plan_deadlines(self, calendar):
        """The deadlines of tickets whose company works on ``calendar``: the
        working-hour moments in one reading of the calendar, the working days
        (contact, resolution) in one more."""
        hours = [ticket._customer_policy_response_hours() for ticket in self]
        working = [
            index
            for index, ticket in enumerate(self)
            if not ticket._customer_policy_on_clock()
        ]
        starts = self.mapped("received_at")
        moments = dict.fromkeys(range(2 * len(self)))
        for index, ticket in enumerate(self):
            if ticket._customer_policy_on_clock():
                moments[index] = starts[index] + timedelta(hours=hours[index])
                moments[len(self) + index] = starts[index] + timedelta(
                    hours=2 * hours[index]
                )
        if working:
            planned = calendar._customer_policy_plan_hours(
                [starts[i] for i in working] * 2,
                [hours[i] for i in working] + [2 * hours[i] for i in working],
            )
            for position, index in enumerate(working):
                moments[index] = planned[position]
                moments[len(self) + index] = planned[len(working) + position]
        companies = [ticket.company_id or self.env.company for ticket in self]
        resolution_starts = [
            ticket.reopened_at or ticket.received_at for ticket in self
        ]
        days = self._customer_policy_working_days_after(
            calendar,
            starts + resolution_starts,
            [company.complaint_contact_days for company in companies]
            + [
                company._customer_policy_resolution_days(ticket.severity)
                for ticket, company in zip(self, companies, strict=True)
            ],
        )
        count = len(self)
        for index, ticket in enumerate(self):
            ticket.response_deadline = moments[index]
            ticket.escalation_deadline = moments[count + index]
            ticket.contact_deadline = (
                days[index] if ticket.request_type == "complaint" else False
            )
            ticket.resolution_deadline = days[count + index]

    @api.model
    def _customer_policy_working_days_after(self, calendar, starts, days):
        """The same time of day, ``days`` working days after each of ``starts``
        (naive UTC datetimes), in the calendar's time zone: one reading of the
        calendar for all."""
        tz = pytz.timezone(calendar.tz or "UTC")
        local = [pytz.utc.localize(start).astimezone(tz) for start in starts]
        dates = calendar._customer_policy_plan_days(
            [moment.date() for moment in local], days
        )
        return [
            tz.localize(datetime.combine(day, moment.time()))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for day, moment in zip(dates, local, strict=True)
        ]

    def _customer_policy_plan_deadlines_without_calendar(self):
        """Without a working calendar every hour and day counts."""
        for ticket in self:
            company = ticket.company_id or self.env.company
            limit = ticket._customer_policy_response_hours()
            ticket.response_deadline = ticket.received_at + timedelta(hours=limit)
            ticket.escalation_deadline = ticket.received_at + timedelta(hours=2 * limit)
            ticket.contact_deadline = (
                ticket.received_at + timedelta(days=company.complaint_contact_days)
                if ticket.request_type == "complaint"
                else False
            )
            ticket.resolution_deadline = (
                ticket.reopened_at or ticket.received_at
            ) + timedelta(
                days=company._customer_policy_resolution_days(ticket.severity)
            )

    def _customer_policy_response_hours(self):
        """The response limit: the severity's, or the tier's when stricter."""
        self.ensure_one()
        company = self.company_id or self.env.company
        if self.severity == "major":
            hours = company.complaint_major_hours
        else:
            hours = company.complaint_normal_hours
        tier = self.partner_id.commercial_partner_id.customer_tier_id
        tier_hours = tier.complaint_response_hours
        if tier_hours and tier_hours < hours:
            hours = tier_hours
        return hours

    def _customer_policy_mark(self, field, value, ids):
        if not ids:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE customer_complaint SET %s = %s WHERE id = ANY(%s)",
                SQL.identifier(field),
                value,
                ids,
            )
        )
        self.invalidate_model([field])

    @api.model
    def _customer_policy_send_notes(self, notes):
        """One notification per recipient with every list the check has for them
        (``notes``: {res.partner: [(kind, ticket ids)]}), in their language, each
        list naming its first tickets and linking to the full list."""
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        url = f"{base_url}/odoo/action-customer_policy.action_customer_complaint"
        # The tickets named, read in one batch.
        tickets = self.sudo().browse(
            {
                tid
                for sections in notes.values()
                for _kind, ids in sections
                for tid in ids[:_DIGEST_NAMES]
            }
        )
        tickets.mapped("commercial_partner_id.name")
        for partner, sections in notes.items():
            env = self.with_context(lang=partner.lang or self.env.lang).env
            subjects = [_subject(env, kind) for kind, _ids in sections]
            body = Markup("").join(
                _section(env, title, tickets.browse(ids[:_DIGEST_NAMES]), len(ids), url)
                for title, (_kind, ids) in zip(subjects, sections, strict=True)
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=partner.ids,
                subject="; ".join(subjects),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )

    # === CRON METHODS === #

    @api.model
    def _cron_customer_complaint_sla(self):
        """Mark overdue tickets, notify handlers, escalate major complaints.

        Works in a constant number of queries whatever the number of open tickets:
        one UPDATE per flag, one grouped read per kind of notification, one
        notification per recipient (handler, manager, Director) with all their
        lists. One run at a time: a second one at once does nothing. What was sent
        is stored on the tickets, so that each notification goes out once.
        """
        return (
            run_exclusive(
                self.env, "customer_policy.complaint_sla", self._customer_policy_sla
            )
            or 0
        )

    @api.model
    def _customer_policy_sla(self):
        now = fields.Datetime.now()
        self.env.flush_all()
        self._customer_policy_flag_overdue(now)
        notes = defaultdict(list)
        done = self._customer_policy_notify_handlers(notes)
        done += self._customer_policy_escalate_to_managers(now, notes)
        done += self._customer_policy_escalate_to_directors(now, notes)
        self._customer_policy_send_notes(notes)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return done

    @api.model
    def _customer_policy_flag_overdue(self, now):
        """Open tickets past their response or contact deadline become overdue."""
        for clock, answered, deadline in (
            ("is_response_overdue", "first_response_at", "response_deadline"),
            ("is_contact_overdue", "contacted_at", "contact_deadline"),
            ("is_resolution_overdue", "resolved_at", "resolution_deadline"),
        ):
            self.env.cr.execute(
                SQL(
                    """UPDATE customer_complaint SET %(clock)s = TRUE
                        WHERE state = ANY(%(open)s) AND %(answered)s IS NULL
                          AND %(deadline)s < %(now)s AND NOT %(clock)s""",
                    clock=SQL.identifier(clock),
                    answered=SQL.identifier(answered),
                    deadline=SQL.identifier(deadline),
                    open=list(OPEN_STATES),
                    now=now,
                )
            )
        self.invalidate_model(
            ["is_response_overdue", "is_contact_overdue", "is_resolution_overdue"]
        )

    @api.model
    def _customer_policy_notify_handlers(self, notes):
        """The handler hears once of each overdue clock of their tickets (added
        to ``notes``)."""
        done = 0
        for flag, clock in (
            ("response_notified", "is_response_overdue"),
            ("contact_notified", "is_contact_overdue"),
            ("resolution_notified", "is_resolution_overdue"),
        ):
            domain = [
                ("state", "in", list(OPEN_STATES)),
                (clock, "=", True),
                (flag, "=", False),
            ]
            groups = self.sudo()._read_group(domain, ["user_id"], ["id:array_agg"])
            all_ids = []
            for user, ids in groups:
                all_ids += ids
                if user.partner_id:
                    notes[user.partner_id].append((clock, ids))
            self._customer_policy_mark(flag, True, all_ids)
            done += len(all_ids)
        return done

    @api.model
    def _customer_policy_major_unanswered(self):
        return [
            ("request_type", "=", "complaint"),
            ("severity", "=", "major"),
            ("state", "in", list(OPEN_STATES)),
            ("first_response_at", "=", False),
        ]

    @api.model
    def _customer_policy_escalate_to_managers(self, now, notes):
        """A major complaint past its response deadline goes to the manager of the
        responsible department, else of the customer's."""
        groups = self.sudo()._read_group(
            self._customer_policy_major_unanswered()
            + [("escalation_level", "=", "none"), ("response_deadline", "<", now)],
            ["responsible_team_id", "team_id"],
            ["id:array_agg"],
        )
        managers = defaultdict(list)
        all_ids = []
        for team, customer_team, ids in groups:
            manager = (team or customer_team).user_id
            all_ids += ids
            if manager:
                managers[manager.partner_id] += ids
        for partner, ids in managers.items():
            notes[partner].append(("escalation_manager", ids))
        self._customer_policy_mark("escalation_level", "manager", all_ids)
        return len(all_ids)

    @api.model
    def _customer_policy_escalate_to_directors(self, now, notes):
        """Still unanswered at the escalation deadline: the Directors hear of it."""
        ids = (
            self.sudo()._read_group(
                self._customer_policy_major_unanswered()
                + [
                    ("escalation_level", "=", "manager"),
                    ("escalation_deadline", "<", now),
                ],
                [],
                ["id:array_agg"],
            )[0][0]
            or []
        )
        if not ids:
            return 0
        directors = self.env["res.users"]._customer_policy_directors()
        for partner in directors.partner_id:
            notes[partner].append(("escalation_director", ids))
        self._customer_policy_mark("escalation_level", "director", ids)
        return len(ids)
