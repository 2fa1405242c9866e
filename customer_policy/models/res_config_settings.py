from odoo import fields, models
from odoo.exceptions import UserError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_registration_days = fields.Integer(
        related="company_id.customer_registration_days",
        readonly=False,
    )
    customer_registration_reminder_days = fields.Integer(
        related="company_id.customer_registration_reminder_days",
        readonly=False,
    )
    customer_registration_required_fields = fields.Many2many(
        related="company_id.customer_registration_required_fields",
        readonly=False,
    )
    customer_archive_stale_months = fields.Integer(
        related="company_id.customer_archive_stale_months",
        readonly=False,
    )
    customer_tier_grace_days = fields.Integer(
        related="company_id.customer_tier_grace_days",
        readonly=False,
    )
    customer_senior_salesperson_ids = fields.Many2many(
        related="company_id.customer_senior_salesperson_ids",
        readonly=False,
    )
    customer_tier_approver_id = fields.Many2one(
        related="company_id.customer_tier_approver_id",
        readonly=False,
    )
    customer_access_duration_days = fields.Integer(
        related="company_id.customer_access_duration_days",
        readonly=False,
    )
    customer_access_approver_id = fields.Many2one(
        related="company_id.customer_access_approver_id",
        readonly=False,
    )
    customer_access_log_retention_days = fields.Integer(
        related="company_id.customer_access_log_retention_days",
        readonly=False,
    )
    customer_renewal_reminder_days = fields.Integer(
        related="company_id.customer_renewal_reminder_days",
        readonly=False,
    )
    customer_collection_owner_days = fields.Integer(
        related="company_id.customer_collection_owner_days",
        readonly=False,
    )
    customer_collection_manager_days = fields.Integer(
        related="company_id.customer_collection_manager_days",
        readonly=False,
    )
    customer_collection_director_days = fields.Integer(
        related="company_id.customer_collection_director_days",
        readonly=False,
    )
    customer_visit_reminder_days = fields.Integer(
        related="company_id.customer_visit_reminder_days",
        readonly=False,
    )
    customer_visit_contact_days = fields.Integer(
        related="company_id.customer_visit_contact_days",
        readonly=False,
    )
    customer_return_first_months = fields.Integer(
        related="company_id.customer_return_first_months",
        readonly=False,
    )
    customer_return_first_interval = fields.Integer(
        related="company_id.customer_return_first_interval",
        readonly=False,
    )
    customer_return_later_interval = fields.Integer(
        related="company_id.customer_return_later_interval",
        readonly=False,
    )

    complaint_major_hours = fields.Float(
        related="company_id.complaint_major_hours", readonly=False
    )
    complaint_normal_hours = fields.Float(
        related="company_id.complaint_normal_hours", readonly=False
    )
    complaint_contact_days = fields.Integer(
        related="company_id.complaint_contact_days", readonly=False
    )
    complaint_reopen_days = fields.Integer(
        related="company_id.complaint_reopen_days", readonly=False
    )
    complaint_response_clock = fields.Selection(
        related="company_id.complaint_response_clock", readonly=False
    )
    complaint_major_resolution_days = fields.Integer(
        related="company_id.complaint_major_resolution_days", readonly=False
    )
    complaint_normal_resolution_days = fields.Integer(
        related="company_id.complaint_normal_resolution_days", readonly=False
    )
    complaint_repeat_days = fields.Integer(
        related="company_id.complaint_repeat_days", readonly=False
    )
    china_holidays_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", string="Company Working Calendar"
    )
    china_holidays_imported_year = fields.Integer(
        related="company_id.resource_calendar_id.china_holidays_year"
    )
    china_holidays_year = fields.Integer(
        string="Year to Import",
        default=lambda self: fields.Date.context_today(self).year,
    )

    def action_import_china_holidays(self):
        """Import China's holidays of the chosen year into the company's calendar."""
        self.ensure_one()
        calendar = self.company_id.resource_calendar_id
        if not calendar:
            raise UserError(self.env._("Give the company a working calendar first."))
        result = calendar.import_china_holidays(self.china_holidays_year)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("China's Holidays"),
                "message": result["message"],
                "type": "success"
                if result["leave_ids"] or result["attendance_ids"]
                else "info",
                "sticky": False,
            },
        }
