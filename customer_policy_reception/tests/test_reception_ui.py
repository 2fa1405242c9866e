from odoo.tests import HttpCase, new_test_user, tagged


class ReceptionUiCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"

        def user(login, name, groups="customer_policy.group_user"):
            return new_test_user(
                cls.env,
                login=login,
                password=login + "_pw",
                name=name,
                groups=groups,
                tz="Asia/Shanghai",
            )

        cls.user_a = user("rc_tour_a", "Tour Salesperson A")
        cls.user_b = user("rc_tour_b", "Tour Salesperson B")
        cls.user_c = user("rc_tour_c", "Tour Salesperson C")
        cls.manager = user(
            "rc_tour_manager", "Tour Manager", "customer_policy.group_manager"
        )
        team = cls.env["crm.team"].create(
            {"name": "Tour Sales Office", "user_id": cls.manager.id}
        )
        cls.desk = cls.env["customer.reception.desk"].create(
            {"name": "Tour Office", "team_id": team.id}
        )
        for sequence, member in enumerate((cls.user_a, cls.user_b, cls.user_c)):
            cls.env["customer.reception.turn"].create(
                {"desk_id": cls.desk.id, "user_id": member.id, "sequence": sequence}
            )


@tagged("post_install", "-at_install")
class TestReceptionUiPhone(ReceptionUiCase):
    # The reception screen is a phone at the desk.
    browser_size = "400x800"
    touch_enabled = True

    def test_reception_screen_on_a_phone(self):
        """B records a walk-in on the reception screen after A goes out."""
        self.start_tour(
            "/odoo/action-customer_policy_reception.action_reception_landing",
            "customer_reception_tour",
            login="rc_tour_b",
        )
        visit = self.desk.visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(
            (visit.visitor_name, visit.mobile, visit.visit_kind),
            ("王先生", "13812345678", "first"),
        )
        self.assertEqual(visit.user_id, self.user_b)
        self.assertEqual(visit.received_by_id, self.user_b)
        turn_a = self.desk.turn_ids.filtered(lambda t: t.user_id == self.user_a)
        self.assertEqual(turn_a.state, "away")
        self.assertEqual(self.desk.next_user_id, self.user_c)


@tagged("post_install", "-at_install")
class TestReceptionUiRegister(ReceptionUiCase):
    def test_register_and_override(self):
        """The manager re-assigns a walk-in from the register, with a reason."""
        visit = self.env["customer.reception.visit"].browse(
            self.desk.with_user(self.user_a).register_walk_in("李女士", "13912345678")
        )
        self.assertEqual(visit.user_id, self.user_a)
        self.start_tour(
            "/odoo/action-customer_policy_reception.action_customer_reception_visit",
            "customer_reception_register_tour",
            login="rc_tour_manager",
        )
        self.assertEqual(visit.user_id, self.user_b)
        self.assertEqual(visit.override_reason, "客户指定要B接待")
        self.assertEqual(visit.violation_ids.kind, "grab")
        self.assertEqual(visit.violation_ids.state, "open")
