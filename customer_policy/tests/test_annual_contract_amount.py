import logging

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustomerLedgerCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestAnnualContractAmount(CustomerLedgerCase):
    """Item 2: the 12-month amount counts every agreement Legal approved, and the
    window moves every night."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_strategic.min_annual_amount = 5_000_000
        cls.tier_key.min_annual_amount = 1_000_000
        cls.tier_general.min_annual_amount = 1
        cls.tier_potential.min_annual_amount = 0
        # The staffing rules of the tiers are not what these tests are about.
        (cls.tier_strategic | cls.tier_key).write(
            {"requires_project_team": False, "requires_senior_owner": False}
        )
        cls.company.customer_tier_grace_days = 0
        # Demo customers and agreements are not part of these scenarios.
        cls.env["res.partner"].search([("customer_policy_managed", "=", True)]).write(
            {"tier_locked": True}
        )
        cls.env["customer.agreement"].search([]).write({"state": "draft"})
        cls.four_months = cls._customer("四个月前签约有限公司", cls.tier_key)
        cls.thirteen_months = cls._customer("十三个月前签约有限公司", cls.tier_key)
        cls.Partner = cls.env["res.partner"]

    def _nightly(self):
        self.env["customer.agreement"]._cron_agreement_daily()
        self.Partner._cron_refresh_annual_contract_amounts()
        self.env.invalidate_all()

    def test_expired_agreement_keeps_amount_and_tier(self):
        """Signed 4 months ago and expired since: the customer keeps 1,200,000 and
        its key tier through the re-grading; signed 13 months ago: it drops out,
        without any write on the agreement, and the customer goes down."""
        with freeze_time("2025-05-15"):
            old = self._activate(
                self._agreement(
                    parts=(("2025-12-31", 1_200_000.0),),
                    partner=self.thirteen_months,
                    date_start="2025-05-15",
                    date_end="2026-12-31",
                ),
                signed="2025-05-15",
            )
        with freeze_time("2026-02-15"):
            recent = self._activate(
                self._agreement(
                    parts=(("2026-03-31", 1_200_000.0),),
                    partner=self.four_months,
                    date_start="2026-02-15",
                    date_end="2026-05-31",
                ),
                signed="2026-02-15",
            )
        with freeze_time("2026-05-14"):
            self._nightly()
            # 2025-05-15 is still within the 12 months up to 2026-05-14.
            self.assertEqual(self.thirteen_months.annual_contract_amount, 1_200_000)
            self.assertEqual(self.four_months.annual_contract_amount, 1_200_000)
        with freeze_time("2026-06-15"):
            self._nightly()
            self.Partner._cron_regrade_customer_tiers()
            self.env.invalidate_all()
        self.assertEqual(recent.state, "expired")
        self.assertEqual(old.state, "active")
        self.assertEqual(self.four_months.annual_contract_amount, 1_200_000)
        self.assertEqual(self.four_months.customer_tier_id, self.tier_key)
        self.assertEqual(self.thirteen_months.annual_contract_amount, 0)
        self.assertEqual(self.thirteen_months.customer_tier_id, self.tier_potential)
        history = self.thirteen_months.customer_tier_history_ids.filtered(
            lambda h: h.change_type == "regrade"
        )
        self.assertEqual(history.old_tier_id, self.tier_key)
        self.assertIn("below the threshold", history.reason)

    @freeze_time("2026-03-01")
    def test_only_agreements_legal_approved_count(self):
        """Draft 100, in review 200, rejected 400: nothing. Approved 800,
        terminated 1,600 and renewed 3,200: 5,600."""
        customer = self.customer

        def make(amount, signed="2026-02-01"):
            return self._agreement(parts=(("2026-04-30", amount),), date_signed=signed)

        make(100.0)
        in_review = make(200.0)
        in_review.with_user(self.user_sales).action_submit_legal()
        rejected = make(400.0)
        rejected.with_user(self.user_sales).action_submit_legal()
        rejected.with_user(self.user_legal).action_legal_reject("Missing annex")
        self.assertEqual(customer.annual_contract_amount, 0)
        approved = make(800.0)
        approved.with_user(self.user_sales).action_submit_legal()
        approved.with_user(self.user_legal).action_legal_approve()
        self.assertEqual(customer.annual_contract_amount, 800)
        terminated = self._activate(make(1600.0), signed="2026-02-01")
        terminated.with_user(self.user_sales).action_terminate("Plant closed")
        renewed = self._activate(make(3200.0), signed="2026-02-01")
        renewed.with_user(self.user_sales).action_renew()
        self.assertEqual(
            (terminated.state, renewed.state, rejected.state),
            ("terminated", "renewed", "draft"),
        )
        self.assertEqual(customer.annual_contract_amount, 5600)
        # Nothing moved since: the nightly refresh writes nothing.
        self.assertEqual(self.Partner._cron_refresh_annual_contract_amounts(), 0)
        self.assertEqual(customer.annual_contract_amount, 5600)

    def _customers_with_signed_agreements(self, count, signed):
        customers = self.Partner.create(
            [
                {
                    "name": f"批量客户{index}有限公司",
                    "is_company": True,
                    "customer_policy_managed": True,
                    "user_id": self.user_sales.id,
                }
                for index in range(count)
            ]
        )
        self.env["customer.agreement"].create(
            [
                {
                    "partner_id": customer.id,
                    "title": "Annual supply",
                    "amount_total": 1000.0 * (index + 1),
                    "date_signed": signed,
                    "state": "expired",
                }
                for index, customer in enumerate(customers)
            ]
        )
        return customers

    def test_nightly_refresh_in_batches_with_bounded_queries(self):
        """The window leaves 3 then 30 customers' agreements behind: the same
        number of queries per call, whatever the number of customers, and the
        cron is called again while some remain."""
        counts = {}
        for count in (3, 30):
            with freeze_time("2025-06-01"):
                customers = self._customers_with_signed_agreements(count, "2025-06-01")
                self.assertEqual(customers[2].annual_contract_amount, 3000)
                self.env.flush_all()
            with freeze_time("2026-06-02"):
                before = self.env.cr.sql_log_count
                self.Partner._cron_refresh_annual_contract_amounts(batch_size=count)
                counts[count] = self.env.cr.sql_log_count - before
            self.env.invalidate_all()
            self.assertEqual(set(customers.mapped("annual_contract_amount")), {0})
        _logger.info("annual amount refresh: %s queries", counts)
        self.assertEqual(counts[3], counts[30])
        with freeze_time("2025-06-01"):
            customers = self._customers_with_signed_agreements(5, "2025-06-01")
            self.env.flush_all()
        with freeze_time("2026-06-02"):
            done = self.Partner._cron_refresh_annual_contract_amounts(batch_size=2)
            self.assertEqual(done, 2)
            self.env.invalidate_all()
            self.assertEqual(
                customers.mapped("annual_contract_amount"),
                [0, 0, 3000, 4000, 5000],
            )
            self.Partner._cron_refresh_annual_contract_amounts(batch_size=2)
            self.Partner._cron_refresh_annual_contract_amounts(batch_size=2)
            self.env.invalidate_all()
            self.assertEqual(set(customers.mapped("annual_contract_amount")), {0})
            self.assertEqual(self.Partner._cron_refresh_annual_contract_amounts(), 0)
