import logging
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CustomerAccessCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestAccessRequest(CustomerAccessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.customer_access_duration_days = 5
        cls.env.company.customer_access_approver_id = cls.user_director

    def _can_read(self, user, partner):
        return bool(partner.with_user(user)._filtered_access("read"))

    # ------------------------------------------------------------------ routing

    def test_same_department_goes_to_its_manager(self):
        request = self._request(self.user_same, self.customer)
        self.assertEqual(request.approver_id, self.user_manager)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.duration_days, 5)
        self.assertEqual(request.company_id, self.env.company)
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.user_manager)

    def test_general_manager_must_be_a_director(self):
        with self.assertRaises(ValidationError):
            self.env.company.customer_access_approver_id = self.user_manager
        self.env.company.customer_access_approver_id = self.user_director
        self.assertEqual(
            self.env.company.customer_access_approver_id, self.user_director
        )

    def test_other_department_goes_to_the_general_manager(self):
        request = self._request(self.user_sales_2, self.customer)
        self.assertEqual(request.approver_id, self.user_director)
        # Without a general manager in Settings, a Director of the company decides.
        self.env.company.customer_access_approver_id = False
        request_far = self._request(self.user_sales_2, self.customer_far)
        self.assertTrue(
            request_far.approver_id.has_group("customer_policy.group_director")
        )
        self.assertNotEqual(request_far.approver_id, self.user_sales_2)

    def test_request_is_about_the_company_not_the_contact(self):
        request = self._request(self.user_same, self.contact)
        self.assertEqual(request.partner_id, self.customer)

    def test_bad_requests_are_refused(self):
        vendor = self.env["res.partner"].create({"name": "Vendor", "is_company": True})
        with self.assertRaises(ValidationError):
            self._request(self.user_same, vendor)
        with self.assertRaises(UserError):
            # The owner already reads their customer.
            self._request(self.user_sales, self.customer)
        with self.assertRaises(AccessError):
            self.env["customer.access.request"].with_user(self.user_same).create(
                {
                    "partner_id": self.customer_far.id,
                    "requester_id": self.user_sales_2.id,
                    "reason": "For a colleague",
                }
            )
        with self.assertRaises(ValidationError):
            self._request(self.user_same, self.customer_far, duration_days=0)
        self._request(self.user_same, self.customer_far)
        with self.assertRaises(ValidationError):
            self._request(self.user_same, self.customer_far)

    def test_form_defaults(self):
        form = Form(self.env["customer.access.request"].with_user(self.user_same))
        form.partner_id = self.customer_far
        form.reason = "Joint tender"
        self.assertEqual(form.duration_days, 5)
        request = form.save()
        self.assertEqual(request.requester_id, self.user_same)
        self.assertEqual(request.approver_id, self.user_director)

    # ------------------------------------------------------------------ decisions

    @freeze_time("2026-03-02 09:00:00")
    def test_approve_grants_exactly_that_customer_for_the_duration(self):
        request = self._request(self.user_same, self.customer, duration_days=3)
        self.assertFalse(self._can_read(self.user_same, self.customer))
        request.with_user(self.user_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.user_manager)
        self.assertEqual(request.expires_at, datetime(2026, 3, 5, 9, 0, 0))
        self.assertFalse(request.activity_ids)
        # The expiry cron is triggered at the grant's end.
        cron = self.env.ref("customer_policy.ir_cron_customer_access_expire")
        trigger = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertIn(datetime(2026, 3, 5, 9, 0, 0), trigger.mapped("call_at"))
        # That customer and its contacts open, read only; nothing else does.
        self.assertTrue(self._can_read(self.user_same, self.customer))
        self.assertTrue(self._can_read(self.user_same, self.contact))
        self.assertFalse(self._can_read(self.user_same, self.customer_other))
        self.assertFalse(self._can_read(self.user_same, self.customer_far))
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_same).write({"phone": "1"})
        found = (
            self.env["res.partner"]
            .with_user(self.user_same)
            .search([("customer_policy_managed", "=", True)])
        )
        self.assertEqual(found, self.customer)
        # The grant is traced, and the owner is told.
        log = self.env["customer.access.log"].search(
            [("request_id", "=", request.id), ("action", "=", "grant")]
        )
        self.assertEqual(log.user_id, self.user_same)
        self.assertEqual(log.partner_id, self.customer)
        notified = request.message_ids.filtered(
            lambda m: self.user_sales.partner_id in m.partner_ids
        )
        self.assertTrue(notified)
        self.assertIn(self.user_same.name, notified[0].body)

    def test_nobody_approves_their_own_request(self):
        request = self._request(self.user_same, self.customer)
        with self.assertRaises(UserError):
            request.with_user(self.user_same).action_approve()
        # Not even a Director who asked for someone's customer on their behalf.
        request_gm = self.env["customer.access.request"].create(
            {
                "partner_id": self.customer_far.id,
                "requester_id": self.user_director.id,
                "reason": "Audit",
            }
        )
        self.assertNotEqual(request_gm.approver_id, self.user_director)
        with self.assertRaises(UserError):
            request_gm.with_user(self.user_director).action_approve()
        self.assertEqual(request_gm.state, "pending")

    def test_only_the_approver_or_a_director_decides(self):
        request = self._request(self.user_same, self.customer)
        for user in (self.user_sales, self.user_other_manager, self.user_sales_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.with_user(self.user_sales).can_decide)
        self.assertTrue(request.with_user(self.user_manager).can_decide)
        self.assertTrue(request.with_user(self.user_director).can_decide)
        request.with_user(self.user_director).action_approve()
        self.assertEqual(request.state, "approved")
        with self.assertRaises(UserError):
            request.with_user(self.user_manager).action_approve()

    def test_requester_cannot_approve_by_writing(self):
        request = self._request(self.user_same, self.customer)
        mine = request.with_user(self.user_same)
        for vals in (
            {"state": "approved"},
            {"expires_at": "2099-01-01 00:00:00"},
            {"approver_id": self.user_same.id},
            {"partner_id": self.customer_far.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                mine.write(vals)
        mine.write({"reason": "Customer called twice"})
        self.assertEqual(request.state, "pending")
        self.assertFalse(self._can_read(self.user_same, self.customer))
        # Nor by creating a request already approved.
        Request = self.env["customer.access.request"].with_user(self.user_sales_2)
        for vals in (
            {"state": "approved"},
            {"state": "pending", "expires_at": "2099-01-01 00:00:00"},
            {"approver_id": self.user_sales_2.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                Request.create(
                    {"partner_id": self.customer_far.id, "reason": "Sneaky"} | vals
                )
        self.assertFalse(self._can_read(self.user_sales_2, self.customer_far))
        self.assertFalse(
            self.env["customer.access.request"].search(
                [("partner_id", "=", self.customer_far.id)]
            )
        )

    def test_refuse_needs_a_reason(self):
        request = self._request(self.user_same, self.customer)
        approver = request.with_user(self.user_manager)
        with self.assertRaises(UserError):
            approver.action_refuse("  ")
        action = approver.action_refuse()
        self.assertEqual(action["res_model"], "customer.access.refuse.wizard")
        wizard = Form(
            self.env["customer.access.refuse.wizard"]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Ask the owner directly"
        wizard.save().action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.refuse_reason, "Ask the owner directly")
        self.assertFalse(self._can_read(self.user_same, self.customer))
        # A refused request does not block asking again.
        self._request(self.user_same, self.customer)

    def test_revoke(self):
        request = self._request(self.user_sales_2, self.customer)
        request.with_user(self.user_director).action_approve()
        self.assertTrue(self._can_read(self.user_sales_2, self.customer))
        with self.assertRaises(AccessError):
            request.with_user(self.user_same).action_revoke()
        # The customer's owner may withdraw the access at once.
        request.with_user(self.user_sales).action_revoke()
        self.assertEqual(request.state, "revoked")
        self.assertFalse(self._can_read(self.user_sales_2, self.customer))
        self.assertTrue(
            self.env["customer.access.log"].search_count(
                [("request_id", "=", request.id), ("action", "=", "revoke")]
            )
        )
        with self.assertRaises(UserError):
            request.with_user(self.user_director).action_revoke()

    def test_cron_expires_grants_on_time(self):
        with freeze_time("2026-03-02 09:00:00"):
            request = self._request(self.user_same, self.customer, duration_days=2)
            request.with_user(self.user_manager).action_approve()
            other = self._request(
                self.user_sales_2, self.customer_far, duration_days=10
            )
            other.with_user(self.user_director).action_approve()
        Request = self.env["customer.access.request"]
        with freeze_time("2026-03-04 08:59:59"):
            self.assertEqual(Request._cron_expire_grants(), 0)
            self.assertEqual(request.state, "approved")
            self.assertTrue(self._can_read(self.user_same, self.customer))
        with freeze_time("2026-03-04 09:00:00"):
            self.assertEqual(Request._cron_expire_grants(), 1)
        self.assertEqual(request.state, "expired")
        self.assertEqual(other.state, "approved")
        self.assertFalse(self._can_read(self.user_same, self.customer))
        self.assertTrue(self._can_read(self.user_sales_2, self.customer_far))
        self.assertTrue(
            self.env["customer.access.log"].search_count(
                [("request_id", "=", request.id), ("action", "=", "expire")]
            )
        )
        cron = self.env.ref("customer_policy.ir_cron_customer_access_expire")
        self.assertEqual(cron.code, "model._cron_expire_grants()")

    def test_cron_works_in_batches_with_constant_queries(self):
        """The expiry cron's query count does not grow with the number of grants."""
        Request = self.env["customer.access.request"]

        def seed(count):
            users = self.env["res.users"].create(
                [
                    {"name": f"Batch {count} {i}", "login": f"batch_{count}_{i}"}
                    for i in range(count)
                ]
            )
            requests = Request.create(
                [
                    {
                        "partner_id": self.customer_far.id,
                        "requester_id": user.id,
                        "reason": "Batch",
                        "state": "approved",
                        "expires_at": "2026-01-01 00:00:00",
                    }
                    for user in users
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            return requests

        counts = []
        for count in (3, 30):
            requests = seed(count)
            queries_before = self.cr.sql_log_count
            self.assertEqual(Request._cron_expire_grants(), count)
            counts.append(self.cr.sql_log_count - queries_before)
            self.assertEqual(set(requests.mapped("state")), {"expired"})
        _logger.info("expiry cron queries for 3 and 30 grants: %s", counts)
        self.assertEqual(counts[0], counts[1])

    # ------------------------------------------------------------------ lookup

    def test_lookup_offers_request_access(self):
        Lookup = self.env["customer.access.lookup"].with_user(self.user_same)
        lookup = Lookup.create({"query": "测试云帆"})
        lookup.action_search()
        self.assertEqual(lookup.line_ids.partner_id, self.customer)
        line = lookup.line_ids
        self.assertEqual(line.owner_name, self.user_sales.name)
        self.assertEqual(line.team_name, self.team.name)
        self.assertFalse(line.can_open)
        with self.assertRaises(AccessError):
            line.action_open()
        with self.assertRaises(UserError):
            line.action_request_access()
        lookup.reason = "Customer called about the renewal"
        action = line.action_request_access()
        request = self.env["customer.access.request"].browse(action["res_id"])
        self.assertEqual(request.requester_id, self.user_same)
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.approver_id, self.user_manager)
        # Searching again shows the pending request instead of a new button.
        lookup.action_search()
        self.assertEqual(lookup.line_ids.request_state, "pending")

    def test_denied_customer_points_to_request_access(self):
        with self.assertRaises(AccessError) as caught:
            self.customer.with_user(self.user_same).read(["phone"])
        self.assertIn("Find a Customer", str(caught.exception))
        # Other refusals keep Odoo's message.
        with self.assertRaises(AccessError) as caught:
            self.customer.with_user(self.user_service).write({"phone": "1"})
        self.assertNotIn("Find a Customer", str(caught.exception))

    def test_lookup_by_phone_and_uscc_returns_only_identity(self):
        Lookup = self.env["customer.access.lookup"].with_user(self.user_sales_2)
        by_phone = Lookup._customer_policy_access_lookup("5912-4478")
        self.assertEqual(by_phone, self.customer)
        by_uscc = Lookup._customer_policy_access_lookup("91310115ma1k4test7")
        self.assertEqual(by_uscc, self.customer)
        # The owner opens their own customer from the same screen.
        lookup = (
            self.env["customer.access.lookup"]
            .with_user(self.user_sales)
            .create({"query": "测试云帆"})
        )
        lookup.action_search()
        self.assertTrue(lookup.line_ids.can_open)
        self.assertEqual(lookup.line_ids.action_open()["res_id"], self.customer.id)
        # Dedup: the user learns the customer exists, and nothing else opens.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_sales_2).read(["phone"])
        with self.assertRaises(UserError):
            Lookup._customer_policy_access_lookup("星")
        self.assertFalse(Lookup._customer_policy_access_lookup("不存在的客户名称"))
