from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A customer's answer moves its satisfaction (and health) at once."""
        result = super()._mark_done()
        invitations = (
            self.env["customer.survey.invitation"]
            .sudo()
            .search([("user_input_id", "in", self.ids)])
        )
        if invitations:
            invitations.commercial_partner_id._customer_policy_refresh_health()
        return result
