from odoo import fields, models


class CustomerTierChangeWizard(models.TransientModel):
    _name = "customer.tier.change.wizard"
    _description = "Change a Customer's Tier"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    current_tier_id = fields.Many2one(
        related="partner_id.customer_tier_id", string="Current Tier"
    )
    suggested_tier_id = fields.Many2one(
        related="partner_id.tier_suggested_id", string="Suggested Tier"
    )
    tier_id = fields.Many2one(
        comodel_name="customer.tier",
        string="New Tier",
        required=True,
    )
    reason = fields.Text(required=True)
    lock = fields.Boolean(
        string="Pin this tier",
        help="Directors only: the monthly re-grading leaves the customer in this tier.",
    )
    # Only shows or hides the pin option: pinning itself is checked by the partner.
    is_director = fields.Boolean(
        default=lambda self: self.env.user.has_group("customer_policy.group_director"),
    )

    def action_confirm(self):
        self.ensure_one()
        partner = self.partner_id
        if partner.customer_tier_id != self.tier_id or self.lock == partner.tier_locked:
            partner.action_change_tier(self.tier_id.id, self.reason)
        if self.lock != partner.tier_locked:
            partner.write({"tier_locked": self.lock})
        return {"type": "ir.actions.act_window_close"}
