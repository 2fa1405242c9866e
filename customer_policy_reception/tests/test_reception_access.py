from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ReceptionCase


@tagged("post_install", "-at_install")
class TestReceptionAccess(ReceptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-02 02:00:00"):
            cls.visit_a = cls.env["customer.reception.visit"].browse(
                cls.desk.with_user(cls.user_a).register_walk_in("访客1", "13800000001")
            )
            # A Beijing visitor asks for C of the Shanghai office.
            cls.visit_for_c = cls.env["customer.reception.visit"].browse(
                cls.other_desk.with_user(cls.outsider).register_walk_in(
                    "访客2", "13800000002", asked_for_user_id=cls.user_c.id
                )
            )

    def setUp(self):
        super().setUp()
        freezer = freeze_time("2026-03-02 02:00:00")
        freezer.start()
        self.addCleanup(freezer.stop)

    def visible(self, user, model="customer.reception.visit"):
        return self.env[model].with_user(user).search([])

    def test_salespeople_see_their_desks_register(self):
        self.assertEqual(self.visible(self.user_b), self.visit_a)
        # C is on the Shanghai roster and serves the Beijing visitor who asked for C.
        self.assertEqual(self.visible(self.user_c), self.visit_a | self.visit_for_c)
        self.assertEqual(self.visible(self.outsider), self.visit_for_c)
        with self.assertRaises(AccessError):
            self.visit_a.with_user(self.outsider).read(["visitor_name"])

    def test_managers_see_their_departments_desks(self):
        self.assertEqual(self.visible(self.manager), self.visit_a)
        self.assertEqual(self.visible(self.other_manager), self.visit_for_c)
        self.assertEqual(self.visible(self.director), self.visit_a | self.visit_for_c)

    def test_only_the_roster_and_the_manager_record_walk_ins(self):
        with self.assertRaises(AccessError):
            self.desk.with_user(self.outsider).register_walk_in("访客3", "13800000003")
        with self.assertRaises(AccessError):
            self.desk.with_user(self.other_manager).set_away(self.user_a.id)
        self.assertEqual(len(self.desk.visit_ids), 1)
        visit = self.walk_in("访客3", "13800000003", user=self.manager)
        self.assertEqual(visit.user_id, self.user_b)
        visit = self.walk_in("访客4", "13800000004", user=self.director)
        self.assertEqual(visit.user_id, self.user_c)

    def test_desks_and_rosters(self):
        # Everyone reads the desks; only the department's manager edits them.
        self.assertIn(self.desk, self.visible(self.outsider, "customer.reception.desk"))
        with self.assertRaises(AccessError):
            self.desk.with_user(self.user_a).write({"name": "改名"})
        with self.assertRaises(AccessError):
            self.desk.with_user(self.other_manager).write({"name": "改名"})
        self.desk.with_user(self.manager).member_ids = (
            self.user_d | self.user_c | self.user_b | self.user_a
        )
        self.assertEqual(len(self.desk.turn_ids), 4)
        self.desk.with_user(self.manager).member_ids = self.user_a | self.user_b
        self.assertEqual(self.desk.member_ids, self.user_a | self.user_b)
        with self.assertRaises(AccessError):
            self.env["customer.reception.desk"].with_user(self.other_manager).create(
                {"name": "抢来的接待台", "team_id": self.team.id}
            )
        desk = (
            self.env["customer.reception.desk"]
            .with_user(self.other_manager)
            .create({"name": "北京第二接待台", "team_id": self.other_team.id})
        )
        self.assertEqual(desk.manager_id, self.other_manager)

    def test_violations_and_summary(self):
        violation = self.visit_a.with_user(self.user_b)._reception_override(
            self.user_b, "客户要求"
        )
        model = "customer.reception.violation"
        self.assertEqual(self.visible(self.user_b, model), violation)
        self.assertFalse(self.visible(self.user_a, model))
        self.assertEqual(self.visible(self.manager, model), violation)
        self.assertFalse(self.visible(self.other_manager, model))
        with self.assertRaises(AccessError):
            violation.with_user(self.user_b).write({"penalty_note": "不罚"})
        with self.assertRaises(AccessError):
            self.env["customer.reception.summary"].with_user(self.user_a).search([])
        summary = self.visible(self.manager, "customer.reception.summary")
        self.assertEqual(summary.desk_id, self.desk)
        self.assertEqual(
            self.visible(self.other_manager, "customer.reception.summary").desk_id,
            self.other_desk,
        )
