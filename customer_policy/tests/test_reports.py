from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase, CustomerVisitCase


@tagged("post_install", "-at_install")
class TestVisitComplianceReport(CustomerVisitCase):
    """Per salesperson and department: visits required this period, done, rate,
    customers below their minimum."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Strategic: 3 visits a month; general: 1 a quarter (restated here).
        cls.tier_strategic.write({"visit_min_count": 3, "visit_period": "month"})
        cls.tier_general.write({"visit_min_count": 1, "visit_period": "quarter"})
        cls.user_other = new_test_user(
            cls.env, login="cp_report_other", groups="customer_policy.group_user"
        )
        cls.team.member_ids = [(4, cls.user_other.id)]
        cls.other_strategic = cls._customer(
            "另一战略客户有限公司", cls.tier_strategic, user=cls.user_other
        )

    def _done_visits(self, customer, count, day):
        for index in range(count):
            self._visit(customer, when=f"2026-02-{day + index:02d} 02:00:00")

    def _totals(self, domain):
        Report = self.env["customer.visit.compliance.report"].with_user(
            self.user_manager
        )
        return Report._read_group(
            domain,
            [],
            [
                "required_count:sum",
                "done_count:sum",
                "compliance_rate:avg",
                "below_minimum_count:sum",
                "customer_count:sum",
            ],
        )[0]

    @freeze_time("2026-02-20 04:00:00")
    def test_required_done_rate_below(self):
        # user_sales: strategic 2 of 3 done, general 0 of 1; user_other: 4 of 3.
        self._done_visits(self.customer_strategic, 2, 2)
        self._done_visits(self.other_strategic, 4, 2)
        sales = self._totals([("user_id", "=", self.user_sales.id)])
        # Required 3 + 1; done 2 + 0; 2 of the 4 required visits made: 50 %.
        self.assertEqual(sales[0], 4)
        self.assertEqual(sales[1], 2)
        self.assertAlmostEqual(sales[2], 50.0)
        self.assertEqual(sales[3], 2)
        self.assertEqual(sales[4], 2)
        other = self._totals([("user_id", "=", self.user_other.id)])
        # A fourth visit does not make up for anyone's missing one: 3/3 = 100 %.
        self.assertEqual(other[:4], (3, 4, 100.0, 0))
        department = self._totals([("team_id", "=", self.team.id)])
        # Required 7, credited 2 + 3 = 5: 71.43 %, two customers below minimum.
        self.assertEqual(department[0], 7)
        self.assertAlmostEqual(department[2], 500 / 7)
        self.assertEqual(department[3], 2)

    def test_customers_without_a_rule_are_left_out(self):
        Report = self.env["customer.visit.compliance.report"]
        partners = Report.search([]).partner_id
        self.assertNotIn(self.customer_untiered, partners)
        self.assertIn(self.customer_general, partners)

    def test_who_reads_it(self):
        Report = self.env["customer.visit.compliance.report"]
        with self.assertRaises(AccessError):
            Report.with_user(self.user_sales).search([])
        # A manager of another department sees none of this one's rows.
        other_manager = new_test_user(
            self.env, login="cp_report_manager", groups="customer_policy.group_manager"
        )
        self.env["crm.team"].create({"name": "另一部门", "user_id": other_manager.id})
        self.assertFalse(
            Report.with_user(other_manager).search(
                [("partner_id", "=", self.customer_strategic.id)]
            )
        )
        self.assertTrue(
            Report.with_user(self.user_manager).search(
                [("partner_id", "=", self.customer_strategic.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestComplaintReport(ComplaintCase):
    """Counts, on-time response rate and resolution rate, by month."""

    def _rates(self, domain=None, groupby=()):
        Report = self.env["customer.complaint.report"].with_user(self.user_director)
        return Report._read_group(
            [("partner_id", "=", self.customer.id), *(domain or [])],
            list(groupby),
            ["ticket_count:sum", "on_time_rate:avg", "resolution_rate:avg"],
        )

    @freeze_time("2026-01-26 08:00:00")
    def test_rates_count_what_applies(self):
        # Monday 10:00 Shanghai (02:00 UTC): a major ticket is due at 12:00.
        received = datetime(2026, 1, 26, 2, 0)
        on_time = self._ticket(severity="major", received_at=received)
        on_time.first_response_at = datetime(2026, 1, 26, 3, 0)
        on_time.action_contacted()
        on_time.write({"root_cause": "传感器老化", "solution": "更换传感器"})
        on_time.action_resolve()
        late = self._ticket(severity="major", received_at=received)
        late.first_response_at = datetime(2026, 1, 26, 5, 0)
        # Unanswered at 16:00, four hours past its deadline.
        self._ticket(severity="major", received_at=received)
        # Unanswered, but a normal request has 24 working hours: not late yet.
        self._ticket(severity="normal", received_at=received)
        cancelled = self._ticket(severity="major", received_at=received)
        cancelled.action_cancel()
        self.env.flush_all()
        [(count, on_time_rate, resolution_rate)] = self._rates()
        self.assertEqual(count, 5)
        # On time: 1 of the 3 whose deadline has come.
        self.assertAlmostEqual(on_time_rate, 100 / 3)
        # Resolved: 1 of the 4 not cancelled.
        self.assertAlmostEqual(resolution_rate, 25.0)
        self.assertEqual(late.state, "new")

    @freeze_time("2026-03-10 08:00:00")
    def test_by_month(self):
        january = self._ticket(received_at=datetime(2026, 1, 26, 2, 0))
        january.first_response_at = datetime(2026, 1, 26, 3, 0)
        self._ticket(received_at=datetime(2026, 2, 2, 2, 0))
        self._ticket(received_at=datetime(2026, 2, 3, 2, 0))
        self.env.flush_all()
        rows = self._rates(groupby=["received_at:month"])
        by_month = {month.month: (count, on_time) for month, count, on_time, _r in rows}
        self.assertEqual(by_month[1], (1, 100.0))
        # February: two requests, neither answered, both past their deadline.
        self.assertEqual(by_month[2], (2, 0.0))

    def test_the_analysis_opens_on_counts_and_rates_by_month(self):
        view = self.env.ref("customer_policy.view_customer_complaint_report_pivot")
        measures = [
            node.get("name")
            for node in view._get_combined_arch().iter("field")
            if node.get("type") == "measure"
        ]
        self.assertEqual(measures, ["ticket_count", "on_time_rate", "resolution_rate"])
        menu = self.env.ref("customer_policy.menu_customer_complaint_analysis")
        self.assertEqual(menu.action.res_model, "customer.complaint.report")


@tagged("post_install", "-at_install")
class TestTierAnalysis(CustomerVisitCase):
    def test_counts_customers(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_tier_analysis"
        )
        self.assertIn("'pivot_measures': ['__count'", action["context"])
        counts = dict(
            self.env["res.partner"]._read_group(
                [
                    ("customer_policy_managed", "=", True),
                    ("id", "in", (self.customer_strategic | self.customer_general).ids),
                ],
                ["customer_tier_id"],
                ["__count"],
            )
        )
        self.assertEqual(counts[self.tier_strategic], 1)
        self.assertEqual(counts[self.tier_general], 1)
