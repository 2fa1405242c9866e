from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.vals import check_input


class CustomerCollectionAction(models.Model):
    _name = "customer.collection.action"
    _description = "Collection Action (催款记录)"
    _inherit = "customer.policy.customer.mixin"
    _order = "date desc, id desc"

    installment_id = fields.Many2one(
        comodel_name="customer.agreement.installment",
        required=True,
        ondelete="cascade",
        index=True,
    )
    agreement_id = fields.Many2one(
        related="installment_id.agreement_id", store=True, index=True
    )
    # The installment's: an action chases the money of its installment.
    partner_id = fields.Many2one(
        related="installment_id.partner_id", store=True, required=False, tracking=None
    )
    company_id = fields.Many2one(
        related="installment_id.company_id", store=True, required=False, default=None
    )
    currency_id = fields.Many2one(related="installment_id.currency_id")
    amount_residual = fields.Monetary(
        related="installment_id.amount_residual", string="Amount Due"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    action_type = fields.Selection(
        selection=[
            ("call", "Phone Call"),
            ("visit", "Visit"),
            ("letter", "Reminder Letter"),
            ("legal", "Legal Action"),
        ],
        string="Action",
        required=True,
        default="call",
    )
    # Who chased the money: whoever records the action.
    user_id = fields.Many2one(
        string="By",
        compute=None,
        required=True,
        default=lambda self: self.env.user,
        index=False,
        help=None,
    )
    customer_reason = fields.Text(
        string="Customer's Reason", help="Why the customer has not paid."
    )
    promised_date = fields.Date(help="When the customer promised to pay.")
    result = fields.Text()

    @api.depends("action_type", "installment_id", "date")
    def _compute_display_name(self):
        # In the reader's language: "电话催款 HT2026-0001 … 2026-05-01".
        labels = dict(self._fields["action_type"]._description_selection(self.env))
        for action in self:
            action.display_name = " ".join(
                part
                for part in (
                    labels.get(action.action_type, ""),
                    action.installment_id.sudo().display_name or "",
                    fields.Date.to_string(action.date) if action.date else "",
                )
                if part
            )

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        # The rules let anyone write down their own actions: the installment
        # itself is what decides who may chase the money.
        if not self.env.su:
            installments = self.env["customer.agreement.installment"].browse(
                {
                    vals["installment_id"]
                    for vals in vals_list
                    if vals.get("installment_id")
                }
            )
            if installments._filtered_access("read") != installments:
                raise AccessError(
                    self.env._(
                        "You can only record collection actions on the installments "
                        "of customers you follow."
                    )
                )
        return super().create(vals_list)
