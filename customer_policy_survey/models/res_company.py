from odoo import api, fields, models


class ResCompany(models.Model):
    """Settings of the satisfaction surveys (满意度调查)."""

    _inherit = "res.company"

    customer_survey_id = fields.Many2one(
        comodel_name="survey.survey",
        string="Satisfaction Survey",
        default=lambda self: self.env.ref(
            "customer_policy_survey.survey_customer_satisfaction",
            raise_if_not_found=False,
        ),
        help="The survey sent to the customers' main contacts.",
    )
    customer_survey_after_return_visit = fields.Boolean(
        string="Survey after Return Visits",
        default=True,
        help="A customer receives the survey after a return visit (at most once a "
        "month), besides the schedule of its tier.",
    )

    @api.model
    def _customer_policy_default_survey(self):
        """Give the shipped survey to the companies without one (at install)."""
        survey = self.env.ref("customer_policy_survey.survey_customer_satisfaction")
        self.sudo().search([("customer_survey_id", "=", False)]).write(
            {"customer_survey_id": survey.id}
        )
