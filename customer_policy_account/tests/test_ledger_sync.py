from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import InstallmentInvoiceCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestLedgerSync(InstallmentInvoiceCase):
    """Accounting is the source: the ledger records what its reconciliations do."""

    def _ledger_payments(self, invoice, state="posted"):
        return self.env["customer.payment"].search(
            [("invoice_id", "=", invoice.id), ("state", "=", state)], order="id"
        )

    def test_payments_reversal_and_credit_note(self):
        """Invoice 1,000; 300 paid; 200 more; the 200 unreconciled; a credit note of
        700: after each step the installment received what the invoice was paid."""
        agreement = self._active_agreement()
        installment = agreement.installment_ids
        invoice = self._invoice(installment)
        self.assertLedgerFollows(invoice)
        self.assertEqual(installment.amount_received, 0.0)

        self._register_payment(invoice, 300.0, "2026-03-05")
        self.assertLedgerFollows(invoice)
        self.assertEqual(installment.amount_received, 300.0)
        self.assertEqual(installment.state, "partial")
        first = self._ledger_payments(invoice)
        self.assertRecordValues(
            first,
            [
                {
                    "partner_id": self.customer.id,
                    "agreement_id": agreement.id,
                    "amount": 300.0,
                    "amount_unallocated": 0.0,
                    "currency_id": agreement.currency_id.id,
                }
            ],
        )
        self.assertEqual(str(first.date), "2026-03-05")
        payment_move = first.account_move_id
        self.assertEqual(first.reference, payment_move.name)
        self.assertEqual(first.allocation_ids.installment_id, installment)

        self._register_payment(invoice, 200.0, "2026-03-10")
        self.assertLedgerFollows(invoice)
        self.assertEqual(installment.amount_received, 500.0)
        second = self._ledger_payments(invoice) - first
        self.assertEqual(second.amount, 200.0)
        self.assertEqual(str(second.date), "2026-03-10")

        self._unreconcile(invoice, second.account_move_id)
        self.assertLedgerFollows(invoice)
        self.assertEqual(installment.amount_received, 300.0)
        self.assertEqual(second.state, "cancelled")
        self.assertFalse(second.allocation_ids)
        self.assertFalse(second.account_partial_reconcile_id)

        with freeze_time("2026-03-15"):
            credit_note = self._credit_note(invoice, 700.0, "2026-03-15")
        self.assertLedgerFollows(invoice)
        self.assertEqual(installment.amount_received, 1000.0)
        self.assertEqual(installment.amount_residual, 0.0)
        self.assertEqual(installment.state, "paid")
        self.assertEqual(agreement.amount_received, 1000.0)
        self.assertEqual(agreement.amount_due, 0.0)
        by_credit_note = self._ledger_payments(invoice) - first
        self.assertEqual(by_credit_note.account_move_id, credit_note)
        self.assertEqual(by_credit_note.amount, 700.0)
        self.assertEqual(str(by_credit_note.date), "2026-03-15")
        # The cancelled one stays for the audit trail.
        self.assertEqual(self._ledger_payments(invoice, "cancelled"), second)

    def test_foreign_currency_in_the_invoice_currency(self):
        """An invoice in euros of a company in another currency (dollars, or yuan
        with the Chinese chart): the ledger counts euros, whatever the payment's
        currency; exchange differences are no payment."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        # Rates in euros per unit of the company's currency (its own rate 1, even
        # where demo data rates it against the dollar): 1,000 EUR is 2,000 on the
        # 1st, 2,500 on the 10th.
        self.env["res.currency.rate"].create(
            [
                {
                    "currency_id": self.company.currency_id.id,
                    "name": "2026-03-01",
                    "rate": 1.0,
                },
                {"currency_id": eur.id, "name": "2026-03-01", "rate": 0.5},
                {"currency_id": eur.id, "name": "2026-03-10", "rate": 0.4},
            ]
        )
        agreement = self._active_agreement(currency_id=eur.id)
        installment = agreement.installment_ids
        invoice = self._invoice(installment)
        self.assertEqual(invoice.currency_id, eur)

        self._register_payment(invoice, 400.0, "2026-03-10", currency_id=eur.id)
        # 1,500 in the company's currency = 600 EUR at 0.4 euro per unit.
        own = self.company.currency_id
        self._register_payment(invoice, 1500.0, "2026-03-10", currency_id=own.id)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertTrue(
            invoice.line_ids.matched_credit_ids.exchange_move_id,
            "the rate changed: Accounting booked exchange differences",
        )
        self.assertLedgerFollows(invoice)
        payments = self._ledger_payments(invoice)
        self.assertEqual(payments.mapped("amount"), [400.0, 600.0])
        self.assertEqual(payments.currency_id, eur)
        self.assertEqual(installment.amount_received, 1000.0)

    def test_one_payment_for_several_invoices(self):
        """One bank payment of two installments' invoices: each installment gets
        its part."""
        agreement = self._active_agreement(
            parts=(("2026-03-31", 600.0), ("2026-04-30", 400.0))
        )
        first, second = agreement.installment_ids.sorted("due_date")
        invoices = self._invoice(first) | self._invoice(second)
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.user_accountant)
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "payment_date": "2026-03-20",
                    "journal_id": self.bank_journal.id,
                    "group_payment": True,
                }
            )
        )
        wizard.action_create_payments()
        for invoice in invoices:
            self.assertLedgerFollows(invoice)
        self.assertEqual(first.amount_received, 600.0)
        self.assertEqual(second.amount_received, 400.0)
        self.assertEqual(agreement.amount_received, 1000.0)

    def test_recorded_payments_are_posted_and_cancelled_like_any(self):
        """What other addons hang on posting and cancelling a ledger payment
        (commission) follows the payments Accounting records too."""
        invoice = self._invoice(self._active_agreement().installment_ids)
        Payment = type(self.env["customer.payment"])
        post, cancel = Payment.action_post, Payment.action_cancel
        calls = []

        def posting(payments):
            calls.append(("post", payments.mapped("amount")))
            return post(payments)

        def cancelling(payments):
            calls.append(("cancel", payments.mapped("amount")))
            return cancel(payments)

        self.patch(Payment, "action_post", posting)
        self.patch(Payment, "action_cancel", cancelling)
        self._register_payment(invoice, 300.0, "2026-03-05")
        self._register_payment(invoice, 200.0, "2026-03-10")
        second = self._ledger_payments(invoice)[1]
        self._unreconcile(invoice, second.account_move_id)
        self.assertEqual(
            calls, [("post", [300.0]), ("post", [200.0]), ("cancel", [200.0])]
        )
        self.assertLedgerFollows(invoice)

    def test_reset_to_draft_reverses_and_cancel_frees_the_installment(self):
        agreement = self._active_agreement()
        installment = agreement.installment_ids
        invoice = self._invoice(installment)
        self._register_payment(invoice, 250.0, "2026-03-05")
        self.assertEqual(installment.amount_received, 250.0)

        invoice.with_user(self.user_billing).button_draft()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(installment.amount_received, 0.0)
        self.assertFalse(self._ledger_payments(invoice))
        self.assertEqual(installment.invoice_id, invoice, "a draft still bills it")

        invoice.with_user(self.user_billing).button_cancel()
        self.assertFalse(installment.invoice_id)
        self.assertEqual(installment.invoice_ids, invoice)
        again = self._invoice(installment, post=False)
        self.assertNotEqual(again, invoice)
        self.assertEqual(installment.invoice_ids, invoice | again)
        self.assertEqual(again.amount_total, 1000.0)

    def test_invoice_bills_what_is_still_due(self):
        """Money recorded by hand before the invoice is not billed again; the
        invoice's payments then settle the rest exactly."""
        agreement = self._active_agreement()
        installment = agreement.installment_ids
        self._pay(300.0, agreement=agreement, date="2026-02-20")
        self.assertEqual(installment.amount_residual, 700.0)
        invoice = self._invoice(installment)
        self.assertEqual(invoice.amount_total, 700.0)
        self._register_payment(invoice, 700.0, "2026-03-05")
        self.assertEqual(installment.amount_received, 1000.0)
        self.assertEqual(installment.state, "paid")

    def test_posting_refused_when_the_invoice_differs(self):
        """Finance may adjust the draft, but not bill more or less than is due,
        nor in another currency: nothing is posted."""
        agreement = self._active_agreement()
        invoice = self._invoice(agreement.installment_ids, post=False)
        with (
            Form(invoice.with_user(self.user_billing)) as form,
            form.invoice_line_ids.edit(0) as line,
        ):
            line.price_unit = 1200.0
        with self.assertRefused(
            UserError, r"totals .*1,200\.00.*1,000\.00 is still due"
        ):
            invoice.with_user(self.user_billing).action_post()
        self.assertEqual(invoice.state, "draft")

        tax_included = self.env["account.tax"].create(
            {
                "name": "VAT 13% included",
                "amount": 13.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        with (
            Form(invoice.with_user(self.user_billing)) as form,
            form.invoice_line_ids.edit(0) as line,
        ):
            line.price_unit = 1000.0
            line.tax_ids.add(tax_included)
        invoice.with_user(self.user_billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 1000.0)
        # 1,000 / 1.13 = 884.96 untaxed, 115.04 of VAT.
        self.assertEqual(invoice.amount_untaxed, 884.96)

    def test_posting_refused_in_another_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        agreement = self._active_agreement()
        invoice = self._invoice(agreement.installment_ids, post=False)
        invoice.with_user(self.user_billing).currency_id = eur
        currency = agreement.currency_id.name
        with self.assertRefused(UserError, rf"must be in {currency}, the currency"):
            invoice.with_user(self.user_billing).action_post()

    def test_the_links_are_the_ledgers(self):
        """Nobody links an invoice or a ledger payment by hand, nor cancels a
        payment recorded from Accounting."""
        agreement = self._active_agreement()
        installment = agreement.installment_ids
        invoice = self._invoice(installment)
        self._register_payment(invoice, 100.0, "2026-03-05")
        payment = self._ledger_payments(invoice)
        other = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 1.0})],
            }
        )
        with self.assertRefused(UserError, r"only by invoicing the installment"):
            other.with_user(self.user_billing).write(
                {"customer_agreement_installment_id": installment.id}
            )
        with self.assertRefused(UserError, r"recorded from Accounting"):
            payment.with_user(self.user_finance).write({"invoice_id": other.id})
        with self.assertRefused(UserError, r"recorded from Accounting"):
            self.env["customer.payment"].with_user(self.user_finance).create(
                {
                    "partner_id": self.customer.id,
                    "agreement_id": agreement.id,
                    "amount": 900.0,
                    "invoice_id": invoice.id,
                }
            )
        with self.assertRefused(UserError, r"remove that reconciliation"):
            payment.with_user(self.user_finance).action_cancel()
        self.assertEqual(payment.state, "posted")
        self.assertEqual(installment.amount_received, 100.0)
