from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of customer care (客户关怀)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    customer_care_birthday_days = fields.Integer(
        string="Birthdays: Plan Days Ahead",
        default=7,
        help="The owner gets a contact person's birthday to prepare this many days "
        "before.",
    )
    customer_care_anniversary_days = fields.Integer(
        string="Anniversaries: Plan Days Ahead",
        default=14,
        help="The owner gets the anniversary of the cooperation (from the first "
        "agreement reviewed by Legal) this many days before.",
    )
    customer_care_new_year_tier_ids = fields.Many2many(
        comodel_name="customer.tier",
        relation="res_company_customer_care_new_year_tier_rel",
        column1="company_id",
        column2="tier_id",
        string="New-Year Gift Tiers",
        help="Customers of these tiers get the New-Year gift planned in December, "
        "with a task to ask for their needs of next year. Empty: every managed "
        "customer.",
    )

    @api.constrains("customer_care_birthday_days", "customer_care_anniversary_days")
    def _check_customer_care_settings(self):
        self._customer_policy_check_settings(
            lambda company: (
                min(
                    company.customer_care_birthday_days,
                    company.customer_care_anniversary_days,
                )
                >= 0
            ),
            lambda company: self.env._(
                "%(company)s: birthdays and anniversaries cannot be planned a "
                "negative number of days ahead.",
                company=company.name,
            ),
        )
