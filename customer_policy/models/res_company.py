from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.archive import DEFAULT_REQUIRED_FIELDS


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

    customer_registration_required_fields = fields.Many2many(
        comodel_name="ir.model.fields",
        relation="res_company_customer_required_field_rel",
        column1="company_id",
        column2="field_id",
        string="Archive Fields Required to Register",
        domain=lambda self: [
            ("model", "=", "res.partner"),
            ("name", "in", self.env["res.partner"]._customer_policy_archive_fields()),
        ],
        default=lambda self: self._customer_policy_default_required_fields(),
        help="A customer cannot be registered while one of these archive fields "
        "is empty; the nightly data-quality check flags registered customers "
        "missing one.",
    )
    customer_archive_stale_months = fields.Integer(
        string="Stale Archive (months)",
        default=12,
        help="A registered customer whose archive has not changed for this many "
        "months is flagged for review; 0 disables the check.",
    )

    @api.model
    def _customer_policy_default_required_fields(self):
        IrField = self.env["ir.model.fields"].sudo()
        return IrField.search(
            [("model", "=", "res.partner"), ("name", "in", DEFAULT_REQUIRED_FIELDS)]
        )

    @api.model
    def _customer_policy_init_required_fields(self):
        """Give the companies that exist at install time the default choice."""
        defaults = self._customer_policy_default_required_fields()
        self.sudo().search(
            [("customer_registration_required_fields", "=", False)]
        ).customer_registration_required_fields = defaults

    def _customer_policy_required_fields(self):
        """Names of the archive fields this company requires, in archive order."""
        self.ensure_one()
        chosen = set(self.sudo().customer_registration_required_fields.mapped("name"))
        return [
            name
            for name in self.env["res.partner"]._customer_policy_archive_fields()
            if name in chosen
        ]

    @api.constrains("customer_archive_stale_months")
    def _check_customer_archive_stale_months(self):
        for company in self:
            if company.customer_archive_stale_months < 0:
                raise ValidationError(
                    self.env._(
                        "The stale-archive period of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )

    customer_tier_grace_days = fields.Integer(
        string="Tier Downgrade Grace Period (days)",
        default=90,
        help="A customer whose contract amount falls below its tier's threshold keeps "
        "the tier this many days before the monthly re-grading moves it down.",
    )
    customer_senior_salesperson_ids = fields.Many2many(
        comodel_name="res.users",
        relation="res_company_customer_senior_salesperson_rel",
        column1="company_id",
        column2="user_id",
        string="Senior Salespeople",
        domain=[("share", "=", False)],
        help="Salespeople who may own customers of tiers that require a senior owner.",
    )
    customer_tier_approver_id = fields.Many2one(
        comodel_name="res.users",
        string="Tier Proposal Approver",
        domain=lambda self: self._customer_tier_approver_domain(),
        help="The Director who receives the re-grading's proposals to tiers reserved "
        "to Directors. Empty: the first Director.",
    )

    def _customer_tier_approver_domain(self):
        directors = self.env.ref(
            "customer_policy.group_director", raise_if_not_found=False
        )
        return [("share", "=", False)] + (
            [("groups_id", "in", directors.ids)] if directors else []
        )

    @api.constrains("customer_tier_grace_days")
    def _check_customer_tier_grace_days(self):
        for company in self:
            if company.customer_tier_grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "The tier downgrade grace period of %(company)s cannot be "
                        "negative.",
                        company=company.name,
                    )
                )

    # Information security (客户信息安全)
    customer_access_duration_days = fields.Integer(
        string="Access Grant Duration (days)",
        default=7,
        help="Default number of days an approved request to consult a customer's "
        "archive stays valid.",
    )
    customer_access_approver_id = fields.Many2one(
        comodel_name="res.users",
        string="General Manager",
        domain=[("share", "=", False)],
        help="Decides requests to consult another department's customers. When empty, "
        "the first Director of the company does.",
    )
    customer_access_log_retention_days = fields.Integer(
        string="Access Log Retention (days)",
        default=365,
        help="Entries of the customer access log older than this are purged.",
    )

    @api.constrains(
        "customer_access_duration_days", "customer_access_log_retention_days"
    )
    def _check_customer_access_days(self):
        for company in self:
            if (
                company.customer_access_duration_days < 1
                or company.customer_access_log_retention_days < 1
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the access grant duration and the access log "
                        "retention must be at least one day.",
                        company=company.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        recompute = []
        if {"customer_registration_days", "resource_calendar_id"} & set(vals):
            recompute.append("registration_deadline")
        if "customer_registration_required_fields" in vals:
            recompute.append("archive_completeness")
        if recompute:
            # Partners without a company follow the main company's settings.
            Partner = self.env["res.partner"].sudo().with_context(active_test=False)
            domain = [("is_company", "=", True)]
            if self.env.company in self:
                domain.append(("company_id", "in", [False, *self.ids]))
            else:
                domain.append(("company_id", "in", self.ids))
            for name in recompute:
                partners = Partner.search(
                    domain + [("registration_state", "=", "draft")]
                    if name == "registration_deadline"
                    else domain
                )
                self.env.add_to_compute(Partner._fields[name], partners)
                if name == "registration_deadline":
                    self.env.add_to_compute(
                        Partner._fields["is_registration_late"], partners
                    )
            Partner.flush_model(recompute)
        return result

    @api.constrains("customer_tier_approver_id")
    def _check_customer_tier_approver_id(self):
        for company in self:
            approver = company.customer_tier_approver_id
            if approver and not approver.has_group("customer_policy.group_director"):
                raise ValidationError(
                    self.env._(
                        "The tier proposal approver %(user)s must be a Director.",
                        user=approver.name,
                    )
                )

    @api.constrains("customer_access_approver_id")
    def _check_customer_access_approver_id(self):
        for company in self:
            approver = company.customer_access_approver_id
            if approver and not approver.has_group("customer_policy.group_director"):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot decide requests for other departments' "
                        "customers: choose a Director as general manager.",
                        user=approver.name,
                    )
                )

    # Agreements and the payment ledger (合作协议与合作款项台账)
    customer_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (days)",
        default=60,
        help="Days before an agreement ends when its owner is reminded to discuss "
        "the renewal (default of new agreements).",
    )
    customer_collection_owner_days = fields.Integer(
        string="Collection: Owner After (days)",
        default=1,
        help="Days overdue after which the owner gets a collection activity.",
    )
    customer_collection_manager_days = fields.Integer(
        string="Collection: Manager After (days)",
        default=30,
        help="Days overdue after which the department manager gets one.",
    )
    customer_collection_director_days = fields.Integer(
        string="Collection: Director and Legal After (days)",
        default=60,
        help="Days overdue after which a Director and Legal get one.",
    )

    @api.constrains(
        "customer_renewal_reminder_days",
        "customer_collection_owner_days",
        "customer_collection_manager_days",
        "customer_collection_director_days",
    )
    def _check_customer_ledger_days(self):
        for company in self:
            levels = (
                company.customer_collection_owner_days,
                company.customer_collection_manager_days,
                company.customer_collection_director_days,
            )
            if company.customer_renewal_reminder_days < 0 or min(levels) < 1:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the collection escalation needs at least one "
                        "day overdue per level, and the renewal reminder cannot be "
                        "negative.",
                        company=company.name,
                    )
                )
            if not levels[0] < levels[1] < levels[2]:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the collection escalation must go owner, then "
                        "manager, then Director and Legal, each after more days "
                        "overdue than the one before.",
                        company=company.name,
                    )
                )

    # Visits and return visits (客户拜访与回访)
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
        for company in self:
            if company.customer_visit_reminder_days < 0 or (
                min(
                    company.customer_visit_contact_days,
                    company.customer_return_first_interval,
                    company.customer_return_later_interval,
                )
                < 1
                or company.customer_return_first_months < 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the contact interval and the return-visit "
                        "intervals must be at least 1, the reminder days and the "
                        "first phase cannot be negative.",
                        company=company.name,
                    )
                )

    # --- Complaints and service requests (客户投诉与服务) ---------------------
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
        for company in self:
            if (
                company.complaint_major_hours <= 0
                or company.complaint_normal_hours <= 0
                or company.complaint_contact_days < 1
                or company.complaint_reopen_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The complaint limits of %(company)s must be positive: "
                        "response hours above zero, at least one working day to "
                        "contact the customer.",
                        company=company.name,
                    )
                )
