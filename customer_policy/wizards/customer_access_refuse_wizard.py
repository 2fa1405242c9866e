from odoo import fields, models


class CustomerAccessRefuseWizard(models.TransientModel):
    _name = "customer.access.refuse.wizard"
    _description = "Refuse Customer Access Requests"

    request_ids = fields.Many2many(
        comodel_name="customer.access.request", string="Requests", required=True
    )
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.request_ids.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
