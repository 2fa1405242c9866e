from odoo import fields, models


class CustomerChurnReason(models.Model):
    """Why a customer may be drifting away (流失原因), found by the nightly health
    check: the health fell, no contact for longer than the tier allows, overdue
    installments, an agreement ending without a renewal draft, a complaint spike.
    """

    _name = "customer.churn.reason"
    _description = "Churn Reason"
    _order = "sequence, id"
    _sql_constraints = (
        ("code_uniq", "unique(code)", "Each churn reason has its own code."),
    )

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
