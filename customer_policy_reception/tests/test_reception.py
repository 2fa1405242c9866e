from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ReceptionCase


@tagged("post_install", "-at_install")
class TestReceptionRotation(ReceptionCase):
    @freeze_time("2026-03-02 01:00:00")  # 09:00 in Shanghai
    def test_a_day_of_walk_ins(self):
        """Roster A, B, C, D. B goes out for two rounds and comes back.

        Worked out from the policy's words, visitor by visitor:
          1 first visit            -> A (turn), regular turn now at B
          B goes out
          2 first visit            -> B is passed over (owed 1) -> C
          3 first visit            -> D
          4 asks for C             -> C, outside the rotation: nothing moves
          5 first visit            -> A
          6 first visit            -> B passed over again (owed 2) -> C
          7 visitor 1 comes back   -> A, who served them (received by D, the
                                      next in line); never a turn
          8 first visit            -> D
          B comes back, owed 2
          9, 10 first visits       -> B, B (make-up turns; the regular turn stays
                                      at A)
          11, 12, 13 first visits  -> A, B, C (the regular rotation goes on)
        """
        A, B, C, D = self.user_a, self.user_b, self.user_c, self.user_d
        visits = [self.walk_in("访客1", "13800000001")]
        self.assertEqual((self.desk.next_user_id, self.desk.standby_user_id), (B, C))
        self.desk.with_user(B).set_away(B.id)
        self.assertEqual(self.turn(B).state, "away")
        self.assertTrue(self.turn(B).away_since)
        self.assertEqual((self.desk.next_user_id, self.desk.standby_user_id), (C, D))
        visits.append(self.walk_in("访客2", "13800000002"))
        visits.append(self.walk_in("访客3", "13800000003"))
        visits.append(self.walk_in("访客4", "13800000004", asked_for_user_id=C.id))
        visits.append(self.walk_in("访客5", "13800000005"))
        visits.append(self.walk_in("访客6", "13800000006"))
        visits.append(self.walk_in("访客1", "138-0000-0001", came_before=True))
        visits.append(self.walk_in("访客8", "13800000008"))
        self.assertEqual(self.turn(B).makeup_owed, 2)
        self.desk.with_user(B).set_back(B.id)
        self.assertEqual(self.turn(B).makeup_owed, 2, "coming back keeps the count")
        self.assertEqual((self.desk.next_user_id, self.desk.standby_user_id), (B, A))
        for number in range(9, 14):
            visits.append(self.walk_in(f"访客{number}", f"138000000{number:02d}"))

        self.assertEqual(
            [visit.user_id for visit in visits], [A, C, D, C, A, C, A, D, B, B, A, B, C]
        )
        self.assertEqual(
            [visit.visit_kind for visit in visits],
            ["first"] * 3
            + ["designated"]
            + ["first"] * 2
            + ["returning"]
            + ["first"] * 6,
        )
        self.assertEqual(
            [visit.counts_as_turn for visit in visits],
            [True, True, True, False, True, True, False] + [True] * 6,
        )
        self.assertEqual(
            [visit.is_makeup for visit in visits],
            [False] * 8 + [True, True] + [False] * 3,
        )
        self.assertEqual(visits[1].skipped_user_ids, B)
        self.assertEqual(visits[5].skipped_user_ids, B)
        returning = visits[6]
        self.assertEqual(returning.received_by_id, D)
        self.assertEqual(returning.previous_user_id, A)
        self.assertEqual(returning.user_id, A)
        self.assertEqual(
            [self.turn(user).turn_count for user in (A, B, C, D)], [3, 3, 3, 2]
        )
        self.assertEqual(self.turn(B).makeup_owed, 0)
        self.assertEqual(self.desk.today_visit_count, 13)
        self.assertEqual((self.desk.next_user_id, self.desk.standby_user_id), (D, A))

    @freeze_time("2026-03-02 01:00:00")
    def test_busy_member_is_passed_over_too(self):
        self.walk_in("访客1", "13800000001")  # A
        self.turn(self.user_b).with_user(self.user_b).action_set_busy()
        self.assertEqual(self.turn(self.user_b).state, "busy")
        visit = self.walk_in("访客2", "13800000002")
        self.assertEqual(visit.user_id, self.user_c)
        self.assertEqual(self.turn(self.user_b).makeup_owed, 1)
        self.turn(self.user_b).with_user(self.user_b).action_set_back()
        self.assertEqual(self.walk_in("访客3", "13800000003").user_id, self.user_b)
        with self.assertRaisesRegex(UserError, "already at the desk"):
            self.desk.with_user(self.user_b).set_back(self.user_b.id)

    @freeze_time("2026-03-02 01:00:00")
    def test_nobody_at_the_desk(self):
        for user in (self.user_a, self.user_b, self.user_c, self.user_d):
            self.desk.with_user(self.user_a).set_away(user.id)
        with self.assertRaisesRegex(UserError, "Nobody is at the desk"):
            self.walk_in("访客1", "13800000001")
        self.assertFalse(self.desk.visit_ids)

    @freeze_time("2026-03-02 01:00:00")
    def test_visitor_name_and_mobile_required(self):
        with self.assertRaisesRegex(UserError, "name and mobile"):
            self.walk_in(" ", "13800000001")
        self.assertFalse(self.desk.visit_ids)
        self.assertEqual(self.desk.next_user_id, self.user_a)

    def test_a_new_day_starts_the_rotation_again(self):
        with freeze_time("2026-03-02 01:00:00"):
            self.walk_in("访客1", "13800000001")
            self.desk.with_user(self.user_a).set_away(self.user_b.id)
            self.walk_in("访客2", "13800000002")  # C, B owed 1
        # 00:30 on 3 March in Shanghai is still 2 March in UTC.
        with freeze_time("2026-03-02 16:30:00"):
            self.env["customer.reception.desk"]._cron_reception_new_day()
            self.assertEqual(self.desk.roster_date.isoformat(), "2026-03-03")
            self.assertEqual(self.turn(self.user_b).state, "present")
            self.assertEqual(self.turn(self.user_b).makeup_owed, 0)
            self.assertEqual(self.turn(self.user_c).turn_count, 0)
            visit = self.walk_in("访客3", "13800000003")
            self.assertEqual(visit.user_id, self.user_a)
            self.assertEqual(visit.visit_day.isoformat(), "2026-03-03")


