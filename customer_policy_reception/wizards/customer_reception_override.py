from odoo import fields, models


class CustomerReceptionOverride(models.TransientModel):
    """Re-assign a visitor by hand: a reason is required, and it is logged."""

    _name = "customer.reception.override"
    _description = "Re-assign a Walk-in Visitor"

    visit_id = fields.Many2one(
        comodel_name="customer.reception.visit", required=True, ondelete="cascade"
    )
    current_user_id = fields.Many2one(related="visit_id.user_id", string="Served By")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Hand To",
        required=True,
        domain=[("share", "=", False)],
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.visit_id._reception_override(self.user_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
