from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerEventDispute(models.Model):
    """A dispute between departments over a joint event's customer: raised by a
    manager, decided by the coordinator after the event, escalated to a Director."""

    _name = "customer.event.dispute"
    _description = "Joint Event Dispute"
    _inherit = ("customer.policy.customer.mixin", "mail.thread")
    _order = "create_date desc, id desc"
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
        compute="_compute_company_id", store=True, readonly=False, precompute=True
    )
    coordinator_id = fields.Many2one(related="event_id.coordinator_id", store=True)
    partner_id = fields.Many2one(domain=[("is_company", "=", True)])
    # The mixin's responsible and department are the customer's; a dispute's are
    # the manager raising it and their department.
    user_id = fields.Many2one(
        string="Raised By",
        compute=None,
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        help=None,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        related=None,
        required=True,
        help="The department raising the dispute.",
    )
    other_team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Other Department",
        required=True,
        index=True,
    )
    description = fields.Text(required=True)
    state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("decided", "Decided by the Coordinator"),
            ("escalated", "Escalated"),
            ("closed", "Closed"),
        ],
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
    )
    decision = fields.Text(tracking=True, help="The coordinator's decision.")
    decided_at = fields.Datetime(readonly=True)
    director_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        tracking=True,
        help="The general manager the dispute is escalated to.",
    )
    director_decision = fields.Text(tracking=True)
    closed_at = fields.Datetime(readonly=True)

    @api.depends("event_id")
    def _compute_company_id(self):
        for dispute in self:
            dispute.company_id = (
                dispute.event_id.company_id or dispute.company_id or self.env.company
            )

    @api.depends("event_id", "partner_id")
    def _compute_name(self):
        for dispute in self:
            dispute.name = " / ".join(
                part
                for part in (dispute.event_id.name, dispute.partner_id.name)
                if part
            )

    def write(self, vals):
        if {"state", "decided_at", "director_id", "closed_at", "user_id"} & set(
            vals
        ) and not (self.env.su):
            raise UserError(
                self.env._(
                    "A dispute moves on by its Decide, Escalate and Close buttons."
                )
            )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        user = self.env.user
        for vals in vals_list:
            vals["user_id"] = self.env.uid
            team = self.env["crm.team"].browse(vals.get("team_id"))
            if not self.env.su and team.user_id != user:
                raise UserError(
                    self.env._(
                        "A dispute is raised by the manager of the department raising "
                        "it."
                    )
                )
            if vals.get("team_id") == vals.get("other_team_id"):
                raise UserError(
                    self.env._("A dispute is between two different departments.")
                )
        return super().create(vals_list)

    def _customer_event_is_manager(self):
        self.ensure_one()
        return self.env.user in (self.team_id.user_id | self.other_team_id.user_id)

    def action_decide(self):
        """The coordinator settles the dispute after the event."""
        now = fields.Datetime.now()
        for dispute in self:
            if self.env.user != dispute.event_id.coordinator_id:
                raise UserError(
                    self.env._(
                        "Only the event's coordinator, %(user)s, decides the dispute.",
                        user=dispute.event_id.coordinator_id.display_name
                        or self.env._("none set"),
                    )
                )
            if dispute.state != "open":
                raise UserError(self.env._("This dispute is not open."))
            if now < dispute.event_id.date_end:
                raise UserError(
                    self.env._("Disputes are settled after the event has ended.")
                )
            if not (dispute.decision or "").strip():
                raise UserError(self.env._("Write down the decision first."))
            dispute.sudo().write({"state": "decided", "decided_at": now})
        return True

    def action_escalate(self):
        """A manager who does not accept the decision takes it to the general
        manager."""
        for dispute in self:
            if not dispute._customer_event_is_manager() and (
                self.env.user != dispute.event_id.coordinator_id
            ):
                raise UserError(
                    self.env._(
                        "Only the two departments' managers or the coordinator "
                        "escalate a dispute."
                    )
                )
            if dispute.state not in ("open", "decided"):
                raise UserError(
                    self.env._("This dispute is already escalated or closed.")
                )
            director = self.env["res.users"]._customer_policy_general_manager(
                dispute.company_id, self.env.user
            )
            if not director:
                raise UserError(self.env._("No Director to escalate the dispute to."))
            dispute.sudo().write({"state": "escalated", "director_id": director.id})
            dispute.sudo().message_subscribe(partner_ids=director.partner_id.ids)
        return True

    def action_close(self):
        """The Director's decision, or the managers' acceptance of the
        coordinator's, closes the dispute."""
        now = fields.Datetime.now()
        for dispute in self:
            if dispute.state == "escalated":
                if not self.env.user.has_group("customer_policy.group_director"):
                    raise UserError(
                        self.env._("A Director closes an escalated dispute.")
                    )
                if not (dispute.director_decision or "").strip():
                    raise UserError(self.env._("Write down the Director's decision."))
            elif dispute.state == "decided":
                if not (
                    dispute._customer_event_is_manager()
                    or self.env.user == dispute.event_id.coordinator_id
                ):
                    raise UserError(
                        self.env._("The managers or the coordinator close the dispute.")
                    )
            else:
                raise UserError(self.env._("Decide the dispute before closing it."))
            dispute.sudo().write({"state": "closed", "closed_at": now})
        return True
