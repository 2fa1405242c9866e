from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import InstallmentInvoiceCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestInstallmentInvoice(InstallmentInvoiceCase):
    def test_draft_invoice_of_the_installment(self):
        """Finance invoices an installment: a draft customer invoice of its amount,
        the agreement number as reference, linked both ways, nothing posted."""
        self.customer.property_payment_term_id = self.env.ref(
            "account.account_payment_term_30days"
        )
        agreement = self._active_agreement(
            parts=(("2026-03-31", 600.0), ("2026-06-30", 400.0))
        )
        first = agreement.installment_ids.sorted("due_date")[0]
        action = first.with_user(self.user_billing).action_create_invoice()
        invoice = first.invoice_id
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(action["res_id"], invoice.id)
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "draft",
                    "partner_id": self.customer.id,
                    "currency_id": agreement.currency_id.id,
                    "ref": agreement.name,
                    "invoice_origin": agreement.name,
                    "invoice_user_id": self.user_sales.id,
                    "amount_total": 600.0,
                    "amount_tax": 0.0,
                    "customer_agreement_installment_id": first.id,
                    "create_uid": self.user_billing.id,
                }
            ],
        )
        # Due when the installment is, not 30 days after the invoice.
        self.assertEqual(str(invoice.invoice_date_due), "2026-03-31")
        self.assertIn(agreement.name, invoice.invoice_line_ids.name)
        self.assertEqual(agreement.invoice_count, 1)
        self.assertEqual(first.invoice_ids, invoice)

        invoice.with_user(self.user_billing).action_post()
        self.assertEqual(str(invoice.invoice_date), "2026-03-01")
        self.assertEqual(str(invoice.invoice_date_due), "2026-03-31")
        self.assertEqual(str(first.invoice_date_due), "2026-03-31")
        self.assertEqual(first.invoice_amount_residual, 600.0)

    def test_invoice_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_policy_account"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"
        agreement = self._active_agreement()
        invoice = self._invoice(agreement.installment_ids, post=False)
        self.assertIn("期款", invoice.invoice_line_ids.name)
        self.assertIn("2026年03月31日", invoice.invoice_line_ids.name)

    def test_agreement_invoices_its_next_installment(self):
        agreement = self._active_agreement(
            parts=(("2026-03-31", 600.0), ("2026-06-30", 400.0))
        )
        first, second = agreement.installment_ids.sorted("due_date")
        agreement.with_user(self.user_billing).action_create_invoice()
        self.assertTrue(first.invoice_id)
        self.assertFalse(second.invoice_id)
        agreement.with_user(self.user_billing).action_create_invoice()
        self.assertTrue(second.invoice_id)
        self.assertEqual(agreement.invoice_count, 2)
        action = agreement.with_user(self.user_billing).action_view_invoices()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]),
            first.invoice_id | second.invoice_id,
        )
        with self.assertRefused(UserError, r"Every installment .* is invoiced"):
            agreement.with_user(self.user_billing).action_create_invoice()

    def test_what_cannot_be_invoiced(self):
        draft = self._agreement()
        with self.assertRefused(UserError, r"agreement is not approved"):
            draft.installment_ids.with_user(self.user_billing).action_create_invoice()

        agreement = self._active_agreement()
        installment = agreement.installment_ids
        invoice = self._invoice(installment, post=False)
        with self.assertRefused(UserError, r"already invoiced"):
            installment.with_user(self.user_billing).action_create_invoice()
        self.assertEqual(installment.invoice_ids, invoice)

        paid = self._active_agreement()
        self._pay(1000.0, agreement=paid)
        with self.assertRefused(UserError, r"is paid: there is nothing to invoice"):
            paid.installment_ids.with_user(self.user_billing).action_create_invoice()
        self.assertFalse(paid.installment_ids.invoice_ids)

    def test_who_invoices(self):
        """Finance with the Invoicing rights invoices; a Finance clerk without
        them is told what is missing; the other roles are refused."""
        agreement = self._active_agreement()
        installment = agreement.installment_ids
        for user in (self.user_sales, self.user_manager, self.user_director):
            with self.assertRefused(AccessError, r"Only Finance invoices"):
                installment.with_user(user).action_create_invoice()
        with self.assertRefused(AccessError, r"Invoicing rights"):
            installment.with_user(self.user_finance).action_create_invoice()
        with self.assertRefused(AccessError, r"Only Finance invoices"):
            installment.with_user(self.user_accountant).action_create_invoice()
        self.assertFalse(installment.invoice_ids)
        installment.with_user(self.user_billing).action_create_invoice()
        self.assertTrue(installment.invoice_id)

    def test_accountant_reconciles_a_confidential_customer(self):
        """An accountant with no role under the policy still reads the customer
        of an agreement, registers its payment, and the ledger follows."""
        agreement = self._active_agreement()
        invoice = self._invoice(agreement.installment_ids)
        customer = self.customer.with_user(self.user_accountant)
        self.assertEqual(customer.name, self.customer.name)
        other = self.env["res.partner"].create(
            {
                "name": "未签协议客户",
                "is_company": True,
                "customer_policy_managed": True,
            }
        )
        with self.assertRaises(AccessError):
            other.with_user(self.user_accountant).check_access("read")
        self._register_payment(invoice, 1000.0, "2026-03-10")
        self.assertEqual(agreement.installment_ids.state, "paid")
        self.assertLedgerFollows(invoice)

    def test_invoicing_rights_open_no_customer_to_a_salesperson(self):
        """Installing Invoicing gives every employee its rights: a salesperson
        who holds them still reads only the customers the policy lets them
        read, not every customer with an agreement."""
        self._active_agreement()
        self.user_sales_2.groups_id |= self.env.ref("account.group_account_invoice")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_sales_2).check_access("read")
        self.customer.with_user(self.user_sales).check_access("read")

    def test_salesperson_sees_the_invoice_state(self):
        agreement = self._active_agreement()
        installment = agreement.installment_ids
        invoice = self._invoice(installment)
        self._register_payment(invoice, 400.0, "2026-03-10")
        seen = installment.with_user(self.user_sales).read(
            ["invoice_id", "invoice_payment_state", "invoice_amount_residual"]
        )[0]
        self.assertEqual(seen["invoice_id"][0], invoice.id)
        self.assertEqual(seen["invoice_payment_state"], "partial")
        self.assertEqual(seen["invoice_amount_residual"], 600.0)
