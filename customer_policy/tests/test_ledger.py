import logging

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.customer_agreement_installment import CRON_BATCH_SIZE
from .common import CustomerLedgerCase, cron_progress

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
@freeze_time("2026-01-10")
class TestPayments(CustomerLedgerCase):
    def test_allocation_oldest_first_and_credit(self):
        agreement = self._activate(
            self._agreement(
                parts=(
                    ("2026-03-31", 300.0),
                    ("2026-01-31", 200.0),
                    ("2026-06-30", 500.0),
                )
            )
        )
        jan, mar, jun = agreement.installment_ids.sorted("due_date")
        payment = self._pay(450.0, agreement)
        self.assertEqual(
            [(a.installment_id, a.amount) for a in payment.allocation_ids],
            [(jan, 200.0), (mar, 250.0)],
        )
        self.assertEqual((jan.state, mar.state, jun.state), ("paid", "partial", "open"))
        self.assertEqual(payment.amount_unallocated, 0.0)
        # More than what is due stays as the customer's credit.
        overpayment = self._pay(700.0, agreement)
        self.assertEqual(overpayment.amount_allocated, 550.0)
        self.assertEqual(overpayment.amount_unallocated, 150.0)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_credit_amount, 150.0)
        self.assertEqual(self.customer.customer_amount_due, 0.0)
        self.assertEqual(agreement.amount_due, 0.0)
        # Cancelling reverses the allocation exactly.
        overpayment.action_cancel()
        self.assertFalse(overpayment.allocation_ids)
        self.assertEqual((mar.amount_residual, jun.amount_residual), (50.0, 500.0))
        self.assertEqual(agreement.amount_due, 550.0)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_credit_amount, 0.0)

    def test_payment_without_agreement_pays_the_customers_oldest_installments(self):
        older = self._activate(self._agreement(parts=(("2026-01-31", 100.0),)))
        newer = self._activate(self._agreement(parts=(("2026-02-28", 100.0),)))
        payment = self._pay(150.0)
        self.assertEqual(older.amount_due, 0.0)
        self.assertEqual(newer.amount_due, 50.0)
        self.assertEqual(payment.amount_unallocated, 0.0)

    def test_payments_posted_together_allocate_as_one_after_another(self):
        agreement = self._activate(
            self._agreement(parts=(("2026-01-31", 200.0), ("2026-02-28", 300.0)))
        )
        jan, feb = agreement.installment_ids.sorted("due_date")
        Payment = self.env["customer.payment"].with_user(self.user_finance)
        payments = Payment.create(
            [
                {
                    "partner_id": self.customer.id,
                    "agreement_id": agreement.id,
                    "amount": a,
                }
                for a in (150.0, 150.0, 250.0)
            ]
        )
        payments.action_post()
        first, second, third = payments
        # 150 to January; 50 to January and 100 to February; 200 to February and
        # 50 left as the customer's credit: as if posted one after another.
        self.assertEqual(
            [(a.installment_id, a.amount) for a in first.allocation_ids], [(jan, 150.0)]
        )
        self.assertEqual(
            [(a.installment_id, a.amount) for a in second.allocation_ids],
            [(jan, 50.0), (feb, 100.0)],
        )
        self.assertEqual(
            [(a.installment_id, a.amount) for a in third.allocation_ids],
            [(feb, 200.0)],
        )
        self.assertEqual(third.amount_unallocated, 50.0)
        self.assertEqual(set(payments.mapped("state")), {"posted"})
        self.assertEqual((jan.state, feb.state), ("paid", "paid"))

    def test_refusals_write_nothing(self):
        agreement = self._activate(self._agreement())
        other = self._activate(self._agreement(partner=self.other_customer))
        Payment = self.env["customer.payment"].with_user(self.user_finance)
        # Allocating to another customer's agreement.
        with self.assertRefused(ValidationError, "belongs to"):
            Payment.create(
                {"partner_id": self.customer.id, "agreement_id": other.id, "amount": 10}
            )
        with self.assertRefused(ValidationError, "positive"):
            Payment.create({"partner_id": self.customer.id, "amount": -5})
        self.assertFalse(Payment.search([("partner_id", "=", self.customer.id)]))
        payment = self._pay(100.0, agreement)
        # A posted payment is never deleted nor changed.
        with self.assertRefused(UserError, "ledger keeps it"):
            payment.unlink()
        with self.assertRefused(UserError, "cannot be changed"):
            payment.write({"amount": 1000.0})
        self.assertEqual(payment.amount, 100.0)
        self.assertEqual(agreement.amount_received, 100.0)
        # A salesperson reads the receipts of its customers but does not post them.
        self.assertEqual(payment.with_user(self.user_sales).amount, 100.0)
        with self.assertRaises(AccessError):
            self.env["customer.payment"].with_user(self.user_sales).create(
                {"partner_id": self.customer.id, "amount": 5.0}
            )
        # An allocation cannot cross customers even when written by hand.
        with self.assertRefused(ValidationError, "cannot pay an installment"):
            self.env["customer.payment.allocation"].create(
                {
                    "payment_id": payment.id,
                    "installment_id": other.installment_ids[0].id,
                    "amount": 1.0,
                }
            )
        self.assertEqual(other.amount_received, 0.0)

    def test_currency_rounding(self):
        agreement = self._activate(
            self._agreement(parts=(("2026-01-31", 333.33), ("2026-02-28", 333.34)))
        )
        self._pay(100.005, agreement)
        first = agreement.installment_ids.sorted("due_date")[0]
        self.assertEqual(first.amount_received, self.currency.round(100.005))
        self.assertEqual(
            agreement.amount_due,
            self.currency.round(666.67 - self.currency.round(100.005)),
        )


