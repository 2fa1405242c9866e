from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Set while the agreement writes its credits as a whole: the total is checked once
# all of them are written, not after each line.
CREDITS_BATCH = "customer_commission_credits_batch"


class CustomerCommissionCredit(models.Model):
    _name = "customer.commission.credit"
    _description = "Commission Credit of an Agreement"
    _order = "agreement_id, share desc, id"
    _rec_name = "user_id"

    agreement_id = fields.Many2one(
        comodel_name="customer.agreement",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Credited To",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("share", "=", False)],
    )
    share = fields.Float(
        string="Share (%)",
        digits=(16, 2),
        required=True,
        default=100.0,
        help="Percent of the salespeople's commission of the agreement; the shares "
        "of an agreement add up to 100.",
    )
    reason = fields.Char(
        help="Why this colleague is credited: the developer, the mentor of a new "
        "salesperson, the colleague who invited the customer, a shared walk-in."
    )

    _sql_constraints = (
        (
            "user_unique",
            "unique(agreement_id, user_id)",
            "A colleague is credited once per agreement: give them one share.",
        ),
    )

    @api.constrains("share")
    def _check_share(self):
        for credit in self:
            if credit.share <= 0 or credit.share > 100:
                raise ValidationError(
                    self.env._(
                        "The share of %(user)s must be more than 0 and at most 100.",
                        user=credit.user_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        credits = super().create(vals_list)
        credits._commission_after_change(credits.agreement_id)
        return credits

    def write(self, vals):
        agreements = self.agreement_id
        result = super().write(vals)
        self._commission_after_change(agreements | self.agreement_id)
        return result

    def unlink(self):
        agreements = self.agreement_id
        result = super().unlink()
        self._commission_after_change(agreements.exists())
        return result

    def _commission_after_change(self, agreements):
        """Credits changed one by one (not through their agreement): check the total
        and bring the commission lines in line."""
        if self.env.context.get(CREDITS_BATCH) or not agreements:
            return
        agreements._commission_check_credits()
        agreements._commission_refresh()
