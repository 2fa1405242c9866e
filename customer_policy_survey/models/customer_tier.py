from odoo import fields, models


class CustomerTier(models.Model):
    _inherit = "customer.tier"

    survey_frequency = fields.Selection(
        selection=[
            ("quarter", "Quarterly"),
            ("half_year", "Half-yearly"),
            ("year", "Yearly"),
        ],
        help="How often the customers of this tier are asked to fill in the "
        "satisfaction survey; empty: never on a schedule.",
    )
