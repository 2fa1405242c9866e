from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CustomerKpiCase


@tagged("post_install", "-at_install")
class TestDevelopmentPlan(CustomerKpiCase):
    def _plan(self, user=None, **vals):
        Plan = self.env["customer.development.plan"]
        if user:
            Plan = Plan.with_user(user)
        return Plan.create(
            {
                "year": 2027,
                "target_new_customers": 10,
                "target_visits": 24,
                "target_contract_amount": 1000.0,
                "target_payment_amount": 0.0,
                **vals,
            }
        )

    def _line(self, plan, period_type, start):
        return plan.line_ids.filtered(
            lambda line: (
                line.period_type == period_type and str(line.period_start) == start
            )
        )

    def test_split_evenly(self):
        """10 customers make quarters of 3, 3, 2, 2 and the third quarter's months
        1, 1, 0; 1,000.00 makes quarters of 250.00 and months of 83.34, 83.33,
        83.33: every part adds up exactly."""
        plan = self._plan(self.user_sales, user_id=self.user_sales.id)
        plan.action_split_evenly()
        quarters = plan.line_ids.filtered(lambda line: line.period_type == "quarter")
        self.assertEqual(len(quarters), 4)
        self.assertEqual(len(plan.line_ids), 16)
        self.assertEqual(quarters.mapped("target_new_customers"), [3, 3, 2, 2])
        self.assertEqual(quarters.mapped("target_contract_amount"), [250.0] * 4)
        self.assertEqual(
            [
                self._line(plan, "month", day).target_new_customers
                for day in ("2027-07-01", "2027-08-01", "2027-09-01")
            ],
            [1, 1, 0],
        )
        self.assertEqual(
            [
                self._line(plan, "month", day).target_contract_amount
                for day in ("2027-01-01", "2027-02-01", "2027-03-01")
            ],
            [83.34, 83.33, 83.33],
        )
        self.assertEqual(self._line(plan, "quarter", "2027-01-01").name, "2027 Q1")
        self.assertEqual(
            str(self._line(plan, "quarter", "2027-01-01").period_end), "2027-03-31"
        )

    def test_lines_must_add_up(self):
        plan = self._plan(self.user_sales, user_id=self.user_sales.id)
        plan.action_split_evenly()
        january = self._line(plan, "month", "2027-01-01")
        february = self._line(plan, "month", "2027-02-01")
        # One month changed alone no longer adds up to its quarter: refused.
        with self.assertRefused(ValidationError, "months of 2027 Q1 add up to 4"):
            january.with_user(self.user_sales).target_new_customers = 2
        self.assertEqual(january.target_new_customers, 1, "nothing written")
        # A quarter that no longer adds up to the year: refused.
        with self.assertRefused(ValidationError, "quarters add up to 11"):
            plan.with_user(self.user_sales).write(
                {
                    "line_ids": [
                        Command.update(
                            self._line(plan, "quarter", "2027-01-01").id,
                            {"target_new_customers": 4},
                        )
                    ]
                }
            )
        # The year's target changed without its quarters: refused.
        with self.assertRefused(ValidationError, "the year is 12"):
            plan.with_user(self.user_sales).target_new_customers = 12
        # Moving a customer from January to February in one save adds up.
        plan.with_user(self.user_sales).write(
            {
                "line_ids": [
                    Command.update(january.id, {"target_new_customers": 0}),
                    Command.update(february.id, {"target_new_customers": 2}),
                ]
            }
        )
        self.assertEqual(
            (january.target_new_customers, february.target_new_customers), (0, 2)
        )
        # A month without its quarter.
        with self.assertRefused(ValidationError, "2028-01 has no quarter line"):
            plan.write(
                {
                    "line_ids": [
                        Command.create(
                            {"period_type": "month", "period_start": "2028-01-01"}
                        )
                    ]
                }
            )
        with self.assertRefused(ValidationError, "first day"):
            plan.write(
                {
                    "line_ids": [
                        Command.create(
                            {"period_type": "quarter", "period_start": "2027-02-01"}
                        )
                    ]
                }
            )

    def test_submit_needs_every_quarter_and_month(self):
        plan = self._plan(self.user_sales, user_id=self.user_sales.id)
        with self.assertRefused(ValidationError, "four quarters and twelve months"):
            plan.action_submit()
        self.assertEqual(plan.state, "draft")
        plan.action_split_evenly()
        plan.action_submit()
        self.assertEqual(plan.state, "submitted")
        activity = self.env["mail.activity"].search(
            [("res_model", "=", plan._name), ("res_id", "=", plan.id)]
        )
        self.assertEqual(activity.user_id, self.user_manager, "the manager approves")

    def test_who_approves(self):
        """A salesperson's plan is approved by the department manager, a
        department's by a Director; nobody approves their own."""
        plan = self._plan(self.user_sales, user_id=self.user_sales.id)
        plan.action_split_evenly()
        plan.action_submit()
        for user in (self.user_sales, self.user_manager_2):
            with self.assertRaises(AccessError):
                plan.with_user(user).action_approve()
        plan.with_user(self.user_manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approver_id, self.user_manager)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", plan._name), ("res_id", "=", plan.id)]
            ),
            "the approval activity is done",
        )

        team_plan = self._plan(self.user_manager, team_id=self.team.id)
        team_plan.action_split_evenly()
        team_plan.action_submit()
        with self.assertRaises(AccessError):
            team_plan.with_user(self.user_manager).action_approve()
        team_plan.with_user(self.user_director).action_approve()
        self.assertEqual(team_plan.state, "approved")
        # A salesperson cannot draw up a colleague's or a department's plan.
        with self.assertRaises(AccessError):
            self._plan(self.user_sales, user_id=self.user_sales_2.id, year=2028)
        with self.assertRaises(AccessError):
            self._plan(self.user_sales, team_id=self.other_team.id, year=2028)
        # One plan a year.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._plan(self.user_sales, user_id=self.user_sales.id)

    def test_approved_plan_is_read_only_but_for_a_director(self):
        plan = self.plan
        self.assertEqual(plan.state, "approved")
        for user in (self.user_sales, self.user_manager):
            with self.assertRefused(UserError, "only a Director may change it"):
                plan.with_user(user).focus = "More visits"
            with self.assertRefused(UserError, "only a Director may change it"):
                plan.line_ids[0].with_user(user).target_visits = 3
            with self.assertRefused(UserError, "Submit and Approve"):
                plan.with_user(user).write({"state": "draft"})
        # Nor around the approval: the department decides who approves.
        draft = self._plan(self.user_sales, user_id=self.user_sales.id)
        with self.assertRefused(UserError, "kept by the plan itself"):
            draft.with_user(self.user_sales).department_id = self.other_team
        self.assertEqual(draft.department_id, self.team)
        plan.with_user(self.user_director).focus = "Key accounts in Pudong"
        self.assertEqual(plan.focus, "Key accounts in Pudong")
        with self.assertRaises(AccessError):
            plan.with_user(self.user_manager).action_reset_to_draft()
        plan.with_user(self.user_director).action_reset_to_draft()
        self.assertEqual(plan.state, "draft")

    def test_actuals_match_the_records(self):
        """The fixture's plan: January saw 2 customers registered by user_sales,
        2 counted visits (one to the other department's customer: a
        salesperson's plan counts all their visits), 100,000 signed and nothing
        paid; February no new customer, 2 visits, 50,000 signed and 60,000
        paid."""
        plan = self.plan
        january = self._line(plan, "month", "2026-01-01")
        february = self._line(plan, "month", "2026-02-01")
        quarter = self._line(plan, "quarter", "2026-01-01")
        self.assertEqual(
            (
                january.actual_new_customers,
                january.actual_visits,
                january.actual_contract_amount,
                january.actual_payment_amount,
            ),
            (2, 2, 100000.0, 0.0),
        )
        self.assertEqual(
            (
                february.actual_new_customers,
                february.actual_visits,
                february.actual_contract_amount,
                february.actual_payment_amount,
            ),
            (0, 2, 50000.0, 60000.0),
        )
        self.assertEqual(
            (
                quarter.actual_new_customers,
                quarter.actual_visits,
                quarter.actual_contract_amount,
                quarter.actual_payment_amount,
            ),
            (2, 4, 150000.0, 60000.0),
        )
        # January's targets: 1 customer, 2 visits, 100,000 and 100,000.
        self.assertEqual(january.achievement_new_customers, 200.0)
        self.assertEqual(january.achievement_visits, 100.0)
        self.assertEqual(january.achievement_contract_amount, 100.0)
        self.assertEqual(january.achievement_payment_amount, 0.0)
        self.assertEqual(january.achievement_rate, (200 + 100 + 100 + 0) / 4)
        self.assertEqual(plan.actual_contract_amount, 150000.0)
        # A department's plan counts the department's records.
        team_plan = self._plan(
            self.user_manager_2, team_id=self.other_team.id, year=2026
        )
        team_plan.action_split_evenly()
        team_january = self._line(team_plan, "month", "2026-01-01")
        # customer_b1 registered, visited by its owner and by user_sales.
        self.assertEqual(
            (team_january.actual_new_customers, team_january.actual_visits), (1, 2)
        )

    def _actuals_queries(self, plans):
        """Queries to compute, from a cold cache, the actuals of ``plans`` and
        of all their quarters and months."""
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        plans.mapped("actual_contract_amount")
        plans.line_ids.mapped("actual_contract_amount")
        return self.cr.sql_log_count - before

    def test_actuals_of_many_plans_in_constant_queries(self):
        """Each query on the KPI report costs as much as building the view: the
        actuals of 6 plans (4 of them in 2026: two salespeople's, two
        departments') and their lines cost the queries of 2, and each plan
        still gets its own owner's figures."""
        sales_2 = self._plan(user_id=self.user_sales_2.id, year=2026)
        other_team = self._plan(team_id=self.other_team.id, year=2026)
        team = self._plan(team_id=self.team.id, year=2026)
        later = self._plan(user_id=self.user_sales.id, year=2027)
        later_2 = self._plan(user_id=self.user_sales_2.id, year=2027)
        few = self.plan | other_team
        many = few | sales_2 | team | later | later_2
        for plan in many - self.plan:
            plan.action_split_evenly()
        self.env.flush_all()
        self._actuals_queries(few)  # warm the registry's caches
        queries = self._actuals_queries(few)
        self.assertEqual(self._actuals_queries(many), queries)
        self.assertEqual(len(many.line_ids), 6 * 16)
        # The figures of the fixture (see CustomerKpiCase), owner by owner.
        january = {plan: self._line(plan, "month", "2026-01-01") for plan in many - few}
        self.assertEqual(
            (self.plan.actual_new_customers, self.plan.actual_visits),
            (2, 4),
        )
        self.assertEqual(self.plan.actual_contract_amount, 150000.0)
        self.assertEqual(
            (
                self._line(self.plan, "quarter", "2026-01-01").actual_payment_amount,
                self._line(other_team, "month", "2026-01-01").actual_new_customers,
                self._line(other_team, "month", "2026-01-01").actual_visits,
            ),
            (60000.0, 1, 2),
        )
        self.assertEqual(
            (
                january[sales_2].actual_new_customers,
                january[sales_2].actual_visits,
                january[sales_2].actual_contract_amount,
            ),
            (1, 1, 0.0),
        )
        self.assertEqual(january[team].actual_new_customers, 2)
        self.assertEqual(
            later.line_ids.mapped("actual_contract_amount")
            + later_2.line_ids.mapped("actual_visits"),
            [0.0] * 16 + [0] * 16,
        )
        self.assertEqual((later.actual_visits, later.achievement_rate), (0, 0.0))
