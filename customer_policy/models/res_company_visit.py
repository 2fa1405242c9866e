from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of visits and return visits (客户拜访与回访)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    customer_visit_reminder_days = fields.Integer(
        string="Visit Reminder (days ahead)",
        default=7,
        help="Owners are reminded of a visit their customer's tier requires this many "
        "days before it falls due.",
    )
    customer_visit_contact_days = fields.Integer(
        string="Contact Interval (days)",
        default=14,
        help="A customer without any contact (visit, phone, e-mail) for longer gets a "
        "'contact the customer' activity.",
    )
    customer_return_first_months = fields.Integer(
        string="Return Visits: First Phase (months)",
        default=12,
        help="Months after a delivery during which return visits are frequent.",
    )
    customer_return_first_interval = fields.Integer(
        string="Return Visits: First Phase Interval (months)",
        default=1,
    )
    customer_return_later_interval = fields.Integer(
        string="Return Visits: Later Interval (months)",
        default=3,
    )

    @api.constrains(
        "customer_visit_reminder_days",
        "customer_visit_contact_days",
        "customer_return_first_months",
        "customer_return_first_interval",
        "customer_return_later_interval",
    )
    def _check_customer_visit_settings(self):
        self._customer_policy_check_settings(
            lambda company: (
                company.customer_visit_reminder_days >= 0
                and company.customer_return_first_months >= 0
                and min(
                    company.customer_visit_contact_days,
                    company.customer_return_first_interval,
                    company.customer_return_later_interval,
                )
                >= 1
            ),
            lambda company: self.env._(
                "%(company)s: the contact interval and the return-visit "
                "intervals must be at least 1, the reminder days and the "
                "first phase cannot be negative.",
                company=company.name,
            ),
        )
