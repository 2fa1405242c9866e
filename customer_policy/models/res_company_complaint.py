from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of complaints and service requests (客户投诉与服务)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    complaint_response_clock = fields.Selection(
        [("clock", "Clock Hours (24×7)"), ("working", "Working Hours")],
        required=True,
        default="clock",
        help="How the response limits count: every hour of the day and week, as "
        "the policy promises (2 hours, 24 hours), or the working hours of the "
        "company's calendar. A ticket keeps the clock it was received (or "
        "reopened) with.",
    )
    complaint_major_hours = fields.Float(
        string="Major Complaint Response (hours)",
        default=2.0,
        help="A major complaint must be answered within this many hours.",
    )
    complaint_normal_hours = fields.Float(
        string="Normal Request Response (hours)",
        default=24.0,
        help="Any other ticket must be answered within this many hours.",
    )
    complaint_contact_days = fields.Integer(
        string="Contact the Customer Within (working days)",
        default=1,
        help="On a complaint the company contacts the customer within this many "
        "working days of receiving it.",
    )
    complaint_major_resolution_days = fields.Integer(
        string="Major Complaint Resolution (working days)",
        default=3,
        help="A major ticket's result must be back to the customer within this "
        "many working days of receiving (or reopening) it.",
    )
    complaint_normal_resolution_days = fields.Integer(
        string="Normal Request Resolution (working days)",
        default=5,
        help="Any other ticket's result must be back to the customer within this "
        "many working days of receiving (or reopening) it.",
    )
    complaint_reopen_days = fields.Integer(
        string="Reopen Window (days)",
        default=30,
        help="A closed ticket may be reopened within this many days of its closing.",
    )
    complaint_repeat_days = fields.Integer(
        string="Repeat Contact Window (days)",
        default=14,
        help="A new request from the same customer on the same subject as a ticket "
        "still open, or closed within this many days, is a repeat contact: it is "
        "linked to that ticket and counted.",
    )

    @api.constrains(
        "complaint_major_hours",
        "complaint_normal_hours",
        "complaint_contact_days",
        "complaint_reopen_days",
        "complaint_major_resolution_days",
        "complaint_normal_resolution_days",
        "complaint_repeat_days",
    )
    def _check_complaint_limits(self):
        self._customer_policy_check_settings(
            lambda company: (
                company.complaint_major_hours > 0
                and company.complaint_normal_hours > 0
                and company.complaint_contact_days >= 1
                and company.complaint_major_resolution_days >= 1
                and company.complaint_normal_resolution_days >= 1
                and company.complaint_reopen_days >= 0
                and company.complaint_repeat_days >= 0
            ),
            lambda company: self.env._(
                "The complaint limits of %(company)s must be positive: "
                "response hours above zero, at least one working day to "
                "contact the customer and to resolve a ticket.",
                company=company.name,
            ),
        )

    def _customer_policy_resolution_days(self, severity):
        """Working days to resolve a ticket of ``severity``."""
        self.ensure_one()
        if severity == "major":
            return self.complaint_major_resolution_days
        return self.complaint_normal_resolution_days
