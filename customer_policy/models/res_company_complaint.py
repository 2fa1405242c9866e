from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of complaints and service requests (客户投诉与服务)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    complaint_major_hours = fields.Float(
        string="Major Complaint Response (working hours)",
        default=2.0,
        help="A major complaint must be answered within this many working hours.",
    )
    complaint_normal_hours = fields.Float(
        string="Normal Request Response (working hours)",
        default=24.0,
        help="Any other ticket must be answered within this many working hours.",
    )
    complaint_contact_days = fields.Integer(
        string="Contact the Customer Within (working days)",
        default=1,
        help="On a complaint the company contacts the customer within this many "
        "working days of receiving it.",
    )
    complaint_reopen_days = fields.Integer(
        string="Reopen Window (days)",
        default=30,
        help="A closed ticket may be reopened within this many days of its closing.",
    )

    @api.constrains(
        "complaint_major_hours",
        "complaint_normal_hours",
        "complaint_contact_days",
        "complaint_reopen_days",
    )
    def _check_complaint_limits(self):
        self._customer_policy_check_settings(
            lambda company: (
                company.complaint_major_hours > 0
                and company.complaint_normal_hours > 0
                and company.complaint_contact_days >= 1
                and company.complaint_reopen_days >= 0
            ),
            lambda company: self.env._(
                "The complaint limits of %(company)s must be positive: "
                "response hours above zero, at least one working day to "
                "contact the customer.",
                company=company.name,
            ),
        )
