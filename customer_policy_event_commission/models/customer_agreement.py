from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerAgreement(models.Model):
    _inherit = "customer.agreement"

    event_invitation_id = fields.Many2one(
        comodel_name="customer.event.invitation",
        string="Sold at Event",
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('state', '=', 'attended')]",
        help="The joint-event invitation of the customer who bought at the event. "
        "Once the sale is credited to the inviter, the commission is the "
        "inviter's, whoever helped sell.",
    )

    @api.constrains("event_invitation_id", "partner_id")
    def _check_event_invitation(self):
        for agreement in self:
            # Another department's invitation: its customer and state are all that
            # is read.
            invitation = agreement.sudo().event_invitation_id
            if not invitation:
                continue
            if invitation.commercial_partner_id != agreement.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(invitation)s is not an invitation of %(customer)s: pick "
                        "the invitation of the agreement's customer.",
                        invitation=invitation.display_name,
                        customer=agreement.partner_id.display_name,
                    )
                )
            if invitation.state != "attended":
                raise ValidationError(
                    self.env._(
                        "%(customer)s did not attend %(event)s: only a sale to an "
                        "attending customer is signed at the event.",
                        customer=invitation.partner_id.display_name,
                        event=invitation.event_id.display_name,
                    )
                )

    @api.model
    def _commission_origin_fields(self):
        return super()._commission_origin_fields() | {"event_invitation_id"}

    def _commission_origin_credits(self):
        """The inviter, once the sale at the event is credited to them."""
        self.ensure_one()
        invitation = self.sudo().event_invitation_id
        if not invitation:
            return super()._commission_origin_credits()
        if not invitation.sale_credited_to_id:
            return []
        reason = self.env._(
            "Invited the customer to %(event)s", event=invitation.event_id.display_name
        )
        return [
            (user, share, reason)
            for user, share in invitation._customer_policy_event_credits()
        ]
