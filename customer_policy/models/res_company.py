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
