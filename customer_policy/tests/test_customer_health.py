"""Relationship health and the churn warning.

The expected scores are computed here by hand from the formula of the readme
(default settings: weights satisfaction 30, frequency 20, loyalty 10,
interaction 25, complaints 15; full frequency at 2 agreements a year, full
loyalty at 5 years, zero interaction at 90 days, zero complaints at 5; high risk
below 30, medium below 50; warnings: a drop of more than 15 points, a renewal
within 60 days, 3 complaints in 30 days).
"""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import CustomerPolicyCase

TODAY = "2026-06-15 02:00:00"


class CustomerHealthCase(CustomerPolicyCase):
    """Customers seeded with ratings, agreements, contacts and complaints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.tier_strategic | cls.tier_key).write(
            {"requires_project_team": False, "requires_senior_owner": False}
        )
        cls.company.write(
            {
                "customer_health_weight_satisfaction": 30,
                "customer_health_weight_frequency": 20,
                "customer_health_weight_loyalty": 10,
                "customer_health_weight_interaction": 25,
                "customer_health_weight_complaint": 15,
                "customer_health_frequency_target": 2.0,
                "customer_health_loyalty_years": 5,
                "customer_health_interaction_days": 90,
                "customer_health_complaint_max": 5,
                "customer_churn_high_below": 30,
                "customer_churn_medium_below": 50,
                "customer_churn_drop_points": 15,
                "customer_churn_renewal_days": 60,
                "customer_churn_complaint_spike": 3,
            }
        )
        cls.activity_type = cls.env.ref("customer_policy.mail_activity_type_churn_risk")
        cls.reasons = {
            reason.code: reason
            for reason in cls.env["customer.churn.reason"].search([])
        }

    @classmethod
    def _agreement(cls, customer, start, signed=None, end=None, state="active", **vals):
        agreement = cls.env["customer.agreement"].create(
            {
                "partner_id": customer.id,
                "title": "Maintenance",
                "date_start": start,
                "date_signed": signed or start,
                "date_end": end,
                **vals,
            }
        )
        agreement.write({"state": state})
        return agreement

    @classmethod
    def _done_visit(cls, customer, when, visit_type="visit", **vals):
        return cls.env["customer.visit"].create(
            {
                "partner_id": customer.id,
                "planned_date": when,
                "visit_type": visit_type,
                "summary": "Reviewed the service",
                "customer_feedback": "Fine",
                "state": "done",
                "done_date": when,
                **vals,
            }
        )

    @classmethod
    def _complaint(cls, customer, received, **vals):
        return cls.env["customer.complaint"].create(
            {"partner_id": customer.id, "received_at": received, **vals}
        )

    def _snapshots(self, partners):
        return self.env["customer.health.snapshot"].search(
            [("partner_id", "in", partners.ids)], order="partner_id, month"
        )


@tagged("post_install", "-at_install")
class TestCustomerHealth(CustomerHealthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A: rated 5 (a complaint) and 4 (a visit), three agreements in three
        # years, the first started two years ago, visited 10 days ago, one
        # complaint this year.
        cls.healthy = cls._customer("健康客户有限公司", cls.tier_general)
        cls._agreement(cls.healthy, "2024-06-15", end="2027-12-31")
        cls._agreement(cls.healthy, "2025-03-01", state="expired", end="2025-12-31")
        cls._agreement(cls.healthy, "2026-01-10", end="2026-12-31")
        cls._done_visit(cls.healthy, "2026-06-05 02:00:00", satisfaction="4")
        cls._complaint(cls.healthy, "2026-02-01 02:00:00", satisfaction="5")
        # B: no rating, one agreement started a year ago, ending in 46 days
        # without renewal, with an overdue installment; a call 60 days ago
        # (key tier: 2 visits a month, 15 days at most); 3 complaints this month.
        cls.at_risk = cls._customer("风险客户有限公司", cls.tier_key)
        cls._agreement(
            cls.at_risk,
            "2025-06-15",
            signed="2025-06-10",
            end="2026-07-31",
            amount_total=1000.0,
            installment_ids=[
                fields.Command.create({"due_date": "2026-05-01", "amount": 1000.0})
            ],
        )
        cls._done_visit(cls.at_risk, "2026-04-16 02:00:00", visit_type="phone")
        for day in ("2026-06-01", "2026-06-05", "2026-06-10"):
            cls._complaint(cls.at_risk, f"{day} 02:00:00")
        # C: visited today, nothing else, but 90 in March.
        cls.falling = cls._customer("下滑客户有限公司", cls.tier_general)
        cls._done_visit(cls.falling, "2026-06-15 01:00:00")
        cls.env["customer.health.snapshot"].create(
            {"partner_id": cls.falling.id, "month": "2026-03-01", "health_score": 90}
        )
        # D: no tier, never contacted, registered 30 days ago.
        cls.quiet = cls._customer("沉默客户有限公司", registration_date="2026-05-16")
        cls.customers = cls.healthy | cls.at_risk | cls.falling | cls.quiet

    def _run(self):
        with freeze_time(TODAY):
            self.env["customer.agreement.installment"]._cron_installment_daily()
            self.env["res.partner"]._cron_customer_health()

    def test_hand_computed_scores_and_risks(self):
        self._run()
        # A: S = (100 + 75) / 2 = 87.5; F = 3 / 3 = 1 a year -> 50; L = 730 days
        # = 2 years -> 40; I = 10 days -> 100 x 80/90 = 88.89; C = 1 -> 80.
        # (30 x 87.5 + 20 x 50 + 10 x 40 + 25 x 88.89 + 15 x 80) / 100 = 74.47
        # B: S = 50 (no rating); F = 1/3 a year -> 16.67; L = 365 days -> 20;
        # I = 60 days -> 33.33; C = 3 -> 40.
        # (1500 + 333.33 + 200 + 833.33 + 600) / 100 = 34.67
        # C: S 50, F 0, L 0, I 0 days -> 100, C 0 -> 100: (1500 + 2500 + 1500)
        # / 100 = 55
        # D: S 50, F 0, L 0, I 30 days -> 66.67, C 100: (1500 + 1666.67 + 1500)
        # / 100 = 46.67
        expected = {
            self.healthy: (87.5, 1.0, 2.0, 10, 1, 74, "low", set()),
            self.at_risk: (
                50.0,
                0.33,
                1.0,
                60,
                3,
                35,
                "high",
                {"no_contact", "overdue", "renewal", "complaint_spike"},
            ),
            self.falling: (50.0, 0.0, 0.0, 0, 0, 55, "medium", {"health_drop"}),
            self.quiet: (50.0, 0.0, 0.0, 30, 0, 47, "medium", set()),
        }
        for customer, values in expected.items():
            with self.subTest(customer=customer.name):
                self.assertEqual(
                    (
                        customer.satisfaction_score,
                        customer.purchase_frequency,
                        customer.loyalty_years,
                        customer.interaction_days,
                        customer.complaint_rate,
                        customer.health_score,
                        customer.churn_risk,
                        set(customer.churn_reasons.mapped("code")),
                    ),
                    values,
                )
                self.assertEqual(customer.health_date, date(2026, 6, 15))

    def test_snapshot_per_month_unchanged_by_a_second_run(self):
        self._run()
        june = self._snapshots(self.customers).filtered(
            lambda s: s.month == date(2026, 6, 1)
        )
        self.assertEqual(len(june), 4)
        self.assertEqual(
            {s.partner_id: s.health_score for s in june},
            {self.healthy: 74, self.at_risk: 35, self.falling: 55, self.quiet: 47},
        )
        self.assertEqual(
            june.filtered(lambda s: s.partner_id == self.at_risk).team_id, self.team
        )
        before = june.read(["health_score", "churn_risk", "write_date"])
        # The cron again the same day, and a forced refresh: nothing changes.
        self._run()
        with freeze_time(TODAY):
            self.customers._customer_policy_refresh_health()
        self.env.invalidate_all()
        again = self._snapshots(self.customers).filtered(
            lambda s: s.month == date(2026, 6, 1)
        )
        self.assertEqual(again, june)
        self.assertEqual(
            again.read(["health_score", "churn_risk", "write_date"]), before
        )
        # Next month: a second row per customer, June kept.
        with freeze_time("2026-07-02 02:00:00"):
            self.env["res.partner"]._cron_customer_health()
        snapshots = self._snapshots(self.customers)
        self.assertEqual(len(snapshots), 4 * 2 + 1)  # + C's March
        self.assertEqual(
            snapshots.filtered(lambda s: s.month == date(2026, 7, 1)).partner_id,
            self.customers,
        )

    def test_owner_told_once_per_change_to_high(self):
        self._run()
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "=", self.at_risk.id),
            ("activity_type_id", "=", self.activity_type.id),
        ]
        activity = self.env["mail.activity"].search(domain)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_sales)
        self.assertIn("35", activity.summary)
        self.assertIn("Overdue Payments", activity.summary)
        # Still high the next day: nothing new.
        with freeze_time("2026-06-16 02:00:00"):
            self.env["res.partner"]._cron_customer_health()
        self.assertEqual(self.env["mail.activity"].search_count(domain), 1)
        # Back to medium, the owner acted; high again: a new activity.
        activity.action_feedback(feedback="Called the customer")
        self.at_risk.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET churn_risk = 'medium' WHERE id = %s",
            [self.at_risk.id],
        )
        self.at_risk.invalidate_recordset()
        with freeze_time("2026-06-17 02:00:00"):
            self.env["res.partner"]._cron_customer_health()
        self.assertEqual(self.env["mail.activity"].search_count(domain), 1)
        self.assertNotEqual(self.env["mail.activity"].search(domain), activity)
        # Nobody else was told.
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", (self.customers - self.at_risk).ids),
                    ("activity_type_id", "=", self.activity_type.id),
                ]
            )
        )

    def test_manager_digest_lists_high_risk_customers(self):
        self._run()
        self.env["ir.config_parameter"].set_param(
            "customer_policy.visit_digest_date", ""
        )
        with freeze_time(TODAY):
            self.env["res.partner"]._customer_policy_send_visit_digests(
                date(2026, 6, 15)
            )
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.users"), ("res_id", "=", self.user_manager.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("high risk of churn", mail.body_html)
        self.assertIn(self.at_risk.name, mail.body_html)
        self.assertNotIn(self.healthy.name, mail.body_html)
        self.assertIn(
            "/odoo/action-customer_policy.action_customer_at_risk", mail.body_html
        )

    def test_digest_caps_the_list(self):
        self._run()
        self.env["res.partner"].flush_model()
        extra = self.env["res.partner"]
        for i in range(22):
            extra |= self._customer(f"高风险客户 {i:02d}")
        extra.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET churn_risk = 'high', health_score = 10 "
            "WHERE id = ANY(%s)",
            [extra.ids],
        )
        self.env.invalidate_all()
        sections = self.env["res.partner"]._customer_policy_digest_sections(
            date(2026, 6, 15)
        )
        html = "".join(str(section) for section in sections[self.user_manager.id])
        self.assertEqual(html.count("高风险客户"), 20)
        # 22 + B are high: 20 shown, 3 more.
        self.assertIn("… and 3 more", html)

    def test_satisfaction_sources_can_be_extended(self):
        """The hook's queries are averaged: a source added by another addon
        moves the score like the core's."""
        Partner = self.env["res.partner"]
        self.env.flush_all()
        with freeze_time(TODAY):
            facts = self.healthy._customer_policy_health_facts(date(2026, 6, 15))
        # Two ratings, 100 and 75.
        self.assertEqual(facts[0][-2:], (2, 87.5))
        # An addon's source rating the customer 0 (as a very bad survey answer).
        sources = Partner._customer_policy_satisfaction_sources
        extra = SQL("SELECT %s, 0::numeric", self.healthy.id)
        with (
            patch.object(
                type(Partner),
                "_customer_policy_satisfaction_sources",
                lambda model, date_from: sources(date_from) + [extra],
            ),
            freeze_time(TODAY),
        ):
            facts = self.healthy._customer_policy_health_facts(date(2026, 6, 15))
        # Three ratings: (100 + 75 + 0) / 3.
        self.assertEqual(facts[0][-2], 3)
        self.assertAlmostEqual(float(facts[0][-1]), 175 / 3, places=6)


