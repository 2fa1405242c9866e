from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero


class CustomerCommissionRuleAdjustment(models.Model):
    _name = "customer.commission.rule.adjustment"
    _description = "Commission Rate Adjustment of a Renewal"
    _order = "rule_id, threshold desc, id"

    rule_id = fields.Many2one(
        comodel_name="customer.commission.rule",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    threshold = fields.Float(
        string="Change of Amount (%)",
        digits=(16, 2),
        required=True,
        help="+20: the renewal's first-year amount is at least 20 % above the "
        "previous agreement's; -20: at least 20 % below.",
    )
    rate_delta = fields.Float(
        string="Rate Change (points)",
        digits=(16, 2),
        help="Added to the rule's rate: +1 turns 3 % into 4 %, -1 into 2 %.",
    )

    _sql_constraints = (
        (
            "threshold_unique",
            "unique(rule_id, threshold)",
            "A rule has one adjustment per change of amount.",
        ),
    )

    @api.model_create_multi
    def create(self, vals_list):
        adjustments = super().create(vals_list)
        adjustments.rule_id._commission_apply_to_agreements()
        return adjustments

    def write(self, vals):
        rules = self.rule_id
        result = super().write(vals)
        (rules | self.rule_id)._commission_apply_to_agreements()
        return result

    def unlink(self):
        rules = self.rule_id
        result = super().unlink()
        rules._commission_apply_to_agreements()
        return result

    @api.constrains("threshold")
    def _check_threshold(self):
        for adjustment in self:
            if float_is_zero(adjustment.threshold, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "An adjustment starts at a rise of the amount (e.g. +20) or "
                        "a fall (e.g. -20), never at 0: without change the rule's own "
                        "rate applies."
                    )
                )
