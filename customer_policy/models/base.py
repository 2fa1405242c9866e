from odoo import api, models

from ..tools.vals import check_input


class Base(models.AbstractModel):
    """Every model of the customer_policy addons refuses values of the wrong
    kind with a clear message before the ORM hands them to PostgreSQL."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        if self._customer_policy_guarded():
            check_input(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self._customer_policy_guarded():
            check_input(self, [vals])
        return super().write(vals)

    @api.model
    def _customer_policy_guarded(self):
        return (self._original_module or "").startswith("customer_policy")
