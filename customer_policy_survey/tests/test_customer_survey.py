from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.customer_policy.tests.common import counted_queries

from .common import CustomerSurveyCase


@tagged("post_install", "-at_install")
class TestCustomerSurvey(CustomerSurveyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strategic, cls.strategic_contact = cls._customer_with_contact(
            "季度调查客户有限公司", cls.tier_strategic
        )
        cls.key, cls.key_contact = cls._customer_with_contact(
            "半年调查客户有限公司", cls.tier_key
        )
        cls.general, _contact = cls._customer_with_contact(
            "年度调查客户有限公司", cls.tier_general
        )
        cls.potential, cls.potential_contact = cls._customer_with_contact(
            "潜在调查客户有限公司", cls.tier_potential
        )
        cls.opted_out, _contact = cls._customer_with_contact(
            "不要调查客户有限公司", cls.tier_strategic, {"care_opt_out": True}
        )
        cls.customers = (
            cls.strategic | cls.key | cls.general | cls.potential | cls.opted_out
        )

    def _send(self, day):
        with freeze_time(day):
            return self.Invitation._cron_send_customer_surveys()

    def test_shipped_schedule(self):
        self.assertEqual(self.tier_strategic.survey_frequency, "quarter")
        self.assertEqual(self.tier_key.survey_frequency, "half_year")
        self.assertEqual(self.tier_general.survey_frequency, "year")
        self.assertFalse(self.tier_potential.survey_frequency)
        self.assertEqual(self.env.company.customer_survey_id, self.survey)
        self.assertEqual(len(self.survey.question_ids), 5)
        self.assertEqual(self.survey.access_mode, "token")

    def test_one_invitation_per_customer_and_period(self):
        self._send("2026-08-03 02:00:00")
        invitations = self._invitations(self.customers)
        self.assertEqual(
            {(i.partner_id, i.contact_id, i.period) for i in invitations},
            {
                (self.strategic, self.strategic_contact, "2026-Q3"),
                (self.key, self.key_contact, "2026-H2"),
                (self.general, self.general.child_ids, "2026"),
            },
        )
        self.assertEqual(set(invitations.mapped("state")), {"new"})
        self.assertEqual(set(invitations.mapped("trigger")), {"schedule"})
        self.assertEqual(invitations.user_input_id.partner_id, invitations.contact_id)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "survey.user_input"),
                ("res_id", "in", invitations.user_input_id.ids),
            ]
        )
        self.assertEqual(len(mails), 3)
        self.assertIn(
            invitations[0].user_input_id.access_token,
            mails[0].body_html + mails[1].body_html + mails[2].body_html,
        )
        # However often the cron runs in the period: nothing more.
        for day in (
            "2026-08-03 03:00:00",
            "2026-08-04 02:00:00",
            "2026-09-30 02:00:00",
        ):
            self._send(day)
        self.assertEqual(self._invitations(self.customers), invitations)
        # A new quarter: the strategic customer only.
        self._send("2026-10-01 02:00:00")
        new = self._invitations(self.customers) - invitations
        self.assertEqual(new.partner_id, self.strategic)
        self.assertEqual(new.period, "2026-Q4")
        # A new year: all three again.
        self._send("2027-01-04 02:00:00")
        self.assertEqual(
            sorted(self._invitations(self.customers).mapped("period")),
            ["2026", "2026-H2", "2026-Q3", "2026-Q4", "2027", "2027-H1", "2027-Q1"],
        )
        self.assertFalse(self._invitations(self.opted_out | self.potential))

    def test_after_a_return_visit_once_a_month(self):
        visit_vals = {
            "partner_id": self.potential.id,
            "visit_type": "return_visit",
            "summary": "Checked the installation",
            "customer_feedback": "Works well",
            "state": "done",
        }
        self.env["customer.visit"].create(
            dict(
                visit_vals,
                planned_date="2026-08-05 02:00:00",
                done_date="2026-08-05 02:00:00",
            )
        )
        self._send("2026-08-06 02:00:00")
        invitation = self._invitations(self.potential)
        self.assertEqual(invitation.period, "R2026-08")
        self.assertEqual(invitation.trigger, "return_visit")
        self.assertEqual(invitation.contact_id, self.potential_contact)
        # A second return visit the same month: no second survey.
        self.env["customer.visit"].create(
            dict(
                visit_vals,
                planned_date="2026-08-20 02:00:00",
                done_date="2026-08-20 02:00:00",
            )
        )
        self._send("2026-08-21 02:00:00")
        self.assertEqual(self._invitations(self.potential), invitation)
        # Switched off in the settings.
        self.company.customer_survey_after_return_visit = False
        self.env["customer.visit"].create(
            dict(
                visit_vals,
                planned_date="2026-09-02 02:00:00",
                done_date="2026-09-02 02:00:00",
            )
        )
        self._send("2026-09-03 02:00:00")
        self.assertEqual(self._invitations(self.potential), invitation)

    def test_answer_moves_satisfaction(self):
        with freeze_time("2026-08-03 02:00:00"):
            self.strategic._customer_policy_refresh_health()
            self.assertEqual(self.strategic.satisfaction_score, 50.0)
            self.Invitation._cron_send_customer_surveys()
            invitation = self._invitations(self.strategic)
            # Every question "Satisfied" (3 of 4): 75 %.
            answer = self._answer(invitation, "Satisfied")
        self.assertEqual(answer.scoring_percentage, 75.0)
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.scoring_percentage, 75.0)
        self.assertEqual(self.strategic.satisfaction_score, 75.0)
        # With a complaint rated 5 (100): the average of both, 87.5.
        with freeze_time("2026-08-10 02:00:00"):
            self.env["customer.complaint"].create(
                {"partner_id": self.strategic.id, "satisfaction": "5"}
            )
            self.strategic._customer_policy_refresh_health()
        self.assertEqual(self.strategic.satisfaction_score, 87.5)
        # A year later the answer no longer counts.
        with freeze_time("2027-08-11 02:00:00"):
            self.strategic._customer_policy_refresh_health()
        self.assertEqual(self.strategic.satisfaction_score, 50.0)
        self.assertEqual(self.strategic.health_date, date(2027, 8, 11))

    def test_owner_sees_the_invitations_of_their_customers(self):
        self._send("2026-08-03 02:00:00")
        self.assertEqual(
            self.Invitation.with_user(self.user_sales).search(
                [("partner_id", "in", self.customers.ids)]
            ),
            self._invitations(self.customers),
        )
        self.assertFalse(
            self.Invitation.with_user(self.user_sales_2).search(
                [("partner_id", "in", self.customers.ids)]
            )
        )
        self.assertEqual(self.strategic.customer_survey_count, 1)


