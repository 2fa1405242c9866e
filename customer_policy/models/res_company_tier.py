from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of customer grading (客户分级)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

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

    @api.constrains("customer_tier_grace_days")
    def _check_customer_tier_grace_days(self):
        self._customer_policy_check_settings(
            lambda company: company.customer_tier_grace_days >= 0,
            lambda company: self.env._(
                "The tier downgrade grace period of %(company)s cannot be negative.",
                company=company.name,
            ),
        )

    @api.constrains("customer_tier_approver_id")
    def _check_customer_tier_approver_id(self):
        self._customer_policy_check_settings(
            lambda company: self._customer_policy_no_one_or_director(
                company.customer_tier_approver_id
            ),
            lambda company: self.env._(
                "The tier proposal approver %(user)s must be a Director.",
                user=company.customer_tier_approver_id.name,
            ),
        )

    def _customer_tier_approver_domain(self):
        directors = self.env.ref(
            "customer_policy.group_director", raise_if_not_found=False
        )
        return [("share", "=", False)] + (
            [("groups_id", "in", directors.ids)] if directors else []
        )