@tagged("post_install", "-at_install")
class TestReceptionReturningVisitor(ReceptionCase):
    @freeze_time("2026-03-02 02:00:00")
    def test_returning_visitor_goes_to_the_colleague_and_same_day_deal_splits(self):
        visit = self.walk_in(
            "老客户", "13900000001", came_before=True, previous_user_id=self.user_c.id
        )
        # A is next in line: A receives, C serves; the rotation does not move.
        self.assertEqual(visit.visit_kind, "returning")
        self.assertEqual(visit.received_by_id, self.user_a)
        self.assertEqual(visit.user_id, self.user_c)
        self.assertEqual(visit.previous_user_id, self.user_c)
        self.assertFalse(visit.counts_as_turn)
        self.assertEqual(self.desk.next_user_id, self.user_a)
        self.assertEqual((visit.received_by_share, visit.user_share), (0.0, 0.0))
        visit.with_user(self.user_c).action_deal_today()
        self.assertEqual(visit.outcome, "deal_today")
        self.assertEqual(visit.deal_date.isoformat(), "2026-03-02")
        self.assertEqual((visit.received_by_share, visit.user_share), (50.0, 50.0))
        self.assertEqual(
            visit._customer_policy_reception_credits(),
            [(self.user_a, 50.0), (self.user_c, 50.0)],
        )

    def test_a_deal_on_a_later_day_is_no_split(self):
        with freeze_time("2026-03-02 02:00:00"):
            visit = self.walk_in(
                "老客户", "13900000001", previous_user_id=self.user_c.id
            )
            self.assertEqual(visit.visit_kind, "returning")
        with (
            freeze_time("2026-03-03 02:00:00"),
            self.assertRaisesRegex(UserError, "same day"),
        ):
            visit.with_user(self.user_c).action_deal_today()
        self.assertEqual(visit.outcome, "none")
        self.assertEqual((visit.received_by_share, visit.user_share), (0.0, 0.0))

    @freeze_time("2026-03-02 02:00:00")
    def test_first_visit_deal_is_the_servers_alone(self):
        visit = self.walk_in("新客户", "13900000002")
        visit.with_user(self.user_a).action_deal_today()
        self.assertEqual((visit.received_by_share, visit.user_share), (0.0, 100.0))
        self.assertEqual(
            visit._customer_policy_reception_credits(), [(self.user_a, 100.0)]
        )

    @freeze_time("2026-03-02 02:00:00")
    def test_returning_customer_found_in_the_archive(self):
        """A registered customer's phone is the visitor's mobile: the visitor is
        linked to it and goes to its owner."""
        customer = self.env["res.partner"].create(
            {
                "name": "老主顾有限公司",
                "is_company": True,
                "phone": "+86 139 0000 0009",
                "user_id": self.user_d.id,
                "customer_policy_managed": True,
            }
        )
        visit = self.walk_in("老主顾", "13900000009", came_before=True)
        self.assertEqual(visit.partner_id, customer)
        self.assertEqual(visit.user_id, self.user_d)
        self.assertEqual(visit.received_by_id, self.user_a)

    @freeze_time("2026-03-02 02:00:00")
    def test_the_register_knows_a_returning_visitor(self):
        """Saying "first visit" does not make a registered visitor a turn again."""
        first = self.walk_in("访客1", "13800000001")  # A's turn
        form = Form(
            self.env["customer.reception.walk.in"]
            .with_user(self.user_b)
            .with_context(default_desk_id=self.desk.id)
        )
        form.visitor_name = "访客1"
        form.mobile = "+86 13800000001"
        self.assertEqual(
            form.register_hint,
            "Came on 2026-03-02, served by Salesperson A: a returning visitor.",
        )
        action = form.save().action_register()
        again = self.env["customer.reception.visit"].browse(action["res_id"])
        self.assertEqual(first.user_id, self.user_a)
        self.assertEqual(again.visit_kind, "returning")
        self.assertFalse(again.counts_as_turn)
        self.assertEqual(again.user_id, self.user_a)
        self.assertEqual(again.received_by_id, self.user_b)
        self.assertEqual(self.desk.next_user_id, self.user_b)

    @freeze_time("2026-03-02 02:00:00")
    def test_returning_visitor_nobody_remembers(self):
        visit = self.walk_in("路人", "13900000003", came_before=True)
        self.assertEqual(visit.user_id, self.user_a)
        self.assertEqual(visit.received_by_id, self.user_a)
        self.assertFalse(visit.previous_user_id)
        self.assertFalse(visit.counts_as_turn)
        self.assertEqual(self.desk.next_user_id, self.user_a)


