"""The browser tours: one per main screen, each started as the role that works
there (static/tests/tours/)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_settings_tour(self):
        """An administrator opens the app, finds Settings, changes the deadline."""
        self.env.company.customer_registration_days = 5
        self.start_tour("/odoo", "customer_policy_settings_tour", login="admin")
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.customer_registration_days, 8)


@tagged("post_install", "-at_install")
class TestComplaintUi(HttpCase):
    def test_complaint_tour(self):
        """The service desk's main screen: SLA badges, then a ticket is answered."""
        customer = self.env["res.partner"].create(
            {"name": "导览测试客户", "is_company": True}
        )
        Complaint = self.env["customer.complaint"]
        now = fields.Datetime.now()
        fresh = Complaint.create(
            {"partner_id": customer.id, "severity": "normal", "received_at": now}
        )
        late = Complaint.create(
            {
                "partner_id": customer.id,
                "severity": "major",
                "received_at": now - timedelta(days=20),
            }
        )
        # Recognisable numbers for the tour.
        fresh.sudo().name = "TOUR-0001"
        late.sudo().name = "TOUR-0002"
        self.start_tour("/odoo", "customer_complaint_tour", login="admin")
        fresh.invalidate_recordset()
        self.assertEqual(fresh.state, "contacted")
        self.assertTrue(fresh.first_response_at)


