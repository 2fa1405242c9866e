from odoo import fields, models


class CustomerAgreementReasonWizard(models.TransientModel):
    _name = "customer.agreement.reason.wizard"
    _description = "Reason for Rejecting or Terminating an Agreement"

    agreement_id = fields.Many2one(
        comodel_name="customer.agreement", required=True, ondelete="cascade"
    )
    action = fields.Selection(
        selection=[("reject", "Legal Rejection"), ("terminate", "Termination")],
        required=True,
        default="reject",
    )
    reason = fields.Text(required=True)
    end_return_visits = fields.Boolean(
        string="End the Return Visits",
        help="The projects this agreement delivered are out of service too: close "
        "their return-visit schedules. Otherwise their return visits go on.",
    )

    def action_confirm(self):
        self.ensure_one()
        if self.action == "reject":
            self.agreement_id.action_legal_reject(self.reason)
        else:
            self.agreement_id.action_terminate(self.reason)
            if self.end_return_visits:
                self.agreement_id._customer_policy_close_return_schedules()
        return {"type": "ir.actions.act_window_close"}
