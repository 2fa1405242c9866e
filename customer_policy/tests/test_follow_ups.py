import logging
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustomerArchiveCase, CustomerVisitCase
from .test_ledger import InstallmentCronCase

_logger = logging.getLogger(__name__)

# Queries of one cron run in the worst case (every record needs an activity), as
# measured; the tests check that they do not grow with the records. Four of them
# are the run's lock, against two runs at once (savepoint, lock, release and the
# progress written), and, for the installments, one the chunk's ids. The
# assignees follow their records in one statement for all of them and the
# activities are one INSERT with every column (4 queries fewer than through
# mail.activity.create(), 30 and 27: its check that the last assignee follows,
# 3 reads, and the UPDATE of the computed columns), where Odoo subscribed each
# assignee apart before (5 queries each: 31 and 35 with one and two assignees);
# their language is read once for all.
BROKEN_PROMISE_QUERIES = 26
REGISTRATION_REMINDER_QUERIES = 23


def _load_chinese(case, *users):
    case.env["res.lang"]._activate_lang("zh_CN")
    case.env["ir.module.module"]._load_module_terms(
        ["customer_policy"], ["zh_CN"], overwrite=True
    )
    for user in users:
        user.lang = "zh_CN"


def _queries(case, function):
    """Queries of ``function``, with what it leaves to flush, from a cold record
    cache as a cron starts."""
    case.env.flush_all()
    case.env.invalidate_all()
    start = case.env.cr.sql_log_count
    function()
    case.env.flush_all()
    return case.env.cr.sql_log_count - start