@tagged("post_install", "-at_install")
class TestCustomerSurveyQueries(CustomerSurveyCase):
    """The invitations of a run are created, linked and mailed in batches."""

    def _counted(self, count, label, queries):
        customers = self.env["res.partner"]
        for i in range(count):
            customers |= self._customer_with_contact(f"{label} {i}", self.tier_general)[
                0
            ]
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time("2026-08-03 02:00:00"):
            if queries is None:
                self.Invitation._cron_send_customer_surveys()
            else:
                with self.assertQueryCount(queries):
                    self.Invitation._cron_send_customer_surveys()
        self.assertEqual(len(self._invitations(customers)), count)

    def test_query_count_worst_case(self):
        self._counted(1, "预热", None)
        self._counted(3, "三个", 26)
        self._counted(9, "九个", 26)

    def _counted_with_chatter(self, count, label):
        """The queries of a run inviting ``count`` new customers, the chatter
        on as in a real run (the tests' environment disables it)."""
        customers = self.env["res.partner"]
        for i in range(count):
            customers |= self._customer_with_contact(f"{label} {i}", self.tier_general)[
                0
            ]
        self.env.flush_all()
        self.env.invalidate_all()
        Invitation = self.Invitation.with_context(tracking_disable=False)
        with freeze_time("2026-08-03 02:00:00"), counted_queries(self.env) as counted:
            Invitation._cron_send_customer_surveys()
        invitations = self._invitations(customers)
        self.assertEqual(len(invitations), count)
        return counted[0], invitations.user_input_id

    def test_query_count_worst_case_with_chatter(self):
        """Each answer is followed by the survey's followers (its "completed"
        subtype, as Odoo's own answers are) and logs its creation, in the same
        queries for 3 as for 9 answers: before, Odoo's auto-subscription read
        the survey's followers once per answer."""
        self.survey.message_subscribe(
            partner_ids=self.user_manager.partner_id.ids,
            subtype_ids=self.env.ref(
                "survey.mt_survey_survey_user_input_completed"
            ).ids,
        )
        completed = self.env.ref("survey.mt_survey_user_input_completed")
        self._counted_with_chatter(1, "预热")
        small, _answers = self._counted_with_chatter(3, "三个")
        large, answers = self._counted_with_chatter(9, "九个")
        self.assertEqual(small, large)
        self.assertEqual(len(answers), 9)
        for answer in answers:
            follower = answer.message_follower_ids.filtered(
                lambda f: f.partner_id == self.user_manager.partner_id
            )
            self.assertEqual(follower.subtype_ids, completed)
            self.assertTrue(
                answer.message_ids.filtered(lambda m: m.message_type == "notification")
            )
