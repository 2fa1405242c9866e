import logging
from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import RedirectWarning
from odoo.tests import Form, new_test_user, tagged

from .common import CustomerLedgerCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestLeavers(CustomerLedgerCase):
    """Item 5: a user who still owns customers or open records cannot be
    archived before the hand-over."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leaving = new_test_user(
            cls.env,
            login="cp_leaver",
            name="Leaving Salesperson",
            groups="customer_policy.group_user",
        )
        cls.leaving_too = new_test_user(
            cls.env,
            login="cp_leaver_2",
            name="Second Leaver",
            groups="customer_policy.group_user",
        )
        cls.successor = new_test_user(
            cls.env,
            login="cp_successor",
            name="Successor",
            groups="customer_policy.group_user",
        )
        cls.team.member_ids = [(4, cls.leaving.id), (4, cls.successor.id)]
        cls.mine = cls._customer("离职交接甲有限公司", user=cls.leaving)
        cls.mine_too = cls._customer("离职交接乙有限公司", user=cls.leaving)
        cls.theirs = cls._customer("第二离职者客户有限公司", user=cls.leaving_too)

    def _build_open_work(self):
        """Two customers, a draft agreement, an expired one still owed 300 + 200
        in two installments, an open complaint, three planned visits on its
        customers and one on a colleague's customer, a return-visit schedule."""
        Agreement = self.env["customer.agreement"]
        self.draft = self._agreement(partner=self.mine, user=self.leaving).sudo()
        self.expired = self._agreement(
            parts=(("2026-01-31", 300.0), ("2026-02-28", 200.0)),
            partner=self.mine_too,
            user=self.leaving,
        ).sudo()
        self.expired.write({"state": "expired"})
        self.assertEqual(self.expired.amount_due, 500.0)
        # Closed and fully paid: history, it keeps who signed it.
        self.closed = Agreement.create(
            {
                "partner_id": self.mine.id,
                "title": "Old supply",
                "user_id": self.leaving.id,
                "state": "terminated",
            }
        )
        self.complaint = self.env["customer.complaint"].create(
            {
                "partner_id": self.mine_too.id,
                "user_id": self.leaving.id,
                "severity": "normal",
                "received_at": datetime(2026, 3, 2, 2, 0),
                "description": "<p>设备故障</p>",
            }
        )
        Visit = self.env["customer.visit"]
        self.visits = Visit.create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": self.leaving.id,
                    "planned_date": f"2026-03-{day} 02:00:00",
                }
                for partner, day in (
                    (self.mine, 10),
                    (self.mine, 20),
                    (self.mine_too, 25),
                )
            ]
        )
        self.colleague_visit = Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.leaving.id,
                "planned_date": "2026-03-12 02:00:00",
            }
        )
        self.schedule = self.env["customer.return.schedule"].create(
            {
                "partner_id": self.mine.id,
                "name": "2020 年交付",
                "delivery_date": "2020-01-10",
                "end_date": "2020-12-31",
                "user_id": self.leaving.id,
            }
        )
        self.assertFalse(self.schedule.visit_ids)

    def _archive(self, users):
        return users.with_user(self.user_admin).action_archive()

    @freeze_time("2026-03-02 02:00:00")
    def test_refused_with_the_counts_then_archived_after_hand_over(self):
        self._build_open_work()
        with self.assertRaises(RedirectWarning) as caught:
            self._archive(self.leaving)
        message, action, button, context = caught.exception.args
        self.assertIn(
            "Leaving Salesperson still has customers: 2, open agreements: 2, "
            "unpaid installments: 2, open complaints: 1, planned visits: 4, "
            "return-visit schedules in service: 1.",
            message,
        )
        self.assertEqual(action, "customer_policy.action_customer_handover_wizard")
        self.assertIn("Leaving Salesperson", button)
        self.assertEqual(context, {"default_user_id": self.leaving.id})
        self.assertTrue(self.leaving.active)
        # The button opens the hand-over of the leaver.
        self.env.ref(action)
        wizard = Form(
            self.env["customer.handover.wizard"]
            .with_user(self.user_director)
            .with_context(**context)
        )
        self.assertEqual(wizard.user_id, self.leaving)
        self.assertEqual(wizard.customer_count, 2)
        wizard.successor_id = self.successor
        # "Other Work To" left empty: each customer's owner takes it back.
        wizard.other_successor_id = self.env["res.users"]
        wizard.save().action_handover()
        self._archive(self.leaving)
        self.assertFalse(self.leaving.active)
        self.assertEqual((self.mine | self.mine_too).user_id, self.successor)
        self.assertEqual(
            (self.draft | self.expired).user_id | self.complaint.user_id,
            self.successor,
        )
        self.assertEqual(self.visits.user_id, self.successor)
        self.assertEqual(self.schedule.user_id, self.successor)
        # The open visit on a colleague's customer went back to its owner.
        self.assertEqual(self.colleague_visit.user_id, self.user_sales)
        self.assertEqual(self.closed.user_id, self.leaving)

    @freeze_time("2026-03-02 02:00:00")
    def test_several_users_at_once(self):
        """One message for all, in queries that do not grow with the users."""
        self._build_open_work()
        nobody = new_test_user(
            self.env, login="cp_idle", groups="customer_policy.group_user"
        )
        with self.assertRaises(RedirectWarning) as caught:
            self._archive(self.leaving | self.leaving_too | nobody)
        message = caught.exception.args[0]
        self.assertIn("Leaving Salesperson still has customers: 2", message)
        self.assertIn("Second Leaver still has customers: 1.", message)
        self.assertNotIn(nobody.name, message)
        self.assertTrue(
            all((self.leaving | self.leaving_too | nobody).mapped("active"))
        )
        counts = []
        for users in (self.leaving, self.leaving | self.leaving_too | nobody):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            users._customer_policy_open_work()
            counts.append(self.env.cr.sql_log_count - before)
        _logger.info("leavers' open work, 1 then 3 users: %s queries", counts)
        self.assertEqual(counts[0], counts[1])
        # Without open work, a user is archived as before.
        self._archive(nobody)
        self.assertFalse(nobody.active)

    def test_hand_over_of_records_on_others_customers_only(self):
        """A leaver who owns no customer but still has a planned visit on a
        colleague's: the hand-over gives it back, then archiving works."""
        visit = self.env["customer.visit"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.successor.id,
                "planned_date": fields.Datetime.now(),
            }
        )
        with self.assertRaises(RedirectWarning) as caught:
            self._archive(self.successor)
        self.assertIn(
            "Successor still has planned visits: 1.", caught.exception.args[0]
        )
        self.env["customer.handover.wizard"].with_user(self.user_manager).create(
            {
                "user_id": self.successor.id,
                "successor_id": self.user_sales_2.id,
                "other_successor_id": False,
            }
        ).action_handover()
        self.assertEqual(visit.user_id, self.user_sales)
        self._archive(self.successor)
        self.assertFalse(self.successor.active)
