import logging
import os
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.res_partner_visit import VISIT_CRON_BATCH_SIZE
from ..tools.visit import DIGEST_PARAM
from .common import CustomerVisitCase, cron_progress, prepare_raw_insert

_logger = logging.getLogger(__name__)

DIGEST_SUBJECT = "Customers with overdue visits in your departments"


@tagged("post_install", "-at_install")
class TestVisitCron(CustomerVisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit_type = cls.env.ref(
            "customer_policy.mail_activity_type_customer_visit"
        )
        cls.contact_type = cls.env.ref(
            "customer_policy.mail_activity_type_customer_contact"
        )
        cls.customer_strategic.registration_date = "2026-01-02"
        cls.customer_general.registration_date = "2026-01-02"
        cls.customer_untiered.registration_date = "2026-03-18"

    def _activities(self, partner, activity_type=None):
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        if activity_type:
            domain.append(("activity_type_id", "=", activity_type.id))
        return self.env["mail.activity"].search(domain)

    def _digests(self, manager=None):
        # Each manager gets it in their language (the demo's read Chinese).
        template = self.env.ref("customer_policy.mail_template_customer_visit_digest")
        subjects = {
            template.with_context(lang=lang).subject
            for lang in (
                "en_US",
                *(code for code, _name in self.env["res.lang"].get_installed()),
            )
        }
        self.assertIn(DIGEST_SUBJECT, subjects)
        domain = [("subject", "in", list(subjects)), ("model", "=", "res.users")]
        if manager:
            domain.append(("res_id", "=", manager.id))
        return self.env["mail.mail"].search(domain)

    @freeze_time("2026-03-20 06:00:00")
    def test_cron_activities_and_digest(self):
        self.env["ir.config_parameter"].set_param(DIGEST_PARAM, "")
        # The demo data's own run may have queued digests: count this test's.
        demo_digests = self._digests()
        # A call last week: contact is fine, and one visit a quarter is due on the
        # 31st, beyond the 7-day horizon.
        self._visit(
            self.customer_general, when="2026-03-15 02:00:00", visit_type="phone"
        )
        manual = self.customer_strategic.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_sales.id, summary="Mine"
        )
        Partner = self.env["res.partner"]
        Partner._cron_customer_visit_reminders()

        strategic = self.customer_strategic
        self.assertEqual(strategic.visit_compliance, "overdue")
        visit_activity = self._activities(strategic, self.visit_type)
        contact_activity = self._activities(strategic, self.contact_type)
        self.assertEqual(len(visit_activity), 1)
        self.assertEqual(len(contact_activity), 1)
        self.assertEqual(visit_activity.user_id, self.user_sales)
        self.assertEqual(visit_activity.date_deadline, date(2026, 3, 16))
        self.assertEqual(contact_activity.date_deadline, date(2026, 3, 20))
        self.assertEqual(self.customer_general.visit_compliance, "ok")
        self.assertFalse(self._activities(self.customer_general))
        self.assertFalse(self._activities(self.customer_untiered))

        # One digest for the manager, listing the overdue customer; one per manager.
        digest = self._digests(self.user_manager)
        self.assertEqual(len(digest), 1)
        self.assertIn(strategic.name, digest.body_html)
        self.assertNotIn(self.customer_general.name, digest.body_html)
        self.assertEqual(digest.recipient_ids, self.user_manager.partner_id)
        self.env.cr.execute(
            """
            SELECT COUNT(DISTINCT t.user_id) FROM res_partner p
              JOIN crm_team t ON t.id = p.team_id
             WHERE p.customer_policy_managed AND p.parent_id IS NULL AND p.active
               AND p.visit_compliance = 'overdue' AND t.user_id IS NOT NULL
            """
        )
        managers = self.env.cr.fetchone()[0]
        digests = self._digests() - demo_digests
        self.assertEqual(len(digests), managers)
        self.assertEqual(len(set(digests.mapped("res_id"))), managers)

        # Re-run: nothing new, nothing closed, no second digest the same day.
        before = self.env["mail.activity"].search_count([])
        self.assertEqual(Partner._cron_customer_visit_reminders(), 0)
        self.assertEqual(self.env["mail.activity"].search_count([]), before)
        self.assertEqual(len(self._digests() - demo_digests), managers)
        self.assertTrue(manual.exists())

        # A filed visit closes the reminders the policy opened, not the others.
        visit = self._visit(strategic, state="planned", when="2026-03-20 02:00:00")
        visit.with_user(self.user_sales).action_done()
        self.assertFalse(visit_activity.exists())
        self.assertFalse(contact_activity.exists())
        self.assertTrue(manual.exists())
        self.assertEqual(strategic.visit_compliance, "ok")

    @freeze_time("2026-03-20 06:00:00")
    def test_activities_in_the_owners_language(self):
        """The cron runs as OdooBot; a Chinese salesperson reads Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_policy"], ["zh_CN"], overwrite=True
        )
        self.user_sales.lang = "zh_CN"
        self.env["res.partner"]._cron_customer_visit_reminders()
        visit_activity = self._activities(self.customer_strategic, self.visit_type)
        contact_activity = self._activities(self.customer_strategic, self.contact_type)
        self.assertIn("本周期已完成", visit_activity.summary)
        self.assertIn("拜访客户", visit_activity.summary)
        self.assertNotIn("Visit the customer", visit_activity.summary)
        self.assertNotIn("No contact since", contact_activity.summary)

    @freeze_time("2026-03-20 06:00:00")
    def test_no_owner_no_activity(self):
        self.customer_strategic.user_id = False
        self.env["res.partner"]._cron_customer_visit_reminders()
        self.assertFalse(self._activities(self.customer_strategic))


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestVisitCronVolume(CustomerVisitCase):
    """The cron's queries do not grow with customers and visits."""

    # The volume: 100,000 customers x 10 visits (1,000,000), about a
    # minute and a half of seeding on the CI machine.
    # CUSTOMER_POLICY_VOLUME_VISITS=2 makes a quicker local run.
    CUSTOMERS = 100_000
    VISITS_PER_CUSTOMER = int(os.environ.get("CUSTOMER_POLICY_VOLUME_VISITS") or 10)

    def _run_counted(self):
        """A whole run as the cron runner makes it, one call per chunk: the
        queries of each call, and the time of the run."""
        self.env["ir.config_parameter"].set_param(DIGEST_PARAM, "")
        began = self._clock()
        counts = []
        while True:
            self.env.flush_all()
            self.env.invalidate_all()
            env, progress = cron_progress(
                self.env, "customer_policy.ir_cron_customer_visit_reminders"
            )
            start = self.cr.sql_log_count
            self.env["res.partner"].with_env(env)._cron_customer_visit_reminders()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
            if not progress.remaining:
                return counts, self._clock() - began

    def _clock(self):
        """Wall time from the database: freezegun stops Python's clocks."""
        self.env.cr.execute("SELECT extract(epoch FROM clock_timestamp())")
        return float(self.env.cr.fetchone()[0])

    def _overdue_customers(self, label):
        return [
            self._customer(f"{label} 逾期客户 {i}", self.tier_strategic)
            for i in range(3)
        ]

    def _seed(self):
        """100,000 compliant general-tier customers, 10 done visits each."""
        cr = self.env.cr
        began = self._clock()
        prepare_raw_insert(self.env, "res.partner")
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, active, is_company, type,
                       customer_policy_managed, user_id, team_id, customer_tier_id,
                       registration_state, registration_date, create_date, write_date,
                       create_uid, write_uid)
                SELECT 'Volume ' || g, 'Volume ' || g, TRUE, TRUE, 'contact', TRUE,
                       %(user)s, %(team)s, %(tier)s, 'registered', DATE '2026-01-05',
                       now(), now(), 1, 1
                  FROM generate_series(1, %(n)s) g
             RETURNING id
                """,
                user=self.user_sales.id,
                team=self.team.id,
                tier=self.tier_general.id,
                n=self.CUSTOMERS,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            [ids],
        )
        # Visit k of each customer: k days before the frozen date at 02:00 UTC,
        # every fifth one a phone call; the first visit is always a visit.
        cr.execute(
            SQL(
                """
                INSERT INTO customer_visit (name, partner_id, commercial_partner_id,
                       user_id, company_id, visit_type, planned_date, state,
                       done_date, duration, create_date, write_date, create_uid,
                       write_uid)
                SELECT 'v', p, p, %(user)s, %(company)s,
                       CASE WHEN mod(g, 5) = 0 THEN 'phone' ELSE 'visit' END,
                       TIMESTAMP '2026-03-19 02:00:00' - g * INTERVAL '1 day', 'done',
                       TIMESTAMP '2026-03-19 02:00:00' - g * INTERVAL '1 day', 1,
                       now(), now(), 1, 1
                  FROM unnest(%(ids)s::int[]) p, generate_series(1, %(k)s) g
                """,
                user=self.user_sales.id,
                company=self.company.id,
                ids=ids,
                k=self.VISITS_PER_CUSTOMER,
            )
        )
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE customer_visit")
        return ids, self._clock() - began

    @freeze_time("2026-03-20 06:00:00")
    def test_query_count_does_not_grow(self):
        Partner = self.env["res.partner"]
        # Settle what exists (demo data, fixtures): later runs only add our three.
        Partner._cron_customer_visit_reminders()
        self._overdue_customers("小")
        [small], small_time = self._run_counted()

        ids, seed_time = self._seed()
        self._overdue_customers("大")
        self.env.cr.execute(
            "SELECT COUNT(*) FROM res_partner "
            "WHERE customer_policy_managed AND parent_id IS NULL"
        )
        managed = self.env.cr.fetchone()[0]
        large, large_time = self._run_counted()

        self.env.cr.execute(
            "SELECT COUNT(*) FROM customer_visit WHERE commercial_partner_id = ANY(%s)",
            [ids],
        )
        self.assertEqual(
            self.env.cr.fetchone()[0], self.CUSTOMERS * self.VISITS_PER_CUSTOMER
        )
        sample = Partner.browse(ids[:3] + ids[-1:])
        self.assertEqual(set(sample.mapped("visit_compliance")), {"ok"})
        expected = sum(
            1 for k in range(1, self.VISITS_PER_CUSTOMER + 1) if k % 5 and k <= 77
        )
        self.assertEqual(set(sample.mapped("visits_done_this_period")), {expected})
        self.assertEqual(set(sample.mapped("next_visit_due_date")), {date(2026, 6, 30)})
        self.assertFalse(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", ids)]
            )
        )
        _logger.info(
            "customer_visit volume: seed %.1fs, cron small %s queries %.2fs, "
            "cron 100k/1M %s calls of %s queries, %.2fs",
            seed_time,
            small,
            small_time,
            len(large),
            max(large),
            large_time,
        )
        # One call per chunk of VISIT_CRON_BATCH_SIZE customers, each with the
        # same queries, none more than the whole small run (the last one has
        # the three overdue customers and the digests).
        self.assertEqual(len(large), -(-managed // VISIT_CRON_BATCH_SIZE))
        self.assertEqual(len(set(large[1:-1])), 1)
        self.assertLessEqual(max(large), small)