@tagged("post_install", "-at_install")
class TestCustomerHealthSettings(CustomerHealthCase):
    def test_weights_must_add_up_to_100(self):
        with self.assertRefused(ValidationError, "add up to 100"):
            self.company.customer_health_weight_loyalty = 20
        with self.assertRefused(ValidationError, "add up to 100"):
            self.company.write(
                {
                    "customer_health_weight_loyalty": 40,
                    "customer_health_weight_satisfaction": 0,
                    "customer_health_weight_complaint": -15,
                }
            )

    def test_settings_change_several_weights_at_once(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.customer_health_weight_total, 100)
        settings.customer_health_weight_satisfaction = 40
        settings.customer_health_weight_loyalty = 0
        self.assertEqual(settings.customer_health_weight_total, 100)
        settings.save().execute()
        self.assertEqual(self.company.customer_health_weight_satisfaction, 40)
        self.assertEqual(self.company.customer_health_weight_loyalty, 0)
        settings = Form(self.env["res.config.settings"])
        settings.customer_health_weight_satisfaction = 45
        with self.assertRefused(ValidationError, "now 105"):
            settings.save().execute()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.customer_health_weight_satisfaction, 40)

    def test_thresholds_in_order(self):
        with self.assertRefused(ValidationError, "high one below the medium"):
            self.company.customer_churn_high_below = 70

    def test_weights_change_the_score(self):
        customer = self._customer("权重客户有限公司", registration_date="2026-06-15")
        self.company.write(
            {
                "customer_health_weight_satisfaction": 0,
                "customer_health_weight_interaction": 55,
            }
        )
        with freeze_time(TODAY):
            customer._customer_policy_refresh_health()
        # S 50 x 0 + I 100 x 55 + C 100 x 15: 70
        self.assertEqual(customer.health_score, 70)
        self.assertEqual(customer.churn_risk, "low")


