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
