from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.customer_policy.models.res_partner_handover import ResPartner

from .common import CustomerAccessCase


class HandoverCase(CustomerAccessCase):
    """A salesperson leaves: customers in two departments, a contact person,
    activities on their customers and elsewhere."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.leaving = new_test_user(
            cls.env,
            login="cp_leaving",
            name="Leaving Salesperson",
            groups="customer_policy.group_user",
        )
        cls.team.member_ids = [(4, cls.leaving.id)]
        cls.tier_key = cls.env.ref("customer_policy.customer_tier_key")
        cls.tier_general = cls.env.ref("customer_policy.customer_tier_general")
        # Key customers need a senior owner: the leaving user and its possible
        # successors are senior, so the hand-over is what the test exercises.
        cls.env.company.customer_senior_salesperson_ids = [
            (4, user.id)
            for user in (cls.leaving, cls.user_sales, cls.user_sales_2, cls.user_same)
        ]
        cls.leaving_customers = Partner.create(
            [
                {
                    "name": f"交接客户 {index}",
                    "is_company": True,
                    "customer_policy_managed": True,
                    "user_id": cls.leaving.id,
                    "team_id": cls.team.id,
                    "customer_tier_id": tier.id,
                    "email": f"customer{index}@example.com",
                }
                for index, tier in enumerate(
                    (cls.tier_key, cls.tier_key, cls.tier_general), start=1
                )
            ]
        )
        cls.leaving_other_dept = Partner.create(
            {
                "name": "交接客户 北方",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.leaving.id,
                "team_id": cls.other_team.id,
            }
        )
        cls.leaving_contact = Partner.create(
            {
                "name": "李经理",
                "parent_id": cls.leaving_customers[0].id,
                "user_id": cls.leaving.id,
            }
        )
        cls.activity_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.activity_leaving = cls.leaving_customers[0].activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaving.id, summary="Renewal"
        )
        cls.activity_colleague = cls.leaving_customers[0].activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.user_same.id, summary="Visit"
        )
        cls.other_contact = Partner.create(
            {
                "name": "赵助理",
                "parent_id": cls.leaving_customers[0].id,
                "user_id": cls.user_sales_2.id,
            }
        )
        cls.activity_on_contact = cls.other_contact.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaving.id, summary="Call"
        )
        cls.activity_elsewhere = cls.customer.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaving.id, summary="Help"
        )

    def _wizard(self, user, **values):
        form = Form(self.env["customer.handover.wizard"].with_user(user))
        form.user_id = self.leaving
        for name, value in values.items():
            setattr(form, name, value)
        return form


@tagged("post_install", "-at_install")
class TestHandover(HandoverCase):
    def test_one_successor_takes_everything_of_the_leaving_user_only(self):
        form = self._wizard(self.user_director, successor_id=self.user_same)
        self.assertEqual(form.customer_count, 4)
        wizard = form.save()
        wizard.action_handover()
        everything = self.leaving_customers | self.leaving_other_dept
        self.assertEqual(everything.user_id, self.user_same)
        self.assertEqual(self.leaving_contact.user_id, self.user_same)
        # The department follows the new owner.
        self.assertEqual(everything.team_id, self.team)
        self.assertEqual(self.activity_leaving.user_id, self.user_same)
        self.assertEqual(self.activity_on_contact.user_id, self.user_same)
        self.assertEqual(self.other_contact.user_id, self.user_sales_2)
        # Nothing of anyone else moves; what the leaver handled on another
        # owner's customer goes to the successor as well.
        self.assertEqual(self.activity_colleague.user_id, self.user_same)
        self.assertEqual(self.activity_elsewhere.user_id, self.user_same)
        self.assertEqual(self.customer.user_id, self.user_sales)
        self.assertEqual(self.customer_other.user_id, self.user_sales_2)
        for customer in everything:
            body = customer.message_ids[:1].body
            self.assertIn(self.leaving.name, body)
            self.assertIn(self.user_same.name, body)
        # The hand-over deactivates nobody by itself.
        self.assertTrue(self.leaving.active)

    def test_by_tier_and_by_customer(self):
        form = self._wizard(self.user_manager, assign_by="tier")
        # A manager hands over the customers of the departments they lead only.
        self.assertEqual(form.customer_count, 3)
        self.assertEqual(len(form.line_ids), 2)
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                line.successor_id = (
                    self.user_sales
                    if line.customer_tier_id == self.tier_key
                    else self.user_same
                )
        form.save().action_handover()
        self.assertEqual(self.leaving_customers[:2].user_id, self.user_sales)
        self.assertEqual(self.leaving_customers[2].user_id, self.user_same)
        self.assertEqual(self.leaving_other_dept.user_id, self.leaving)

        form = self._wizard(self.user_director, assign_by="customer")
        self.assertEqual(len(form.line_ids), 1)
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.partner_id, self.leaving_other_dept)
            line.successor_id = self.user_sales_2
        form.save().action_handover()
        self.assertEqual(self.leaving_other_dept.user_id, self.user_sales_2)
        self.assertEqual(self.leaving_other_dept.team_id, self.other_team)

    def test_by_department(self):
        form = self._wizard(self.user_director, assign_by="team")
        self.assertEqual(len(form.line_ids), 2)
        for index in range(2):
            with form.line_ids.edit(index) as line:
                line.successor_id = (
                    self.user_same if line.team_id == self.team else self.user_sales_2
                )
        form.save().action_handover()
        self.assertEqual(self.leaving_customers.user_id, self.user_same)
        self.assertEqual(self.leaving_other_dept.user_id, self.user_sales_2)

    def test_bad_choices_write_nothing(self):
        Wizard = self.env["customer.handover.wizard"].with_user(self.user_director)
        for successor in (self.leaving, self.user_legal, self.user_portal):
            with self.subTest(successor=successor.login), self.assertRaises(UserError):
                Wizard.create(
                    {"user_id": self.leaving.id, "successor_id": successor.id}
                ).action_handover()
        with self.assertRaises(UserError):
            Wizard.create({"user_id": self.leaving.id}).action_handover()
        with self.assertRaises(UserError):
            Wizard.create(
                {"user_id": self.user_legal.id, "successor_id": self.user_same.id}
            ).action_handover()
        self.assertEqual(self.leaving_customers.user_id, self.leaving)
        # Users below the Manager rank cannot start a hand-over.
        with self.assertRaises(AccessError):
            self.env["customer.handover.wizard"].with_user(self.user_sales).create(
                {"user_id": self.leaving.id, "successor_id": self.user_same.id}
            )

    def test_failure_leaves_everything_as_it_was(self):
        wizard = self.env["customer.handover.wizard"].create(
            {"user_id": self.leaving.id, "successor_id": self.user_same.id}
        )
        messages_before = len(self.leaving_customers[0].message_ids)

        def broken(records, successor_by_partner, leaving_user):
            # The customers move, then a plugged-in model fails.
            records.write({"user_id": successor_by_partner[records[0].id].id})
            raise RuntimeError("Agreement locked")

        with (
            patch.object(ResPartner, "_customer_policy_handover_records", broken),
            self.assertRaises(RuntimeError),
        ):
            wizard.action_handover()
        self.env.invalidate_all()
        self.assertEqual(self.leaving_customers.user_id, self.leaving)
        self.assertEqual(self.activity_leaving.user_id, self.leaving)
        self.assertEqual(len(self.leaving_customers[0].message_ids), messages_before)

    def test_registered_models_follow_their_customer(self):
        """Other models plug in through _customer_policy_handover_models."""
        # Access requests stand here for a model with a customer and a user field.
        spec = {
            "model": "customer.access.request",
            "partner_field": "partner_id",
            "user_field": "requester_id",
            "domain": [("state", "=", "pending")],
        }
        Request = self.env["customer.access.request"]
        values = {"requester_id": self.leaving.id, "reason": "Plug-in"}
        open_record = Request.create(
            dict(values, partner_id=self.leaving_customers[0].id)
        )
        closed_record = Request.create(
            dict(values, partner_id=self.leaving_customers[1].id, state="refused")
        )
        elsewhere = Request.create(dict(values, partner_id=self.customer_far.id))
        activity = open_record.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.leaving.id
        )
        with patch.object(
            ResPartner, "_customer_policy_handover_models", lambda self: [spec]
        ):
            moved = self.leaving_customers._customer_policy_handover_records(
                {customer.id: self.user_sales for customer in self.leaving_customers},
                self.leaving,
            )
        self.assertEqual(open_record.requester_id, self.user_sales)
        self.assertEqual(activity.user_id, self.user_sales)
        self.assertEqual(
            moved["customer.access.request"][self.user_sales], open_record.ids
        )
        self.assertEqual(closed_record.requester_id, self.leaving)
        self.assertEqual(elsewhere.requester_id, self.leaving)
        self.assertIn(self.leaving_contact.id, moved["res.partner"][self.user_sales])

    def test_customers_are_emailed_their_new_contact(self):
        wizard = self.env["customer.handover.wizard"].create(
            {
                "user_id": self.leaving.id,
                "successor_id": self.user_same.id,
                "notify_customers": True,
            }
        )
        wizard.action_handover()
        customer = self.leaving_customers[0]
        mails = customer.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(mails), 1)
        self.assertIn(customer, mails.partner_ids)
        self.assertIn(self.user_same.name, mails.body)
        # Without an e-mail address the first contact person with one is told.
        self.assertEqual(self.customer._customer_policy_main_contact(), self.customer)
        self.customer.email = False
        self.assertEqual(self.customer._customer_policy_main_contact(), self.contact)

    def test_customers_without_owner(self):
        action = self.env.ref("customer_policy.action_customer_without_owner")
        # Archived before the leaver check existed (it refuses that now): its
        # customers wait in this list for their hand-over.
        self.leaving.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_users SET active = FALSE WHERE id = %s", [self.leaving.id]
        )
        self.leaving.invalidate_recordset(["active"])
        Partner = self.env["res.partner"].with_user(self.user_director)
        found = Partner.search(safe_eval(action.domain))
        everything = self.leaving_customers | self.leaving_other_dept
        self.assertEqual(found & (everything | self.customer), everything)
        # The manager sees those of their department.
        found = (
            self.env["res.partner"]
            .with_user(self.user_manager)
            .search(safe_eval(action.domain))
        )
        self.assertEqual(found & everything, self.leaving_customers)
        # Handed over, they leave the list.
        self.env["customer.handover.wizard"].create(
            {"user_id": self.leaving.id, "successor_id": self.user_same.id}
        ).action_handover()
        self.assertFalse(Partner.search(safe_eval(action.domain)) & everything)


@tagged("post_install", "-at_install")
class TestHandoverOtherWork(HandoverCase):
    """What the leaver handles on customers they do not own moves too: tickets
    they handle, visits they planned, their activities."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The leaver answered a call for another owner's customer (首问负责制) and
        # plans a visit as a member of its project team.
        cls.ticket_elsewhere = (
            cls.env["customer.complaint"]
            .with_user(cls.leaving)
            .create({"partner_id": cls.customer.id, "description": "<p>设备噪音</p>"})
            .sudo()
        )
        cls.customer.customer_project_team_ids = [(4, cls.leaving.id)]
        cls.visit_elsewhere = cls.env["customer.visit"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.leaving.id,
                "planned_date": "2026-03-02 02:00:00",
            }
        )
        cls.done_visit_elsewhere = cls.env["customer.visit"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.leaving.id,
                "planned_date": "2026-01-05 02:00:00",
                "state": "done",
                "summary": "季度回顾",
                "customer_feedback": "满意",
            }
        )
        cls.ticket_activity = cls.ticket_elsewhere.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaving.id, summary="回电"
        )

    def test_the_wizard_counts_the_other_work(self):
        form = self._wizard(self.user_director, successor_id=self.user_same)
        self.assertEqual(form.other_work_count, 2)
        self.assertEqual(form.other_successor_id, self.user_same)

    def test_to_each_customer_s_owner_by_default(self):
        form = self._wizard(self.user_director, assign_by="customer")
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                line.successor_id = self.user_same
        self.assertFalse(form.other_successor_id)
        form.save().action_handover()
        # The ticket and the planned visit go to the customer's owner, with the
        # leaver's activities on them; the visit done keeps who made it.
        self.assertEqual(self.ticket_elsewhere.user_id, self.user_sales)
        self.assertEqual(self.ticket_elsewhere.first_responder_id, self.leaving)
        self.assertEqual(self.visit_elsewhere.user_id, self.user_sales)
        self.assertEqual(self.done_visit_elsewhere.user_id, self.leaving)
        self.assertEqual(self.ticket_activity.user_id, self.user_sales)
        self.assertEqual(self.activity_elsewhere.user_id, self.user_sales)

    def test_to_a_named_successor(self):
        form = self._wizard(self.user_director, successor_id=self.user_same)
        form.other_successor_id = self.user_sales_2
        form.save().action_handover()
        self.assertEqual(self.ticket_elsewhere.user_id, self.user_sales_2)
        self.assertEqual(self.visit_elsewhere.user_id, self.user_sales_2)
        self.assertEqual(self.ticket_activity.user_id, self.user_sales_2)
        self.assertEqual(self.leaving_customers.user_id, self.user_same)

    def test_a_customer_without_owner_needs_a_name(self):
        self.customer.sudo().user_id = False
        form = self._wizard(self.user_director, assign_by="customer")
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                line.successor_id = self.user_same
        wizard = form.save()
        with self.assertRefused(UserError, "without an active owner"):
            wizard.action_handover()
        # Nothing moved, the customers included.
        self.assertEqual(self.ticket_elsewhere.user_id, self.leaving)
        self.assertEqual(self.leaving_customers.user_id, self.leaving)

    def test_only_open_work_when_no_customer_is_left(self):
        """A service desk agent leaves with open tickets and no customer."""
        agent = new_test_user(
            self.env, login="cp_leaving_agent", groups="customer_policy.group_service"
        )
        ticket = (
            self.env["customer.complaint"]
            .with_user(agent)
            .create({"partner_id": self.customer.id, "description": "<p>咨询</p>"})
            .sudo()
        )
        wizard = self.env["customer.handover.wizard"].create(
            {"user_id": agent.id, "assign_by": "customer"}
        )
        self.assertEqual(wizard.other_work_count, 1)
        wizard.action_handover()
        self.assertEqual(ticket.user_id, self.user_sales)
