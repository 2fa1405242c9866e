from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CustomerExpenseOverride(models.TransientModel):
    """A Director has expenses reimbursed that the policy refuses, with a reason
    written on each of them."""

    _name = "customer.expense.override"
    _description = "Override the Policy on Customer Expenses"

    expense_ids = fields.Many2many(comodel_name="hr.expense", string="Expenses")
    reason = fields.Text(
        required=True,
        help="Why the expenses are reimbursed all the same: it stays on each of them.",
    )

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_policy.group_director"):
            raise AccessError(
                self.env._("Only a Director overrides the customer management policy.")
            )
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Write down why the policy is overridden."))
        expenses = self.expense_ids.sudo()
        expenses.write(
            {
                "customer_policy_override_reason": reason,
                "customer_policy_override_user_id": self.env.uid,
                "customer_policy_override_date": fields.Datetime.now(),
            }
        )
        for expense in expenses:
            expense.message_post(
                body=self.env._(
                    "Reimbursed although the policy refuses it, by decision of "
                    "%(director)s: %(reason)s",
                    director=self.env.user.name,
                    reason=reason,
                ),
                author_id=self.env.user.partner_id.id,
            )
        return {"type": "ir.actions.act_window_close"}
