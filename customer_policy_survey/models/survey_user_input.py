from odoo import api, models


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

    @api.model
    def _customer_policy_create_batched(self, vals_list):
        """Create the answers of many invitations (as superuser) with the chatter
        work of ``mail.thread.create`` done once per batch, not per answer.

        ``mail.thread.create`` runs ``_message_auto_subscribe`` answer by answer:
        each reads the followers of the answer's survey (a query per answer)
        to make them follow the answer (the survey's "completed" subtype).
        Here the answers are created without it, then, for the answers of each
        survey together: the same auto-subscription, the creating user as
        follower and the creation note, as ``create`` would have done.
        """
        Inputs = self.sudo()
        answers = Inputs.with_context(tracking_disable=True).create(vals_list)
        answers = answers.with_env(Inputs.env)
        if self.env.context.get("tracking_disable") or not answers:
            return answers
        if not self.env.context.get("mail_create_nosubscribe") and self.env.user.active:
            self.env["mail.followers"]._insert_followers(
                answers._name,
                answers.ids,
                self.env.user.partner_id.ids,
                subtypes=None,
                customer_ids=[],
                check_existing=False,
            )
        for survey, group in answers.grouped("survey_id").items():
            group._message_auto_subscribe(
                {"survey_id": survey.id}, followers_existing_policy="update"
            )
        if not self.env.context.get("mail_create_nolog"):
            answers._message_log_batch(
                bodies={answer.id: answer._creation_message() for answer in answers}
            )
        return answers
