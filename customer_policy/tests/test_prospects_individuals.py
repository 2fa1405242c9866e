from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerArchiveCase

# Resident identity numbers (GB 11643) with their check characters worked out
# beforehand: Beijing 1949-12-31, Shanghai 1990-01-01, Shenzhen 1985-06-15.
RIC_BEIJING = "11010519491231002X"
RIC_SHANGHAI = "310115199001011232"
RIC_SHENZHEN = "440305198506154215"


@tagged("post_install", "-at_install")
class TestProspectContacts(CustomerArchiveCase):
    """Before registration, the salesperson who entered a prospect logs the
    contacts with it; they follow the customer and date its first contact."""

    def _log(self, prospect, user, when, visit_type="phone", state="done"):
        values = {
            "partner_id": prospect.id,
            "visit_type": visit_type,
            "planned_date": when,
        }
        if state == "done":
            values.update(
                state="done",
                done_date=when,
                summary="来电咨询产品价格",
                customer_feedback="需要报价",
            )
        return self.env["customer.visit"].with_user(user).create(values)

    @freeze_time("2026-03-02 02:00:00")
    def test_contacts_before_registration_follow_the_customer(self):
        # Monday to Friday without China's make-up days (the demo company's
        # calendar has 2026's: Saturday 2026-02-28 is worked), so the deadline
        # below is counted by hand: 5 working days after Monday 2026-02-23.
        self.env.company.resource_calendar_id = self._working_calendar("Mon-Fri")
        prospect = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="苏州潜在客户有限公司"))
        )
        self.assertEqual(prospect.first_contact_date, date(2026, 3, 2))
        # The salesperson met them at a fair a week before entering them.
        call = self._log(prospect, self.user_sales, "2026-02-23 03:00:00")
        visit = self._log(
            prospect, self.user_sales, "2026-02-25 03:00:00", visit_type="visit"
        )
        planned = self._log(
            prospect, self.user_sales, "2026-03-05 03:00:00", state="planned"
        )
        self.assertEqual(prospect.first_contact_date, date(2026, 2, 23))
        self.assertEqual(prospect.registration_deadline, date(2026, 3, 2))
        # Somebody else cannot log contacts with the prospect.
        with self.assertRefused(ValidationError, "only the salesperson who entered"):
            self._log(prospect, self.user_sales_2, "2026-03-01 03:00:00")
        prospect.with_user(self.user_sales).action_register()
        self.assertEqual(prospect.registration_state, "registered")
        self.assertEqual(prospect.customer_developer_id, self.user_sales)
        self.assertEqual((call | visit | planned).partner_id, prospect)
        self.assertEqual(prospect.customer_visit_count, 3)
        self.assertEqual(prospect.last_visit_date.date(), date(2026, 2, 25))
        self.assertEqual(prospect.last_contact_date.date(), date(2026, 2, 25))
        # A first contact already recorded earlier is kept.
        self.assertEqual(prospect.first_contact_date, date(2026, 2, 23))

    @freeze_time("2026-03-02 02:00:00")
    def test_a_person_contacted_becomes_an_individual_prospect(self):
        """A walk-in's call is logged: the earliest contact sets the empty first
        contact, and the person shows among the customers to register."""
        person = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create({"name": "陈先生", "phone": "+86 138 0000 1111"})
        )
        self.assertFalse(person.first_contact_date)
        self.assertFalse(person.customer_policy_individual)
        self._log(person, self.user_sales, "2026-02-26 06:00:00")
        self._log(person, self.user_sales, "2026-02-27 06:00:00")
        self.assertEqual(person.first_contact_date, date(2026, 2, 26))
        self.assertTrue(person.customer_policy_individual)
        backlog = self.env.ref(
            "customer_policy.action_customer_policy_registration_backlog"
        )
        found = self.env["res.partner"].search(
            [*safe_eval(backlog.domain), ("id", "=", person.id)]
        )
        self.assertEqual(found, person)

    @freeze_time("2026-03-02 02:00:00")
    def test_claim_granted_takes_the_contacts_along(self):
        customer = self._registered(
            self.user_sales_2, self.other_team, name="无锡重复客户有限公司"
        )
        draft = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="无锡 重复客户", vat=False))
        )
        call = self._log(draft, self.user_sales, "2026-02-20 03:00:00")
        claim = (
            self.env["customer.ownership.claim"]
            .with_user(self.user_sales)
            .create(
                {
                    "partner_id": customer.id,
                    "draft_partner_id": draft.id,
                    "evidence": "2 月 20 日来电",
                }
            )
        )
        claim.with_user(self.user_director).action_grant()
        self.assertEqual(call.partner_id, customer)
        self.assertEqual(customer.user_id, self.user_sales)