@tagged("post_install", "-at_install")
class TestLedgerProperties(CustomerLedgerCase):
    """Random schedules and payments: the ledger always balances to the cent."""

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        parts=st.lists(
            st.decimals(min_value="0.01", max_value="99999.99", places=2),
            min_size=1,
            max_size=5,
        ),
        payments=st.lists(
            st.tuples(
                st.decimals(min_value="0.01", max_value="120000.00", places=2),
                st.booleans(),
            ),
            max_size=6,
        ),
    )
    def test_ledger_balances(self, parts, payments):
        with self.env.cr.savepoint(flush=False) as savepoint:
            agreement = self._activate(
                self._agreement(
                    parts=[
                        (f"2026-0{index % 9 + 1}-15", float(amount))
                        for index, amount in enumerate(parts)
                    ]
                )
            )
            posted = self.env["customer.payment"]
            for amount, cancel in payments:
                payment = self._pay(float(amount), agreement)
                posted |= payment
                if cancel:
                    payment.action_cancel()
            currency = agreement.currency_id
            installments = agreement.installment_ids
            for installment in installments:
                self.assertGreaterEqual(
                    currency.compare_amounts(installment.amount_residual, 0), 0
                )
                self.assertLessEqual(
                    currency.compare_amounts(
                        installment.amount_received, installment.amount
                    ),
                    0,
                )
            live = posted.filtered(lambda p: p.state == "posted")
            received = sum(live.mapped("amount"))
            allocated = sum(installments.mapped("amount_received"))
            credit = sum(live.mapped("amount_unallocated"))
            # Every yuan received is either on an installment or a credit.
            self.assertEqual(currency.compare_amounts(received, allocated + credit), 0)
            # Total = received on installments + still due.
            self.assertEqual(
                currency.compare_amounts(
                    agreement.amount_total,
                    agreement.amount_received + agreement.amount_due,
                ),
                0,
            )
            # Credit only when nothing is due any more.
            if currency.compare_amounts(credit, 0) > 0:
                self.assertTrue(currency.is_zero(agreement.amount_due))
            savepoint.rollback()


class InstallmentCronCase(CustomerLedgerCase):
    def _seed(self, agreement, count, level=0, spread=90):
        """Add `count` installments due in early 2026 to an agreement, by SQL:
        one per day from 2026-01-01 over `spread` days."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO customer_agreement_installment
                   (agreement_id, partner_id, user_id, team_id, company_id,
                    currency_id, agreement_state, due_date, amount, amount_received,
                    amount_residual, days_overdue, aging_bucket, state,
                    collection_level, create_uid, write_uid, create_date, write_date)
            SELECT a.id, a.partner_id, a.user_id, a.team_id, a.company_id,
                   a.currency_id, a.state, DATE '2026-01-01' + (n %% %s), 100, 0,
                   100, 0, 'current', 'open', %s, 1, 1, now(), now()
              FROM customer_agreement a, generate_series(1, %s) n
             WHERE a.id = %s
            """,
            [spread, level, count, agreement.id],
        )
        self.env.invalidate_all()

    def _count(self, function):
        self.env.flush_all()
        start = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start, None

    def _collection_activities(self):
        return self.env["mail.activity"].search_count(
            [
                ("res_model", "=", "customer.agreement.installment"),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("customer_policy.mail_activity_type_collection").id,
                ),
            ]
        )


