from odoo import fields, models

# What the visit's bonus split depends on (its _compute_bonus_shares).
SPLIT_FIELDS = {"outcome", "visit_kind", "received_by_id", "user_id"}


class CustomerReceptionVisit(models.Model):
    _inherit = "customer.reception.visit"

    agreement_ids = fields.One2many(
        comodel_name="customer.agreement",
        inverse_name="reception_visit_id",
        string="Agreements",
        readonly=True,
    )

    def write(self, vals):
        if not SPLIT_FIELDS & set(vals):
            return super().write(vals)
        before = {visit: visit._customer_policy_reception_credits() for visit in self}
        result = super().write(vals)
        # The deal closed (or the visitor was re-assigned after it): the
        # agreements signed from the visit follow its split.
        changed = self.filtered(
            lambda v: v._customer_policy_reception_credits() != before[v]
        )
        changed.sudo().agreement_ids._commission_credit_from_origin()
        return result

    def action_new_agreement(self):
        """Draft the agreement of the deal, signed from this visit."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Agreement"),
            "res_model": "customer.agreement",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_reception_visit_id": self.id,
            },
        }