@tagged("post_install", "-at_install")
class TestVisitFollowUp(CustomerVisitCase):
    """A done visit's follow-up measures become an activity for the visitor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.follow_up_type = cls.env.ref(
            "customer_policy.mail_activity_type_visit_follow_up"
        )

    def _follow_ups(self, visits):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.visit"),
                ("res_id", "in", visits.ids),
                ("activity_type_id", "=", self.follow_up_type.id),
            ]
        )

    @freeze_time("2026-03-02 02:00:00")
    def test_follow_up_once_moved_and_done_by_the_next_visit(self):
        _load_chinese(self, self.user_sales)
        visit = (
            self.env["customer.visit"]
            .with_user(self.user_sales)
            .create(
                {
                    "partner_id": self.customer_general.id,
                    "planned_date": "2026-03-02 01:00:00",
                    "summary": "Discussed the new line",
                    "customer_feedback": "Interested",
                    "next_action": "Send the quotation",
                    "next_action_date": "2026-03-10",
                }
            )
        )
        self.assertFalse(self._follow_ups(visit), "not before the visit is done")
        visit.action_done()
        follow_up = self._follow_ups(visit)
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.user_id, self.user_sales)
        self.assertEqual(follow_up.date_deadline, date(2026, 3, 10))
        # In the visitor's language.
        self.assertEqual(follow_up.summary, "跟进一般客户有限公司：Send the quotation")
        visit._customer_policy_follow_up()
        self.assertEqual(self._follow_ups(visit), follow_up)
        # The manager moves the date: the same activity moves.
        visit.with_user(self.user_manager).next_action_date = "2026-03-12"
        self.assertEqual(self._follow_ups(visit), follow_up)
        self.assertEqual(follow_up.date_deadline, date(2026, 3, 12))
        # The next visit to the customer is recorded: the follow-up is done.
        self._visit(self.customer_general, when="2026-03-05 02:00:00")
        self.assertFalse(follow_up.exists())
        self.assertIn("Visit recorded", visit.message_ids[:1].body)
        # Moving the old visit's date again opens nothing: it was answered.
        visit.with_user(self.user_manager).next_action_date = "2026-03-20"
        self.assertFalse(self._follow_ups(visit))

    @freeze_time("2026-03-02 02:00:00")
    def test_follow_up_only_with_measures_and_date(self):
        without_date = self._visit(self.customer_strategic, next_action="Call back")
        without_measures = self._visit(
            self.customer_untiered, next_action_date="2026-03-09"
        )
        self.assertFalse(self._follow_ups(without_date | without_measures))
        recorded = self._visit(
            self.customer_untiered,
            when="2026-03-02 01:00:00",
            next_action="Demo at the plant",
            next_action_date="2026-03-09",
        )
        follow_up = self._follow_ups(recorded)
        self.assertEqual(follow_up.date_deadline, date(2026, 3, 9))
        self.assertEqual(follow_up.user_id, self.user_sales)
        # The measures taken out: no follow-up left.
        recorded.next_action = False
        self.assertFalse(follow_up.exists())
        # An earlier visit entered late gets none: a later one answered it.
        late = self._visit(
            self.customer_untiered,
            when="2026-02-20 01:00:00",
            next_action="Send the brochure",
            next_action_date="2026-03-01",
        )
        self.assertFalse(self._follow_ups(late))


@tagged("post_install", "-at_install")
class TestBrokenPromise(InstallmentCronCase):
    """A payment promise: a reminder the day after if still unpaid, and the next
    escalation counts from it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.promise_type = cls.env.ref(
            "customer_policy.mail_activity_type_collection_promise"
        )
        cls.Installment = cls.env["customer.agreement.installment"]

    def _reminders(self, installments):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.agreement.installment"),
                ("res_id", "in", installments.ids),
                ("activity_type_id", "=", self.promise_type.id),
            ]
        )

    def _promise(self, installment, promised, user=None):
        return (
            self.env["customer.collection.action"]
            .with_user(user or self.user_sales)
            .create(
                {
                    "installment_id": installment.id,
                    "action_type": "call",
                    "customer_reason": "Waiting for its own customer to pay",
                    "promised_date": promised,
                }
            )
        )

    def _daily(self, day):
        with freeze_time(day):
            self.Installment._cron_installment_daily()
        self.env.invalidate_all()

    def test_broken_promise_reminds_once_and_escalation_counts_from_it(self):
        """Due 2026-01-31, owner told on 02-01; promised on 03-01 to pay by
        03-10. The manager would hear at 30 days overdue (03-02): the promise
        holds them. Unpaid on 03-11: the owner is reminded, once; the manager
        hears 30 days after the promised date (04-09), not before."""
        _load_chinese(self, self.user_sales)
        with freeze_time("2026-01-20"):
            agreement = self._activate(
                self._agreement(parts=(("2026-01-31", 500.0), ("2026-04-30", 500.0)))
            )
        installment = agreement.installment_ids.sorted("due_date")[0]
        self._daily("2026-02-01")
        self.assertEqual(installment.collection_level, 1)
        with freeze_time("2026-03-01"):
            action = self._promise(installment, "2026-03-10")
        for day in ("2026-03-02", "2026-03-05", "2026-03-10"):
            self._daily(day)
            self.assertEqual(installment.collection_level, 1, day)
            self.assertFalse(self._reminders(installment), day)
        self._daily("2026-03-11")
        reminder = self._reminders(installment)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.user_sales)
        self.assertEqual(reminder.date_deadline, date(2026, 3, 11))
        self.assertIn("承诺", reminder.summary)
        self.assertTrue(action.promise_broken)
        self.assertEqual(installment.collection_level, 1)
        self._daily("2026-03-11")
        self._daily("2026-03-12")
        self.assertEqual(self._reminders(installment), reminder)
        self._daily("2026-04-08")
        self.assertEqual(installment.collection_level, 1)
        self._daily("2026-04-09")
        self.assertEqual(installment.collection_level, 2)
        self._daily("2026-05-08")
        self.assertEqual(installment.collection_level, 2)
        self._daily("2026-05-09")
        self.assertEqual(installment.collection_level, 3)

    def test_kept_or_renegotiated_promise_reminds_nobody(self):
        with freeze_time("2026-01-20"):
            agreement = self._activate(
                self._agreement(parts=(("2026-01-31", 500.0), ("2026-02-28", 500.0)))
            )
        paid, renegotiated = agreement.installment_ids.sorted("due_date")
        with freeze_time("2026-02-05"):
            self._promise(paid, "2026-02-10")
            self._pay(500.0, agreement, date="2026-02-10")
        self.assertEqual(paid.state, "paid")
        with freeze_time("2026-03-02"):
            first = self._promise(renegotiated, "2026-03-05")
        with freeze_time("2026-03-04"):
            second = self._promise(renegotiated, "2026-03-20")
        self._daily("2026-03-06")
        self.assertFalse(self._reminders(paid | renegotiated))
        self.assertFalse(first.promise_broken)
        self._daily("2026-03-21")
        self.assertEqual(len(self._reminders(renegotiated)), 1)
        self.assertTrue(second.promise_broken)
        self.assertFalse(first.promise_broken)

    def test_worst_case_queries_do_not_grow(self):
        """Every installment with a broken promise at once: the same queries for
        3 and for 30 installments."""
        counts = {}
        for count in (1, 3, 30):
            with freeze_time("2026-01-20"):
                agreement = self._activate(
                    self._agreement(parts=(("2026-12-31", 10.0),))
                )
            self._seed(agreement, count, level=3, spread=1)
            seeded = agreement.installment_ids.filtered(
                lambda i: i.due_date == date(2026, 1, 1)
            )
            self.assertEqual(len(seeded), count)
            self._daily("2026-02-01")
            with freeze_time("2026-02-01"):
                for installment in seeded:
                    self._promise(installment, "2026-02-10")
            with freeze_time("2026-02-11"):
                if count == 30:
                    self.env.invalidate_all()
                    with self.assertQueryCount(BROKEN_PROMISE_QUERIES):
                        self.Installment._cron_installment_daily()
                else:
                    counts[count] = _queries(
                        self, self.Installment._cron_installment_daily
                    )
            self.assertEqual(len(self._reminders(seeded)), count)
        _logger.info("broken promises: %s queries", counts)
        self.assertEqual(counts[3], BROKEN_PROMISE_QUERIES)