@tagged("post_install", "-at_install")
class TestInstallmentCron(InstallmentCronCase):
    @freeze_time("2026-02-10")
    def test_activities_exactly_once_in_constant_queries(self):
        Installment = self.env["customer.agreement.installment"]
        few = self._activate(self._agreement(parts=(("2026-12-31", 10.0),)))
        many = self._activate(self._agreement(parts=(("2026-12-31", 10.0),)))
        # Demo data may have its own: count what this test adds.
        baseline = self._collection_activities()
        self._seed(few, 3, spread=1)
        queries_few, __ = self._count(Installment._cron_installment_daily)
        created = self._collection_activities()
        # Due 2026-01-01: 40 days overdue, owner and manager.
        self.assertEqual(created - baseline, 3 * 2)
        self._seed(many, 30, spread=1)
        queries_many, __ = self._count(Installment._cron_installment_daily)
        self.assertEqual(self._collection_activities(), created + 30 * 2)
        self.assertLessEqual(queries_many, queries_few + 2)
        # Re-runs never duplicate an activity.
        Installment._cron_installment_daily()
        Installment._cron_installment_daily()
        self.assertEqual(self._collection_activities(), created + 30 * 2)

    @freeze_time("2026-04-15")
    def test_escalation_levels(self):
        agreement = self._activate(
            self._agreement(parts=(("2026-01-31", 500.0), ("2026-03-31", 500.0)))
        )
        old, recent = agreement.installment_ids.sorted("due_date")
        Installment = self.env["customer.agreement.installment"]
        Installment._cron_installment_daily()
        # 74 days overdue: owner, manager, then a Director and Legal.
        self.assertEqual(old.collection_level, 3)
        self.assertEqual(recent.collection_level, 1)
        users = (
            self.env["mail.activity"]
            .search([("res_model", "=", old._name), ("res_id", "=", old.id)])
            .user_id
        )
        self.assertIn(self.user_sales, users)
        self.assertIn(self.user_manager, users)
        self.assertTrue(
            users.filtered(lambda u: u.has_group("customer_policy.group_legal"))
        )
        self.assertTrue(
            users.filtered(lambda u: u.has_group("customer_policy.group_director"))
        )
        with freeze_time("2026-05-05"):
            Installment._cron_installment_daily()
        self.assertEqual(recent.collection_level, 2)
        self.assertEqual(recent.aging_bucket, "31_60")
        self.assertEqual(old.aging_bucket, "over_90")

    @freeze_time("2026-04-15")
    def test_levels_of_the_same_person_in_one_run(self):
        """Without a department manager the owner hears of levels 1 and 2: both
        activities in the same run, in the owner's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_policy"], ["zh_CN"], overwrite=True
        )
        self.user_sales_2.lang = "zh_CN"
        agreement = self._activate(
            self._agreement(
                parts=(("2026-02-28", 300.0),),
                partner=self.other_customer,
                user=self.user_sales_2,
            )
        )
        self.assertFalse(agreement.team_id.user_id)
        installment = agreement.installment_ids
        Installment = self.env["customer.agreement.installment"]
        Installment._cron_installment_daily()
        self.assertEqual(installment.collection_level, 2)
        mine = self.env["mail.activity"].search(
            [
                ("res_model", "=", installment._name),
                ("res_id", "=", installment.id),
                ("user_id", "=", self.user_sales_2.id),
            ]
        )
        self.assertEqual(len(mine), 2)
        self.assertTrue(all("逾期" in summary for summary in mine.mapped("summary")))
        Installment._cron_installment_daily()
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", installment._name), ("res_id", "=", installment.id)]
            ),
            2,
        )

    def test_settings_refuse_bad_escalation(self):
        with self.assertRefused(ValidationError, "each after more days"):
            self.env.company.customer_collection_manager_days = 1
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.customer_collection_manager_days, 30)


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestInstallmentCronVolume(InstallmentCronCase):
    """The daily refresh's queries do not grow with the installments (100,000)."""

    @freeze_time("2026-05-01")
    def test_constant_queries_on_100000_installments(self):
        """The refresh of days overdue, aging and state is one statement."""
        agreement = self._activate(self._agreement(parts=(("2026-12-31", 10.0),)))
        Installment = self.env["customer.agreement.installment"]
        # Already escalated: the run refreshes them and schedules nothing.
        self._seed(agreement, 10, level=3)
        queries_small, __ = self._count(Installment._cron_installment_daily)
        self._seed(agreement, 100000, level=3)
        queries_large, __ = self._count(
            lambda: Installment._cron_installment_daily(batch_size=200000)
        )
        _logger.info(
            "Installment cron: %s queries for 10 installments, %s for 100,000",
            queries_small,
            queries_large,
        )
        self.assertLessEqual(queries_large, queries_small)
        mine = [("agreement_id", "=", agreement.id)]
        self.assertEqual(
            Installment.search_count(mine + [("state", "=", "overdue")]), 100010
        )
        self.assertEqual(
            Installment.search_count(mine + [("aging_bucket", "=", "over_90")]),
            Installment.search_count(mine + [("due_date", "<", "2026-01-31")]),
        )
        # Nothing left to do: a second run, as the cron runner makes it, changes
        # nothing, CRON_BATCH_SIZE unpaid installments per call, each call with no
        # more queries than the small run.
        self.env.cr.execute(
            "SELECT COUNT(*) FROM customer_agreement_installment WHERE state != 'paid'"
        )
        unpaid = self.env.cr.fetchone()[0]
        calls = []
        while True:
            env, progress = cron_progress(
                self.env, "customer_policy.ir_cron_customer_installment_daily"
            )
            queries, __ = self._count(Installment.with_env(env)._cron_installment_daily)
            calls.append(queries)
            if not progress.remaining:
                break
        self.assertEqual(len(calls), -(-unpaid // CRON_BATCH_SIZE))
        self.assertLessEqual(max(calls), queries_small)