@tagged("post_install", "-at_install")
class TestCustomerHealthQueries(CustomerHealthCase):
    """The nightly check's queries do not grow with the customers: the worst
    case is the first run, every customer turning high with an activity."""

    def _at_risk_customers(self, count, label):
        customers = self.env["res.partner"]
        for i in range(count):
            customers |= self._customer(
                f"{label} {i}", self.tier_key, registration_date="2026-01-05"
            )
        return customers

    def _counted_run(self, customers, queries):
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(TODAY):
            if queries is None:
                self.env["res.partner"]._cron_customer_health()
            else:
                with self.assertQueryCount(queries):
                    self.env["res.partner"]._cron_customer_health()
        self.assertEqual(set(customers.mapped("churn_risk")), {"high"})
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", customers.ids),
                    ("activity_type_id", "=", self.activity_type.id),
                ]
            ),
            len(customers),
        )

    def test_query_count_worst_case(self):
        # The demo and the fixtures scored first: each run below scores only the
        # customers created before it.
        with freeze_time(TODAY):
            self.env["res.partner"]._cron_customer_health()
        # Key tier, 161 days without contact: health (1500 + 1500) / 100 = 30 and
        # one reason (no contact): high below 31.
        self.company.customer_churn_high_below = 31
        # A first run fills Odoo's caches (models, activity types, rules).
        self._counted_run(self._at_risk_customers(1, "预热"), None)
        # Three of them are the run's lock against two runs at once.
        # The owner follows the customers in one statement and the activities
        # are one INSERT with every column (28 through mail.activity.create(),
        # which checked that the last owner follows, 3 reads, and UPDATEd the
        # computed columns).
        self._counted_run(self._at_risk_customers(3, "三个"), 24)
        self._counted_run(self._at_risk_customers(9, "九个"), 24)

    def test_batches(self):
        """A call scores ``limit`` customers and reports the rest."""
        customers = self._at_risk_customers(3, "分批")
        with freeze_time(TODAY):
            self.env["res.partner"]._cron_customer_health()
            self.env["res.partner"].flush_model()
            self.env.cr.execute(
                "UPDATE res_partner SET health_date = NULL WHERE id = ANY(%s)",
                [customers.ids],
            )
            self.env.invalidate_all()
            self.assertEqual(self.env["res.partner"]._cron_customer_health(limit=2), 2)
            self.assertEqual(self.env["res.partner"]._cron_customer_health(limit=2), 1)
            self.assertEqual(self.env["res.partner"]._cron_customer_health(limit=2), 0)
        self.assertEqual(set(customers.mapped("health_date")), {date(2026, 6, 15)})


