from odoo import fields, models


class CustomerOwnershipClaimRefuseWizard(models.TransientModel):
    """The Director refuses an ownership claim and says why."""

    _name = "customer.ownership.claim.refuse.wizard"
    _description = "Refuse Ownership Claims"

    claim_ids = fields.Many2many(
        comodel_name="customer.ownership.claim",
        relation="customer_ownership_claim_refuse_rel",
        column1="wizard_id",
        column2="claim_id",
        string="Claims",
        required=True,
    )
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.claim_ids.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
