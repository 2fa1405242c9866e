from odoo import fields, models


class CustomerComplaintRootCause(models.Model):
    _name = "customer.complaint.root.cause"
    _description = "Complaint Root Cause Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
