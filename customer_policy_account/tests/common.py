"""Shared fixtures of the invoicing bridge's tests.

``InstallmentInvoiceCase`` adds to the ledger's fixtures of ``customer_policy``
(a customer of ``user_sales``, role users, ``_agreement``, ``_activate``) the people
who work with invoices: ``user_billing`` (Finance with the Invoicing rights: makes
and posts the installments' invoices) and ``user_accountant`` (Invoicing only, no
role under the policy: registers and reconciles payments), and helpers that do
what they do on screen: register a payment, remove a reconciliation, issue a
credit note.
"""

from odoo.tests import Form, new_test_user

from odoo.addons.customer_policy.tests.common import CustomerLedgerCase


class InstallmentInvoiceCase(CustomerLedgerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_billing = new_test_user(
            cls.env,
            login="cp_billing",
            name="Finance Billing",
            groups="customer_policy.group_finance,account.group_account_invoice",
        )
        cls.user_accountant = new_test_user(
            cls.env,
            login="cp_accountant",
            name="Accountant",
            groups="account.group_account_invoice",
        )
        cls.bank_journal = cls.env["account.journal"].search(
            [
                *cls.env["account.journal"]._check_company_domain(cls.company),
                ("type", "=", "bank"),
            ],
            limit=1,
        )
        cls.company.customer_ledger_manual_payments = True
        cls.company.customer_installment_invoice_auto = False

    def _active_agreement(self, parts=(("2026-03-31", 1000.0),), **vals):
        return self._activate(self._agreement(parts=parts, **vals))

    def _invoice(self, installment, post=True):
        """Finance invoices the installment and, unless told not to, posts it."""
        installment.with_user(self.user_billing).action_create_invoice()
        invoice = installment.invoice_id
        if post:
            invoice.with_user(self.user_billing).action_post()
        return invoice

    def _register_payment(self, invoice, amount, date, user=None, **vals):
        """The accountant registers a payment on the invoice (Register Payment)."""
        wizard = (
            self.env["account.payment.register"]
            .with_user(user or self.user_accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": date,
                    "journal_id": self.bank_journal.id,
                    **vals,
                }
            )
        )
        return wizard.action_create_payments()

    def _unreconcile(self, invoice, counterpart):
        """Remove the reconciliation of ``counterpart`` (a payment's move or a
        credit note) from the invoice, as its payment widget does."""
        partial = invoice.line_ids.matched_credit_ids.filtered(
            lambda p: p.credit_move_id.move_id == counterpart
        )
        self.assertEqual(len(partial), 1)
        invoice.with_user(self.user_accountant).js_remove_outstanding_partial(
            partial.id
        )

    def _credit_note(self, invoice, amount, date):
        """The accountant issues a credit note of ``amount`` for the invoice and
        posts it."""
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Discount agreed",
                    "date": date,
                    "journal_id": invoice.journal_id.id,
                }
            )
        )
        action = reversal.refund_moves()
        credit_note = self.env["account.move"].browse(action["res_id"])
        with (
            Form(credit_note.with_user(self.user_accountant)) as form,
            form.invoice_line_ids.edit(0) as line,
        ):
            line.price_unit = amount
        # Posted, a credit note of the invoice settles it at once.
        credit_note.with_user(self.user_accountant).action_post()
        return credit_note

    def assertLedgerFollows(self, invoice):
        """The installment received what the invoice was paid, no more, no less,
        and only through payments recorded from Accounting."""
        installment = invoice.customer_agreement_installment_id
        paid = invoice.amount_total - invoice.amount_residual
        self.assertAlmostEqual(installment.amount_received, paid)
        self.assertAlmostEqual(installment.amount_residual, invoice.amount_residual)
        posted = self.env["customer.payment"].search(
            [("partner_id", "=", installment.partner_id.id), ("state", "=", "posted")]
        )
        self.assertTrue(all(posted.mapped("invoice_id")), "no payment typed by hand")
        self.assertAlmostEqual(
            sum(posted.filtered(lambda p: p.invoice_id == invoice).mapped("amount")),
            paid,
        )
