from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The satisfaction surveys of a customer, and their answers in its
    satisfaction score."""

    _inherit = "res.partner"

    customer_survey_invitation_ids = fields.One2many(
        comodel_name="customer.survey.invitation",
        inverse_name="partner_id",
        string="Satisfaction Surveys",
    )
    customer_survey_count = fields.Integer(
        string="Survey Count", compute="_compute_customer_policy_counts"
    )

    def _customer_policy_count_fields(self):
        return {
            **super()._customer_policy_count_fields(),
            "customer_survey_count": "customer.survey.invitation",
        }

    def action_view_customer_surveys(self):
        return self._customer_policy_records_action(
            "customer_policy_survey.action_customer_survey_invitation"
        )

    @api.model
    def _customer_policy_satisfaction_sources(self, date_from):
        # An answered survey counts with its score in percent: the answers score
        # 0 (very dissatisfied) to 4 (very satisfied), as a rating (r - 1) x 25.
        return super()._customer_policy_satisfaction_sources(date_from) + [
            SQL(
                """SELECT i.commercial_partner_id, u.scoring_percentage::numeric
                     FROM customer_survey_invitation i
                     JOIN survey_user_input u ON u.id = i.user_input_id
                    WHERE u.state = 'done' AND u.end_datetime >= %s""",
                date_from,
            )
        ]
