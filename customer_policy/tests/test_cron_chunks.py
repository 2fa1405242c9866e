from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from ..models import res_partner_visit
from ..tools.visit import DIGEST_PARAM
from .common import CustomerVisitCase, cron_progress


@tagged("post_install", "-at_install")
class TestCustomerVisitCron(CustomerVisitCase):
    """The visit reminders on the first run after go-live, when every customer
    needs both reminders: bounded chunks, queries that do not grow with the
    customers, nothing created twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit_type = cls.env.ref(
            "customer_policy.mail_activity_type_customer_visit"
        )
        cls.contact_type = cls.env.ref(
            "customer_policy.mail_activity_type_customer_contact"
        )
        cls.user_sales.lang = "en_US"

    def _go_live(self, count, label):
        """``count`` strategic customers registered long ago, never visited nor
        contacted: each needs a visit and a contact reminder. Half are owned by
        a second salesperson."""
        return self.env["res.partner"].create(
            [
                {
                    "name": f"{label} {i}",
                    "is_company": True,
                    "customer_policy_managed": True,
                    "user_id": (self.user_sales if i % 2 else self.user_sales_2).id,
                    "team_id": self.team.id,
                    "customer_tier_id": self.tier_strategic.id,
                    "registration_date": "2025-06-02",
                }
                for i in range(count)
            ]
        )

    def _reminders(self, partners):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )

    def _counted_run(self):
        self.env["ir.config_parameter"].set_param(DIGEST_PARAM, "")
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        created = self.env["res.partner"]._cron_customer_visit_reminders()
        self.env.flush_all()
        return self.cr.sql_log_count - start, created

    @freeze_time("2026-03-20 06:00:00")
    def test_go_live_queries_do_not_grow(self):
        Partner = self.env["res.partner"]
        # Settle what exists (demo data, fixtures): each run below only adds the
        # new customers' reminders.
        Partner._cron_customer_visit_reminders()
        small = self._go_live(50, "小客户")
        small_count, small_created = self._counted_run()
        large = self._go_live(500, "大客户")
        large_count, large_created = self._counted_run()

        # Two reminders per customer: the policy says a strategic customer is
        # visited monthly and contacted every 14 days; none was.
        self.assertEqual(small_created, 2 * 50)
        self.assertEqual(large_created, 2 * 500)
        # Nothing is read or written per customer or per owner: the visit and
        # contact reminders, 100 or 1,000 activities, are one INSERT, the
        # owners' follower rows one statement, whatever their number.
        self.assertEqual(large_count, small_count)
        # Each owner follows the customers of their reminders, as Odoo's
        # activities make them, once.
        followers = self.env["mail.followers"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", large.ids)]
        )
        owners = {(p.id, p.user_id.partner_id.id) for p in large}
        self.assertEqual(
            {(f.res_id, f.partner_id.id) for f in followers} & owners, owners
        )
        # With the subtypes Odoo's own subscription gives.
        reference = Partner.create({"name": "参照"})
        reference.message_subscribe(partner_ids=self.user_sales.partner_id.ids)
        expected = reference.message_follower_ids.filtered(
            lambda f: f.partner_id == self.user_sales.partner_id
        ).subtype_ids
        self.assertTrue(expected)
        self.assertEqual(
            {
                frozenset(f.subtype_ids.ids)
                for f in followers
                if (f.res_id, f.partner_id.id) in owners
            },
            {frozenset(expected.ids)},
        )
        reminders = self._reminders(large)
        self.assertEqual(len(reminders), 1000)
        self.assertEqual(
            reminders.activity_type_id, self.visit_type | self.contact_type
        )
        first = large.sorted("id")[0]
        visit = reminders.filtered(
            lambda a: a.res_id == first.id and a.activity_type_id == self.visit_type
        )
        # What mail.activity would compute, read in batch by the cron.
        self.assertEqual(visit.res_name, "大客户 0")
        self.assertEqual(visit.user_id, self.user_sales_2)
        # Two visits in March: the first was due by the middle of the month.
        self.assertEqual(str(visit.date_deadline), "2026-03-16")
        self.assertIn("Visit the customer by", visit.summary)

        # A second run creates nothing.
        again_count, again_created = self._counted_run()
        self.assertEqual(again_created, 0)
        self.assertEqual(len(self._reminders(small | large)), 1100)
        self.assertLessEqual(again_count, large_count)

    @freeze_time("2026-03-20 06:00:00")
    def test_chunks_under_the_cron_runner(self):
        """Called as ir.cron calls it, each call does one chunk and reports the
        rest; the chunks together do what one direct call does."""
        Partner = self.env["res.partner"]
        Partner._cron_customer_visit_reminders()
        customers = self._go_live(45, "分批客户")
        self.env["ir.config_parameter"].set_param(DIGEST_PARAM, "")
        self.env.cr.execute(
            "SELECT COUNT(*) FROM res_partner "
            "WHERE customer_policy_managed AND parent_id IS NULL"
        )
        managed = self.env.cr.fetchone()[0]
        calls = []
        with patch.object(res_partner_visit, "VISIT_CRON_BATCH_SIZE", 20):
            while True:
                env, progress = cron_progress(
                    self.env, "customer_policy.ir_cron_customer_visit_reminders"
                )
                Partner.with_env(env)._cron_customer_visit_reminders()
                calls.append((progress.done, progress.remaining))
                if not progress.remaining:
                    break
                self.assertLess(len(calls), 100)
        # ceil(managed / 20) calls of 20 customers, the last one the rest.
        expected = -(-managed // 20)
        self.assertEqual(len(calls), expected)
        self.assertEqual(sum(done for done, _r in calls), managed)
        self.assertEqual(calls[0], (20, managed - 20))
        self.assertEqual(len(self._reminders(customers)), 90)
        # The digest went with the last chunk, once.
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(DIGEST_PARAM), "2026-03-20"
        )
        # The next run starts again from the first customer, creating nothing.
        self.assertEqual(Partner._cron_customer_visit_reminders(), 0)
        self.assertEqual(len(self._reminders(customers)), 90)

    @freeze_time("2026-03-20 06:00:00")
    def test_run_manually_goes_on_in_the_background(self):
        """ "Run manually" calls the method once: the first chunk is done there,
        the job is triggered to do the rest."""
        self.env["res.partner"]._cron_customer_visit_reminders()
        self._go_live(45, "手动客户")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE customer_policy_managed "
            "AND parent_id IS NULL ORDER BY id"
        )
        managed = [row[0] for row in self.env.cr.fetchall()]
        self.assertGreater(len(managed), 45)
        cron = self.env.ref("customer_policy.ir_cron_customer_visit_reminders")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        with patch.object(res_partner_visit, "VISIT_CRON_BATCH_SIZE", 20):
            cron.method_direct_trigger()
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        lock = self.env.ref("customer_policy.cron_lock_visit_reminders")
        lock.invalidate_recordset()
        self.assertEqual(lock.cursor, managed[19])
