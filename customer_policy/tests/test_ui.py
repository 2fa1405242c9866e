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
        customer = self.env["res.partner"].create(
            {
                "name": "巡检测试客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": self.env.ref("base.user_admin").id,
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
        self.start_tour("/odoo", "customer_policy_tier_tour", login="admin")
        customer.invalidate_recordset()
        self.assertEqual(customer.customer_tier_id, general)
        last = customer.customer_tier_history_ids.sorted("id")[-1]
        self.assertEqual(last.reason, "First order signed in March")
        self.assertEqual(last.user_id, self.env.ref("base.user_admin"))


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
