from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInvoiceUi(HttpCase):
    def test_installment_invoice_tour(self):
        """Finance invoices the next installment from the agreement and posts it."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        new_test_user(
            env,
            login="cp_tour_billing",
            name="Tour Billing",
            groups="customer_policy.group_finance,account.group_account_invoice",
        )
        customer = env["res.partner"].create(
            {
                "name": "开票导览客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
            }
        )
        agreement = env["customer.agreement"].create(
            {
                "partner_id": customer.id,
                "title": "Annual maintenance",
                "amount_total": 3000.0,
                "installment_ids": [
                    Command.create({"due_date": "2027-01-31", "amount": 1000.0}),
                    Command.create({"due_date": "2027-04-30", "amount": 2000.0}),
                ],
            }
        )
        agreement.sudo().write({"state": "approved", "name": "HT-TOUR-0001"})
        self.start_tour(
            f"/odoo/action-customer_policy.action_customer_agreement/{agreement.id}",
            "customer_installment_invoice_tour",
            login="cp_tour_billing",
        )
        first = agreement.installment_ids.sorted("due_date")[0]
        self.assertEqual(first.invoice_id.state, "posted")
        self.assertEqual(first.invoice_id.amount_total, 1000.0)
        self.assertEqual(first.invoice_id.ref, "HT-TOUR-0001")
