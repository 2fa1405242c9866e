from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class CustomerAgreement(models.Model):
    _inherit = "customer.agreement"

    reception_visit_id = fields.Many2one(
        comodel_name="customer.reception.visit",
        string="Walk-in Visit",
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="The walk-in visit the agreement was signed from. When the sale closed "
        "the day of the visit, the commission is credited as the visit's bonus: "
        "50/50 between the salesperson who received a returning visitor and the "
        "colleague who served them before, else all to whoever served the visitor.",
    )

    @api.constrains("reception_visit_id", "partner_id")
    def _check_reception_visit(self):
        for agreement in self:
            # The visit may be another desk's: its customer is all that is read.
            visit = agreement.sudo().reception_visit_id
            if visit and visit.commercial_partner_id != agreement.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The walk-in of %(visitor)s on %(day)s is not a visit of "
                        "%(customer)s: pick a visit of the agreement's customer, or "
                        "link the visitor to the customer first.",
                        visitor=visit.visitor_name,
                        day=format_date(self.env, visit.visit_day),
                        customer=agreement.partner_id.display_name,
                    )
                )

    @api.model
    def _commission_origin_fields(self):
        return super()._commission_origin_fields() | {"reception_visit_id"}

    def _commission_origin_credits(self):
        """The walk-in visit's same-day deal split, with who received and who
        served the visitor as the reasons."""
        self.ensure_one()
        visit = self.sudo().reception_visit_id
        if not visit:
            return super()._commission_origin_credits()
        day = format_date(self.env, visit.deal_date)
        credits = []
        for user, share in visit._customer_policy_reception_credits():
            if user == visit.user_id:
                reason = self.env._(
                    "Served the walk-in %(visitor)s, deal closed on %(day)s",
                    visitor=visit.visitor_name,
                    day=day,
                )
            else:
                reason = self.env._(
                    "Received the walk-in %(visitor)s, deal closed on %(day)s",
                    visitor=visit.visitor_name,
                    day=day,
                )
            credits.append((user, share, reason))
        return credits
