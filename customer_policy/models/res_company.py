from odoo import api, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """The policy's settings are per company: the written policy leaves its numbers
    as "[X]" for each company to set. Each feature adds its settings in a file of
    its own (``res_company_<feature>.py``)."""

    _inherit = "res.company"

    def _customer_policy_check_settings(self, valid, message):
        """Refuse the settings of the first company for which ``valid(company)`` is
        false, with ``message(company)``: the words a settings page shows."""
        for company in self:
            if not valid(company):
                raise ValidationError(message(company))

    @api.model
    def _customer_policy_no_one_or_director(self, user):
        """Whether ``user`` may be named where the settings want a Director."""
        return not user or user.has_group("customer_policy.group_director")
