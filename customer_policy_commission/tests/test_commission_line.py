from freezegun import freeze_time

from odoo import Command

from .common import CommissionCase


class TestCommissionLine(CommissionCase):
    """The policy's cases, each figure worked out by hand in the docstring."""

    def test_key_new_agreement_pays_13500_over_its_payments(self):
        """500,000 first year - 50,000 costs = 450,000 × 3 % = 13,500, of which
        10 % (1,350) to the operations pool and 12,150 to the developer.

        February: 200,000 collected = 40 % → base 180,000, commission 5,400:
        pool 540, salesperson 4,860. March: the other 300,000 = 60 % → base
        270,000, commission 8,100: pool 810, salesperson 7,290.
        """
        agreement = self._key_agreement()
        self.assertEqual(agreement.commission_rule_id, self.rule_key_new)
        self.assertEqual(agreement.commission_first_year_amount, 500000.0)
        self.assertEqual(agreement.commission_rate, 3.0)
        self.assertEqual(agreement.commission_amount, 13500.0)
        self.assertEqual(agreement.credit_ids.user_id, self.user_sales)
        self.assertEqual(agreement.credit_ids.share, 100.0)
        self.assertFalse(agreement.commission_line_ids, "nothing collected yet")

        self._pay(200000.0, agreement, date="2026-02-10")
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-02"): 4860.0, ("pool", "2026-02"): 540.0},
        )
        feb = agreement.commission_line_ids.filtered(lambda l: l.user_id)
        self.assertEqual(feb.base_amount, 180000.0)
        self.assertEqual(feb.rate, 3.0)
        self.assertEqual(feb.share, 90.0)
        self.assertEqual(feb.adjustment_amount, 0.0)

        self._pay(300000.0, agreement, date="2026-03-15")
        self.assertEqual(
            self._lines(agreement),
            {
                (self.user_sales, "2026-02"): 4860.0,
                ("pool", "2026-02"): 540.0,
                (self.user_sales, "2026-03"): 7290.0,
                ("pool", "2026-03"): 810.0,
            },
        )
        self.assertEqual(sum(agreement.commission_line_ids.mapped("amount")), 13500.0)
        self.assertEqual(agreement.commission_earned, 13500.0)
        self.assertEqual(
            sum(agreement.commission_line_ids.mapped("base_amount")), 2 * 450000.0
        )

    def test_payment_in_parts_of_one_month_make_one_line(self):
        """Two payments of February (50,000 + 150,000 = 200,000) make one line per
        colleague: 4,860 and 540, as one payment of 200,000 would."""
        agreement = self._key_agreement()
        self._pay(50000.0, agreement, date="2026-02-03")
        self.assertEqual(
            self._lines(agreement),
            # 50,000 = 10 % → base 45,000, commission 1,350: 1,215 and 135.
            {(self.user_sales, "2026-02"): 1215.0, ("pool", "2026-02"): 135.0},
        )
        self._pay(150000.0, agreement, date="2026-02-25")
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-02"): 4860.0, ("pool", "2026-02"): 540.0},
        )

    def test_renewal_up_25_percent_uses_the_raised_rate(self):
        """A renewal of 500,000 after 400,000 is +25 %: past the +20 % step, 3 % +
        1 point = 4 %: 500,000 × 4 % = 20,000; pool 2,000, owner 18,000."""
        previous = self._agreement(
            parts=(("2026-03-31", 400000.0),), date_end="2026-12-31"
        )
        self._activate(previous)
        renewal = self._renew(previous, 500000.0)
        self.assertEqual(renewal.commission_kind, "renewal")
        self.assertEqual(renewal.commission_rule_id, self.rule_key_renewal)
        self.assertEqual(renewal.commission_amount_change, 25.0)
        self.assertEqual(renewal.commission_rate, 4.0)
        self.assertEqual(renewal.commission_amount, 20000.0)
        self._pay(500000.0, renewal, date="2027-02-01")
        self.assertEqual(
            self._lines(renewal),
            {(self.user_sales, "2027-02"): 18000.0, ("pool", "2027-02"): 2000.0},
        )

    def test_renewal_rates_by_change(self):
        """+20 % exactly: 4 %; +19 %: 3 %; -20 % exactly: 2 %; -50 %: 2 % (the
        furthest step is -20 %)."""
        cases = [(480000.0, 4.0), (476000.0, 3.0), (320000.0, 2.0), (200000.0, 2.0)]
        for amount, rate in cases:
            with self.subTest(amount=amount):
                previous = self._agreement(parts=(("2026-03-31", 400000.0),))
                self._activate(previous)
                renewal = self._renew(previous, amount)
                self.assertEqual(renewal.commission_rate, rate)

    def test_renewal_credits_the_owner_and_new_agreement_the_developer(self):
        """The customer was developed by user_sales_2 and is owned by user_sales:
        the new agreement's credit goes to the developer, its renewal's to the
        owner."""
        self.customer.customer_developer_id = self.user_sales_2
        previous = self._agreement(parts=(("2026-03-31", 400000.0),))
        self.assertEqual(previous.credit_ids.user_id, self.user_sales_2)
        self._activate(previous)
        renewal = self._renew(previous, 400000.0)
        self.assertEqual(renewal.credit_ids.user_id, self.user_sales)
        self.assertEqual(renewal.credit_ids.share, 100.0)

    def test_50_50_credit_splits_every_line(self):
        """Two salespeople 50/50: the 90 % of each month is halved. February 4,860
        → 2,430 each; March 7,290 → 3,645 each; the pool keeps 540 and 810."""
        agreement = self._key_agreement()
        agreement.with_user(self.user_manager).credit_ids = [
            Command.clear(),
            Command.create({"user_id": self.user_sales.id, "share": 50.0}),
            Command.create(
                {"user_id": self.user_sales_2.id, "share": 50.0, "reason": "walk-in"}
            ),
        ]
        self._pay(200000.0, agreement, date="2026-02-10")
        self._pay(300000.0, agreement, date="2026-03-15")
        self.assertEqual(
            self._lines(agreement),
            {
                (self.user_sales, "2026-02"): 2430.0,
                (self.user_sales_2, "2026-02"): 2430.0,
                ("pool", "2026-02"): 540.0,
                (self.user_sales, "2026-03"): 3645.0,
                (self.user_sales_2, "2026-03"): 3645.0,
                ("pool", "2026-03"): 810.0,
            },
        )
        for line in agreement.commission_line_ids.filtered("user_id"):
            self.assertEqual(line.share, 45.0)

    def test_thirds_add_up_to_the_commission(self):
        """Three colleagues 33.33 / 33.33 / 33.34 of 12,150: 4,049.60, 4,049.60 and
        the largest share takes the rest, 4,050.80; with the pool's 1,350 the
        agreement pays exactly 13,500."""
        agreement = self._key_agreement()
        user_3 = self.user_manager
        agreement.with_user(self.user_director)._commission_set_credits(
            [(self.user_sales, 33.33), (self.user_sales_2, 33.33), (user_3, 33.34)]
        )
        self._pay(500000.0, agreement, date="2026-02-10")
        lines = self._lines(agreement)
        self.assertEqual(lines[(self.user_sales, "2026-02")], 4049.6)
        self.assertEqual(lines[(self.user_sales_2, "2026-02")], 4049.6)
        self.assertEqual(lines[(user_3, "2026-02")], 4050.8)
        self.assertEqual(lines[("pool", "2026-02")], 1350.0)
        self.assertEqual(sum(lines.values()), 13500.0)

    def test_reversed_payment_reverses_in_the_next_open_statement(self):
        """February's 200,000 earned 4,860 and 540, and February was confirmed and
        approved. The payment is cancelled in March: March gets -4,860 and -540 as
        corrections; February's statement does not move."""
        agreement = self._key_agreement()
        payment = self._pay(200000.0, agreement, date="2026-02-10")
        february = self._statement(self.user_sales, "2026-02-01")
        pool_february = self._statement(False, "2026-02-01")
        with freeze_time("2026-03-02"):
            february.with_user(self.user_manager).action_confirm()
            february.with_user(self.user_director).action_approve()
            pool_february.with_user(self.user_director).action_confirm()
        lines_before = february.line_ids.read(["amount", "base_amount", "month"])
        payment.with_user(self.user_finance).action_cancel()
        self.assertEqual(february.state, "approved")
        self.assertEqual(february.amount_total, 4860.0)
        self.assertEqual(
            february.line_ids.read(["amount", "base_amount", "month"]), lines_before
        )
        self.assertEqual(
            self._lines(agreement),
            {
                (self.user_sales, "2026-02"): 4860.0,
                ("pool", "2026-02"): 540.0,
                (self.user_sales, "2026-03"): -4860.0,
                ("pool", "2026-03"): -540.0,
            },
        )
        march = self._statement(self.user_sales, "2026-03-01")
        self.assertEqual(march.state, "draft")
        self.assertEqual(march.amount_total, -4860.0)
        self.assertEqual(march.adjustment_total, -4860.0)
        self.assertEqual(march.line_ids.base_amount, -180000.0)

    def test_reversal_within_an_open_month_leaves_nothing(self):
        """Cancelled before February is confirmed: February simply earns nothing,
        its lines and statements go away."""
        agreement = self._key_agreement()
        payment = self._pay(200000.0, agreement, date="2026-02-10")
        payment.with_user(self.user_finance).action_cancel()
        self.assertFalse(self._lines(agreement))
        self.assertFalse(self._statement(self.user_sales, "2026-02-01"))

    def test_cost_entered_after_a_confirmed_month_corrects_the_next(self):
        """Without costs February's 200,000 earned 500,000 × 3 % × 40 % = 6,000:
        5,400 and 600. Confirmed; then the manager enters 50,000 of costs: February
        should have been 4,860 and 540, so March books -540 and -60 as corrections
        besides its own 7,290 and 810 when March's 300,000 come in."""
        agreement = self._key_agreement(cost=0.0)
        self._pay(200000.0, agreement, date="2026-02-10")
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-02"): 5400.0, ("pool", "2026-02"): 600.0},
        )
        with freeze_time("2026-03-02"):
            self._statement(self.user_sales, "2026-02-01").with_user(
                self.user_manager
            ).action_confirm()
            self._statement(False, "2026-02-01").with_user(
                self.user_director
            ).action_confirm()
        agreement.with_user(self.user_manager).commission_cost = 50000.0
        self.assertEqual(
            self._lines(agreement),
            {
                (self.user_sales, "2026-02"): 5400.0,
                ("pool", "2026-02"): 600.0,
                (self.user_sales, "2026-03"): -540.0,
                ("pool", "2026-03"): -60.0,
            },
        )
        self._pay(300000.0, agreement, date="2026-03-15")
        lines = self._lines(agreement)
        self.assertEqual(lines[(self.user_sales, "2026-03")], 7290.0 - 540.0)
        self.assertEqual(lines[("pool", "2026-03")], 810.0 - 60.0)
        march = agreement.commission_line_ids.filtered(
            lambda l: l.user_id == self.user_sales and l.month.month == 3
        )
        self.assertEqual(march.adjustment_amount, -540.0)
        self.assertEqual(sum(lines.values()), 13500.0)

    def test_booking_twice_writes_nothing(self):
        agreement = self._key_agreement()
        self._pay(200000.0, agreement, date="2026-02-10")
        lines = agreement.commission_line_ids
        write_dates = lines.mapped("write_date")
        with self.assertQueryCount(__system__=4):
            # Lock, collected money, booked lines, confirmed months: no write.
            agreement._commission_refresh()
        self.assertEqual(agreement.commission_line_ids, lines)
        self.assertEqual(lines.mapped("write_date"), write_dates)

    def test_money_beyond_the_first_year_earns_nothing(self):
        """A two-year agreement of 500,000 + 400,000: the second year's installment
        (due 2027) is not commission: 13,500 is paid on the first year's 500,000."""
        agreement = self._agreement(
            parts=(
                ("2026-02-28", 200000.0),
                ("2026-03-31", 300000.0),
                ("2027-02-28", 400000.0),
            ),
            date_end="2027-12-31",
        )
        self._activate(agreement)
        agreement.with_user(self.user_manager).commission_cost = 50000.0
        self.assertEqual(agreement.commission_first_year_amount, 500000.0)
        self._pay(900000.0, agreement, date="2026-02-10")
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-02"): 12150.0, ("pool", "2026-02"): 1350.0},
        )

    def test_collections_before_the_commission_start_earn_nothing(self):
        agreement = self._key_agreement()
        self._pay(200000.0, agreement, date="2026-02-10")
        self.env.company.commission_date_start = "2026-03-01"
        self._pay(300000.0, agreement, date="2026-03-15")
        # The February collection no longer counts: February's open lines go; March
        # earns its 60 %.
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-03"): 7290.0, ("pool", "2026-03"): 810.0},
        )

    def test_no_rule_no_commission(self):
        """A general customer has no rule here: the agreement says so and earns
        nothing."""
        self.customer.customer_tier_id = self.env.ref(
            "customer_policy.customer_tier_general"
        )
        agreement = self._key_agreement()
        self.assertFalse(agreement.commission_rule_id)
        self.assertEqual(agreement.commission_rate, 0.0)
        self._pay(200000.0, agreement, date="2026-02-10")
        self.assertFalse(agreement.commission_line_ids)

    def test_rate_is_fixed_at_approval(self):
        """The rule changes after Legal approved the agreement: the agreement keeps
        the 3 % it was signed with."""
        agreement = self._key_agreement()
        self.rule_key_new.rate = 5.0
        self.customer.customer_tier_id = self.env.ref(
            "customer_policy.customer_tier_general"
        )
        agreement.invalidate_recordset()
        self.assertEqual(agreement.commission_rate, 3.0)
        self.assertEqual(agreement.commission_rule_id, self.rule_key_new)

    def test_director_corrects_the_rate(self):
        """3 % → 4 % after February's 200,000: February's open lines become
        450,000 × 4 % × 40 % = 7,200: 6,480 and 720."""
        agreement = self._key_agreement()
        self._pay(200000.0, agreement, date="2026-02-10")
        agreement.with_user(self.user_director).commission_rate = 4.0
        self.assertEqual(
            self._lines(agreement),
            {(self.user_sales, "2026-02"): 6480.0, ("pool", "2026-02"): 720.0},
        )

    def _renew(self, previous, amount):
        """Renew ``previous`` (ends 2026-12-31) for 2027 at ``amount``."""
        previous.with_user(self.user_sales).action_renew()
        renewal = previous.renewal_agreement_id
        renewal.with_user(self.user_sales).write(
            {
                "date_end": "2027-12-31",
                "amount_total": amount,
                "installment_ids": [
                    Command.create({"due_date": "2027-01-31", "amount": amount})
                ],
            }
        )
        self._activate(renewal, signed="2026-12-20")
        return renewal