@tagged("post_install", "-at_install")
class TestCustomerArchiveUi(HttpCase):
    def test_customer_archive_tour(self):
        """A salesperson creates a customer, sees the duplicate, registers it."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        user = new_test_user(
            env,
            login="cp_tour_sales",
            name="Tour Sales",
            groups="customer_policy.group_user",
        )
        other = new_test_user(
            env,
            login="cp_tour_other",
            name="Tour Other Sales",
            groups="customer_policy.group_user",
        )
        team = env["crm.team"].create(
            {"name": "Tour Other Department", "member_ids": [(6, 0, other.ids)]}
        )
        env["res.partner"].search([("customer_policy_managed", "=", True)]).write(
            {"active": False}
        )
        env["res.partner"].create(
            {
                "name": "上海星河科技有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": other.id,
                "team_id": team.id,
                "vat": "91310115MA1K4B5C3K",
            }
        )
        env.company.customer_registration_required_fields = env[
            "ir.model.fields"
        ].search(
            [
                ("model", "=", "res.partner"),
                ("name", "in", ["vat", "legal_representative", "company_scale"]),
            ]
        )
        self.start_tour(
            "/odoo", "customer_policy_customer_archive_tour", login=user.login
        )
        partner = env["res.partner"].search([("name", "=", "苏州新客户科技有限公司")])
        self.assertEqual(partner.registration_state, "registered")
        self.assertTrue(partner.customer_policy_managed)
        self.assertEqual(partner.user_id, user)
        self.assertEqual(partner.customer_developer_id, user)
        self.assertEqual(partner.legal_representative, "周明")
        self.assertEqual(partner.company_scale, "medium")


@tagged("post_install", "-at_install")
class TestCustomerTierUi(HttpCase):
    def test_tier_tour(self):
        """A director opens the customers by tier and applies a suggestion."""
        potential = self.env.ref("customer_policy.customer_tier_potential")
        general = self.env.ref("customer_policy.customer_tier_general")
        # The tour reads the tiers' English names: a director working in English.
        director = new_test_user(
            self.env,
            login="cp_tier_tour_director",
            groups="customer_policy.group_director",
            lang="en_US",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "巡检测试客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": director.id,
                "customer_tier_id": potential.id,
            }
        )
        customer.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET annual_contract_amount = 500 WHERE id = %s",
            (customer.id,),
        )
        customer.invalidate_recordset()
        self.assertEqual(customer.tier_suggested_id, general)
        self.start_tour("/odoo", "customer_policy_tier_tour", login=director.login)
        customer.invalidate_recordset()
        self.assertEqual(customer.customer_tier_id, general)
        last = customer.customer_tier_history_ids.sorted("id")[-1]
        self.assertEqual(last.reason, "First order signed in March")
        self.assertEqual(last.user_id, director)


@tagged("post_install", "-at_install")
class TestUiAccess(HttpCase):
    def test_request_and_approve_access_tour(self):
        """A salesperson asks to consult another department's customer through the
        lookup; the general manager approves it; the customer then opens."""
        requester = self.env.ref("customer_policy.user_huang_tao")
        customer = self.env.ref("customer_policy.res_partner_company_03")
        self.env.company.customer_access_approver_id = self.env.ref("base.user_admin")
        self.assertFalse(customer.with_user(requester)._filtered_access("read"))
        self.start_tour(
            "/odoo/action-customer_policy.action_customer_access_lookup",
            "customer_policy_access_request_tour",
            login=requester.login,
        )
        request = self.env["customer.access.request"].search(
            [("requester_id", "=", requester.id), ("partner_id", "=", customer.id)]
        )
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.approver_id, self.env.ref("base.user_admin"))
        self.assertIn("物流延误", request.reason)
        self.start_tour(
            "/odoo/action-customer_policy.action_customer_access_request",
            "customer_policy_access_approve_tour",
            login="admin",
        )
        # The menu leads to both screens.
        for xmlid in ("menu_customer_access_lookup", "menu_customer_access_request"):
            menu = self.env.ref(f"customer_policy.{xmlid}")
            self.assertEqual(
                menu.parent_id,
                self.env.ref("customer_policy.menu_customer_policy_access"),
            )
        request.invalidate_recordset()
        self.assertEqual(request.state, "approved")
        self.assertTrue(customer.with_user(requester)._filtered_access("read"))
        # The grant is traced with the address the approval came from.
        grant = self.env["customer.access.log"].search(
            [("request_id", "=", request.id), ("action", "=", "grant")]
        )
        self.assertEqual(grant.user_id, requester)
        self.assertEqual(grant.create_uid, self.env.ref("base.user_admin"))
        self.assertEqual(grant.ip_address, "127.0.0.1")


@tagged("post_install", "-at_install")
class TestAgreementUi(HttpCase):
    def test_agreement_tour(self):
        """A salesperson drafts an agreement with its schedule and submits it."""
        salesperson = new_test_user(
            self.env,
            login="cp_tour_sales",
            groups="customer_policy.group_user",
            tz="Asia/Shanghai",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "巡检协议客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": salesperson.id,
            }
        )
        self.start_tour(
            "/odoo", "customer_policy_agreement_tour", login="cp_tour_sales"
        )
        agreement = self.env["customer.agreement"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(agreement.title, "年度维保服务合同")
        self.assertEqual(agreement.state, "legal_review")
        self.assertEqual(agreement.user_id, salesperson)
        self.assertEqual(agreement.installment_ids.mapped("amount"), [5000.0])
        self.assertEqual(str(agreement.installment_ids.due_date), "2027-01-31")


@tagged("post_install", "-at_install")
class TestCustomerVisitUi(HttpCase):
    def test_visit_plan_tour(self):
        """A salesperson opens My Visit Plan, files the visit and marks it done."""
        user = new_test_user(
            self.env,
            login="cp_visit_tour",
            password="cp_visit_tour",
            name="Visit Tour User",
            groups="customer_policy.group_user",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "巡访测试客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": user.id,
            }
        )
        visit = self.env["customer.visit"].create(
            {"partner_id": customer.id, "planned_date": fields.Datetime.now()}
        )
        self.start_tour("/odoo", "customer_visit_tour", login="cp_visit_tour")
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.check_in_date)
        self.assertEqual(visit.summary, "讨论了续约")
        self.assertEqual(customer.last_visit_date, visit.done_date)


@tagged("post_install", "-at_install")
class TestServiceDutyUi(HttpCase):
    def test_service_duty_tour(self):
        """The service manager plans who is on duty over the holiday."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        new_test_user(
            env,
            login="cp_tour_service_manager",
            name="Tour Service Manager",
            groups="customer_policy.group_service_manager",
            tz="Asia/Shanghai",
        )
        duty_user = new_test_user(
            env, login="cp_tour_duty", name="国庆值班员", groups="base.group_user"
        )
        self.start_tour(
            "/odoo/action-customer_policy.action_customer_service_duty?view_type=list",
            "customer_service_duty_tour",
            login="cp_tour_service_manager",
        )
        duty = self.env["customer.service.duty"].search(
            [("user_id", "=", duty_user.id)]
        )
        self.assertEqual(len(duty), 1)
        # The browser's time zone decides the moment stored: check the span.
        self.assertEqual(duty.date_end - duty.date_start, timedelta(days=1))
        self.assertEqual(duty.note, "138 0000 0000")


