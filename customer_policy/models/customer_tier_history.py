from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerTierHistory(models.Model):
    """One row per change of a customer's tier: the audit trail of grading.

    Rows are written by the partner itself whenever its tier changes (by hand,
    by the monthly re-grading or by an approved proposal) and are never edited
    afterwards.
    """

    _name = "customer.tier.history"
    _description = "Customer Tier History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    # The customer's company when the tier changed; set by the partner.
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        readonly=True,
    )
    old_tier_id = fields.Many2one(
        comodel_name="customer.tier",
        string="Previous Tier",
        ondelete="restrict",
        readonly=True,
    )
    new_tier_id = fields.Many2one(
        comodel_name="customer.tier",
        ondelete="restrict",
        readonly=True,
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Changed By",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
        readonly=True,
    )
    reason = fields.Text(required=True, readonly=True)
    change_type = fields.Selection(
        selection=[
            ("manual", "Manual"),
            ("regrade", "Monthly Re-grading"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )

    def write(self, vals):
        if self:
            raise UserError(
                self.env._("The tier history is an audit trail: it cannot be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # Rows go away only with their customer (database cascade).
        raise UserError(
            self.env._("The tier history is an audit trail: it cannot be deleted.")
        )