@tagged("post_install", "-at_install")
class TestReceptionOverride(ReceptionCase):
    @freeze_time("2026-03-02 02:00:00")
    def test_override_needs_a_reason_and_is_logged(self):
        visit = self.walk_in("访客1", "13800000001")  # A's turn
        wizard = Form(
            self.env["customer.reception.override"]
            .with_user(self.user_b)
            .with_context(default_visit_id=visit.id)
        )
        wizard.user_id = self.user_b
        with self.assertRaises(AssertionError):
            wizard.save()  # the reason is required in the form
        with self.assertRaisesRegex(UserError, "why"):
            visit.with_user(self.user_b)._reception_override(self.user_b, "  ")
        self.assertEqual(visit.user_id, self.user_a)
        self.assertFalse(visit.violation_ids)

        wizard.reason = "客户说认识B"
        wizard.save().action_confirm()
        self.assertEqual(visit.user_id, self.user_b)
        self.assertEqual(visit.override_reason, "客户说认识B")
        violation = visit.violation_ids
        self.assertEqual(len(violation), 1)
        self.assertEqual(
            (violation.user_id, violation.kind, violation.origin, violation.state),
            (self.user_b, "grab", "override", "open"),
        )
        # A lost a regular turn by hand: A is owed it back.
        self.assertEqual(self.turn(self.user_a).makeup_owed, 1)
        self.assertEqual(self.desk.next_user_id, self.user_a)

    @freeze_time("2026-03-02 02:00:00")
    def test_assignment_cannot_be_written_around_the_rules(self):
        visit = self.walk_in("访客1", "13800000001")
        with self.assertRaisesRegex(UserError, "re-assign with a reason"):
            visit.with_user(self.manager).write({"user_id": self.user_b.id})
        with self.assertRaisesRegex(UserError, "re-assign with a reason"):
            visit.with_user(self.user_a).write({"outcome": "deal_today"})
        with self.assertRaisesRegex(UserError, "New Walk-in"):
            self.env["customer.reception.visit"].create(
                {"desk_id": self.desk.id, "visitor_name": "x", "mobile": "1"}
            )
        with self.assertRaisesRegex(UserError, "Away, Busy and Back"):
            self.turn(self.user_b).with_user(self.manager).write({"makeup_owed": 5})
        # What the register is for stays editable.
        visit.with_user(self.user_a).write(
            {"note": "想了解产品", "visitor_company": "某公司"}
        )
        self.assertEqual(visit.note, "想了解产品")

    @freeze_time("2026-03-02 02:00:00")
    def test_manager_decides_the_violation(self):
        visit = self.walk_in("访客1", "13800000001")
        violation = visit.with_user(self.user_b)._reception_override(
            self.user_b, "认识"
        )
        with self.assertRaisesRegex(UserError, "Only the manager"):
            violation.with_user(self.user_b).action_confirm()
        with self.assertRaisesRegex(UserError, "Confirm or Dismiss"):
            violation.with_user(self.manager).write({"state": "dismissed"})
        with self.assertRaisesRegex(ValidationError, "penalty"):
            violation.with_user(self.manager).action_confirm()
        violation.with_user(self.manager).penalty_note = "罚款50元，客户归还A"
        violation.with_user(self.manager).action_confirm()
        self.assertEqual(violation.state, "confirmed")
        self.assertEqual(violation.decided_by_id, self.manager)
        with self.assertRaisesRegex(UserError, "already decided"):
            violation.with_user(self.manager).action_dismiss()
        with self.assertRaises(UserError):
            violation.with_user(self.other_manager).action_reopen()
        violation.with_user(self.director).action_reopen()
        self.assertEqual(violation.state, "open")

    @freeze_time("2026-03-02 02:00:00")
    def test_manager_reports_neglect(self):
        visit = self.walk_in("访客1", "13800000001")
        violation = (
            self.env["customer.reception.violation"]
            .with_user(self.manager)
            .create(
                {
                    "desk_id": self.desk.id,
                    "visit_id": visit.id,
                    "user_id": self.user_a.id,
                    "kind": "neglect",
                    "description": "客户等了20分钟无人接待",
                }
            )
        )
        self.assertEqual((violation.origin, violation.state), ("report", "open"))
        violation.with_user(self.manager).action_dismiss()
        self.assertEqual(violation.state, "dismissed")


