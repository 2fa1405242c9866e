from odoo import api, fields, models
from odoo.tools import SQL, ormcache

from ..tools.archive import DEFAULT_REQUIRED_FIELDS


class ResCompany(models.Model):
    """Settings of the customer archive and its registration (备案)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    customer_registration_days = fields.Integer(
        string="Registration Deadline (working days)",
        default=5,
        help="A new customer must be registered in the archive within this many "
        "working days of the first contact.",
    )
    customer_registration_reminder_days = fields.Integer(
        string="Registration Reminders (working days)",
        default=3,
        help="A customer still not registered past its deadline: its owner is "
        "reminded on the deadline and again every this many working days; the "
        "owner's manager is told at the second reminder.",
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

    @api.constrains("customer_registration_days", "customer_registration_reminder_days")
    def _check_customer_registration_days(self):
        self._customer_policy_check_settings(
            lambda company: company.customer_registration_days >= 1,
            lambda company: self.env._(
                "The registration deadline of %(company)s must be at least "
                "one working day.",
                company=company.name,
            ),
        )
        self._customer_policy_check_settings(
            lambda company: company.customer_registration_reminder_days >= 1,
            lambda company: self.env._(
                "The registration reminders of %(company)s must come at least "
                "one working day apart.",
                company=company.name,
            ),
        )

    @api.constrains("customer_archive_stale_months")
    def _check_customer_archive_stale_months(self):
        self._customer_policy_check_settings(
            lambda company: company.customer_archive_stale_months >= 0,
            lambda company: self.env._(
                "The stale-archive period of %(company)s cannot be negative.",
                company=company.name,
            ),
        )

    def write(self, vals):
        result = super().write(vals)
        if "customer_registration_required_fields" in vals:
            self.env.registry.clear_cache()
        recompute = []
        if {"customer_registration_days", "resource_calendar_id"} & set(vals):
            recompute.append("registration_deadline")
        if "customer_registration_required_fields" in vals:
            recompute.append("archive_completeness")
        # At install the partners' initialisation computes them after.
        if recompute and not self.env.context.get("customer_policy_install"):
            self._customer_policy_recompute_partners(recompute)
        return result

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
        return list(self._customer_policy_required_field_names(self.id))

    @api.model
    @ormcache("company_id")
    def _customer_policy_required_field_names(self, company_id):
        # The form of every customer, each registration and each completeness
        # computation ask it: read once per company until the setting changes
        # (write clears it).
        field = self._fields["customer_registration_required_fields"]
        chosen = {
            name
            for (name,) in self.env.execute_query(
                SQL(
                    "SELECT f.name FROM %s r JOIN ir_model_fields f ON f.id = r.%s "
                    "WHERE r.%s = %s AND f.model = %s",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column2),
                    SQL.identifier(field.column1),
                    company_id,
                    "res.partner",
                    to_flush=field,
                )
            )
        }
        return tuple(
            name
            for name in self.env["res.partner"]._customer_policy_archive_fields()
            if name in chosen
        )

    def _customer_policy_recompute_partners(self, names):
        """Recompute the archive fields ``names`` of the companies' customers after
        a change of their settings. Partners without a company follow the main
        company's settings."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        domain = [("is_company", "=", True)]
        if self.env.company in self:
            domain.append(("company_id", "in", [False, *self.ids]))
        else:
            domain.append(("company_id", "in", self.ids))
        for name in names:
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
        Partner.flush_model(names)
