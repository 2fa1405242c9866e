import logging
import time

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import (
    BRIDGE_QUERIES_PER_CHUNK,
    CustomerTierCase,
    counted_queries,
    cron_progress,
    prepare_raw_insert,
)

_logger = logging.getLogger(__name__)

# One chunk of the re-grading, whatever the number of customers in it (see
# test_chunk_queries_do_not_grow_with_customers).
REGRADE_CHUNK_QUERIES = 54


@tagged("post_install", "-at_install")
class TestCustomerTierRegrade(CustomerTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Demo customers (if any) are not part of these scenarios.
        cls.env["res.partner"].search([("customer_policy_managed", "=", True)]).write(
            {"customer_policy_managed": False}
        )
        cls.c_new = cls._customer("新客户有限公司")
        cls.c_up_general = cls._customer("成长贸易有限公司", cls.tier_potential)
        cls.c_up_key = cls._customer("华东精密制造有限公司", cls.tier_general)
        cls.c_key_blocked = cls._customer(
            "北方重工有限公司", cls.tier_general, user=cls.user_sales_2
        )
        cls.c_strategic = cls._customer("长江集团股份有限公司", cls.tier_key)
        cls.c_down = cls._customer("西部物流有限公司", cls.tier_key)
        cls.c_locked = cls._customer(
            "南方电子有限公司", cls.tier_potential, tier_locked=True
        )
        cls.c_same = cls._customer("稳定服务有限公司", cls.tier_general)
        cls.c_contact = cls.env["res.partner"].create(
            {
                "name": "张三",
                "parent_id": cls.c_same.id,
                "customer_policy_managed": True,
            }
        )
        cls.history = cls.env["customer.tier.history"]

    def _seed_amounts(self):
        self._set_amount(self.c_up_general, 500)
        self._set_amount(self.c_up_key | self.c_key_blocked, 2_000_000)
        self._set_amount(self.c_strategic | self.c_locked, 6_000_000)
        self._set_amount(self.c_down, 100)
        self._set_amount(self.c_same, 800)

    def _proposals(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("customer_policy.mail_activity_type_tier_proposal").id,
                ),
            ]
        )

    def _regrade(self):
        self.env["res.partner"]._cron_regrade_customer_tiers()
        self.env.invalidate_all()

    def _new_history(self, before):
        return self.history.search([("id", ">", before)], order="id")

    def test_regrade_tiers_proposals_history(self):
        self._seed_amounts()
        before = self.history.search([], order="id desc", limit=1).id
        with freeze_time("2026-03-01"):
            self._regrade()
        self.assertEqual(self.c_new.customer_tier_id, self.tier_potential)
        self.assertEqual(self.c_up_general.customer_tier_id, self.tier_general)
        self.assertEqual(self.c_up_key.customer_tier_id, self.tier_key)
        # Rules or Directors stand between the amount and the tier: a proposal.
        self.assertEqual(self.c_key_blocked.customer_tier_id, self.tier_general)
        self.assertEqual(self.c_key_blocked.tier_proposed_id, self.tier_key)
        self.assertEqual(self.c_strategic.customer_tier_id, self.tier_key)
        self.assertEqual(self.c_strategic.tier_proposed_id, self.tier_strategic)
        # Below threshold: the grace period starts, the tier stays.
        self.assertEqual(self.c_down.customer_tier_id, self.tier_key)
        self.assertEqual(str(self.c_down.tier_downgrade_since), "2026-03-01")
        self.assertEqual(self.c_locked.customer_tier_id, self.tier_potential)
        self.assertFalse(self.c_locked.tier_proposed_id)
        self.assertEqual(self.c_same.customer_tier_id, self.tier_general)
        self.assertFalse(self.c_contact.customer_tier_id)

        rows = self._new_history(before)
        self.assertEqual(
            {(r.partner_id, r.old_tier_id, r.new_tier_id) for r in rows},
            {
                (self.c_new, self.env["customer.tier"], self.tier_potential),
                (self.c_up_general, self.tier_potential, self.tier_general),
                (self.c_up_key, self.tier_general, self.tier_key),
            },
        )
        self.assertEqual(set(rows.mapped("change_type")), {"regrade"})
        up_key = rows.filtered(lambda r: r.partner_id == self.c_up_key)
        self.assertIn("2,000,000", up_key.reason)
        self.assertIn("Key Customer", up_key.reason)

        proposals = self._proposals(self.c_strategic | self.c_key_blocked)
        self.assertEqual(len(proposals), 2)
        strategic = proposals.filtered(lambda a: a.res_id == self.c_strategic.id)
        self.assertEqual(strategic.user_id, self.user_director)
        self.assertIn("Strategic Customer", strategic.summary)
        blocked = proposals.filtered(lambda a: a.res_id == self.c_key_blocked.id)
        self.assertEqual(blocked.user_id, self.user_manager)  # the department leader
        self.assertIn("senior salesperson", blocked.note)

        # Running again changes nothing and duplicates nothing.
        last = self.history.search([], order="id desc", limit=1).id
        with freeze_time("2026-03-02"):
            self._regrade()
        self.assertFalse(self._new_history(last))
        self.assertEqual(len(self._proposals(self.c_strategic | self.c_key_blocked)), 2)
        self.assertEqual(str(self.c_down.tier_downgrade_since), "2026-03-01")

        # A Director approves the strategic proposal: the activity goes away.
        self.c_strategic.customer_project_team_ids = [
            Command.set([self.user_sales.id, self.user_sales_2.id])
        ]
        self.c_strategic.with_user(self.user_director).action_change_tier(
            self.c_strategic.tier_proposed_id.id, "Approved proposal"
        )
        self.assertEqual(self.c_strategic.customer_tier_id, self.tier_strategic)
        self.assertFalse(self.c_strategic.tier_proposed_id)
        self.assertFalse(self._proposals(self.c_strategic))

    def test_downgrade_after_grace_period(self):
        self._seed_amounts()
        with freeze_time("2026-03-01"):
            self._regrade()
        before = self.history.search([], order="id desc", limit=1).id
        with freeze_time("2026-05-29"):  # 89 days: still in grace
            self._regrade()
        self.assertEqual(self.c_down.customer_tier_id, self.tier_key)
        self.assertFalse(self._new_history(before))
        with freeze_time("2026-05-30"):  # 90 days
            self._regrade()
        self.assertEqual(self.c_down.customer_tier_id, self.tier_general)
        self.assertFalse(self.c_down.tier_downgrade_since)
        row = self._new_history(before)
        self.assertEqual(row.partner_id, self.c_down)
        self.assertEqual(row.old_tier_id, self.tier_key)
        self.assertIn("grace period 90 days", row.reason)

    def test_regrade_writes_no_message_on_visits(self):
        """A visit shows its customer's current tier: the re-grading's change goes
        to the customer's tier history, not to the chatter of its visits, even
        with the chatter's tracking on."""
        visits = self.env["customer.visit"].create(
            [
                {
                    "partner_id": partner.id,
                    "planned_date": "2026-02-02 02:00:00",
                    "visit_type": "visit",
                }
                for partner in (self.c_up_general, self.c_up_general, self.c_same)
            ]
        )
        self.assertEqual(
            visits.mapped("customer_tier_id"), self.tier_potential | self.tier_general
        )
        self.env.flush_all()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        last_message = self.env.cr.fetchone()[0]
        self._seed_amounts()
        with freeze_time("2026-03-01"):
            self.env["res.partner"].with_context(
                tracking_disable=False
            )._cron_regrade_customer_tiers()
        self.env.invalidate_all()
        self.assertEqual(
            [visit.customer_tier_id for visit in visits], [self.tier_general] * 3
        )
        self.assertEqual(
            self._history(self.c_up_general).mapped("change_type")[-1], "regrade"
        )
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("id", ">", last_message),
                    ("model", "=", "customer.visit"),
                    ("res_id", "in", visits.ids),
                ]
            )
        )
        self.assertNotIn(
            "customer_tier_id", self.env["customer.visit"]._track_get_fields()
        )

    def test_grace_resets_when_amount_recovers(self):
        self._seed_amounts()
        with freeze_time("2026-03-01"):
            self._regrade()
        self.assertTrue(self.c_down.tier_downgrade_since)
        self._set_amount(self.c_down, 1_200_000)
        with freeze_time("2026-04-01"):
            self._regrade()
        self.assertFalse(self.c_down.tier_downgrade_since)
        self._set_amount(self.c_down, 100)
        with freeze_time("2026-07-01"):
            self._regrade()
        self.assertEqual(self.c_down.customer_tier_id, self.tier_key)
        self.assertEqual(str(self.c_down.tier_downgrade_since), "2026-07-01")

    def test_zero_grace_downgrades_at_once(self):
        self.company.customer_tier_grace_days = 0
        self._seed_amounts()
        with freeze_time("2026-03-01"):
            self._regrade()
        self.assertEqual(self.c_down.customer_tier_id, self.tier_general)

    def test_stale_proposal_withdrawn(self):
        self._seed_amounts()
        with freeze_time("2026-03-01"):
            self._regrade()
        self.assertEqual(len(self._proposals(self.c_strategic)), 1)
        self._set_amount(self.c_strategic, 1_500_000)
        with freeze_time("2026-04-01"):
            self._regrade()
        self.assertFalse(self.c_strategic.tier_proposed_id)
        self.assertFalse(self._proposals(self.c_strategic))
        self.assertEqual(self.c_strategic.customer_tier_id, self.tier_key)

    def test_cron_record_runs(self):
        self._seed_amounts()
        cron = self.env.ref("customer_policy.ir_cron_customer_tier_regrade")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))
        cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(self.c_up_key.customer_tier_id, self.tier_key)


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestCustomerTierRegradePerformance(CustomerTierCase):
    """The re-grading's query count does not grow with the number of customers."""

    def _seed(self, count, prefix):
        """`count` managed customers, a fifth each: ungraded, potential to general,
        general to key, key to strategic (proposal), key under threshold (grace)."""
        started = time.time()
        self.env.flush_all()
        prepare_raw_insert(self.env, "res.partner")
        self.env.cr.execute(
            """
            INSERT INTO res_partner (
                name, complete_name, active, is_company, type,
                customer_policy_managed, user_id, team_id, customer_tier_id,
                annual_contract_amount, create_uid, write_uid, create_date, write_date)
            SELECT %(prefix)s || n, %(prefix)s || n, TRUE, TRUE, 'contact', TRUE,
                   %(user)s, %(team)s,
                   (ARRAY[NULL, %(potential)s, %(general)s, %(key)s, %(key)s])
                       [n %% 5 + 1],
                   (ARRAY[0, 500, 2000000, 6000000, 100])[n %% 5 + 1],
                   1, 1, now(), now()
              FROM generate_series(1, %(count)s) n
            """,
            {
                "prefix": prefix,
                "count": count,
                "user": self.user_sales.id,
                "team": self.team.id,
                "potential": self.tier_potential.id,
                "general": self.tier_general.id,
                "key": self.tier_key.id,
            },
        )
        self.env.cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE commercial_partner_id IS NULL"
        )
        self.env.invalidate_all()
        return time.time() - started

    def _call(self, batch_size):
        """One call as the cron runner makes it: (queries, seconds, progress)."""
        self.env.invalidate_all()
        env, progress = cron_progress(
            self.env, "customer_policy.ir_cron_customer_tier_regrade"
        )
        count = self.env.cr.sql_log_count
        started = time.time()
        self.env["res.partner"].with_env(env)._cron_regrade_customer_tiers(
            batch_size=batch_size
        )
        self.env.flush_all()
        return self.env.cr.sql_log_count - count, time.time() - started, progress

    def test_query_count_constant(self):
        """Each call looks at one chunk of customers by id, with the same queries
        whatever the volume behind it.

        The ORM writes and inserts rows 100 at a time, so a call costs the same
        for any chunk with the same mix of actions: 100 consecutive seeded
        customers are 20 of each kind, in a small database or in front of
        100,000 more.
        """
        Partner = self.env["res.partner"]
        self._warm_up()
        self._seed(200, "Small ")
        # 210 customers: chunks of 100 (Warm and Small 1-90), 100 (Small 91-190)
        # and the last 10.
        calls = [self._call(100) for _i in range(3)]
        self.assertEqual(
            [(p.done, p.remaining) for _q, _t, p in calls],
            [(100, 110), (100, 10), (10, 0)],
        )
        small, small_time, _p = calls[1]
        seed_time = self._seed(100_000, "Large ")
        # Again from the first customer: 100, 100, then 10 Small and Large 1-90,
        # then Large 91-190.
        calls = [self._call(100) for _i in range(4)]
        large, large_time, progress = calls[3]
        self.assertEqual((progress.done, progress.remaining), (100, 100_210 - 400))
        self.assertEqual(small, large)
        first, first_time, _p = self._call(1000)
        second, second_time, progress = self._call(1000)
        self.assertEqual(first, second)
        self.assertEqual(progress.remaining, 100_210 - 2400)
        _logger.info(
            "Tier re-grading: a chunk of 100 of 210 customers: %s queries (%.2fs); "
            "seeding 100,000 customers: %.1fs; a chunk of 100 of them: %s queries "
            "(%.2fs); two chunks of 1,000: %s and %s queries (%.2fs, %.2fs)",
            small,
            small_time,
            seed_time,
            large,
            large_time,
            first,
            second,
            first_time,
            second_time,
        )
        # Large 1-2190 are done, each of the five kinds needing no more action.
        _rows, remaining = Partner._customer_policy_regrade_candidates()
        self.assertEqual(remaining, 100_000 - 2190)
        ungraded = Partner.search_count(
            [("name", "=like", "Large %"), ("customer_tier_id", "=", False)]
        )
        self.assertEqual(ungraded, 20_000 - 2190 // 5)

    def _seed_visits(self, prefix):
        """Two done visits for each customer named ``prefix``…"""
        self.env.cr.execute(
            """
            INSERT INTO customer_visit (name, partner_id, commercial_partner_id,
                   user_id, company_id, customer_tier_id, visit_type,
                   planned_date, state, done_date, duration, create_uid,
                   write_uid, create_date, write_date)
            SELECT 'v', p.id, p.id, p.user_id, %s, p.customer_tier_id, 'visit',
                   now(), 'done', now(), 1, 1, 1, now(), now()
              FROM res_partner p, generate_series(1, 2)
             WHERE p.name LIKE %s AND p.parent_id IS NULL
            RETURNING id
            """,
            [self.env.company.id, f"{prefix}%"],
        )
        return self.env["customer.visit"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )

    def _warm_up(self):
        """Only the seeded customers managed, and the caches (groups, xml ids,
        translations) warmed with a whole run on ten of them."""
        Partner = self.env["res.partner"]
        Partner.search([("customer_policy_managed", "=", True)]).write(
            {"customer_policy_managed": False}
        )
        self._seed(10, "Warm ")
        self._seed_visits("Warm ")
        Partner.with_context(tracking_disable=False)._cron_regrade_customer_tiers()

    def test_chunk_queries_do_not_grow_with_customers(self):
        """The first run after go-live, every customer of the chunk needing an
        action and having a contact person, as in a real archive: a chunk of 20
        customers and a chunk of 80 make the same queries."""
        Partner = self.env["res.partner"]
        self._warm_up()
        counts = []
        for count in (20, 80):
            self.env.cr.execute(
                "UPDATE res_partner SET customer_policy_managed = FALSE "
                "WHERE customer_policy_managed"
            )
            self._seed(count, f"Chunk{count} ")
            self.env.cr.execute(
                """
                INSERT INTO res_partner (
                    name, complete_name, active, type, parent_id,
                    commercial_partner_id, customer_policy_managed,
                    create_uid, write_uid, create_date, write_date)
                SELECT '联系人' || id, name || ', 联系人' || id, TRUE, 'contact',
                       id, id, TRUE, 1, 1, now(), now()
                  FROM res_partner WHERE name LIKE %s
                """,
                [f"Chunk{count} %"],
            )
            # Two visits each, which copy the tier.
            visits = self._seed_visits(f"Chunk{count} ")
            old_tiers = {visit.id: visit.customer_tier_id for visit in visits}
            self.env.invalidate_all()
            env, progress = cron_progress(
                self.env, "customer_policy.ir_cron_customer_tier_regrade"
            )
            before = self.env["customer.tier.history"].search_count([])
            # One chunk of `count` customers, a fifth of each kind (see _seed),
            # two visits each, with the chatter's tracking on as in a real run.
            # Hand count, for up to 100 customers of each kind (the ORM writes
            # and inserts 100 rows at a time): the company, its calendar and
            # the cron user (time zone: 3); the cron lock (savepoint, SELECT …
            # NOWAIT, release, and the UPDATE of its cursor: 4); the scope, the
            # candidates, the COUNT of the customers remaining (3); the plan:
            # customers 2, currency 1, tiers 5, senior salespeople 2, project
            # teams 1 (11); three target tiers, one write each, and per write:
            # what it recomputes from the tier (the visits to recompute, searched
            # for the customers and for their contact persons, whose tier
            # follows: 2, owners 1: 3), the UPDATE and the INSERT of history
            # (2), the executive follow-up (1): 6 × 3 = 18 (the complaints keep
            # the deadlines promised when they came in); the visits' copy of the
            # tier in one UPDATE for the three writes (1);
            # the grace periods started (1 UPDATE); the proposals: the owners
            # (1), the approvers (activity type 2, groups 1, Directors 1,
            # departments 1: 5), their
            # language (2), the activities (model, one INSERT with every
            # column: 2), the approvers following the customers in one
            # statement (1), the UPDATE of tier_proposed_id (1); the cron's
            # progress (1).
            # 3 + 4 + 3 + 11 + 18 + 1 + 1 + 1 + 5 + 2 + 2 + 1 + 1 + 1 = 54,
            # for 20 as for 80 customers and whatever their visits. Before, a
            # note on each visit's chatter told the tier change (three queries
            # per write: 78 with the activities of mail.activity.create()); the
            # visits' copy was computed by the ORM, one UPDATE per 100 visits.
            with counted_queries(self.env) as counted:
                Partner.with_env(env).with_context(
                    tracking_disable=False
                )._cron_regrade_customer_tiers(batch_size=count)
            counts.append(counted[0])
            # The visits of the customers that moved (3/5) show their new tier,
            # and their chatter says nothing of it (the customer's tier history
            # does).
            moved = [v for v in visits if v.customer_tier_id != old_tiers[v.id]]
            self.assertEqual(len(moved), 2 * count * 3 // 5)
            for visit in visits:
                self.assertEqual(
                    visit.customer_tier_id, visit.commercial_partner_id.customer_tier_id
                )
            self.assertFalse(
                self.env["mail.message"].search_count(
                    [("model", "=", "customer.visit"), ("res_id", "in", visits.ids)]
                )
            )
            self.assertEqual((progress.done, progress.remaining), (count, 0))
            # Ungraded, potential and general customers move up a tier: 3/5.
            self.assertEqual(
                self.env["customer.tier.history"].search_count([]) - before,
                count * 3 // 5,
            )
        _logger.info("Tier re-grading: a chunk of 20 and one of 80: %s queries", counts)
        # The same queries for 20 as for 80 customers: the hand count above
        # with the core alone, a few more per chunk with the bridges beside it.
        self.assertEqual(counts[0], counts[1], counts)
        self.assertGreaterEqual(counts[0], REGRADE_CHUNK_QUERIES)
        self.assertLessEqual(
            counts[0], REGRADE_CHUNK_QUERIES + BRIDGE_QUERIES_PER_CHUNK
        )


@tagged("post_install", "-at_install")
class TestCustomerTierDemo(TransactionCase):
    def test_demo_customers_graded(self):
        module = self.env["ir.module.module"].search([("name", "=", "customer_policy")])
        if not module.demo:
            self.skipTest("database installed without demo data")
        strategic = self.env.ref("customer_policy.res_partner_company_01")
        self.assertEqual(
            strategic.customer_tier_id,
            self.env.ref("customer_policy.customer_tier_strategic"),
        )
        self.assertGreaterEqual(len(strategic.customer_project_team_ids), 2)
        self.assertTrue(
            self.env.ref("customer_policy.res_partner_company_05").tier_locked
        )
        graded = self.env["res.partner"].search(
            [("customer_policy_managed", "=", True), ("customer_tier_id", "!=", False)]
        )
        self.assertEqual(len(graded), 19)
        self.assertEqual(graded._customer_policy_tier_violations(), {})
        self.assertEqual(
            set(graded.customer_tier_history_ids.mapped("reason")),
            {"年度客户评审定级。"},
        )
