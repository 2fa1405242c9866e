from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Kept by the invitation's own steps: confirm, the department's list, attendance.
WORKFLOW_FIELDS = {
    "state",
    "confirmed_at",
    "submitted_at",
    "counts_for_day",
    "list_id",
    "rejection_message",
    "registration_id",
    "sale_credited_to_id",
}


class CustomerEventInvitation(models.Model):
    """A department's invitation of a customer to a joint event (联合会议邀约)."""

    _name = "customer.event.invitation"
    _description = "Joint Event Invitation"
    _inherit = ("customer.policy.customer.mixin", "mail.thread")
    _order = "event_id, confirmed_at, id"
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
    partner_id = fields.Many2one(domain=[("is_company", "=", True)])
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="Who comes to the event for the customer.",
    )
    # The mixin's department and responsible are the customer's; an invitation's
    # are the inviting department and salesperson, whoever owns the customer.
    team_id = fields.Many2one(
        comodel_name="crm.team",
        related=None,
        required=True,
        tracking=True,
        default=lambda self: self.env.user.sale_team_id,
        help="The inviting department.",
    )
    user_id = fields.Many2one(
        string="Invited By",
        compute=None,
        required=True,
        default=lambda self: self.env.user,
        help="The inviting salesperson: the sale made at the event is theirs.",
    )
    confirmed_at = fields.Datetime(
        readonly=True, copy=False, help="When the customer confirmed attendance."
    )
    submitted_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the department's list containing the invitation was handed in.",
    )
    state = fields.Selection(
        selection=[
            ("planned", "Planned"),
            ("confirmed", "Confirmed"),
            ("submitted", "Submitted"),
            ("rejected_duplicate", "Rejected: Duplicate"),
            ("attended", "Attended"),
        ],
        required=True,
        default="planned",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    counts_for_day = fields.Date(
        readonly=True,
        copy=False,
        index=True,
        help="The day's list the invitation belongs to: confirmed after the daily "
        "cut-off, it counts for the next day; on a late list, for the day after the "
        "list's.",
    )
    list_id = fields.Many2one(
        comodel_name="customer.event.invitation.list",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    rejection_message = fields.Char(readonly=True, copy=False)
    registration_id = fields.Many2one(
        comodel_name="event.registration",
        string="Attendee",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    helper_request_ids = fields.One2many(
        comodel_name="customer.event.helper.request",
        inverse_name="invitation_id",
        string="Helper Requests",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    sale_amount = fields.Monetary(
        tracking=True, help="What the customer bought at the event."
    )
    sale_credited_to_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        copy=False,
        help="The inviter: a sale at the event counts for the colleague who invited "
        "the customer, whoever helped.",
    )
    note = fields.Text()

    @api.depends("event_id")
    def _compute_company_id(self):
        for invitation in self:
            invitation.company_id = (
                invitation.event_id.company_id
                or invitation.company_id
                or self.env.company
            )

    @api.depends("partner_id", "event_id")
    def _compute_name(self):
        for invitation in self:
            invitation.name = " / ".join(
                part
                for part in (invitation.partner_id.name, invitation.event_id.name)
                if part
            )

    @api.constrains("user_id", "team_id")
    def _check_team(self):
        for invitation in self:
            if invitation.team_id not in invitation.event_id.participating_team_ids:
                raise ValidationError(
                    self.env._(
                        "%(team)s does not take part in %(event)s.",
                        team=invitation.team_id.display_name,
                        event=invitation.event_id.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if WORKFLOW_FIELDS & set(vals) and not self.env.context.get(
                "customer_event_rules"
            ):
                raise UserError(
                    self.env._("A new invitation starts as planned; confirm it.")
                )
        invitations = super().create(vals_list)
        invitations._customer_event_check_not_taken()
        return invitations

    def write(self, vals):
        if WORKFLOW_FIELDS & set(vals) and not self.env.context.get(
            "customer_event_rules"
        ):
            raise UserError(
                self.env._(
                    "An invitation moves on by its buttons and its department's list, "
                    "never by editing its state or times."
                )
            )
        # The hand-over (superuser) moves a leaver's open invitations on.
        if (
            {"event_id", "partner_id", "team_id", "user_id"} & set(vals)
            and not self.env.su
            and any(invitation.state != "planned" for invitation in self)
        ):
            raise UserError(
                self.env._(
                    "A confirmed invitation keeps its event, customer, department and "
                    "inviter: create a new one instead."
                )
            )
        result = super().write(vals)
        if {"event_id", "partner_id"} & set(vals):
            self._customer_event_check_not_taken()
        return result

    @api.model
    def _customer_policy_handover_domain(self):
        # A leaver's invitations still ahead of the event follow the customer's
        # successor; attended and rejected ones record who invited.
        return [("state", "in", ("planned", "confirmed", "submitted"))]

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        if any(invitation.state != "planned" for invitation in self):
            raise UserError(self.env._("Only a planned invitation can be deleted."))

    # ------------------------------------------------------------------ actions

    def action_confirm(self):
        """The customer confirmed: the invitation counts for today's list, or the
        next day's after the daily cut-off."""
        now = fields.Datetime.now()
        for invitation in self:
            invitation._customer_event_check_inviter()
            if invitation.state != "planned":
                raise UserError(
                    self.env._(
                        "%(name)s is already confirmed.", name=invitation.display_name
                    )
                )
            day = invitation.event_id._customer_policy_counts_for_day(now)
            if day is None:
                raise UserError(
                    self.env._(
                        "The invitations to %(event)s closed at its event-day cut-off.",
                        event=invitation.event_id.display_name,
                    )
                )
            invitation._customer_event_check_not_taken()
            invitation.with_context(customer_event_rules=True).write(
                {"state": "confirmed", "confirmed_at": now, "counts_for_day": day}
            )
        return True

    def action_attend(self):
        """The customer came: register them as an attendee of the event."""
        Registration = self.env["event.registration"].sudo()
        for invitation in self:
            invitation._customer_event_check_inviter(coordinator=True)
            if invitation.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only an invitation on a department's list can attend: "
                        "%(name)s is %(state)s.",
                        name=invitation.display_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[invitation.state],
                    )
                )
            # The coordinator may not read the customer's archive: the attendee's
            # name and contact details go to the registration all the same.
            attendee = (invitation.contact_id or invitation.partner_id).sudo()
            registration = Registration.create(
                {
                    "event_id": invitation.event_id.id,
                    "partner_id": attendee.id,
                    "name": attendee.name,
                    "email": attendee.email,
                    "phone": attendee.phone or attendee.mobile,
                    "state": "done",
                }
            )
            # Checked above: the coordinator, who only reads, records attendance.
            invitation.sudo().with_context(customer_event_rules=True).write(
                {"state": "attended", "registration_id": registration.id}
            )
        return True

    def action_credit_sale(self):
        """Credit the sale made at the event to the inviter."""
        for invitation in self:
            invitation._customer_event_check_inviter(coordinator=True)
            if invitation.state != "attended" or invitation.sale_amount <= 0:
                raise UserError(
                    self.env._("Record the amount sold to an attending customer first.")
                )
            # Checked above: the coordinator, who only reads, credits the sale too.
            invitation.sudo().with_context(customer_event_rules=True).write(
                {"sale_credited_to_id": invitation.user_id.id}
            )
            invitation.sudo()._customer_policy_credit_sale()
        return True

    # ------------------------------------------------------------------ business

    def _customer_event_check_inviter(self, coordinator=False):
        """The inviter, their department's manager (and, at the event, its
        coordinator) move an invitation on."""
        self.ensure_one()
        user = self.env.user
        if (
            self.env.su
            or user == self.user_id
            or user == self.team_id.user_id
            or (coordinator and user == self.event_id.coordinator_id)
            or user.has_group("customer_policy.group_director")
        ):
            return
        raise UserError(
            self.env._(
                "Only %(user)s, who invited the customer, or the department's "
                "manager can do this.",
                user=self.user_id.display_name,
            )
        )

    def _customer_event_winner(self):
        """The invitation that holds the customer at the event (superuser: it may
        be another department's)."""
        self.ensure_one()
        return self.sudo().search(
            [
                ("event_id", "=", self.event_id.id),
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("state", "in", ("submitted", "attended")),
                ("id", "!=", self.id),
            ],
            limit=1,
        )

    def _customer_event_taken_message(self, winner):
        """The only thing told about the other department's invitation: its name."""
        return self.env._(
            "%(customer)s is already invited to %(event)s by %(team)s, who confirmed "
            "and handed in first.",
            customer=self.partner_id.display_name,
            event=self.event_id.display_name,
            team=winner.team_id.name,
        )

    def _customer_event_check_not_taken(self):
        """A customer on another department's submitted list cannot be invited."""
        for invitation in self:
            winner = invitation._customer_event_winner()
            if winner:
                raise UserError(invitation._customer_event_taken_message(winner))

    def _customer_event_submit(self, list_):
        """Hand in the invitations with their department's list, then settle who
        holds each of their customers."""
        self.with_context(customer_event_rules=True).write(
            {
                "list_id": list_.id,
                "state": "submitted",
                "submitted_at": list_.submitted_at,
                "counts_for_day": list_.counts_for_day,
            }
        )
        self._customer_event_resolve()

    @api.model
    def _customer_event_rank(self, invitation):
        """Who comes first for a customer: an attendee stays; then the day the
        invitation counts for, an on-time list before a late one of that day, the
        first confirmed."""
        return (
            invitation.state != "attended",
            invitation.counts_for_day,
            bool(invitation.list_id.is_late),
            invitation.confirmed_at,
            invitation.id,
        )

    def _customer_event_resolve(self):
        """The first confirmed and submitted invitation of each customer wins; the
        others are rejected as duplicates, naming only the winning department.

        Only handed-in invitations compete, so a confirmation that is not on a list
        yet holds nothing. A late list counts for the next day, behind that day's
        on-time lists: it loses a customer another department confirmed meanwhile.
        """
        handed_in = self.sudo().search(
            [
                ("event_id", "in", self.event_id.ids),
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("state", "in", ("submitted", "rejected_duplicate", "attended")),
            ]
        )
        groups = {}
        for invitation in handed_in:
            key = (invitation.event_id, invitation.commercial_partner_id)
            groups.setdefault(key, []).append(invitation)
        for candidates in groups.values():
            winner, *losers = sorted(candidates, key=self._customer_event_rank)
            if winner.state == "rejected_duplicate":
                winner.with_context(customer_event_rules=True).write(
                    {"state": "submitted", "rejection_message": False}
                )
            for loser in losers:
                if loser.state == "rejected_duplicate":
                    continue
                message = loser._customer_event_taken_message(winner)
                loser.with_context(customer_event_rules=True).write(
                    {"state": "rejected_duplicate", "rejection_message": message}
                )
                loser.message_post(
                    body=message,
                    partner_ids=loser.user_id.partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )

    def _customer_policy_event_credits(self):
        """Who is credited for the sale, as ``[(user, share %)]``: the inviter.

        The hook for commission (customer_policy_commission): a bridge turns it
        into the agreement's credit split.
        """
        self.ensure_one()
        return [(self.sale_credited_to_id or self.user_id, 100.0)]

    def _customer_policy_credit_sale(self):
        """Record the credit. Overridden by the commission bridge to write it as
        the agreement's credit; here it is written in the chatter."""
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "Sale of %(amount)s at %(event)s credited to %(user)s, who invited "
                "the customer.",
                amount=self.sale_amount,
                event=self.event_id.display_name,
                user=self.sale_credited_to_id.display_name,
            )
        )
