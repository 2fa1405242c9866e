from odoo import fields, models


class CustomerComplaint(models.Model):
    """The visit whose negative feedback the complaint records."""

    _inherit = "customer.complaint"

    visit_id = fields.Many2one(
        comodel_name="customer.visit",
        string="From Visit",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        check_company=True,
    )
