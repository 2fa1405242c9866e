from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged

from .common import CommissionCase


@tagged("post_install", "-at_install")
class TestCommissionCron(CommissionCase):
    def _activities(self, statements):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.commission.statement"),
                ("res_id", "in", statements.ids),
            ]
        )

    def test_managers_are_asked_once_after_the_month(self):
        """February's statements: user_sales's goes to their department's
        manager, the pool's and user_sales_2's (no department) to the approving
        Director. Still February: nobody is asked. Run twice: asked once."""
        mine = self._agreement(parts=(("2026-02-28", 100000.0),))
        theirs = self._agreement(
            partner=self.other_customer, parts=(("2026-02-28", 100000.0),)
        )
        for agreement in mine | theirs:
            self._activate(agreement)
            self._pay(100000.0, agreement, date="2026-02-10")
        statements = (mine | theirs).commission_line_ids.statement_id
        self.assertEqual(len(statements), 3)
        Statement = self.env["customer.commission.statement"]
        with freeze_time("2026-02-28"):
            Statement._cron_commission_reminders()
        self.assertFalse(self._activities(statements))
        with freeze_time("2026-03-01"):
            Statement._cron_commission_reminders()
            Statement._cron_commission_reminders()
        activities = self._activities(statements)
        self.assertEqual(
            {(a.res_id, a.user_id) for a in activities},
            {
                (self._statement(self.user_sales, "2026-02-01").id, self.user_manager),
                (self._statement(False, "2026-02-01").id, self.user_director),
                (
                    self._statement(self.user_sales_2, "2026-02-01").id,
                    self.user_director,
                ),
            },
        )
        mine_activity = activities.filtered(lambda a: a.user_id == self.user_manager)
        self.assertEqual(
            mine_activity.summary,
            f"Confirm the commission statement 2026-02 {self.user_sales.name} "
            f"({self.env.company.currency_id.format(2700.0)})",
        )
        # Confirming closes the request and asks the Director to approve.
        with freeze_time("2026-03-02"):
            self._statement(self.user_sales, "2026-02-01").with_user(
                self.user_manager
            ).action_confirm()
        after = self._activities(self._statement(self.user_sales, "2026-02-01"))
        self.assertEqual(after.user_id, self.user_director)
        self.assertEqual(
            after.activity_type_id,
            self.env.ref(
                "customer_policy_commission.mail_activity_type_commission_approve"
            ),
        )

    def test_summary_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_manager.lang = "zh_CN"
        agreement = self._agreement(parts=(("2026-02-28", 100000.0),))
        self._activate(agreement)
        self._pay(100000.0, agreement, date="2026-02-10")
        with freeze_time("2026-03-01"):
            self.env["customer.commission.statement"]._cron_commission_reminders()
        activity = self._activities(self._statement(self.user_sales, "2026-02-01"))
        self.assertEqual(activity.user_id, self.user_manager)
        self.assertIn("确认", activity.summary)

    def test_first_run_is_batched(self):
        """The first run after go-live finds months of statements: the queries do
        not grow with them (3 or 30 statements, same count), and a run stops at
        its batch size, reporting what remains."""
        Statement = self.env["customer.commission.statement"]
        company = self.env.company.id

        def statements(count, start):
            months = [start + relativedelta(months=i) for i in range(count)]
            found = Statement._commission_statements(
                {(company, self.user_sales.id, month) for month in months}
            )
            return Statement.browse([s.id for s in found.values()])

        warm_up = statements(1, date(2022, 12, 1))
        few = statements(3, date(2023, 1, 1))
        many = statements(30, date(2023, 4, 1))
        self.env.flush_all()
        with freeze_time("2026-01-05"):
            (Statement.search([]) - few - warm_up).write({"confirm_requested": True})
            Statement._cron_commission_reminders()
            self.env.flush_all()
            with self.assertQueryCount(__system__=16):
                Statement._cron_commission_reminders()
            self.assertEqual(len(self._activities(few)), 3)
            many.write({"confirm_requested": False})
            self.env.flush_all()
            with self.assertQueryCount(__system__=16):
                Statement._cron_commission_reminders()
            self.assertEqual(len(self._activities(many)), 30)
            many.write({"confirm_requested": False})
            self._activities(many).unlink()
            done = Statement._cron_commission_reminders(batch_size=20)
            self.assertEqual(len(done), 20)
            done = Statement._cron_commission_reminders(batch_size=20)
            self.assertEqual(len(done), 10)
            self.assertFalse(Statement._cron_commission_reminders(batch_size=20))
