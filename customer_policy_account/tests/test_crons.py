from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import InstallmentInvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceCron(InstallmentInvoiceCase):
    """The daily job invoices the installments due within the company's days."""

    def setUp(self):
        super().setUp()
        self.company.write(
            {
                "customer_installment_invoice_auto": True,
                "customer_installment_invoice_days": 10,
            }
        )
        with freeze_time("2026-01-10"):
            self.agreement = self._active_agreement(
                parts=(
                    ("2026-03-25", 100.0),
                    ("2026-03-30", 200.0),
                    ("2026-03-31", 300.0),
                    ("2026-04-30", 400.0),
                )
            )
        self.installments = self.agreement.installment_ids.sorted("due_date")

    def _run(self):
        self.env["customer.agreement.installment"]._cron_create_installment_invoices()

    def test_invoices_ten_days_before_due_once(self):
        with freeze_time("2026-03-20"):
            self._run()
            # 20 March + 10 days: due by 30 March.
            invoiced = self.installments.filtered("invoice_id")
            self.assertEqual(invoiced, self.installments[:2])
            self.assertEqual(invoiced.invoice_id.mapped("amount_total"), [100.0, 200.0])
            self.assertEqual(set(invoiced.invoice_id.mapped("state")), {"draft"})
            self._run()
            self.assertEqual(len(self.installments.invoice_ids), 2, "nothing twice")
        with freeze_time("2026-03-21"):
            self._run()
            self.assertEqual(
                self.installments.filtered("invoice_id"), self.installments[:3]
            )

    def test_company_switch_and_what_is_never_invoiced(self):
        with freeze_time("2026-03-20"):
            # Paid by hand before: nothing to invoice.
            self._pay(100.0, agreement=self.agreement, date="2026-03-01")
            self.company.customer_installment_invoice_auto = False
            self._run()
            self.assertFalse(self.installments.invoice_ids)
            self.company.customer_installment_invoice_auto = True
            self._run()
            self.assertEqual(
                self.installments.filtered("invoice_id"), self.installments[1]
            )

    def test_terminated_agreement_is_not_invoiced(self):
        with freeze_time("2026-03-20"):
            self.agreement.with_user(self.user_sales).action_terminate("Closed down")
            self._run()
            self.assertFalse(self.installments.invoice_ids)

    def test_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.customer_installment_invoice_days = 15
        settings.save().execute()
        self.assertEqual(self.company.customer_installment_invoice_days, 15)
        with self.assertRefused(Exception, r"not a negative number of days"):
            self.company.customer_installment_invoice_days = -1

    def test_first_run_in_batches(self):
        """The first run after go-live finds every installment to invoice: it
        works in committed chunks and reports what is left."""
        progress = []

        def notify(_self, *, done, remaining, deactivate=False):
            progress.append((done, remaining))

        with freeze_time("2026-04-30"):
            cron = self.env["ir.cron"]
            self.patch(type(cron), "_notify_progress", notify)
            Installment = self.env["customer.agreement.installment"]
            Installment._cron_create_installment_invoices(batch_size=3)
            Installment._cron_create_installment_invoices(batch_size=3)
            Installment._cron_create_installment_invoices(batch_size=3)
        self.assertEqual(progress[:2], [(3, 1), (1, 0)])
        self.assertEqual(progress[2], (0, 0))
        self.assertEqual(len(self.installments.invoice_ids), 4)


@tagged("post_install", "-at_install")
class TestCollectionFollowsTheInvoice(InstallmentInvoiceCase):
    """Collection chases the invoice's due date and residual once there is one."""

    def test_overdue_from_the_invoice_due_date(self):
        with freeze_time("2026-03-01"):
            agreement = self._active_agreement(parts=(("2026-04-30", 1000.0),))
            installment = agreement.installment_ids
            invoice = self._invoice(installment, post=False)
            # Finance bills it payable on 10 March.
            invoice.with_user(self.user_billing).invoice_date_due = "2026-03-10"
            invoice.with_user(self.user_billing).action_post()
            self._register_payment(invoice, 400.0, "2026-03-05")
        self.assertEqual(str(installment.invoice_date_due), "2026-03-10")
        self.assertEqual(installment.invoice_amount_residual, 600.0)
        with freeze_time("2026-03-20"):
            Installment = self.env["customer.agreement.installment"]
            Installment._cron_installment_daily()
            # 20 March - 10 March; the installment itself is due on 30 April.
            self.assertEqual(installment.days_overdue, 10)
            self.assertEqual(installment.state, "overdue")
            self.assertEqual(installment.aging_bucket, "1_30")
            self.assertEqual(agreement.amount_overdue, 600.0)
            activity = installment.activity_ids
            self.assertEqual(activity.user_id, self.user_sales)
            self.assertIn("600.00", activity.summary)
            self.assertIn("10", activity.summary)
            action = (
                self.env["customer.collection.action"]
                .with_user(self.user_sales)
                .create({"installment_id": installment.id, "action_type": "call"})
            )
            self.assertEqual(action.amount_residual, 600.0)
            # Paid in full: the ORM recomputes at once, no job needed.
            self._register_payment(invoice, 600.0, "2026-03-20")
            self.assertEqual(installment.state, "paid")
            self.assertEqual(installment.days_overdue, 0)

    def test_without_invoice_the_installment_due_date(self):
        with freeze_time("2026-03-01"):
            agreement = self._active_agreement(parts=(("2026-04-30", 1000.0),))
        with freeze_time("2026-03-20"):
            self.env["customer.agreement.installment"]._cron_installment_daily()
            self.assertEqual(agreement.installment_ids.days_overdue, 0)
            self.assertEqual(agreement.installment_ids.state, "open")
