from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, plaintext2html

from ..tools.tz import company_tz, local_date

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


class CustomerComplaint(models.Model):
    _name = "customer.complaint"
    _description = "Customer Complaint or Service Request"
    _inherit = ("customer.policy.customer.mixin", "mail.thread", "mail.activity.mixin")
    _order = "received_at desc, id desc"
    _mail_post_access = "read"
    _sql_constraints = (
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The ticket number must be unique per company.",
        ),
    )

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(ondelete="restrict")
    partner_user_id = fields.Many2one(
        related="partner_id.commercial_partner_id.user_id",
        string="Customer Owner",
        store=True,
    )
    team_id = fields.Many2one(string="Customer Department")
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
            ("visit", "In Person"),
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
        string="Received On",
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
    # The handler: whoever works on the ticket now, first who received it.
    user_id = fields.Many2one(
        string="Handler",
        compute=None,
        required=True,
        default=lambda self: self.env.user,
        help=None,
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
    first_response_at = fields.Datetime(string="First Response Given", tracking=True)
    contacted_at = fields.Datetime(string="Customer Contacted", readonly=True)
    resolved_at = fields.Datetime(string="Resolved On", readonly=True)
    closed_at = fields.Datetime(string="Closed On", readonly=True)
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

    # === COMPUTE METHODS === #

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

    # === CONSTRAINT METHODS === #

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

    # === CRUD METHODS === #

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
            # The number carries the year the request was received, in the
            # company's time zone (a call on 1 January at 07:00 in Shanghai is
            # still 31 December in UTC).
            received = fields.Datetime.to_datetime(
                vals.get("received_at") or fields.Datetime.now()
            )
            date = local_date(received, company_tz(company))
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if not self.env.user.has_group("customer_policy.group_director"):
            raise AccessError(
                self.env._("Only a Director may delete a recorded ticket.")
            )

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

    # === ACTION METHODS === #

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
        self._customer_policy_check_handover_rights()
        for ticket in self.sudo():
            ticket._customer_policy_hand_over_to(new_user, note)
        return True

    # === BUSINESS METHODS === #

    def _customer_policy_check_handover_rights(self):
        """Only the handler, a manager of the customer's, the responsible or the
        handler's department, or a Director hands an open ticket over."""
        user = self.env.user
        is_director = user.has_group("customer_policy.group_director")
        is_manager = user.has_group("customer_policy.group_manager")
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
                | sudo_ticket.team_id.user_id
                | sudo_ticket.user_id.sale_team_id.user_id
            )
            if not (
                self.env.su
                or is_director
                or user == sudo_ticket.user_id
                or (user in managers and is_manager)
            ):
                raise AccessError(
                    self.env._(
                        "Only the handler of %(ticket)s, their department manager "
                        "or a Director may hand it over.",
                        ticket=ticket.name,
                    )
                )

    def _customer_policy_hand_over_to(self, new_user, note):
        """Make ``new_user`` the handler, with the note in the chatter and a to-do."""
        self.ensure_one()
        user = self.env.user
        previous = self.user_id
        self.with_context(customer_policy_handover=True).write({"user_id": new_user.id})
        self.message_subscribe(partner_ids=new_user.partner_id.ids)
        self.message_post(
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
        self.env["mail.activity"]._customer_policy_schedule(
            self._name,
            [
                {
                    "res_id": self.id,
                    "activity_type": self.env.ref("mail.mail_activity_data_todo"),
                    "user": new_user,
                    "date_deadline": fields.Date.context_today(
                        self.with_context(tz=new_user.tz)
                    ),
                    "summary": lambda env: env._("Handed over to you"),
                    "note": plaintext2html(note),
                }
            ],
        )

    @api.model
    def _customer_policy_handover_domain(self):
        # The first person contacted stays responsible until the ticket is
        # solved; a leaver's open tickets need a successor.
        return [("state", "not in", ["closed", "cancelled"])]

    def _customer_policy_check_transition(self, vals):
        """Refuse a transition the policy does not allow, before writing anything.

        :return: the values to write, with the moments the transition stamps.
        """
        state = vals["state"]
        labels = dict(self._fields["state"]._description_selection(self.env))
        for ticket in self:
            if ticket.state == state:
                continue
            if state not in TRANSITIONS.get(ticket.state, ()):
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot go from %(old)s to %(new)s.",
                        ticket=ticket.name,
                        old=labels.get(ticket.state, ticket.state),
                        new=labels.get(state, state),
                    )
                )
            ticket._customer_policy_check_step_done(state, vals)
            if ticket.state == "closed":
                ticket._customer_policy_check_reopen_window()
        return self._customer_policy_transition_stamps(vals)

    def _customer_policy_check_step_done(self, state, vals):
        """Refuse to enter ``state`` before the step it closes is recorded (in
        ``vals`` or already on the ticket)."""
        self.ensure_one()

        def value(name):
            return vals[name] if name in vals else self[name]

        if state == "contacted" and not value("first_response_at"):
            raise UserError(
                self.env._(
                    "%(ticket)s: record the first response to the customer "
                    "before marking it contacted.",
                    ticket=self.name,
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
                    ticket=self.name,
                )
            )
        if state == "closed" and not (
            value("satisfaction") or value("no_satisfaction_reason")
        ):
            raise UserError(
                self.env._(
                    "%(ticket)s: record the customer's satisfaction, or why the "
                    "customer gave none, before closing it.",
                    ticket=self.name,
                )
            )

    def _customer_policy_check_reopen_window(self):
        """A closed ticket reopens only within the company's reopen window."""
        self.ensure_one()
        window = (self.company_id or self.env.company).complaint_reopen_days
        if not self.closed_at or fields.Datetime.now() > self.closed_at + timedelta(
            days=window
        ):
            raise UserError(
                self.env._(
                    "%(ticket)s was closed more than %(days)s days ago: "
                    "record a new ticket instead of reopening it.",
                    ticket=self.name,
                    days=window,
                )
            )

    def _customer_policy_transition_stamps(self, vals):
        """``vals`` with the moments the new state stamps (contacted, resolved,
        closed; a reopening counts and clears them)."""
        state = vals["state"]
        now = fields.Datetime.now()
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
