from odoo import fields, models


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
