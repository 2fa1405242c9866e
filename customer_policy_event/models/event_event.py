from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import cutoff


class EventEvent(models.Model):
    _inherit = "event.event"

    joint_event = fields.Boolean(
        tracking=True,
        help="A marketing event to which several departments invite customers under "
        "the policy's rules (联合会议邀约).",
    )
    participating_team_ids = fields.Many2many(
        comodel_name="crm.team",
        relation="event_event_customer_policy_team_rel",
        column1="event_id",
        column2="team_id",
        string="Participating Departments",
        help="Each hands in its list of confirmed customers every evening.",
    )
    lead_team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Lead Department",
        help="Also hands in the plan for the next day with its evening list.",
    )
    coordinator_id = fields.Many2one(
        comodel_name="res.users",
        tracking=True,
        domain=[("share", "=", False)],
        help="Checks the lists for duplicates every evening and decides disputes.",
    )
    daily_cutoff_hour = fields.Float(
        string="Daily Cut-off",
        default=18.0,
        help="Each day's list is due by this hour (company's time zone); "
        "invitations confirmed later count for the next day.",
    )
    invitation_start_date = fields.Date(
        string="Invitations From",
        compute="_compute_invitation_start_date",
        store=True,
        readonly=False,
        help="First day of the invitation period: by default a week before the event.",
    )
    event_period = fields.Selection(
        selection=[
            ("morning", "Morning"),
            ("afternoon", "Afternoon"),
            ("evening", "Evening"),
        ],
        compute="_compute_event_day_cutoff",
        store=True,
    )
    event_day_cutoff = fields.Datetime(
        string="Event-day Cut-off",
        compute="_compute_event_day_cutoff",
        store=True,
        help="Last moment to confirm an invitation: 10:00 on the day of an afternoon "
        "event, 16:00 on the day of an evening event, the day before's cut-off for "
        "a morning event.",
    )
    late_list_fine = fields.Monetary(
        string="Fine per Late List",
        currency_field="customer_policy_currency_id",
        default=10.0,
        help="Fined to the department manager for each list handed in late or missing.",
    )
    customer_policy_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Policy Currency"
    )
    customer_invitation_ids = fields.One2many(
        comodel_name="customer.event.invitation",
        inverse_name="event_id",
        string="Invitations",
    )
    customer_invitation_list_ids = fields.One2many(
        comodel_name="customer.event.invitation.list",
        inverse_name="event_id",
        string="Invitation Lists",
    )
    customer_invitation_count = fields.Integer(
        compute="_compute_customer_invitation_count"
    )

    @api.depends("date_begin", "date_tz")
    def _compute_invitation_start_date(self):
        for event in self:
            if event.date_begin and not event.invitation_start_date:
                event.invitation_start_date = event._customer_policy_event_day() - (
                    timedelta(days=7)
                )

    @api.depends("date_begin", "date_tz", "daily_cutoff_hour")
    def _compute_event_day_cutoff(self):
        for event in self:
            if not event.date_begin:
                event.event_period = False
                event.event_day_cutoff = False
                continue
            start = cutoff.to_local(event.date_begin, event._customer_policy_event_tz())
            event.event_period = cutoff.event_period(start)
            local = cutoff.event_day_cutoff(
                start, cutoff.hour_to_time(event.daily_cutoff_hour)
            )
            event.event_day_cutoff = local.astimezone(pytz.utc).replace(tzinfo=None)

    def _compute_customer_invitation_count(self):
        # Event staff outside the customer policy open events too: no count,
        # rather than an access error on the event's form.
        if not self.env["customer.event.invitation"].has_access("read"):
            self.customer_invitation_count = 0
            return
        counts = dict(
            self.env["customer.event.invitation"]._read_group(
                [("event_id", "in", self.ids)], ["event_id"], ["__count"]
            )
        )
        for event in self:
            event.customer_invitation_count = counts.get(event, 0)

    @api.constrains("daily_cutoff_hour")
    def _check_daily_cutoff_hour(self):
        for event in self:
            if not 0 <= event.daily_cutoff_hour < 24:
                raise ValidationError(
                    self.env._("The daily cut-off is an hour of the day (0 to 24).")
                )

    @api.constrains("joint_event", "participating_team_ids", "lead_team_id")
    def _check_joint_event(self):
        for event in self.filtered("joint_event"):
            if (
                event.lead_team_id
                and event.lead_team_id not in event.participating_team_ids
            ):
                raise ValidationError(
                    self.env._("The lead department must be one of the participants.")
                )

    # ------------------------------------------------------------------ helpers

    def _customer_policy_event_tz(self):
        """The time zone of the event's start (the event's own, as Odoo shows it)."""
        self.ensure_one()
        return pytz.timezone(self.date_tz or self._customer_policy_company_tz().zone)

    def _customer_policy_company_tz(self):
        """The company's time zone, in which the daily cut-off falls."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return pytz.timezone(
            company.resource_calendar_id.tz or self.date_tz or self.env.user.tz or "UTC"
        )

    def _customer_policy_event_day(self):
        self.ensure_one()
        return cutoff.to_local(self.date_begin, self._customer_policy_event_tz()).date()

    def _customer_policy_daily_cutoff(self):
        self.ensure_one()
        return cutoff.hour_to_time(self.daily_cutoff_hour)

    def _customer_policy_counts_for_day(self, moment):
        """The day a confirmation or a list handed in at ``moment`` (naive UTC)
        counts for, or ``None`` past the event-day cut-off."""
        self.ensure_one()
        tz = self._customer_policy_company_tz()
        return cutoff.counts_for_day(
            cutoff.to_local(moment, tz),
            self._customer_policy_daily_cutoff(),
            self._customer_policy_event_day(),
            cutoff.to_local(self.event_day_cutoff, tz),
        )

    def _customer_policy_list_deadline(self, day):
        """When the list of ``day`` is due (naive UTC)."""
        self.ensure_one()
        if day >= self._customer_policy_event_day():
            return self.event_day_cutoff
        return cutoff.to_utc(
            day,
            self._customer_policy_daily_cutoff(),
            self._customer_policy_company_tz(),
        )

    def _customer_policy_list_days(self, until):
        """The days of the invitation period whose lists are due by ``until``."""
        self.ensure_one()
        if not self.invitation_start_date:
            return []
        last = min(self._customer_policy_event_day(), until)
        days = []
        day = self.invitation_start_date
        while day <= last:
            days.append(day)
            day += timedelta(days=1)
        return days

    # ------------------------------------------------------------------ actions

    def action_view_customer_invitations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_event.action_customer_event_invitation"
        )
        action["domain"] = [("event_id", "=", self.id)]
        action["context"] = {"default_event_id": self.id}
        return action

    def action_view_customer_invitation_lists(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_event.action_customer_event_invitation_list"
        )
        action["domain"] = [("event_id", "=", self.id)]
        action["context"] = {"default_event_id": self.id}
        return action

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_customer_event_missing_lists(self):
        """Record the lists not handed in by their cut-off, with the fine.

        Idempotent: a day's list is created once per department (unique), and
        every list already there, handed in or not, is left alone.
        """
        now = fields.Datetime.now()
        events = self.search(
            [
                ("joint_event", "=", True),
                ("invitation_start_date", "!=", False),
                ("invitation_start_date", "<=", fields.Date.today()),
                ("date_begin", ">=", now - timedelta(days=2)),
            ]
        )
        if not events:
            return
        existing = {
            (event.id, team.id, day)
            for event, team, day in self.env[
                "customer.event.invitation.list"
            ]._read_group(
                [("event_id", "in", events.ids)], ["event_id", "team_id", "day:day"]
            )
        }
        vals_list = []
        for event in events:
            today = cutoff.to_local(now, event._customer_policy_company_tz()).date()
            for day in event._customer_policy_list_days(today):
                if event._customer_policy_list_deadline(day) >= now:
                    continue
                for team in event.participating_team_ids:
                    if (event.id, team.id, day) not in existing:
                        vals_list.append(
                            {
                                "event_id": event.id,
                                "team_id": team.id,
                                "day": day,
                                "state": "missing",
                            }
                        )
        self.env["customer.event.invitation.list"].with_context(
            customer_event_list_rules=True
        ).create(vals_list)
