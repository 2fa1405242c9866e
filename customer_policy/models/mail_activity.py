from collections import defaultdict

from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _customer_policy_create_batched(self, vals_list):
        """Create the crons' activities in as few batches as Odoo allows.

        ``mail.activity.create()`` subscribes each assignee to its records with one
        ``message_subscribe`` per user, which inserts the same follower twice (and
        fails on the unique index) when one batch gives a user two activities on
        the same record: a visit and a contact reminder, two collection levels.
        Each round holds at most one activity per record and user, so the number of
        rounds is bounded by the kinds of activity, not by the data.
        """
        rounds = []
        seen = defaultdict(int)
        for vals in vals_list:
            key = (
                vals.get("res_model_id") or vals.get("res_model"),
                vals["res_id"],
                vals.get("user_id"),
            )
            index = seen[key]
            seen[key] += 1
            if index == len(rounds):
                rounds.append([])
            rounds[index].append(vals)
        activities = self.browse()
        for batch in rounds:
            activities |= self.create(batch)
        return activities