@tagged("post_install", "-at_install")
class TestReceptionCustomer(ReceptionCase):
    @freeze_time("2026-03-02 02:00:00")
    def test_register_the_visitor_as_customer_runs_the_archive_checks(self):
        visit = self.walk_in("张三", "13700000001")
        visit.with_user(self.user_a).visitor_company = "来访科技有限公司"
        visit.with_user(self.user_a).action_create_customer()
        customer = visit.partner_id
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.user_id, self.user_a)
        self.assertEqual(customer.child_ids.mobile, "13700000001")
        self.assertEqual(customer.registration_state, "draft")
        # The company requires archive fields that a walk-in does not give.
        with self.assertRaisesRegex(ValidationError, "cannot be registered"):
            visit.with_user(self.user_a).action_register_customer()
        self.assertEqual(customer.registration_state, "draft")
        self.env.company.customer_registration_required_fields = False
        visit.with_user(self.user_a).action_register_customer()
        self.assertEqual(customer.registration_state, "registered")
        self.assertTrue(visit.customer_registered)
        self.assertEqual(customer.customer_developer_id, self.user_a)
        # The next visit by the same mobile finds the customer.
        again = self.walk_in("张三", "+86 137 0000 0001", came_before=True)
        self.assertEqual(again.partner_id, customer)
        self.assertEqual(again.user_id, self.user_a)

    @freeze_time("2026-03-02 02:00:00")
    def test_registering_a_duplicate_is_refused(self):
        self.env.company.customer_registration_required_fields = False
        existing = self.env["res.partner"].create(
            {
                "name": "重复科技有限公司",
                "is_company": True,
                "user_id": self.outsider.id,
            }
        )
        existing.with_user(self.outsider).action_register()
        visit = self.walk_in("李四", "13700000002")
        visit.with_user(self.user_a).visitor_company = "重复科技有限公司"
        visit.with_user(self.user_a).action_create_customer()
        with self.assertRaisesRegex(
            UserError, "already registered by another department"
        ):
            visit.with_user(self.user_a).action_register_customer()
        self.assertEqual(visit.partner_id.registration_state, "draft")