@tagged("post_install", "-at_install")
class TestIndividualCustomers(CustomerArchiveCase):
    """Individuals register with a resident ID number, or a mobile no other
    customer has; the same duplicate control, tiers, visits and complaints."""

    def _person(self, user=None, **vals):
        return (
            self.env["res.partner"]
            .with_user(user or self.user_sales)
            .create({"name": "张伟", "is_company": False, **vals})
        )

    def test_register_with_resident_id_number(self):
        person = self._person(resident_id_number="110105 19491231 002x")
        self.assertTrue(person.customer_policy_individual)
        self.assertEqual(person.first_contact_date, date.today())
        self.assertTrue(person.registration_deadline)
        self.assertEqual(person.archive_completeness, 100)
        person.action_register()
        self.assertEqual(person.registration_state, "registered")
        self.assertEqual(person.customer_developer_id, self.user_sales)
        self.assertEqual(person.user_id, self.user_sales)
        # Another person with the same number is the same customer, whoever
        # enters them.
        twin = self._person(
            user=self.user_sales_2, name="张 伟", resident_id_number=RIC_BEIJING
        )
        self.assertIn("张伟", twin.customer_policy_duplicate_warning)
        with self.assertRefused(UserError, "same resident ID number"):
            twin.action_register()
        self.assertEqual(twin.registration_state, "draft")
        # Two people called 张伟 are not duplicates.
        namesake = self._person(resident_id_number=RIC_SHANGHAI)
        namesake.action_register()
        self.assertEqual(namesake.registration_state, "registered")

    def test_refused_without_a_valid_identity(self):
        wrong = RIC_SHENZHEN[:-1] + "X"
        cases = [
            ({"resident_id_number": wrong}, f"{wrong} is not a valid resident"),
            ({}, "resident identity number or, without one"),
            ({"personal_mobile": "12-34"}, "is not a mobile number"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                person = self._person(**vals)
                with self.assertRefused(ValidationError, message):
                    person.action_register()
                self.assertEqual(person.registration_state, "draft")
                self.assertFalse(person.customer_developer_id)

    def test_register_with_a_mobile_no_other_customer_has(self):
        company = self._registered(
            self.user_sales_2,
            self.other_team,
            name="杭州电话公司",
            phone="+86 139 0571 0000",
        )
        first = self._person(personal_mobile="+86 138 0000 0001")
        first.action_register()
        self.assertEqual(first.registration_state, "registered")
        for mobile, owner in (
            ("138-0000-0001", "张伟"),
            ("0086 139 0571 0000", company.name),
        ):
            with self.subTest(mobile=mobile):
                other = self._person(name="王芳", personal_mobile=mobile)
                with self.assertRefused(UserError, "same mobile") as caught:
                    other.action_register()
                self.assertIn(owner, str(caught.exception))
                # Only name, owner and department: not the number.
                self.assertNotIn("0001", str(caught.exception))
        # With a resident ID number the person is told apart by it.
        family = self._person(
            name="王芳",
            personal_mobile="138 0000 0001",
            resident_id_number=RIC_SHENZHEN,
        )
        family.action_register()
        self.assertEqual(family.registration_state, "registered")

    def test_contact_person_is_not_registered(self):
        company = self._registered(self.user_sales, self.team, name="联系人所在公司")
        contact = self._person(parent_id=company.id, resident_id_number=RIC_SHENZHEN)
        self.assertFalse(contact.customer_policy_individual)
        with self.assertRefused(UserError, "contact person of"):
            contact.action_register()

    def test_confidential_fields(self):
        service = new_test_user(
            self.env, login="cp_desk_individual", groups="customer_policy.group_service"
        )
        person = self._person(
            resident_id_number=RIC_SHANGHAI, personal_mobile="+86 138 0000 0002"
        )
        person.action_register()
        # The service desk sees the customer, not the number nor the mobile.
        self.assertEqual(person.with_user(service).read(["name"])[0]["name"], "张伟")
        for field in (
            "resident_id_number",
            "personal_mobile",
            "customer_policy_ric_key",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                person.with_user(service).read([field])
        self.assertEqual(
            person.with_user(self.user_sales).resident_id_number, RIC_SHANGHAI
        )
        with self.assertRaises(AccessError):
            person.with_user(self.user_sales_2).read(["name"])

    @freeze_time("2026-03-02 02:00:00")
    def test_tiers_visits_and_complaints_apply(self):
        person = self._person(resident_id_number=RIC_SHANGHAI)
        person.action_register()
        self.tier_general.write(
            {"requires_project_team": False, "requires_senior_owner": False}
        )
        person.with_user(self.user_manager).action_change_tier(
            self.tier_general.id, "Walk-in who bought twice"
        )
        self.assertEqual(person.customer_tier_id, self.tier_general)
        visit = (
            self.env["customer.visit"]
            .with_user(self.user_sales)
            .create(
                {
                    "partner_id": person.id,
                    "planned_date": "2026-03-02 01:00:00",
                    "summary": "到店回访",
                    "customer_feedback": "满意",
                }
            )
        )
        visit.action_done()
        self.assertEqual(person.last_visit_date.date(), date(2026, 3, 2))
        complaint = self.env["customer.complaint"].create(
            {
                "partner_id": person.id,
                "severity": "normal",
                "received_at": "2026-03-02 02:00:00",
                "description": "<p>产品质量问题</p>",
            }
        )
        self.assertEqual(complaint.commercial_partner_id, person)
        self.assertEqual(person.customer_complaint_count, 1)

    def test_new_individual_from_the_customers_screen(self):
        action = self.env.ref("customer_policy.action_customer_policy_customer")
        form = Form(
            self.env["res.partner"]
            .with_user(self.user_sales)
            .with_context(**safe_eval(action.context))
        )
        form.company_type = "person"
        form.name = "李娜"
        form.resident_id_number = RIC_SHENZHEN
        person = form.save()
        self.assertTrue(person.customer_policy_individual)
        self.assertEqual(person.registration_state, "draft")
        self.assertIn(
            person,
            self.env["res.partner"].search(safe_eval(action.domain)),
        )
        person.action_register()
        self.assertEqual(person.registration_state, "registered")
