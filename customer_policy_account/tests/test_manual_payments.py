from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import InstallmentInvoiceCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestManualPayments(InstallmentInvoiceCase):
    def test_settings_switch_manual_payments_off(self):
        """Off in Settings: Finance records no payment by hand, nor posts one
        drafted before; Accounting's payments still reach the ledger."""
        agreement = self._active_agreement(
            parts=(("2026-03-31", 600.0), ("2026-06-30", 400.0))
        )
        draft = (
            self.env["customer.payment"]
            .with_user(self.user_finance)
            .create(
                {
                    "partner_id": self.customer.id,
                    "agreement_id": agreement.id,
                    "amount": 100.0,
                }
            )
        )
        settings = Form(self.env["res.config.settings"])
        self.assertTrue(settings.customer_ledger_manual_payments)
        settings.customer_ledger_manual_payments = False
        settings.save().execute()
        self.assertFalse(self.company.customer_ledger_manual_payments)

        with self.assertRefused(UserError, r"records the payments received from"):
            self._pay(100.0, agreement=agreement)
        with self.assertRefused(UserError, r"records the payments received from"):
            draft.with_user(self.user_finance).action_post()
        self.assertEqual(draft.state, "draft")
        self.assertFalse(
            self.env["customer.payment"].search(
                [("partner_id", "=", self.customer.id), ("state", "=", "posted")]
            )
        )

        invoice = self._invoice(agreement.installment_ids.sorted("due_date")[0])
        self._register_payment(invoice, 600.0, "2026-03-10")
        self.assertLedgerFollows(invoice)
        self.assertEqual(agreement.amount_received, 600.0)

    def test_manual_payment_leaves_invoiced_installments_to_their_invoice(self):
        """With manual payments on, money typed into the ledger pays the
        installments not invoiced (oldest first): an invoiced one is paid by its
        invoice only, so the ledger and Accounting stay equal."""
        agreement = self._active_agreement(
            parts=(("2026-03-31", 600.0), ("2026-06-30", 400.0))
        )
        first, second = agreement.installment_ids.sorted("due_date")
        invoice = self._invoice(first)
        payment = self._pay(500.0, agreement=agreement)
        self.assertEqual(payment.allocation_ids.installment_id, second)
        self.assertEqual(second.amount_received, 400.0)
        self.assertEqual(payment.amount_unallocated, 100.0)
        self.assertEqual(first.amount_received, 0.0)
        self._register_payment(invoice, 600.0, "2026-03-10")
        self.assertEqual(first.amount_received, 600.0)
        self.assertEqual(agreement.amount_due, 0.0)
