from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerEventHelperRequest(models.Model):
    """The customer's earlier follower asks the inviter to help sell at the event:
    only with the inviter's consent, and the sale stays the inviter's."""

    _name = "customer.event.helper.request"
    _description = "Joint Event Helper Request"
    _inherit = ("customer.policy.customer.mixin", "mail.thread")
    _order = "create_date desc, id desc"

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
    invitation_id = fields.Many2one(
        comodel_name="customer.event.invitation",
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # The mixin's responsible is the helper asking, not the customer's owner.
    user_id = fields.Many2one(
        string="Helper",
        compute=None,
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        help="The customer's earlier follower, asking to help.",
    )
    inviter_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        index=True,
        help="Decides: the sale counts for the inviter in any case.",
    )
    state = fields.Selection(
        selection=[
            ("requested", "Requested"),
            ("consented", "Consented"),
            ("refused", "Refused"),
        ],
        required=True,
        default="requested",
        readonly=True,
        tracking=True,
    )
    message = fields.Text(help="How the helper would like to help.")
    decided_at = fields.Datetime(readonly=True)

    @api.depends("event_id")
    def _compute_company_id(self):
        for request in self:
            request.company_id = (
                request.event_id.company_id or request.company_id or self.env.company
            )

    @api.model_create_multi
    def create(self, vals_list):
        Invitation = self.env["customer.event.invitation"].sudo()
        for vals in vals_list:
            if not vals.get("partner_id") or not vals.get("event_id"):
                raise UserError(
                    self.env._("Choose the event and the customer you need help with.")
                )
            vals["user_id"] = self.env.uid
            partner = self.env["res.partner"].sudo().browse(vals["partner_id"])
            invitation = Invitation.search(
                [
                    ("event_id", "=", vals["event_id"]),
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("state", "in", ("submitted", "attended")),
                ],
                limit=1,
            )
            if not invitation:
                raise UserError(
                    self.env._(
                        "%(customer)s is not on any department's list for this event.",
                        customer=partner.display_name,
                    )
                )
            if invitation.user_id.id == self.env.uid:
                raise UserError(self.env._("You invited this customer yourself."))
            vals.update(invitation_id=invitation.id, inviter_id=invitation.user_id.id)
        requests = super().create(vals_list)
        for request in requests:
            request.sudo().message_subscribe(
                partner_ids=request.inviter_id.partner_id.ids
            )
        return requests

    def write(self, vals):
        if {"state", "decided_at", "invitation_id", "inviter_id", "user_id"} & set(
            vals
        ) and not self.env.su:
            raise UserError(
                self.env._("The inviter consents or refuses with the buttons.")
            )
        return super().write(vals)

    def _customer_event_decide(self, state):
        for request in self:
            if self.env.uid != request.inviter_id.id and not self.env.su:
                raise UserError(
                    self.env._(
                        "Only %(user)s, who invited the customer, consents or refuses.",
                        user=request.inviter_id.display_name,
                    )
                )
            if request.state != "requested":
                raise UserError(self.env._("This request is already decided."))
        self.sudo().write({"state": state, "decided_at": fields.Datetime.now()})
        return True

    def action_consent(self):
        return self._customer_event_decide("consented")

    def action_refuse(self):
        return self._customer_event_decide("refused")
