from odoo import fields, models


class CustomerEventInvitation(models.Model):
    _inherit = "customer.event.invitation"

    agreement_ids = fields.One2many(
        comodel_name="customer.agreement",
        inverse_name="event_invitation_id",
        string="Agreements",
        readonly=True,
    )

    def _customer_policy_credit_sale(self):
        """The sale at the event is the inviter's: so is the commission of the
        agreements signed there (the customer's owner may not read the
        invitation, nor the inviter the agreement: the system credits)."""
        res = super()._customer_policy_credit_sale()
        self.sudo().agreement_ids._commission_credit_from_origin()
        return res