@tagged("post_install", "-at_install")
class TestReceptionSummary(ReceptionCase):
    def test_monthly_summary(self):
        with freeze_time("2026-03-02 02:00:00"):
            self.walk_in("访客1", "13800000001")  # A
            self.walk_in("访客2", "13800000002")  # B
            returning = self.walk_in("访客1", "13800000001", came_before=True)  # C recv
            returning.with_user(self.user_a).action_deal_today()
            violation = returning.with_user(self.user_c)._reception_override(
                self.user_c, "A不在"
            )
            violation.with_user(self.manager).penalty_note = "警告"
            violation.with_user(self.manager).action_confirm()
        with freeze_time("2026-04-01 02:00:00"):
            self.walk_in("访客3", "13800000003")  # A again (new day)
        Summary = self.env["customer.reception.summary"]
        rows = Summary._read_group(
            [("desk_id", "=", self.desk.id)],
            ["month:month", "user_id"],
            [
                "visit_count:sum",
                "turn_count:sum",
                "returning_count:sum",
                "received_count:sum",
                "deal_count:sum",
                "violation_count:sum",
                "confirmed_violation_count:sum",
            ],
        )
        by_key = {(month.strftime("%Y-%m"), user): rest for month, user, *rest in rows}
        # March: A took 1 turn; B 1 turn; the returning visitor was received by C
        # and re-assigned by C to C (a confirmed grab) after A's deal.
        self.assertEqual(by_key[("2026-03", self.user_a)], [1, 1, 0, 0, 0, 0, 0])
        self.assertEqual(by_key[("2026-03", self.user_b)], [1, 1, 0, 0, 0, 0, 0])
        self.assertEqual(by_key[("2026-03", self.user_c)], [1, 0, 1, 0, 1, 1, 1])
        self.assertEqual(by_key[("2026-04", self.user_a)], [1, 1, 0, 0, 0, 0, 0])
        self.assertEqual(len(by_key), 4)
