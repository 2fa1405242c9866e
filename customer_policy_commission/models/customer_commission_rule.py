from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

KINDS = [("new", "New Agreement"), ("renewal", "Renewal")]
# Before Legal's approval an agreement's rate follows its customer's tier and its
# amounts; from then on it is the rate of the signed agreement.
RATE_OPEN_STATES = ("draft", "legal_review")
# The agreement's fields computed from its rule.
RATE_FIELDS = (
    "commission_rule_id",
    "commission_amount_change",
    "commission_rate",
    "commission_operations_share",
)
# Changing these changes the rate of the agreements not fixed yet.
RULE_FIELDS = {
    "active",
    "company_id",
    "tier_id",
    "kind",
    "rate",
    "operations_share",
    "adjustment_ids",
}


class CustomerCommissionRule(models.Model):
    _name = "customer.commission.rule"
    _description = "Commission Rule"
    _order = "company_id, tier_id, kind, id"
    _rec_names_search = ("tier_id",)
    _check_company_auto = True

    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    tier_id = fields.Many2one(
        comodel_name="customer.tier",
        string="Customer Tier",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    kind = fields.Selection(
        selection=KINDS,
        required=True,
        default="new",
        help="New agreement: the customer's first agreement of a cooperation. "
        "Renewal: an agreement made by renewing the previous one; its rate follows "
        "the change of the amount.",
    )
    rate = fields.Float(
        string="Rate (%)",
        digits=(16, 2),
        required=True,
        help="Percent of the first year's amount, after the costs, paid as commission.",
    )
    operations_share = fields.Float(
        string="Operations Share (%)",
        digits=(16, 2),
        help="Percent of the commission that goes to the operations department's "
        "pool; the rest goes to the credited salespeople.",
    )
    adjustment_ids = fields.One2many(
        comodel_name="customer.commission.rule.adjustment",
        inverse_name="rule_id",
        string="Rate Adjustments",
        help="Renewals: the rate moves with the change of the first year's amount "
        "against the previous agreement.",
    )
    note = fields.Text()

    @api.depends("tier_id", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for rule in self:
            rule.display_name = (
                f"{rule.tier_id.name} · {kinds.get(rule.kind, '')}"
                if rule.tier_id
                else kinds.get(rule.kind, "")
            )

    @api.constrains("rate", "operations_share")
    def _check_percentages(self):
        for rule in self:
            for value in (rule.rate, rule.operations_share):
                if value < 0 or value > 100:
                    raise ValidationError(
                        self.env._(
                            "Commission rule %(rule)s: the rate and the operations "
                            "share are percentages between 0 and 100.",
                            rule=rule.display_name,
                        )
                    )

    @api.constrains("company_id", "tier_id", "kind", "active")
    def _check_unique(self):
        for rule in self.filtered("active"):
            if self.search_count(
                [
                    ("id", "!=", rule.id),
                    ("company_id", "=", rule.company_id.id),
                    ("tier_id", "=", rule.tier_id.id),
                    ("kind", "=", rule.kind),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s already has a commission rule for %(rule)s: "
                        "change that one, or archive it first.",
                        company=rule.company_id.name,
                        rule=rule.display_name,
                    )
                )

    @api.constrains("kind", "adjustment_ids")
    def _check_adjustments(self):
        for rule in self:
            if rule.kind != "renewal" and rule.adjustment_ids:
                raise ValidationError(
                    self.env._(
                        "Only a renewal rule adjusts its rate to the change of the "
                        "amount: remove the adjustments of %(rule)s.",
                        rule=rule.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._commission_apply_to_agreements()
        return rules

    def write(self, vals):
        result = super().write(vals)
        if RULE_FIELDS & set(vals):
            self._commission_apply_to_agreements()
        return result

    def _commission_apply_to_agreements(self):
        """Agreements whose rate is not fixed yet take the rules as they are now:
        drafts and those in Legal review, and agreements approved while no rule
        matched (as every agreement when the addon is installed).

        Nothing is booked here: what they earn is booked at their next payment
        (or when their commission is changed by hand).
        """
        agreements = (
            self.env["customer.agreement"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    "|",
                    ("state", "in", RATE_OPEN_STATES),
                    ("commission_rule_id", "=", False),
                ]
            )
        )
        for fname in RATE_FIELDS:
            self.env.add_to_compute(agreements._fields[fname], agreements)

    @api.model
    def _commission_rules_by_key(self, companies):
        """{(company id, tier id, kind): rule} of the active rules of ``companies``."""
        rules = self.sudo().search([("company_id", "in", companies.ids)])
        return {(r.company_id.id, r.tier_id.id, r.kind): r for r in rules}

    def _commission_adjusted_rate(self, change):
        """The rate of a renewal whose first-year amount changed by ``change`` percent
        against the previous agreement (``None``: no previous amount to compare).

        A positive threshold applies from that rise on, a negative one from that
        fall on; the furthest threshold reached wins, between them the base rate.
        """
        self.ensure_one()
        delta = 0.0
        if change is not None:
            raised = self.adjustment_ids.filtered(
                lambda a: (
                    a.threshold > 0
                    and float_compare(change, a.threshold, precision_digits=4) >= 0
                )
            )
            cut = self.adjustment_ids.filtered(
                lambda a: (
                    a.threshold < 0
                    and float_compare(change, a.threshold, precision_digits=4) <= 0
                )
            )
            if raised:
                delta = max(raised, key=lambda a: a.threshold).rate_delta
            elif cut:
                delta = min(cut, key=lambda a: a.threshold).rate_delta
        return max(self.rate + delta, 0.0)
