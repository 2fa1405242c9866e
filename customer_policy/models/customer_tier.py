from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerTier(models.Model):
    _name = "customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable key other rules and integrations refer to, e.g. 'strategic'.",
    )
    sequence = fields.Integer(default=10, help="Rank: the most important tier first.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to share the tier between all companies.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
    )
    min_annual_amount = fields.Monetary(
        string="Minimum Annual Contract Amount",
        currency_field="currency_id",
        help="Customers whose contracts of the last 12 months reach this amount "
        "are suggested for this tier.",
    )
    visit_min_count = fields.Integer(
        string="Minimum Visits",
        default=1,
        help="Visits a customer of this tier must receive in each period.",
    )
    visit_period = fields.Selection(
        selection=[("month", "Month"), ("quarter", "Quarter")],
        default="quarter",
        required=True,
    )
    requires_project_team = fields.Boolean(
        help="Customers of this tier are served by a dedicated project team."
    )
    requires_senior_owner = fields.Boolean(
        help="Customers of this tier are owned by a senior salesperson."
    )
    complaint_response_hours = fields.Float(
        string="Complaint Response (working hours)",
        help="First response limit for this tier's complaints, in working hours; "
        "0 means the severity's limit applies.",
    )
    director_approval = fields.Boolean(
        string="Reserved to Directors",
        help="Only a Director moves customers into or out of this tier; the monthly "
        "re-grading proposes an upgrade to it instead of applying it.",
    )
    partner_count = fields.Integer(
        string="Customers",
        compute="_compute_partner_count",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("customer_tier_id", "in", self.ids)],
                groupby=["customer_tier_id"],
                aggregates=["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        for tier in self:
            duplicate = self.with_context(active_test=False).search_count(
                [
                    ("id", "!=", tier.id),
                    ("code", "=", tier.code),
                    ("company_id", "in", [False, tier.company_id.id]),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "Another tier already has the code %(code)s.", code=tier.code
                    )
                )

    @api.constrains("visit_min_count", "complaint_response_hours", "min_annual_amount")
    def _check_non_negative(self):
        for tier in self:
            if (
                tier.visit_min_count < 0
                or tier.complaint_response_hours < 0
                or tier.min_annual_amount < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s: visits, response hours and amounts cannot be "
                        "negative.",
                        tier=tier.name,
                    )
                )

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_policy_customer_by_tier"
        )
        action["domain"] = [("customer_tier_id", "=", self.id)]
        # New opens a draft: only Register makes it a customer (备案).
        action["context"] = {"default_is_company": True}
        return action

    def _customer_policy_rank(self):
        """Sort key of a tier: the most important first (lowest sequence)."""
        self.ensure_one()
        return (self.sequence, self.id)
