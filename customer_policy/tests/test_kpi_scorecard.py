from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CustomerKpiCase


@tagged("post_install", "-at_install")
class TestKpiScorecard(CustomerKpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The shipped defaults, restated so that the expected scores read here.
        cls.company.write(
            {
                "kpi_weight_development": 30,
                "kpi_weight_service": 25,
                "kpi_weight_relationship": 20,
                "kpi_weight_sales": 25,
                "kpi_target_new_customers": 2,
                "kpi_target_contract_amount": 100000,
                "kpi_target_payment_amount": 100000,
                "kpi_target_resolution_rate": 90,
                "kpi_target_response_hours": 24,
                "kpi_target_satisfaction": 4,
                "kpi_target_visit_compliance": 100,
                "kpi_target_churn_rate": 5,
                "kpi_target_repeat_rate": 20,
                "kpi_max_adjustment": 10,
            }
        )

    def _card(self, user, period_type="month", start="2026-01-01", by=None):
        return (
            self.env["customer.kpi.scorecard"]
            .with_user(by or self.user_manager)
            .create(
                {"user_id": user.id, "period_type": period_type, "period_start": start}
            )
        )

    def test_january_scores(self):
        """user_sales in January: 2 customers for a target of 1 (development
        100); 2 of 2 tickets resolved in 2 hours on average, rated 4 (service
        100); 1 of 2 required visits (50), no customer lost (100), no repeat
        purchase against 20 % (0): relationship 50; 100,000 signed of 100,000
        and nothing paid of 100,000: sales 50. Total (30×100 + 25×100 + 20×50 +
        25×50) / 100 = 77.5."""
        card = self._card(self.user_sales)
        self.assertEqual(card.team_id, self.team)
        self.assertEqual(
            (
                card.new_customers,
                card.target_new_customers,
                card.visits_done,
                card.visits_required,
                card.visit_compliance,
                card.complaints_received,
                card.resolution_rate,
                card.avg_first_response_hours,
                card.satisfaction_avg,
                card.customers_owned,
                card.customers_lost,
                card.contract_amount,
                card.target_contract_amount,
                card.payment_amount,
            ),
            (2, 1, 2, 2, 50.0, 2, 100.0, 2.0, 4.0, 2, 0, 100000.0, 100000.0, 0.0),
        )
        self.assertEqual(
            (
                card.development_score,
                card.service_score,
                card.relationship_score,
                card.sales_score,
            ),
            (100.0, 100.0, 50.0, 50.0),
        )
        self.assertEqual(card.total_score, 77.5)
        self.assertEqual(card.final_score, 77.5)
        # The manager adjusts, with a reason, within 10 points.
        with self.assertRefused(ValidationError, "reason"):
            card.with_user(self.user_manager).adjustment = 5
        with self.assertRefused(ValidationError, "at most 10"):
            card.with_user(self.user_manager).write(
                {"adjustment": 12, "adjustment_reason": "Great year"}
            )
        card.with_user(self.user_manager).write(
            {
                "adjustment": 5,
                "adjustment_reason": "Took over a difficult key account",
                "manager_comment": "Visit more often.",
            }
        )
        self.assertEqual(card.final_score, 82.5)
        # The figures and scores are the records', not anybody's to write.
        with self.assertRefused(UserError, "come from the records"):
            card.with_user(self.user_manager).total_score = 100
        # The salesperson reads their scorecard, does not score themselves.
        self.assertEqual(card.with_user(self.user_sales).final_score, 82.5)
        with self.assertRaises(AccessError):
            card.with_user(self.user_sales).adjustment = 10
        with self.assertRaises(AccessError):
            card.with_user(self.user_sales_2).read(["final_score"])
        with self.assertRaises(AccessError):
            card.with_user(self.user_manager_2).action_confirm()

    def test_confirmed_scorecard_is_frozen(self):
        card = self._card(self.user_sales)
        draft = self._card(self.user_sales, start="2026-02-01")
        card.with_user(self.user_manager).action_confirm()
        self.assertEqual(card.state, "confirmed")
        self.assertEqual(card.confirmed_by_id, self.user_manager)
        # The missing January visit is recorded afterwards.
        self.env["customer.visit"].create(
            {
                "partner_id": self.customer_a1.id,
                "user_id": self.user_sales.id,
                "planned_date": "2026-01-28 02:00:00",
                "state": "done",
                "done_date": "2026-01-28 02:00:00",
                "summary": "Late entry",
                "customer_feedback": "Fine",
            }
        )
        self.env["customer.complaint"].create(
            {
                "partner_id": self.customer_a1.id,
                "user_id": self.user_sales.id,
                "received_at": "2026-01-29 02:00:00",
            }
        )
        self.env.flush_all()
        row = self._rows(self.user_sales)[self.user_sales, self.team, "2026-01-01"]
        self.assertEqual((row.visits_compliant, row.complaints_received), (2, 3))
        card.invalidate_recordset()
        self.assertEqual(
            (card.visits_compliant, card.visit_compliance, card.complaints_received),
            (1, 50.0, 2),
        )
        self.assertEqual(card.total_score, 77.5)
        with self.assertRefused(UserError, "frozen"):
            card.with_user(self.user_manager).adjustment = 1
        with self.assertRefused(UserError, "Only a draft"):
            card.with_user(self.user_manager).action_refresh()
        with self.assertRaises(AccessError):
            card.with_user(self.user_manager).action_reset_to_draft()
        # A draft one follows the records when refreshed.
        feb_before = draft.complaints_received
        self.env["customer.complaint"].create(
            {
                "partner_id": self.customer_a1.id,
                "user_id": self.user_sales.id,
                "received_at": "2026-02-27 02:00:00",
            }
        )
        draft.with_user(self.user_manager).action_refresh()
        self.assertEqual(draft.complaints_received, feb_before + 1)
        # A Director reopens the confirmed one: it reads the records again.
        card.with_user(self.user_director).action_reset_to_draft()
        card.with_user(self.user_manager).action_refresh()
        self.assertEqual((card.visits_compliant, card.complaints_received), (2, 3))

    def test_yearly_ranking_and_awards(self):
        """2026 of the two salespeople. user_sales: development 2 of 12 customers
        (16.67), service 2 of 3 tickets resolved against 90 % (74.07) with
        2 hours and a 4 (100, 100): 91.36; relationship 1 customer of 3 lost
        (70.18), a repeat buyer of 2 customers (100) and few of the visits the
        tiers require. user_sales_2: 1 of 24 customers (4.17), no ticket (100),
        no customer lost (100) and none buying again (0): 50, no sale (0).
        Totals about 42 and 36.25: user_sales first; the development and
        relationship awards to user_sales, the service award to user_sales_2."""
        a_card = self._card(self.user_sales, "year", by=self.user_director)
        b_card = self._card(self.user_sales_2, "year", by=self.user_director)
        self.assertAlmostEqual(a_card.development_score, 100 * 2 / 12, places=2)
        self.assertAlmostEqual(
            a_card.service_score, (100 * (200 / 3) / 90 + 100 + 100) / 3, places=1
        )
        self.assertAlmostEqual(b_card.development_score, 100 * 1 / 24, places=2)
        self.assertEqual(b_card.service_score, 100.0)
        self.assertEqual(b_card.relationship_score, 50.0)
        self.assertEqual(b_card.sales_score, 0.0)
        self.assertEqual(b_card.total_score, 36.25)
        a_card.with_user(self.user_director).action_confirm()
        self.assertEqual(a_card.rank, 1, "alone for now")
        self.assertFalse(b_card.rank, "a draft is not ranked")
        b_card.with_user(self.user_director).action_confirm()
        self.assertEqual((a_card.rank, b_card.rank), (1, 2))
        self.assertEqual(
            (a_card.award_development, a_card.award_service, a_card.award_relationship),
            (True, False, True),
        )
        self.assertEqual(
            (b_card.award_development, b_card.award_service, b_card.award_relationship),
            (False, True, False),
        )

    def test_generate_for_a_department(self):
        wizard = (
            self.env["customer.kpi.scorecard.generate"]
            .with_user(self.user_manager)
            .create({"period_type": "quarter", "date": "2026-02-14"})
        )
        self.assertEqual(wizard.team_ids, self.team)
        action = wizard.action_generate()
        cards = self.env["customer.kpi.scorecard"].search(action["domain"])
        self.assertEqual(cards.user_id, self.user_sales)
        self.assertEqual(str(cards.period_start), "2026-01-01")
        self.assertEqual(cards.new_customers, 2)
        # Twice: nothing more.
        again = wizard.action_generate()
        self.assertEqual(
            self.env["customer.kpi.scorecard"].search(again["domain"]), cards
        )
        with self.assertRefused(UserError, "departments you lead"):
            self.env["customer.kpi.scorecard.generate"].with_user(
                self.user_manager
            ).create(
                {"date": "2026-02-14", "team_ids": [(6, 0, self.other_team.ids)]}
            ).action_generate()
