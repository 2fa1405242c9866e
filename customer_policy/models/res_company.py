from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # The written policy leaves these numbers as "[X]": each company sets its own.
    customer_registration_days = fields.Integer(
        string="Registration Deadline (working days)",
        default=5,
        help="A new customer must be registered in the archive within this many "
        "working days of the first contact.",
    )

    @api.constrains("customer_registration_days")
    def _check_customer_registration_days(self):
        for company in self:
            if company.customer_registration_days < 1:
                raise ValidationError(
                    self.env._(
                        "The registration deadline of %(company)s must be at least "
                        "one working day.",
                        company=company.name,
                    )
                )
