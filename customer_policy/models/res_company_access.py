from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of information security (客户信息安全)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

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
        self._customer_policy_check_settings(
            lambda company: (
                company.customer_access_duration_days >= 1
                and company.customer_access_log_retention_days >= 1
            ),
            lambda company: self.env._(
                "%(company)s: the access grant duration and the access log "
                "retention must be at least one day.",
                company=company.name,
            ),
        )

    @api.constrains("customer_access_approver_id")
    def _check_customer_access_approver_id(self):
        self._customer_policy_check_settings(
            lambda company: self._customer_policy_no_one_or_director(
                company.customer_access_approver_id
            ),
            lambda company: self.env._(
                "%(user)s cannot decide requests for other departments' "
                "customers: choose a Director as general manager.",
                user=company.customer_access_approver_id.name,
            ),
        )
