import logging

from freezegun import freeze_time

from odoo.tests import tagged

from .common import InstallmentInvoiceCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestLedgerSyncQueries(InstallmentInvoiceCase):
    """A bank statement that settles many invoices at once costs the ledger the
    same few queries plus each payment's own number: no lookup per invoice."""

    def _invoices(self, count):
        invoices = self.env["account.move"]
        for index in range(count):
            customer = self._customer(f"批量客户 {count}-{index}")
            agreement = self._active_agreement(partner=customer)
            invoices |= self._invoice(agreement.installment_ids)
        return invoices

    def _queries_of_the_ledger(self, invoices):
        """Reconcile every invoice with a payment of its own in one go; return
        the queries the ledger's part took."""
        payments = self.env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": invoice.partner_id.id,
                    "amount": invoice.amount_total,
                    "date": "2026-03-10",
                    "journal_id": self.bank_journal.id,
                }
                for invoice in invoices
            ]
        )
        payments.action_post()
        Payment = type(self.env["customer.payment"])
        record = Payment._customer_policy_record_reconciliations
        counted = []

        def counting(model, partials):
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            result = record(model, partials)
            self.env.flush_all()
            counted.append(self.env.cr.sql_log_count - start)
            return result

        self.patch(Payment, "_customer_policy_record_reconciliations", counting)
        lines = (invoices | payments.move_id).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        # What the bank reconciliation does: one plan per customer, one batch.
        self.env["account.move.line"]._reconcile_plan(
            [
                lines.filtered(lambda l, p=partner: l.partner_id == p)
                for partner in invoices.partner_id
            ]
        )
        for invoice in invoices:
            self.assertLedgerFollows(invoice)
        return sum(counted)

    def test_queries_do_not_grow_with_the_invoices(self):
        few = self._queries_of_the_ledger(self._invoices(2))
        many = self._queries_of_the_ledger(self._invoices(12))
        _logger.info(
            "Ledger of reconciliations: %s queries for 2, %s for 12", few, many
        )
        # Each payment takes a number from its sequence and writes it (core).
        self.assertLessEqual(many - few, 10 * 3, f"{few} queries for 2, {many} for 12")
