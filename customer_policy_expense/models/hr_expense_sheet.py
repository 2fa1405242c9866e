from odoo import api, fields, models

from .hr_expense import CHECKED_APPROVAL_STATES


class HrExpenseSheet(models.Model):
    """The policy's reimbursement rule is checked when a report is submitted and
    again when it is approved, whatever the way (buttons, the duplicate warning,
    an import): both write the report's approval state."""

    _inherit = "hr.expense.sheet"

    customer_policy_refusal = fields.Text(
        string="Not Reimbursable",
        compute="_compute_customer_policy_refusal",
        help="The expenses of the report the customer management policy does not "
        "reimburse, and why.",
    )

    @api.depends("expense_line_ids.customer_policy_refusal")
    @api.depends_context("lang")
    def _compute_customer_policy_refusal(self):
        for sheet in self:
            reasons = sheet.expense_line_ids.filtered("customer_policy_refusal").mapped(
                "customer_policy_refusal"
            )
            sheet.customer_policy_refusal = "\n".join(reasons) or False

    @api.model_create_multi
    def create(self, vals_list):
        sheets = super().create(vals_list)
        sheets.filtered(
            lambda s: s.approval_state in CHECKED_APPROVAL_STATES
        ).expense_line_ids._customer_policy_check_reimbursable()
        return sheets

    def write(self, vals):
        result = super().write(vals)
        if vals.get("approval_state") in CHECKED_APPROVAL_STATES:
            self.expense_line_ids._customer_policy_check_reimbursable()
        return result

    def action_customer_policy_override(self):
        """The Director's override of the report's expenses the policy refuses."""
        return self.expense_line_ids.filtered(
            "customer_policy_refusal"
        ).action_customer_policy_override()
