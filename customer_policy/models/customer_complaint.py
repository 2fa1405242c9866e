from collections import defaultdict
from datetime import datetime, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, email_normalize

OPEN_STATES = ("new", "contacted", "investigating", "solution_proposed")

# state -> states it may move to. Reopening (closed -> investigating) is further
# bounded by the company's reopen window.
TRANSITIONS = {
    "new": {"contacted", "cancelled"},
    "contacted": {"investigating", "solution_proposed", "resolved", "cancelled"},
    "investigating": {"solution_proposed", "resolved", "cancelled"},
    "solution_proposed": {"investigating", "resolved", "cancelled"},
    "resolved": {"closed", "investigating"},
    "closed": {"investigating"},
    "cancelled": {"new"},
}

# How many tickets a notification lists by name; the rest are counted.
_DIGEST_NAMES = 20


class CustomerComplaint(models.Model):
    _name = "customer.complaint"
    _description = "Customer Complaint or Service Request"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "received_at desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        ondelete="restrict",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    partner_user_id = fields.Many2one(
        related="partner_id.commercial_partner_id.user_id",
        string="Customer Owner",
        store=True,
    )
    partner_team_id = fields.Many2one(
        related="partner_id.commercial_partner_id.team_id",
        string="Customer Department",
        store=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    request_type = fields.Selection(
        [
            ("complaint", "Complaint"),
            ("inquiry", "Inquiry"),
            ("service_request", "Service Request"),
            ("fault", "Fault Report"),
        ],
        string="Type",
        required=True,
        default="complaint",
        tracking=True,
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("online", "Online Service"),
            ("visit", "Visit"),
            ("other", "Other"),
        ],
        required=True,
        default="phone",
    )
    severity = fields.Selection(
        [("major", "Major"), ("normal", "Normal")],
        required=True,
        default="normal",
        tracking=True,
    )
    received_at = fields.Datetime(
        string="Received",
        required=True,
        default=fields.Datetime.now,
        help="When the customer's request reached the company; set it when "
        "recording a past call.",
    )
    description = fields.Html()
    first_responder_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        help="The employee who received the request (首问负责人). Never changes.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    responsible_team_id = fields.Many2one(
        "crm.team", string="Responsible Department", tracking=True
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("contacted", "Contacted"),
            ("investigating", "Investigating"),
            ("solution_proposed", "Solution Proposed"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="new",
        tracking=True,
        group_expand=True,
        index=True,
    )
    response_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, help="Counted in working hours."
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
    first_response_at = fields.Datetime(string="First Response Given", tracking=True)
    contacted_at = fields.Datetime(string="Customer Contacted", readonly=True)
    resolved_at = fields.Datetime(string="Resolved On", readonly=True)
    closed_at = fields.Datetime(string="Closed On", readonly=True)
    is_response_overdue = fields.Boolean(
        string="Response Overdue", compute="_compute_overdue", store=True
    )
    is_contact_overdue = fields.Boolean(
        string="Contact Overdue", compute="_compute_overdue", store=True
    )
    first_response_hours = fields.Float(
        string="First Response (working hours)",
        compute="_compute_first_response_hours",
        store=True,
        aggregator="avg",
    )
    root_cause_category_id = fields.Many2one(
        "customer.complaint.root.cause", string="Root Cause Type", tracking=True
    )
    root_cause = fields.Text()
    solution = fields.Text()
    corrective_action = fields.Text()
    preventive_action = fields.Text()
    satisfaction = fields.Selection(
        [
            ("1", "1 - Very dissatisfied"),
            ("2", "2 - Dissatisfied"),
            ("3", "3 - Neutral"),
            ("4", "4 - Satisfied"),
            ("5", "5 - Very satisfied"),
        ],
        tracking=True,
    )
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_score", store=True, aggregator="avg"
    )
    satisfaction_comment = fields.Text()
    no_satisfaction_reason = fields.Text(
        string="No Satisfaction Result Because",
        help="Why the customer gave no satisfaction result (e.g. unreachable).",
    )
    reopen_count = fields.Integer(readonly=True, copy=False, aggregator="sum")
    is_reopened = fields.Boolean(
        string="Reopened", compute="_compute_is_reopened", store=True
    )
    is_resolved = fields.Boolean(
        string="Resolved", compute="_compute_is_resolved", store=True
    )
    resolution_rate = fields.Float(
        string="Resolution Rate (%)",
        compute="_compute_rates",
        store=True,
        aggregator="avg",
    )
    reopen_rate = fields.Float(
        string="Reopen Rate (%)",
        compute="_compute_rates",
        store=True,
        aggregator="avg",
    )
    # What the escalation cron already sent, so that it sends each once.
    response_notified = fields.Boolean(readonly=True, copy=False)
    contact_notified = fields.Boolean(readonly=True, copy=False)
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

    _sql_constraints = (
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The ticket number must be unique per company.",
        ),
    )

    # --- Computes ---------------------------------------------------------

    @api.depends(
        "received_at",
        "severity",
        "request_type",
        "company_id",
        "partner_id.commercial_partner_id.customer_tier_id.complaint_response_hours",
    )
    def _compute_deadlines(self):
        """Deadlines on the company's working calendar, one batch per calendar."""
        by_calendar = defaultdict(lambda: self.browse())
        for ticket in self:
            if not ticket.received_at:
                ticket.response_deadline = False
                ticket.contact_deadline = False
                ticket.escalation_deadline = False
                continue
            company = ticket.company_id or self.env.company
            by_calendar[company.resource_calendar_id] |= ticket
        for calendar, tickets in by_calendar.items():
            hours = [ticket._customer_policy_response_hours() for ticket in tickets]
            starts = tickets.mapped("received_at")
            if not calendar:
                for ticket, limit in zip(tickets, hours, strict=True):
                    ticket.response_deadline = ticket.received_at + timedelta(
                        hours=limit
                    )
                    ticket.escalation_deadline = ticket.received_at + timedelta(
                        hours=2 * limit
                    )
                    ticket.contact_deadline = ticket.received_at + timedelta(
                        days=ticket.company_id.complaint_contact_days
                    )
                continue
            # Response and escalation moments in one reading of the calendar.
            moments = calendar._customer_policy_plan_hours(
                starts + starts, hours + [2 * limit for limit in hours]
            )
            tz = pytz.timezone(calendar.tz or "UTC")
            local = [pytz.utc.localize(start).astimezone(tz) for start in starts]
            days = calendar._customer_policy_plan_days(
                [moment.date() for moment in local],
                [
                    (ticket.company_id or self.env.company).complaint_contact_days
                    for ticket in tickets
                ],
            )
            count = len(tickets)
            for index, ticket in enumerate(tickets):
                ticket.response_deadline = moments[index]
                ticket.escalation_deadline = moments[count + index]
                if ticket.request_type == "complaint":
                    contact = tz.localize(
                        datetime.combine(days[index], local[index].time())
                    )
                    ticket.contact_deadline = contact.astimezone(pytz.utc).replace(
                        tzinfo=None
                    )
                else:
                    ticket.contact_deadline = False

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

    @api.depends(
        "response_deadline",
        "contact_deadline",
        "first_response_at",
        "contacted_at",
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

    @api.depends("received_at", "first_response_at", "company_id")
    def _compute_first_response_hours(self):
        for ticket in self:
            calendar = (ticket.company_id or self.env.company).resource_calendar_id
            if (
                not (ticket.first_response_at and ticket.received_at)
                or ticket.first_response_at <= ticket.received_at
            ):
                ticket.first_response_hours = 0.0
            elif not calendar:
                delta = ticket.first_response_at - ticket.received_at
                ticket.first_response_hours = delta.total_seconds() / 3600
            else:
                ticket.first_response_hours = calendar.get_work_hours_count(
                    pytz.utc.localize(ticket.received_at),
                    pytz.utc.localize(ticket.first_response_at),
                )

    @api.depends("satisfaction")
    def _compute_satisfaction_score(self):
        for ticket in self:
            ticket.satisfaction_score = int(ticket.satisfaction or 0)

    @api.depends("reopen_count")
    def _compute_is_reopened(self):
        for ticket in self:
            ticket.is_reopened = ticket.reopen_count > 0

    @api.depends("state")
    def _compute_is_resolved(self):
        for ticket in self:
            ticket.is_resolved = ticket.state in ("resolved", "closed")

    @api.depends("state", "reopen_count")
    def _compute_rates(self):
        # Averaged over a group of tickets, these give the percentages shown in
        # the pivot: resolution rate and reopen rate.
        for ticket in self:
            counted = ticket.state != "cancelled"
            ticket.resolution_rate = (
                100.0 if counted and ticket.state in ("resolved", "closed") else 0.0
            )
            ticket.reopen_rate = 100.0 if counted and ticket.reopen_count else 0.0

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

    # --- Constraints ------------------------------------------------------

    @api.constrains("satisfaction_comment", "satisfaction")
    def _check_satisfaction_comment(self):
        for ticket in self:
            if ticket.satisfaction_comment and not ticket.satisfaction:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: record the satisfaction result before its "
                        "comment.",
                        ticket=ticket.name,
                    )
                )

    # --- CRUD -------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("escalation_level", None)
            if vals.get("state", "new") != "new":
                raise UserError(
                    self.env._("A ticket is recorded as New, then moves on.")
                )
        companies = self.env["res.company"].browse(
            [vals.get("company_id") or self.env.company.id for vals in vals_list]
        )
        for vals, company in zip(vals_list, companies, strict=True):
            # The number comes from the sequence, whatever was given (the mail
            # gateway passes the subject as name).
            received = vals.get("received_at")
            date = fields.Datetime.to_datetime(received) if received else None
            vals["name"] = (
                self.env["ir.sequence"]
                .sudo()
                .with_company(company)
                .next_by_code("customer.complaint", sequence_date=date)
                or "/"
            )
        tickets = super().create(vals_list)
        # The first responder follows the ticket until it is closed; the handler
        # follows it as well.
        for ticket in tickets:
            partners = (ticket.first_responder_id | ticket.user_id).partner_id
            ticket.sudo().message_subscribe(partner_ids=partners.ids)
        return tickets

    def write(self, vals):
        if "first_responder_id" in vals and any(
            ticket.first_responder_id.id != vals["first_responder_id"]
            for ticket in self
        ):
            raise UserError(
                self.env._(
                    "The first responder is who received the customer's request: "
                    "it never changes. Hand the ticket over instead."
                )
            )
        if (
            "user_id" in vals
            and not self.env.su
            and not self.env.context.get("customer_policy_handover")
            and any(ticket.user_id.id != vals["user_id"] for ticket in self)
        ):
            raise UserError(
                self.env._(
                    "Change the handler with a written hand-over (Hand Over button)."
                )
            )
        if "escalation_level" in vals and not self.env.su:
            raise AccessError(
                self.env._("The escalation level is kept by the SLA check only.")
            )
        if "state" in vals:
            vals = self._customer_policy_check_transition(vals)
        old_states = {ticket.id: ticket.state for ticket in self}
        result = super().write(vals)
        if vals.get("state") == "closed":
            self._customer_policy_release_first_responders()
        elif "state" in vals:
            reopened = self.filtered(lambda t: old_states[t.id] == "closed")
            for ticket in reopened:
                ticket.sudo().message_subscribe(
                    partner_ids=ticket.first_responder_id.partner_id.ids
                )
        return result

    def _customer_policy_check_transition(self, vals):
        """Refuse a transition the policy does not allow, before writing anything.

        :return: the values to write, with the moments the transition stamps.
        """
        state = vals["state"]
        now = fields.Datetime.now()
        labels = dict(self._fields["state"]._description_selection(self.env))
        for ticket in self:
            if ticket.state == state:
                continue
            if state not in TRANSITIONS[ticket.state]:
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot go from %(old)s to %(new)s.",
                        ticket=ticket.name,
                        old=labels[ticket.state],
                        new=labels[state],
                    )
                )

            def value(name, ticket=ticket):
                return vals[name] if name in vals else ticket[name]

            if state == "contacted" and not value("first_response_at"):
                raise UserError(
                    self.env._(
                        "%(ticket)s: record the first response to the customer "
                        "before marking it contacted.",
                        ticket=ticket.name,
                    )
                )
            if state == "resolved" and not (
                (value("root_cause") or value("root_cause_category_id"))
                and value("solution")
            ):
                raise UserError(
                    self.env._(
                        "%(ticket)s: find the root cause and record the agreed "
                        "solution before resolving it.",
                        ticket=ticket.name,
                    )
                )
            if state == "closed" and not (
                value("satisfaction") or value("no_satisfaction_reason")
            ):
                raise UserError(
                    self.env._(
                        "%(ticket)s: record the customer's satisfaction, or why the "
                        "customer gave none, before closing it.",
                        ticket=ticket.name,
                    )
                )
            if ticket.state == "closed":
                window = (ticket.company_id or self.env.company).complaint_reopen_days
                if not ticket.closed_at or now > ticket.closed_at + timedelta(
                    days=window
                ):
                    raise UserError(
                        self.env._(
                            "%(ticket)s was closed more than %(days)s days ago: "
                            "record a new ticket instead of reopening it.",
                            ticket=ticket.name,
                            days=window,
                        )
                    )
        vals = dict(vals)
        if state == "contacted":
            vals.setdefault("contacted_at", now)
        elif state == "resolved":
            vals["resolved_at"] = now
        elif state == "closed":
            vals["closed_at"] = now
        elif state == "investigating":
            reopening = self.filtered(lambda t: t.state == "closed")
            if reopening and len(reopening) != len(self):
                raise UserError(
                    self.env._("Reopen closed tickets separately from open ones.")
                )
            if reopening:
                vals["reopen_count"] = max(reopening.mapped("reopen_count")) + 1
                vals["closed_at"] = False
                vals["resolved_at"] = False
        return vals

    def _customer_policy_release_first_responders(self):
        """Closed: the first responder's duty ends, they stop following."""
        for ticket in self:
            if ticket.first_responder_id != ticket.user_id:
                ticket.sudo().message_unsubscribe(
                    partner_ids=ticket.first_responder_id.partner_id.ids
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if not self.env.user.has_group("customer_policy.group_director"):
            raise AccessError(
                self.env._("Only a Director may delete a recorded ticket.")
            )

    # --- Actions ----------------------------------------------------------

    def action_first_response(self):
        for ticket in self.filtered(lambda t: not t.first_response_at):
            ticket.first_response_at = fields.Datetime.now()
        return True

    def action_contacted(self):
        self.action_first_response()
        self.write({"state": "contacted"})
        return True

    def action_investigate(self):
        self.write({"state": "investigating"})
        return True

    def action_propose_solution(self):
        self.write({"state": "solution_proposed"})
        return True

    def action_resolve(self):
        self.write({"state": "resolved"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        self.write({"state": "investigating"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reset(self):
        self.write({"state": "new"})
        return True

    def action_handover(self, user_id, note):
        """Hand the tickets over in writing (首问负责制).

        :param int user_id: the new handler (res.users id)
        :param str note: the written hand-over note, logged in the chatter
        The first responder stays; only the handler, a manager of the customer's
        or the responsible department, or a Director may hand over.
        """
        new_user = self.env["res.users"].sudo().browse(int(user_id)).exists()
        if not new_user or new_user.share or not new_user.active:
            raise UserError(
                self.env._("Hand the ticket over to an active internal user.")
            )
        if not (note or "").strip():
            raise UserError(
                self.env._("A hand-over needs a written note for the new handler.")
            )
        user = self.env.user
        is_director = user.has_group("customer_policy.group_director")
        for ticket in self:
            if ticket.state in ("closed", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(ticket)s is finished: there is nothing to hand over.",
                        ticket=ticket.name,
                    )
                )
            sudo_ticket = ticket.sudo()
            managers = (
                sudo_ticket.responsible_team_id.user_id
                | sudo_ticket.partner_team_id.user_id
                | sudo_ticket.user_id.sale_team_id.user_id
            )
            if not (
                self.env.su
                or is_director
                or user == sudo_ticket.user_id
                or (
                    user in managers and user.has_group("customer_policy.group_manager")
                )
            ):
                raise AccessError(
                    self.env._(
                        "Only the handler of %(ticket)s, their department manager "
                        "or a Director may hand it over.",
                        ticket=ticket.name,
                    )
                )
        for ticket in self:
            sudo_ticket = ticket.sudo()
            previous = sudo_ticket.user_id
            sudo_ticket.with_context(customer_policy_handover=True).write(
                {"user_id": new_user.id}
            )
            sudo_ticket.message_subscribe(partner_ids=new_user.partner_id.ids)
            sudo_ticket.message_post(
                body=Markup("<p><b>%s</b></p><p>%s</p>")
                % (
                    self.env._(
                        "Handed over by %(by)s from %(old)s to %(new)s:",
                        by=user.name,
                        old=previous.name,
                        new=new_user.name,
                    ),
                    note,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=user.partner_id.id,
            )
            sudo_ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=new_user.id,
                summary=self.env._("Handed over to you"),
                note=note,
            )
        return True

    # --- Mail gateway -----------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the alias records a ticket for the sender's company."""
        values = dict(custom_values or {})
        email = email_normalize(msg_dict.get("email_from") or "")
        Partner = self.env["res.partner"].sudo()
        sender = Partner.browse(msg_dict.get("author_id") or [])
        if not sender and email:
            sender = Partner.search([("email_normalized", "=", email)], limit=1)
        customer = sender.commercial_partner_id
        if (not customer or not customer.is_company) and email:
            matches = Partner._customer_policy_lookup(email=email)
            if matches:
                customer = Partner.browse(matches[0]["id"])
        if not customer and not sender:
            sender = Partner.create(
                {"name": msg_dict.get("email_from") or email, "email": email}
            )
            customer = sender
        customer = customer or sender
        values.setdefault("partner_id", customer.id)
        if sender and sender != customer:
            values.setdefault("contact_id", sender.id)
        values.setdefault("channel", "email")
        subject = msg_dict.get("subject") or ""
        values.setdefault(
            "description",
            Markup("<p><b>%s</b></p>%s")
            % (subject, Markup(msg_dict.get("body") or "")),
        )
        received = msg_dict.get("date")
        if received:
            values.setdefault("received_at", received)
        owner = customer.user_id
        if owner and not owner.share:
            values.setdefault("first_responder_id", owner.id)
            values.setdefault("user_id", owner.id)
        return super(CustomerComplaint, self.sudo()).message_new(
            msg_dict, custom_values=values
        )

    # --- SLA check (cron) -------------------------------------------------

    @api.model
    def _cron_customer_complaint_sla(self):
        """Mark overdue tickets, notify handlers, escalate major complaints.

        Works in a constant number of queries whatever the number of open tickets:
        one UPDATE per flag, one grouped read per kind of notification, one
        notification per recipient (handler, manager, the Directors). What was sent
        is stored on the tickets, so that each notification goes out once.
        """
        now = fields.Datetime.now()
        cr = self.env.cr
        self.env.flush_all()
        open_states = list(OPEN_STATES)
        cr.execute(
            SQL(
                """UPDATE customer_complaint SET is_response_overdue = TRUE
                    WHERE state = ANY(%s) AND first_response_at IS NULL
                      AND response_deadline < %s AND NOT is_response_overdue""",
                open_states,
                now,
            )
        )
        cr.execute(
            SQL(
                """UPDATE customer_complaint SET is_contact_overdue = TRUE
                    WHERE state = ANY(%s) AND contacted_at IS NULL
                      AND contact_deadline < %s AND NOT is_contact_overdue""",
                open_states,
                now,
            )
        )
        self.invalidate_model(["is_response_overdue", "is_contact_overdue"])
        done = 0
        # 1. The handler, once per overdue clock.
        for flag, clock in (
            ("response_notified", "is_response_overdue"),
            ("contact_notified", "is_contact_overdue"),
        ):
            domain = [
                ("state", "in", open_states),
                (clock, "=", True),
                (flag, "=", False),
            ]
            groups = self.sudo()._read_group(domain, ["user_id"], ["id:array_agg"])
            all_ids = []
            for user, ids in groups:
                all_ids += ids
                self._customer_policy_notify(user.partner_id, ids, clock)
            self._customer_policy_mark(flag, True, all_ids)
            done += len(all_ids)
        # 2. Overdue major complaints: the department manager, then the Directors.
        major = [
            ("request_type", "=", "complaint"),
            ("severity", "=", "major"),
            ("state", "in", open_states),
            ("first_response_at", "=", False),
        ]
        groups = self.sudo()._read_group(
            major
            + [("escalation_level", "=", "none"), ("response_deadline", "<", now)],
            ["responsible_team_id", "partner_team_id"],
            ["id:array_agg"],
        )
        managers = defaultdict(list)
        all_ids = []
        for team, partner_team, ids in groups:
            manager = (team or partner_team).user_id
            all_ids += ids
            if manager:
                managers[manager.partner_id] += ids
        for partner, ids in managers.items():
            self._customer_policy_notify(partner, ids, "escalation_manager")
        self._customer_policy_mark("escalation_level", "manager", all_ids)
        done += len(all_ids)
        ids = (
            self.sudo()._read_group(
                major
                + [
                    ("escalation_level", "=", "manager"),
                    ("escalation_deadline", "<", now),
                ],
                [],
                ["id:array_agg"],
            )[0][0]
            or []
        )
        if ids:
            directors = (
                self.env.ref("customer_policy.group_director")
                .sudo()
                .users.filtered(lambda u: u.active and u.id != 1)
            )
            self._customer_policy_notify(
                directors.partner_id, ids, "escalation_director"
            )
            self._customer_policy_mark("escalation_level", "director", ids)
            done += len(ids)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return done

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

    def _customer_policy_notify(self, partners, ids, kind):
        """One notification to ``partners`` listing the tickets ``ids``."""
        if not partners:
            return
        subjects = {
            "is_response_overdue": self.env._("Tickets past their response deadline"),
            "is_contact_overdue": self.env._(
                "Complaints past their customer-contact deadline"
            ),
            "escalation_manager": self.env._(
                "Escalation: major complaints unanswered in your department"
            ),
            "escalation_director": self.env._(
                "Escalation: major complaints still unanswered"
            ),
        }
        shown = self.sudo().browse(ids[:_DIGEST_NAMES])
        items = Markup("").join(
            Markup('<li><a href="/odoo/customer.complaint/%s">%s</a> %s</li>')
            % (ticket.id, ticket.name, ticket.commercial_partner_id.name or "")
            for ticket in shown
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (subjects[kind], items)
        if len(ids) > _DIGEST_NAMES:
            body += Markup("<p>%s</p>") % self.env._(
                "… and %(count)s more.", count=len(ids) - _DIGEST_NAMES
            )
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=partners.ids,
            subject=subjects[kind],
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )

    # --- Analysis ---------------------------------------------------------

    @api.model
    def customer_policy_complaint_kpis(self, domain=None):
        """Resolution rate, average first response (working hours), reopen rate
        and satisfaction average over the tickets of ``domain`` the user may read.
        """
        domain = list(domain or []) + [("state", "!=", "cancelled")]
        total = self.search_count(domain)
        resolved = self.search_count(domain + [("is_resolved", "=", True)])
        reopened = self.search_count(domain + [("reopen_count", ">", 0)])
        responded = self._read_group(
            domain + [("first_response_at", "!=", False)],
            [],
            ["first_response_hours:avg"],
        )[0][0]
        satisfaction = self._read_group(
            domain + [("satisfaction", "!=", False)], [], ["satisfaction_score:avg"]
        )[0][0]
        return {
            "count": total,
            "resolution_rate": resolved / total if total else 0.0,
            "avg_first_response_hours": responded or 0.0,
            "reopen_rate": reopened / total if total else 0.0,
            "satisfaction_avg": satisfaction or 0.0,
        }
