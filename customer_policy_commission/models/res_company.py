from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    commission_date_start = fields.Date(
        string="Commission From",
        help="Money collected before this date earns no commission: set it to the "
        "go-live date, so that the first payment after it does not pay the "
        "commission of the collections made before the policy. Empty: every "
        "collection counts.",
    )
    commission_operations_team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Operations Department",
        check_company=True,
        help="The department whose pool receives the operations share of the "
        "commission; its leader confirms the pool's monthly statement. Empty: a "
        "Director confirms it.",
    )
    commission_approver_id = fields.Many2one(
        comodel_name="res.users",
        domain=[("share", "=", False)],
        help="The Director who approves the confirmed commission statements. Empty: "
        "the first Director of the company.",
    )

    @api.constrains("commission_approver_id")
    def _check_commission_approver_id(self):
        for company in self:
            approver = company.commission_approver_id
            if approver and not approver.has_group("customer_policy.group_director"):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot approve commission statements: choose a "
                        "Director of the Customer Policy.",
                        user=approver.name,
                    )
                )

    def _commission_approver(self, excluded=None):
        """The Director who approves this company's statements (not ``excluded``:
        nobody approves their own commission)."""
        self.ensure_one()
        if self.commission_approver_id and self.commission_approver_id != excluded:
            return self.commission_approver_id
        directors = self.env["res.users"]._customer_policy_directors(self)
        return (directors - excluded)[:1] if excluded else directors[:1]