@tagged("post_install", "-at_install")
class TestVisitSatisfaction(CustomerHealthCase):
    def test_negative_feedback_opens_one_complaint(self):
        customer = self._customer("反馈客户有限公司", self.tier_general)
        visit = self._done_visit(
            customer, datetime(2026, 6, 10, 2, 0), satisfaction="2"
        )
        action = visit.with_user(self.user_sales).action_open_complaint()
        complaint = self.env["customer.complaint"].browse(action["res_id"])
        self.assertEqual(complaint.visit_id, visit)
        self.assertEqual(complaint.partner_id, customer)
        self.assertEqual(complaint.channel, "visit")
        self.assertEqual(complaint.first_responder_id, self.user_sales)
        self.assertIn("Fine", complaint.description)
        # A second click opens the same complaint.
        again = visit.with_user(self.user_sales).action_open_complaint()
        self.assertEqual(again["domain"], [("visit_id", "=", visit.id)])
        self.assertEqual(visit.complaint_count, 1)

    def test_visit_satisfaction_on_the_complaint_scale(self):
        labels = dict(
            self.env["customer.visit"]
            ._fields["satisfaction"]
            ._description_selection(self.env)
        )
        self.assertEqual(
            labels,
            dict(
                self.env["customer.complaint"]
                ._fields["satisfaction"]
                ._description_selection(self.env)
            ),
        )
        planned = self.env["customer.visit"].create(
            {"partner_id": self._customer("计划客户有限公司").id}
        )
        with self.assertRefused(UserError, "done before opening a complaint"):
            planned.action_open_complaint()
