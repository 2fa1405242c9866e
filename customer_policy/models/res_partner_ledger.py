from odoo import fields, models

from .customer_agreement import RECEIVABLE_STATES


class ResPartner(models.Model):
    """The customer's agreements and payment ledger (合作协议与合作款项台账)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_agreement_ids = fields.One2many(
        comodel_name="customer.agreement",
        inverse_name="partner_id",
        string="Agreements",
    )
    customer_agreement_count = fields.Integer(
        string="Agreement Count", compute="_compute_customer_policy_counts"
    )
    customer_amount_due = fields.Monetary(
        string="Amount Due",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
        help="Installments of the customer's approved agreements not paid yet.",
    )
    customer_amount_received = fields.Monetary(
        string="Amount Received",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
    )
    customer_amount_overdue = fields.Monetary(
        string="Amount Overdue",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
    )
    customer_credit_amount = fields.Monetary(
        string="Unallocated Credit",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
        help="Received beyond the open installments.",
    )

    def _compute_customer_ledger(self):
        """The customer's ledger in the company currency, in two grouped reads."""
        customers = self.commercial_partner_id
        Installment = self.env["customer.agreement.installment"].sudo()
        Payment = self.env["customer.payment"].sudo()
        today = fields.Date.context_today(self)
        due, overdue, credit = {}, {}, {}

        def add(table, partner, currency, company, amount):
            table[partner.id] = table.get(partner.id, 0.0) + currency._convert(
                amount, company.currency_id, company, today
            )

        for partner, currency, company, state, residual in Installment._read_group(
            [
                ("partner_id", "in", customers.ids),
                ("agreement_state", "in", RECEIVABLE_STATES),
                ("state", "!=", "paid"),
            ],
            ["partner_id", "currency_id", "company_id", "state"],
            ["amount_residual:sum"],
        ):
            add(due, partner, currency, company, residual)
            if state == "overdue":
                add(overdue, partner, currency, company, residual)
        received = {}
        for partner, currency, company, amount, unallocated in Payment._read_group(
            [("partner_id", "in", customers.ids), ("state", "=", "posted")],
            ["partner_id", "currency_id", "company_id"],
            ["amount:sum", "amount_unallocated:sum"],
        ):
            add(received, partner, currency, company, amount)
            add(credit, partner, currency, company, unallocated)
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.customer_amount_due = due.get(key, 0.0)
            partner.customer_amount_overdue = overdue.get(key, 0.0)
            partner.customer_amount_received = received.get(key, 0.0)
            partner.customer_credit_amount = credit.get(key, 0.0)

    def _customer_policy_count_fields(self):
        return {
            **super()._customer_policy_count_fields(),
            "customer_agreement_count": "customer.agreement",
        }

    def action_view_customer_agreements(self):
        return self._customer_policy_records_action(
            "customer_policy.action_customer_agreement", field="partner_id"
        )

    def action_view_customer_payments(self):
        return self._customer_policy_records_action(
            "customer_policy.action_customer_payment", field="partner_id"
        )
