from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import cutoff

# Kept by the hand-in and the missing-list job.
WORKFLOW_FIELDS = {
    "state",
    "submitted_at",
    "submitted_by_id",
    "is_late",
    "counts_for_day",
    "fine_amount",
}


class CustomerEventInvitationList(models.Model):
    """A department's list of the customers it confirmed on a day (每日邀约名单)."""

    _name = "customer.event.invitation.list"
    _description = "Joint Event Invitation List"
    _inherit = ("mail.thread",)
    _order = "day desc, event_id, team_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    event_id = fields.Many2one(
        comodel_name="event.event",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("joint_event", "=", True)],
    )
    company_id = fields.Many2one(
        related="event_id.company_id", store=True, index=True, precompute=True
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        required=True,
        index=True,
        default=lambda self: self.env["crm.team"].search(
            [("user_id", "=", self.env.uid)], limit=1
        ),
    )
    manager_id = fields.Many2one(
        related="team_id.user_id", string="Department Manager", store=True
    )
    day = fields.Date(required=True, index=True, default=fields.Date.context_today)
    deadline = fields.Datetime(
        compute="_compute_deadline",
        store=True,
        help="The day's cut-off: 18:00, or the event-day cut-off on the event day.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "To Hand In"),
            ("submitted", "Handed In"),
            ("missing", "Missing"),
        ],
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
    )
    submitted_at = fields.Datetime(string="Handed In At", readonly=True, copy=False)
    submitted_by_id = fields.Many2one(
        comodel_name="res.users", string="Handed In By", readonly=True, copy=False
    )
    is_late = fields.Boolean(
        string="Late",
        readonly=True,
        copy=False,
        help="Handed in after the cut-off: its customers count for the next day.",
    )
    counts_for_day = fields.Date(
        readonly=True,
        copy=False,
        help="The day the list's customers count for: the next day when late.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    fine_amount = fields.Monetary(
        string="Fine",
        readonly=True,
        copy=False,
        tracking=True,
        help="Fined to the department manager for a late or missing list.",
    )
    invitation_ids = fields.One2many(
        comodel_name="customer.event.invitation",
        inverse_name="list_id",
        string="Invitations",
        readonly=True,
    )
    pending_invitation_ids = fields.Many2many(
        comodel_name="customer.event.invitation",
        string="Confirmed Customers",
        compute="_compute_pending_invitation_ids",
        help="The department's confirmed invitations that this list hands in.",
    )
    planned_invitation_ids = fields.Many2many(
        comodel_name="customer.event.invitation",
        string="Plan for the Next Day",
        compute="_compute_pending_invitation_ids",
    )
    is_lead_team = fields.Boolean(compute="_compute_is_lead_team")
    next_day_plan = fields.Text(
        help="The lead department also hands in its plan for the next day."
    )
    rejected_count = fields.Integer(
        string="Rejected Duplicates", compute="_compute_rejected_count"
    )

    _sql_constraints = (
        (
            "event_team_day_unique",
            "unique(event_id, team_id, day)",
            "A department hands in one list per day and event.",
        ),
    )

    @api.depends("event_id", "team_id", "day")
    def _compute_name(self):
        for record in self:
            record.name = " / ".join(
                part
                for part in (
                    record.event_id.name,
                    record.team_id.name,
                    fields.Date.to_string(record.day) if record.day else "",
                )
                if part
            )

    @api.depends("event_id.event_day_cutoff", "event_id.daily_cutoff_hour", "day")
    def _compute_deadline(self):
        for record in self:
            record.deadline = (
                record.event_id
                and record.day
                and record.event_id._customer_policy_list_deadline(record.day)
            )

    @api.depends("state", "event_id", "team_id", "day")
    def _compute_pending_invitation_ids(self):
        Invitation = self.env["customer.event.invitation"]
        for record in self:
            record.pending_invitation_ids = record.planned_invitation_ids = False
            if not record.event_id or not record.team_id:
                continue
            base = [
                ("event_id", "=", record.event_id.id),
                ("team_id", "=", record.team_id.id),
            ]
            if record.state != "submitted":
                record.pending_invitation_ids = Invitation.search(
                    base
                    + [
                        ("state", "=", "confirmed"),
                        ("counts_for_day", "<=", record.day),
                    ]
                )
            record.planned_invitation_ids = Invitation.search(
                base + [("state", "=", "planned")]
            )

    @api.depends("event_id.lead_team_id", "team_id")
    def _compute_is_lead_team(self):
        for record in self:
            record.is_lead_team = record.team_id == record.event_id.lead_team_id

    @api.depends("invitation_ids.state")
    def _compute_rejected_count(self):
        for record in self:
            record.rejected_count = len(
                record.invitation_ids.filtered(
                    lambda i: i.state == "rejected_duplicate"
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("customer_event_list_rules"):
            for vals in vals_list:
                if WORKFLOW_FIELDS & set(vals):
                    raise UserError(
                        self.env._("A list is handed in with its Hand In button.")
                    )
        missing = [vals for vals in vals_list if vals.get("state") == "missing"]
        events = self.env["event.event"].browse({vals["event_id"] for vals in missing})
        fines = {event.id: event.late_list_fine for event in events}
        for vals in missing:
            vals.update(is_late=True, fine_amount=fines[vals["event_id"]])
        return super().create(vals_list)

    def write(self, vals):
        if WORKFLOW_FIELDS & set(vals) and not self.env.context.get(
            "customer_event_list_rules"
        ):
            raise UserError(self.env._("A list is handed in with its Hand In button."))
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        """The manager hands in the day's list.

        After the cut-off it is late: fined, and its customers count for the next
        day — a customer that another department confirmed and handed in on time
        meanwhile stays that department's.
        """
        now = fields.Datetime.now()
        for record in self:
            record._customer_event_check_manager()
            if record.state == "submitted":
                raise UserError(
                    self.env._("%(name)s is already handed in.", name=record.name)
                )
            event = record.event_id
            if (
                record.is_lead_team
                and not (record.next_day_plan or "").strip()
                and (record.day < event._customer_policy_event_day())
            ):
                raise UserError(
                    self.env._(
                        "As the lead department, write the plan for the next day "
                        "before handing in the list."
                    )
                )
            is_late = now > record.deadline
            day = record.day
            if is_late:
                # Handed in late, the list counts like a confirmation made now.
                day = max(
                    event._customer_policy_counts_for_day(now)
                    or event._customer_policy_event_day(),
                    record.day,
                )
            pending = record.pending_invitation_ids
            record.with_context(customer_event_list_rules=True).write(
                {
                    "state": "submitted",
                    "submitted_at": now,
                    "submitted_by_id": self.env.uid,
                    "is_late": is_late,
                    "counts_for_day": day,
                    "fine_amount": event.late_list_fine if is_late else 0.0,
                }
            )
            pending._customer_event_submit(record)
        return True

    def _customer_event_check_manager(self):
        self.ensure_one()
        user = self.env.user
        if (
            self.env.su
            or user == self.team_id.user_id
            or user.has_group("customer_policy.group_director")
        ):
            return
        raise UserError(
            self.env._(
                "Only the manager of %(team)s hands in its list.",
                team=self.team_id.display_name,
            )
        )

    @api.model
    def _customer_event_open_today(self, event, team):
        """Today's list of ``team`` for ``event``, created when missing."""
        today = cutoff.to_local(
            fields.Datetime.now(), event._customer_policy_company_tz()
        ).date()
        found = self.search(
            [
                ("event_id", "=", event.id),
                ("team_id", "=", team.id),
                ("day", "=", today),
            ]
        )
        return found or self.create(
            {"event_id": event.id, "team_id": team.id, "day": today}
        )
