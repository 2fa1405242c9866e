from odoo import Command

from odoo.addons.customer_policy.tests.common import CustomerLedgerCase


def setup_key_rules(env):
    """The key tier's rules of the policy's example, for the current company (the
    company's other rules are archived): new 3 %, renewal 3 % ± 1 point from a
    change of ± 20 %, 10 % to the operations pool."""
    Rule = env["customer.commission.rule"]
    Rule.search([("company_id", "=", env.company.id)]).active = False
    tier_key = env.ref("customer_policy.customer_tier_key")
    new = Rule.create(
        {"tier_id": tier_key.id, "kind": "new", "rate": 3.0, "operations_share": 10.0}
    )
    renewal = Rule.create(
        {
            "tier_id": tier_key.id,
            "kind": "renewal",
            "rate": 3.0,
            "operations_share": 10.0,
            "adjustment_ids": [
                Command.create({"threshold": 20.0, "rate_delta": 1.0}),
                Command.create({"threshold": -20.0, "rate_delta": -1.0}),
            ],
        }
    )
    return new, renewal


class CommissionCase(CustomerLedgerCase):
    """The ledger's customers graded key, with the policy's example rules written
    out here, so that every figure of the tests can be checked by hand:

    - a key customer's new agreement earns 3 % of (first-year amount - costs),
      10 % of it to the operations pool;
    - a key customer's renewal earns 3 %, + 1 point from a rise of 20 % of the
      first-year amount, - 1 point from a fall of 20 %.

    ``customer`` (owner ``user_sales``, department ``team`` led by
    ``user_manager``) was developed by ``user_sales``; ``other_customer`` is
    ``user_sales_2``'s, outside any department.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write(
            {
                "commission_date_start": False,
                "commission_operations_team_id": False,
                "commission_approver_id": cls.user_director.id,
                "customer_senior_salesperson_ids": [
                    Command.link(cls.user_sales.id),
                    Command.link(cls.user_sales_2.id),
                ],
            }
        )
        # The demo's commission shares the tests' months (its dates follow today's):
        # the tests start from a company without commission.
        cls.env["customer.commission.line"].search([]).unlink()
        cls.env["customer.commission.statement"].search([]).unlink()
        cls.tier_key = cls.env.ref("customer_policy.customer_tier_key")
        cls.rule_key_new, cls.rule_key_renewal = setup_key_rules(cls.env)
        (cls.customer | cls.other_customer).write(
            {"customer_developer_id": False, "customer_tier_id": cls.tier_key.id}
        )
        cls.customer.customer_developer_id = cls.user_sales
        cls.other_customer.customer_developer_id = cls.user_sales_2

    def _key_agreement(self, cost=50000.0, **vals):
        """The policy's example: 500,000 in the first year, paid 200,000 in February
        and 300,000 in March, with 50,000 of costs."""
        agreement = self._agreement(
            parts=(("2026-02-28", 200000.0), ("2026-03-31", 300000.0)), **vals
        )
        self._activate(agreement)
        if cost:
            agreement.with_user(self.user_manager).commission_cost = cost
        return agreement

    def _lines(self, agreement):
        """{(user or pool, "YYYY-MM"): amount} of the agreement's lines."""
        return {
            (line.user_id or "pool", line.month.strftime("%Y-%m")): line.amount
            for line in self.env["customer.commission.line"].search(
                [("agreement_id", "=", agreement.id)]
            )
        }

    def _statement(self, user, month):
        return self.env["customer.commission.statement"].search(
            [
                ("user_id", "=", user.id if user else False),
                ("month", "=", month),
                ("company_id", "=", self.env.company.id),
            ]
        )
