from odoo import fields, models


class CustomerAgreement(models.Model):
    """What the KPI report needs of an agreement: the day it was terminated, so
    that a customer lost by an early termination counts in that month, not in
    the month the agreement would have ended."""

    _inherit = "customer.agreement"  # pylint: disable=consider-merging-classes-inherited

    terminated_on = fields.Date(readonly=True, copy=False)

    def write(self, vals):
        if vals.get("state") == "terminated" and "terminated_on" not in vals:
            vals = dict(vals, terminated_on=fields.Date.context_today(self))
        return super().write(vals)