@tagged("post_install", "-at_install")
class TestRegistrationReminders(CustomerArchiveCase):
    """A draft past its deadline: its owner reminded on the deadline and every N
    working days, the manager told at the second reminder, the count kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._working_calendar("Shanghai office")
        cls.env.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "customer_registration_days": 5,
                "customer_registration_reminder_days": 2,
            }
        )
        cls.reminder_type = cls.env.ref(
            "customer_policy.mail_activity_type_registration_reminder"
        )
        cls.Partner = cls.env["res.partner"]
        # Drafts of the demo data and of other tests are not this test's.
        cls.Partner.search([("registration_state", "=", "draft")]).write(
            {"registration_next_reminder": "2099-01-01"}
        )

    def _draft(self, name, user=None, contact=date(2026, 1, 2)):
        user = user or self.user_sales
        return self.Partner.with_user(user).create(
            self._archive(name=name, first_contact_date=contact, user_id=user.id)
        )

    def _reminders(self, partners, user=None):
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "in", partners.ids),
            ("activity_type_id", "=", self.reminder_type.id),
        ]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def _daily(self, day):
        with freeze_time(f"{day} 01:00:00"):
            self.Partner._cron_registration_reminders()
        self.env.invalidate_all()

    def test_deadline_then_every_two_working_days(self):
        """First contact Fri 2026-01-02, 5 working days: deadline Fri 01-09.
        Reminders on 01-09, Wed 01-14 (Tue 13th is a holiday), Fri 01-16."""
        _load_chinese(self, self.user_sales)
        draft = self._draft("催办测试有限公司")
        self.assertEqual(draft.registration_deadline, date(2026, 1, 9))
        self._daily("2026-01-08")
        self.assertFalse(self._reminders(draft))
        self._daily("2026-01-09")
        reminder = self._reminders(draft)
        self.assertEqual(reminder.user_id, self.user_sales)
        self.assertEqual(reminder.date_deadline, date(2026, 1, 9))
        self.assertIn("催办测试有限公司", reminder.summary)
        self.assertIn("第 1 次", reminder.summary)
        self.assertEqual(draft.registration_reminder_count, 1)
        self.assertEqual(draft.registration_next_reminder, date(2026, 1, 14))
        for day in ("2026-01-09", "2026-01-12", "2026-01-13"):
            self._daily(day)
        self.assertEqual(self._reminders(draft), reminder)
        self.assertEqual(draft.registration_reminder_count, 1)
        self._daily("2026-01-14")
        self.assertEqual(draft.registration_reminder_count, 2)
        # One open reminder for the owner, moved and renumbered.
        self.assertEqual(self._reminders(draft, self.user_sales), reminder)
        self.assertEqual(reminder.date_deadline, date(2026, 1, 14))
        self.assertIn("第 2 次", reminder.summary)
        manager = self._reminders(draft, self.user_manager)
        self.assertEqual(len(manager), 1)
        self.assertIn("Sales User", manager.summary)
        self._daily("2026-01-15")
        self._daily("2026-01-16")
        self.assertEqual(draft.registration_reminder_count, 3)
        self.assertEqual(len(self._reminders(draft, self.user_manager)), 1)
        self.assertEqual(draft.registration_next_reminder, date(2026, 1, 20))
        # Registered at last: the reminders are done, the count stays.
        with freeze_time("2026-01-16 02:00:00"):
            draft.with_user(self.user_sales).action_register()
        self.assertFalse(self._reminders(draft))
        self.assertEqual(draft.registration_reminder_count, 3)
        self.assertTrue(draft.is_registration_late)
        self._daily("2026-01-20")
        self.assertEqual(draft.registration_reminder_count, 3)

    def test_worst_case_queries_do_not_grow(self):
        """The first run after go-live: every draft is past its deadline. The
        same queries for 5 and for 40 drafts of two salespeople."""
        # Warm Odoo's caches (activity model, calendar, the two salespeople).
        self._draft("上线预热有限公司")
        self._draft("上线预热二有限公司", user=self.user_sales_2)
        self._daily("2026-02-02")
        counts = {}
        for count in (5, 40):
            drafts = self.Partner.browse()
            for index in range(count):
                user = self.user_sales if index % 2 else self.user_sales_2
                drafts |= self._draft(f"上线{count}号{index}有限公司", user=user)
            with freeze_time("2026-02-02 01:00:00"):
                if count == 40:
                    self.env.invalidate_all()
                    with self.assertQueryCount(REGISTRATION_REMINDER_QUERIES):
                        self.Partner._cron_registration_reminders()
                else:
                    counts[count] = _queries(
                        self, self.Partner._cron_registration_reminders
                    )
            self.assertEqual(len(self._reminders(drafts)), count)
            self.assertEqual(set(drafts.mapped("registration_reminder_count")), {1})
        _logger.info("registration reminders: %s queries", counts)
        self.assertEqual(counts[5], REGISTRATION_REMINDER_QUERIES)
