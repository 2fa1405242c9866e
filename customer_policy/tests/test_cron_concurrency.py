"""Two workers running the same cron at once.

Odoo's runner never runs one job twice at once, but the same method also runs
from "Run manually" or from another job. These tests open two real database
connections on committed data, as two workers would, and check that the second
run neither duplicates what the first creates nor fails: while the first holds
its transaction open, and after it committed while the second's transaction,
begun earlier, cannot see its work.

What the tests commit (their customers, agreement, ticket, and whatever the crons
made) is deleted again at the end.
"""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL

from ..tools.visit import DIGEST_PARAM

# Tables whose rows created during a test are removed at its end.
_CREATED = (
    "mail_activity",
    "mail_notification",
    "mail_message",
    "mail_mail",
    "mail_followers",
    "bus_bus",
)
# What the complaint check writes on every ticket: restored at the end.
_TICKET_FLAGS = (
    "is_response_overdue",
    "is_contact_overdue",
    "is_resolution_overdue",
    "response_notified",
    "contact_notified",
    "resolution_notified",
    "escalation_level",
)


@tagged("post_install", "-at_install")
class TestCronConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.last_ids = {}
            for table in _CREATED:
                cr.execute(
                    SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table))
                )
                self.last_ids[table] = cr.fetchone()[0]
            self.digest_param = env["ir.config_parameter"].get_param(DIGEST_PARAM)
            cr.execute(
                SQL(
                    "SELECT id, %s FROM customer_complaint",
                    SQL(", ").join(map(SQL.identifier, _TICKET_FLAGS)),
                )
            )
            self.ticket_flags = cr.fetchall()
            # Ids only: the records' environment dies with its cursor.
            owner = env.ref("base.user_admin")
            self.owner_id, self.owner_partner_id = owner.id, owner.partner_id.id
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"并发测试客户 {i}",
                        "is_company": True,
                        "customer_policy_managed": True,
                        "user_id": self.owner_id,
                        # Untiered: no visit rule, whatever the date of the run.
                        "registration_date": "2020-06-01",
                    }
                    for i in range(2)
                ]
            )
            self.customer_ids = customers.ids
            self.agreement_id = self.ticket_id = None
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for table in _CREATED:
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE id > %s",
                        SQL.identifier(table),
                        self.last_ids[table],
                    )
                )
            if self.ticket_id:
                cr.execute(
                    "DELETE FROM customer_complaint WHERE id = %s", [self.ticket_id]
                )
            for row in self.ticket_flags:
                cr.execute(
                    SQL(
                        "UPDATE customer_complaint SET %s WHERE id = %s",
                        SQL(", ").join(
                            SQL("%s = %s", SQL.identifier(name), value)
                            for name, value in zip(_TICKET_FLAGS, row[1:], strict=True)
                        ),
                        row[0],
                    )
                )
            if self.agreement_id:
                cr.execute(
                    "DELETE FROM customer_agreement_installment "
                    "WHERE agreement_id = %s",
                    [self.agreement_id],
                )
                cr.execute(
                    "DELETE FROM customer_agreement WHERE id = %s", [self.agreement_id]
                )
            env["res.partner"].browse(self.customer_ids).unlink()
            env["ir.config_parameter"].set_param(DIGEST_PARAM, self.digest_param or "")
            cr.execute("UPDATE customer_policy_cron_lock SET cursor = 0")
        self.registry.clear_cache()

    def _at_once(self, run, count):
        """Run the cron ``run(env)`` in two transactions at once; ``count(env)``
        counts what it makes. Returns (made by the first, made in all)."""
        with self.registry.cursor() as first_cr, self.registry.cursor() as second_cr:
            first = api.Environment(first_cr, SUPERUSER_ID, {})
            second = api.Environment(second_cr, SUPERUSER_ID, {})
            # The second worker's transaction begins before the first commits.
            before = count(second)
            run(first)
            made = count(first) - before
            self.assertGreater(made, 0, "the first run has work to do")
            # While the first holds its transaction: busy, nothing done, no wait.
            run(second)
            self.assertEqual(count(second), before)
            first_cr.commit()
            # The first committed, but this transaction cannot see its work: still
            # busy rather than doing it again or failing on the rows it wrote.
            run(second)
            self.assertEqual(count(second), before)
            second_cr.commit()
        # A later run sees everything and makes nothing more.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run(env)
            total = count(env) - before
        return made, total

    def _activities(self, model, ids):
        def count(env):
            return env["mail.activity"].search_count(
                [("res_model", "=", model), ("res_id", "in", ids)]
            )

        return count

    def test_visit_reminders(self):
        made, total = self._at_once(
            lambda env: env["res.partner"]._cron_customer_visit_reminders(),
            self._activities("res.partner", self.customer_ids),
        )
        # Never contacted since 2020: a contact reminder each, once.
        self.assertEqual((made, total), (2, 2))

    def test_installments_and_agreements(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["res.partner"])
            agreement = env["customer.agreement"].create(
                {
                    "partner_id": self.customer_ids[0],
                    "user_id": self.owner_id,
                    "title": "并发测试协议",
                    "amount_total": 300.0,
                    "date_start": today - timedelta(days=200),
                    "date_end": today + timedelta(days=5),
                    "renewal_reminder_days": 30,
                    "installment_ids": [
                        fields.Command.create(
                            {"due_date": today - timedelta(days=d), "amount": 100.0}
                        )
                        for d in (10, 40, 100)
                    ],
                }
            )
            env.flush_all()
            # Reviewed and signed long ago: set as Legal's review leaves it.
            cr.execute(
                "UPDATE customer_agreement SET state = 'active' WHERE id = %s",
                [agreement.id],
            )
            cr.execute(
                "UPDATE customer_agreement_installment SET agreement_state = 'active' "
                "WHERE agreement_id = %s",
                [agreement.id],
            )
            self.agreement_id = agreement.id
            installment_ids = agreement.installment_ids.ids
        made, total = self._at_once(
            lambda env: env["customer.agreement.installment"]._cron_installment_daily(),
            self._activities("customer.agreement.installment", installment_ids),
        )
        self.assertEqual(made, total)
        made, total = self._at_once(
            lambda env: env["customer.agreement"]._cron_agreement_daily(),
            self._activities("customer.agreement", [self.agreement_id]),
        )
        # Ends in 5 days, reminded 30 days ahead: one renewal activity.
        self.assertEqual((made, total), (1, 1))

    def test_complaint_check(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["customer.complaint"].create(
                {
                    "partner_id": self.customer_ids[0],
                    "user_id": self.owner_id,
                    "severity": "normal",
                    "received_at": fields.Datetime.now() - timedelta(days=20),
                    "description": "<p>设备故障</p>",
                }
            )
            self.ticket_id = ticket.id
        partner_id = self.owner_partner_id

        def count(env):
            return env["mail.message"].search_count(
                [
                    ("partner_ids", "in", [partner_id]),
                    ("message_type", "=", "user_notification"),
                    ("id", ">", self.last_ids["mail_message"]),
                ]
            )

        made, total = self._at_once(
            lambda env: env["customer.complaint"]._cron_customer_complaint_sla(),
            count,
        )
        # The handler hears once, of every overdue clock in one message.
        self.assertEqual((made, total), (1, 1))
