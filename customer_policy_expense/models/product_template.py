from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    customer_policy_requires_customer = fields.Boolean(
        string="For a Registered Customer",
        help="Expenses of this category (hospitality, travel to a customer, gifts) "
        "name the customer they were for, and are reimbursed only if that customer "
        "was registered (备案) no later than the expense date.",
    )
