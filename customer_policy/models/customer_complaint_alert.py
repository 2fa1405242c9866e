from collections import defaultdict
from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models

from ..tools.tz import company_tz, format_local_datetime


class CustomerComplaint(models.Model):
    """Who hears of a ticket the moment it is recorded: the Directors of a major
    complaint (凡涉及到单位重大事项，第一责任者要立即向总经理汇报), the person on
    duty of one received outside working time or on a holiday (节假日值班), the
    customer's owner and their manager of a fault report."""

    _inherit = "customer.complaint"  # pylint: disable=consider-merging-classes-inherited

    on_duty_assigned = fields.Boolean(
        string="Assigned to Duty",
        readonly=True,
        copy=False,
        help="Received outside working time or on a holiday: handed to the person "
        "on duty then.",
    )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        self._customer_policy_assign_duty(vals_list)
        tickets = super().create(vals_list)
        tickets._customer_policy_alert_on_creation()
        return tickets

    def write(self, vals):
        # A ticket found to be major after it was recorded (the customer calls
        # back, the line is still down) is reported as one recorded major.
        raised = self.browse()
        if vals.get("severity") == "major":
            raised = self.filtered(
                lambda ticket: (
                    ticket.severity != "major"
                    and ticket.state not in ("resolved", "closed", "cancelled")
                )
            )
        result = super().write(vals)
        if raised:
            raised._customer_policy_alert_on_raise()
        return result

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_assign_duty(self, vals_list):
        """Give the major complaints received outside working time to the person
        on duty then: one calendar read and one duty search per company."""
        by_company = defaultdict(list)
        for vals in vals_list:
            if vals.get("severity") != "major":
                continue
            received = fields.Datetime.to_datetime(
                vals.get("received_at") or fields.Datetime.now()
            )
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            by_company[company].append((vals, received))
        for company, items in by_company.items():
            moments = [received for _vals, received in items]
            off_hours = self._customer_policy_off_hours(company, moments)
            on_duty = self.env["customer.service.duty"]._customer_policy_on_duty(
                company, [moment for moment in moments if moment in off_hours]
            )
            for vals, received in items:
                user = on_duty.get(received)
                if user:
                    vals["user_id"] = user.id
                    vals["on_duty_assigned"] = True

    @api.model
    def _customer_policy_off_hours(self, company, moments):
        """The ``moments`` (naive UTC) outside the working time of ``company``'s
        calendar: nights, weekends and holidays. None without a calendar."""
        calendar = company.resource_calendar_id
        if not calendar or not moments:
            return set()
        start = pytz.utc.localize(min(moments)) - timedelta(days=1)
        stop = pytz.utc.localize(max(moments)) + timedelta(days=1)
        intervals = calendar._customer_policy_work_intervals(start, stop)
        off = set()
        for moment in moments:
            aware = pytz.utc.localize(moment)
            if not any(begin <= aware < end for begin, end in intervals):
                off.add(moment)
        return off

    def _customer_policy_alert_on_creation(self):
        for ticket in self:
            if ticket.severity == "major":
                directors = self.env["res.users"]._customer_policy_directors(
                    ticket.company_id
                )
                ticket._customer_policy_notify_users(directors, "major")
            if ticket.on_duty_assigned:
                ticket._customer_policy_notify_users(ticket.user_id, "duty")
                ticket._customer_policy_duty_activity()
            if ticket.request_type == "fault":
                owner = ticket.partner_user_id
                manager = owner.sale_team_id.user_id or ticket.team_id.user_id
                ticket._customer_policy_notify_users(
                    (owner | manager).filtered(lambda u: not u.share), "fault"
                )

    def _customer_policy_alert_on_raise(self):
        """The Directors hear of tickets raised to major; one not answered yet,
        raised outside working time, goes to the person on duty now, as it
        would have had it been recorded major."""
        now = fields.Datetime.now()
        for company, tickets in self.grouped("company_id").items():
            unanswered = tickets.filtered(lambda ticket: not ticket.first_response_at)
            on_duty = {}
            if unanswered and self._customer_policy_off_hours(company, [now]):
                on_duty = self.env["customer.service.duty"]._customer_policy_on_duty(
                    company, [now]
                )
            duty_user = on_duty.get(now)
            directors = self.env["res.users"]._customer_policy_directors(company)
            for ticket in tickets:
                if duty_user and ticket in unanswered and ticket.user_id != duty_user:
                    ticket.sudo().write(
                        {"user_id": duty_user.id, "on_duty_assigned": True}
                    )
                    ticket.sudo().message_subscribe(
                        partner_ids=duty_user.partner_id.ids
                    )
                    ticket._customer_policy_notify_users(duty_user, "duty")
                    ticket._customer_policy_duty_activity()
                ticket._customer_policy_notify_users(directors, "major")

    def _customer_policy_duty_activity(self):
        self.ensure_one()
        self.env["mail.activity"]._customer_policy_schedule(
            self._name,
            [
                {
                    "res_id": self.id,
                    "activity_type": self.env.ref("mail.mail_activity_data_todo"),
                    "user": self.user_id,
                    "date_deadline": fields.Date.context_today(self, self.received_at),
                    "summary": lambda env, name=self.name: env._(
                        "On duty: answer the major complaint %(ticket)s", ticket=name
                    ),
                }
            ],
        )

    def _customer_policy_alert_subject(self, kind):
        # Whoever records the call may not read the customer (首问负责制): its
        # name is what the alert's readers need.
        customer = self.sudo().commercial_partner_id.name or ""
        if kind == "major":
            return self.env._(
                "Major complaint %(ticket)s from %(customer)s",
                ticket=self.name,
                customer=customer,
            )
        if kind == "duty":
            return self.env._(
                "You are on duty: major complaint %(ticket)s from %(customer)s",
                ticket=self.name,
                customer=customer,
            )
        return self.env._(
            "Fault report %(ticket)s from your customer %(customer)s",
            ticket=self.name,
            customer=customer,
        )

    def _customer_policy_received_label(self):
        """When the ticket came in, in the company's working time zone, written
        as the reader's language writes a date and time."""
        return format_local_datetime(
            self.env, self.received_at, company_tz(self.company_id or self.env.company)
        )

    def _customer_policy_notify_users(self, users, kind):
        """Notify ``users`` of the ticket, each in their own language: one message
        per language, on the ticket."""
        self.ensure_one()
        users = users.filtered(lambda user: user.active)
        for lang, group in users.grouped(
            lambda user: user.lang or self.env.lang
        ).items():
            ticket = self.with_context(lang=lang)
            labels = dict(
                ticket._fields["request_type"]._description_selection(ticket.env)
            )
            body = Markup(
                "<p><b>%s</b></p><ul><li>%s: %s</li><li>%s: %s</li>"
                "<li>%s: %s</li></ul>%s"
            ) % (
                ticket._customer_policy_alert_subject(kind),
                ticket.env._("Type"),
                labels.get(ticket.request_type, ""),
                ticket.env._("Received at"),
                ticket._customer_policy_received_label(),
                ticket.env._("Handler"),
                ticket.user_id.name or "",
                ticket.description or "",
            )
            ticket.sudo().message_notify(
                partner_ids=group.partner_id.ids,
                subject=ticket._customer_policy_alert_subject(kind),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )
