from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        error = super()._make_access_error(operation, records)
        if (
            records._name == "res.partner"
            and operation == "read"
            and self.env.user.has_group("customer_policy.group_user")
            and any(
                records.sudo().mapped("commercial_partner_id.customer_policy_managed")
            )
        ):
            # Instead of a bare refusal, tell the user how the policy lets them in.
            hint = self.env._(
                "This customer's archive is confidential. To consult it, request "
                "access: Customer Policy ▸ Archive Access ▸ Find a Customer."
            )
            error.args = (f"{hint}\n\n{error.args[0]}", *error.args[1:])
        return error
