from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged
from odoo.tools import float_round

from ..tools.commission import collected_fractions, plan_lines

MONTHS = [date(2026, month, 1) for month in range(1, 9)]


def round_(amount):
    return float_round(amount, precision_digits=2)


def cents(low, high):
    return st.integers(min_value=low * 100, max_value=high * 100).map(
        lambda value: value / 100
    )


EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("collect"), st.sampled_from(MONTHS), cents(1, 300000)),
        st.tuples(st.just("reverse"), st.integers(0, 20), st.none()),
        st.tuples(st.just("confirm"), st.sampled_from(MONTHS), st.none()),
        st.tuples(st.just("cost"), st.none(), cents(0, 200000)),
        st.tuples(st.just("split"), st.integers(1, 99), st.none()),
    ),
    min_size=1,
    max_size=25,
)


@tagged("post_install", "-at_install")
class TestCommissionArithmetic(BaseCase):
    """The booking arithmetic alone, on the figures of the policy's example."""

    def test_fractions(self):
        """200,000 then 300,000 of 500,000: 40 % then 100 %; over-collection
        counts as 100 %."""
        fractions = collected_fractions(
            {MONTHS[1]: 200000.0, MONTHS[2]: 300000.0, MONTHS[3]: 1.0}, 500000.0
        )
        self.assertEqual(fractions, {MONTHS[1]: 0.4, MONTHS[2]: 1.0, MONTHS[3]: 1.0})
        self.assertEqual(collected_fractions({MONTHS[1]: 5.0}, 0.0), {MONTHS[1]: 0.0})

    def test_frozen_month_takes_nothing(self):
        """February booked 4,860 and was confirmed; its money is reversed: March
        takes -4,860, February is not named in the plan."""
        plan = plan_lines(
            collected={},
            first_year=500000.0,
            parts={1: 0.9, False: 0.1},
            booked={(1, MONTHS[1]): (4860.0, 180000.0)},
            frozen={(1, MONTHS[1])},
            commission_total=13500.0,
            base_total=450000.0,
            round_=round_,
        )
        self.assertEqual(plan, {(1, MONTHS[2]): (-4860.0, -180000.0, -4860.0)})

    def test_next_open_month_skips_confirmed_ones(self):
        """February and March of user 1 are confirmed, February's money is
        reversed: the correction goes to April."""
        plan = plan_lines(
            collected={},
            first_year=500000.0,
            parts={1: 1.0},
            booked={(1, MONTHS[1]): (5400.0, 180000.0)},
            frozen={(1, MONTHS[1]), (1, MONTHS[2])},
            commission_total=13500.0,
            base_total=450000.0,
            round_=round_,
        )
        self.assertEqual(plan, {(1, MONTHS[3]): (-5400.0, -180000.0, -5400.0)})

    @settings(max_examples=150, deadline=None)
    @given(events=EVENTS)
    def test_lines_always_add_up(self, events):
        """Whatever happens (collections, reversals, confirmations, costs and
        credits changed): the lines of each part add up to what it earned, all of
        them to the rounded commission, confirmed lines never move, and booking
        again changes nothing."""
        first_year, rate = 500000.0, 3.0
        collections, collected, booked, frozen = [], {}, {}, set()
        cost, parts = 0.0, {1: 0.9, False: 0.1}
        for kind, key, value in events:
            if kind == "collect":
                collections.append((key, value))
            elif kind == "reverse" and collections:
                collections.pop(key % len(collections))
            elif kind == "confirm":
                frozen |= {k for k in booked if k[1] == key}
            elif kind == "cost":
                cost = value
            elif kind == "split":
                parts = {1: 0.9 * key / 100, 2: 0.9 * (100 - key) / 100, False: 0.1}
            collected = {}
            for month, amount in collections:
                collected[month] = collected.get(month, 0.0) + amount
            base_total = round_(max(first_year - cost, 0.0))
            commission_total = round_(base_total * rate / 100)
            args = {
                "collected": collected,
                "first_year": first_year,
                "parts": parts,
                "frozen": frozen,
                "commission_total": commission_total,
                "base_total": base_total,
                "round_": round_,
            }
            plan = plan_lines(booked=dict(booked), **args)
            self.assertFalse(set(plan) & frozen, "a confirmed line never moves")
            for line_key, figures in plan.items():
                if figures is None:
                    booked.pop(line_key, None)
                else:
                    booked[line_key] = figures[:2]
            again = plan_lines(booked=dict(booked), **args)
            self.assertTrue(
                all(
                    (figures is None and k not in booked)
                    or (figures is not None and booked.get(k) == figures[:2])
                    for k, figures in again.items()
                ),
                "booking twice changes nothing",
            )
            fraction = min(sum(collected.values()) / first_year, 1.0)
            earned = commission_total * fraction
            total = round_(sum(amount for amount, __ in booked.values()))
            self.assertEqual(total, round_(earned))
            for part, share in parts.items():
                mine = sum(a for (p, __), (a, ___) in booked.items() if p == part)
                self.assertAlmostEqual(mine, earned * share, delta=0.03)
