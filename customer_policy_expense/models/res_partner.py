from collections import defaultdict

from odoo import api, fields, models

# Expenses claimed: submitted, approved or paid (drafts and refused ones are not).
CLAIMED_STATES = ("submitted", "approved", "done")


class ResPartner(models.Model):
    """What was spent on the customer: hospitality, travel, gifts (客户费用)."""

    _inherit = "res.partner"

    customer_expense_count = fields.Integer(
        string="Expense Count", compute="_compute_customer_expenses"
    )
    customer_expense_total = fields.Monetary(
        string="Expenses",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_expenses",
        help="Expenses claimed for the customer (submitted, approved or paid) that "
        "you may read, in the company's currency.",
    )

    @api.depends_context("uid", "company")
    def _compute_customer_expenses(self):
        # With the reader's rights: the figures add up to the list the button
        # opens.
        today = fields.Date.context_today(self)
        counts, totals = defaultdict(int), defaultdict(float)
        for customer, company, count, total in self.env["hr.expense"]._read_group(
            [
                ("customer_partner_id", "in", self.commercial_partner_id.ids),
                ("state", "in", CLAIMED_STATES),
            ],
            ["customer_partner_id", "company_id"],
            ["__count", "total_amount:sum"],
        ):
            counts[customer] += count
            totals[customer, company] += total
        for partner in self:
            customer = partner.commercial_partner_id
            currency = partner.customer_policy_currency_id
            partner.customer_expense_count = counts[customer]
            partner.customer_expense_total = sum(
                company.currency_id._convert(
                    total, currency, partner._customer_policy_company(), today
                )
                for (owner, company), total in totals.items()
                if owner == customer
            )

    def action_view_customer_expenses(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_expense.action_customer_expense"
        )
        action["domain"] = [("customer_partner_id", "=", customer.id)]
        action["context"] = {
            **self.env["hr.expense"]._customer_policy_expense_defaults(customer),
            "search_default_claimed": 1,
        }
        return action