@tagged("post_install", "-at_install")
class TestVisitCheckInPhoneUi(HttpCase):
    """On a phone: the check-in button on the visit card, the position awaited,
    recorded, or refused with a clear message."""

    browser_size = "400x800"
    touch_enabled = True

    def test_check_in_phone_tour(self):
        user = new_test_user(
            self.env,
            login="cp_check_in_phone",
            groups="customer_policy.group_user",
            tz="Asia/Shanghai",
        )
        visits = self.env["customer.visit"]
        for name in ("签到测试甲有限公司", "签到测试乙有限公司"):
            customer = self.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "customer_policy_managed": True,
                    "user_id": user.id,
                }
            )
            visits |= visits.create(
                {"partner_id": customer.id, "planned_date": fields.Datetime.now()}
            )
        self.start_tour("/odoo", "customer_visit_check_in_phone_tour", login=user.login)
        recorded, refused = visits
        self.assertEqual(recorded.check_in_position_state, "recorded")
        self.assertAlmostEqual(recorded.check_in_latitude, 31.2304)
        self.assertAlmostEqual(recorded.check_in_longitude, 121.4737)
        self.assertAlmostEqual(recorded.check_in_accuracy, 12)
        self.assertEqual(refused.check_in_position_state, "refused")
        self.assertTrue(refused.check_in_date)
        self.assertFalse(refused.check_in_latitude)


class RoleTourCase(HttpCase):
    """Tours of each role's main flow, logged in as the demo company's staff."""

    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "customer_policy")])
        if not module.demo:
            self.skipTest("the role tours run on the demo data")

    def _service_desk_call(self, url, tour):
        """The service desk records a call for a customer it reads but may not
        edit; the ticket is its own (首问负责制)."""
        agent = self.env.ref("customer_policy.user_wu_ting")
        customer = self.env.ref("customer_policy.res_partner_company_03")
        self.assertTrue(customer.with_user(agent)._filtered_access("read"))
        self.assertFalse(customer.with_user(agent)._filtered_access("write"))
        self.start_tour(url, tour, login=agent.login)
        ticket = self.env["customer.complaint"].search(
            [("partner_id", "=", customer.id), ("first_responder_id", "=", agent.id)]
        )
        self.assertEqual(len(ticket), 1)
        self.assertIn("物流延误", ticket.description)
        self.assertEqual(ticket.user_id, agent)


@tagged("post_install", "-at_install")
class TestRoleTours(RoleTourCase):
    def test_legal_reviews_and_approves(self):
        legal = self.env.ref("customer_policy.user_sun_li")
        agreement = self.env.ref("customer_policy.customer_agreement_demo_05")
        self.assertEqual(agreement.state, "legal_review")
        self.start_tour("/odoo", "customer_policy_legal_tour", login=legal.login)
        self.assertEqual(agreement.state, "approved")
        self.assertEqual(agreement.legal_reviewer_id, legal)

    def test_finance_records_a_payment_and_downloads_the_ledger(self):
        finance = self.env.ref("customer_policy.user_zhou_qing")
        customer = self.env.ref("customer_policy.res_partner_company_01")
        self.start_tour("/odoo", "customer_policy_finance_tour", login=finance.login)
        payment = self.env["customer.payment"].search(
            [("reference", "=", "银行回单 TOUR-01")]
        )
        self.assertEqual(payment.partner_id, customer)
        self.assertEqual(payment.amount, 50000)
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.create_uid, finance)
        export = self.env["customer.ledger.report"].search(
            [("create_uid", "=", finance.id), ("xlsx_filename", "!=", False)]
        )
        self.assertTrue(export.xlsx_file)

    def test_service_desk_takes_a_call_for_a_customer_it_cannot_edit(self):
        self._service_desk_call("/odoo", "customer_policy_service_desk_tour")


@tagged("post_install", "-at_install")
class TestIntakePhoneTour(RoleTourCase):
    """The service desk takes the call on a phone."""

    browser_size = "400x800"
    touch_enabled = True

    def test_service_desk_takes_a_call_on_a_phone(self):
        self._service_desk_call(
            "/odoo/action-customer_policy.action_customer_complaint_intake",
            "customer_complaint_intake_phone_tour",
        )
