from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CommissionCase


@tagged("post_install", "-at_install")
class TestCommissionRule(CommissionCase):
    def test_example_rules_are_shipped(self):
        """The demo company gets a new and a renewal rule for each of the four
        tiers; the key customers' new agreements pay 3 %, 10 % to the pool."""
        rules = (
            self.env["customer.commission.rule"]
            .with_context(active_test=False)
            .search([("id", "in", self._shipped_rule_ids())])
        )
        self.assertEqual(len(rules), 8)
        key_new = self.env.ref("customer_policy_commission.commission_rule_key_new")
        self.assertEqual((key_new.rate, key_new.operations_share), (3.0, 10.0))
        renewal = self.env.ref("customer_policy_commission.commission_rule_key_renewal")
        self.assertEqual(
            sorted(
                renewal.adjustment_ids.mapped(lambda a: (a.threshold, a.rate_delta))
            ),
            [(-20.0, -1.0), (20.0, 1.0)],
        )

    def _shipped_rule_ids(self):
        return [
            self.env.ref(f"customer_policy_commission.commission_rule_{tier}_{kind}").id
            for tier in ("strategic", "key", "general", "potential")
            for kind in ("new", "renewal")
        ]

    def test_adjusted_rate(self):
        """3 % with +20 → +1, +50 → +2, -20 → -1 (points): +19.99 % stays 3 %,
        +20 % and +49 % give 4 %, +50 % gives 5 %, -20 % and -80 % give 2 %, no
        previous amount 3 %."""
        self.rule_key_renewal.adjustment_ids = [
            Command.create({"threshold": 50.0, "rate_delta": 2.0})
        ]
        cases = [
            (19.99, 3.0),
            (20.0, 4.0),
            (49.0, 4.0),
            (50.0, 5.0),
            (0.0, 3.0),
            (-19.99, 3.0),
            (-20.0, 2.0),
            (-80.0, 2.0),
            (None, 3.0),
        ]
        for change, rate in cases:
            with self.subTest(change=change):
                self.assertEqual(
                    self.rule_key_renewal._commission_adjusted_rate(change), rate
                )

    def test_rate_never_below_zero(self):
        self.rule_key_renewal.rate = 0.5
        self.assertEqual(self.rule_key_renewal._commission_adjusted_rate(-30.0), 0.0)

    def test_one_rule_per_tier_and_kind(self):
        with self.assertRefused(ValidationError, "already has a commission rule"):
            self.env["customer.commission.rule"].create(
                {"tier_id": self.tier_key.id, "kind": "new", "rate": 2.0}
            )
        self.rule_key_new.active = False
        duplicate = self.env["customer.commission.rule"].create(
            {"tier_id": self.tier_key.id, "kind": "new", "rate": 2.0}
        )
        self.assertEqual(duplicate.rate, 2.0)

    def test_bad_input_is_refused(self):
        Rule = self.env["customer.commission.rule"]
        general = self.env.ref("customer_policy.customer_tier_general")
        for vals in ({"rate": 101.0}, {"rate": -1.0}, {"operations_share": 120.0}):
            with (
                self.subTest(vals=vals),
                self.assertRefused(ValidationError, "between 0 and 100"),
            ):
                Rule.create({"tier_id": general.id, "kind": "new", "rate": 2.0, **vals})
        with self.assertRefused(ValidationError, "Only a renewal rule"):
            Rule.create(
                {
                    "tier_id": general.id,
                    "kind": "new",
                    "rate": 2.0,
                    "adjustment_ids": [
                        Command.create({"threshold": 20.0, "rate_delta": 1.0})
                    ],
                }
            )
        with self.assertRefused(ValidationError, "never at 0"):
            self.rule_key_renewal.adjustment_ids = [
                Command.create({"threshold": 0.0, "rate_delta": 1.0})
            ]
        self.assertFalse(Rule.search([("tier_id", "=", general.id)]))

    def test_only_directors_set_rules(self):
        with self.assertRaises(AccessError):
            self.rule_key_new.with_user(self.user_manager).rate = 10.0
        self.assertEqual(self.rule_key_new.with_user(self.user_sales).rate, 3.0)
        form = Form(self.rule_key_renewal.with_user(self.user_director))
        with form.adjustment_ids.new() as line:
            line.threshold = 50.0
            line.rate_delta = 2.0
        form.save()
        self.assertEqual(len(self.rule_key_renewal.adjustment_ids), 3)
        self.assertEqual(
            self.rule_key_renewal.display_name, f"{self.tier_key.name} · Renewal"
        )
