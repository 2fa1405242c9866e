from odoo.addons.customer_policy.tests.common import CustomerPolicyCase


class CustomerSurveyCase(CustomerPolicyCase):
    """The shipped survey and tier schedules; customers with a main contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.tier_strategic | cls.tier_key).write(
            {"requires_project_team": False, "requires_senior_owner": False}
        )
        cls.survey = cls.env.ref("customer_policy_survey.survey_customer_satisfaction")
        cls.company.write(
            {
                "customer_survey_id": cls.survey.id,
                "customer_survey_after_return_visit": True,
            }
        )
        cls.Invitation = cls.env["customer.survey.invitation"]

    @classmethod
    def _customer_with_contact(cls, name, tier, contact_vals=None, **vals):
        customer = cls._customer(name, tier, **vals)
        contact = cls.env["res.partner"].create(
            {
                "name": f"{name} 联系人",
                "parent_id": customer.id,
                "type": "contact",
                "email": f"contact{customer.id}@survey-test.cn",
                **(contact_vals or {}),
            }
        )
        return customer, contact

    def _invitations(self, customers):
        return self.Invitation.search([("partner_id", "in", customers.ids)], order="id")

    def _answer(self, invitation, rating):
        """The contact answers every rating question with ``rating`` (the answer
        labelled so) and submits."""
        answer = invitation.user_input_id
        for question in self.survey.question_ids:
            if question.question_type == "simple_choice":
                choice = question.suggested_answer_ids.filtered(
                    lambda a, rating=rating: a.value == rating
                )
                answer._save_lines(question, choice.id)
        answer._mark_done()
        return answer
