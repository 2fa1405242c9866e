from collections import defaultdict

from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _customer_policy_schedule(self, res_model, todo):
        """Create the policy's activities (crons and automatic reminders).

        Each activity is written in its assignee's language, not in the language
        of whoever runs the cron, and all are created in as few batches as Odoo
        allows, without an e-mail each: the assignees find them in their
        activities.

        :param str res_model: the model of the records the activities are on
        :param todo: dicts with ``res_id``, ``activity_type`` (the
            ``mail.activity.type`` record), ``user`` (the assignee, res.users),
            ``date_deadline``, ``summary``, a function that receives an
            environment in the assignee's language and returns the text, and
            optionally ``note`` (HTML, already written)
        :return: the activities created
        """
        model_id = self.env["ir.model"]._get_id(res_model)
        # mail.activity computes its res_name record by record, each record
        # browsed alone (a query each): read them in one batch into the cache the
        # compute reads.
        self.env[res_model].sudo().browse({item["res_id"] for item in todo}).mapped(
            "display_name"
        )
        envs = {}
        vals_list = []
        for item in todo:
            user = item["user"]
            lang = user.lang or self.env.lang
            if lang not in envs:
                envs[lang] = self.with_context(lang=lang).env
            vals = {
                "res_model_id": model_id,
                "res_id": item["res_id"],
                "activity_type_id": item["activity_type"].id,
                "user_id": user.id,
                "date_deadline": item["date_deadline"],
                "summary": item["summary"](envs[lang]),
                # Made by the policy, not by a user: activity_unlink and
                # activity_feedback of the records find them.
                "automated": True,
            }
            if item.get("note"):
                vals["note"] = item["note"]
            vals_list.append(vals)
        return (
            self.sudo()
            .with_context(mail_activity_quick_update=True, mail_notify_force_send=False)
            ._customer_policy_create_batched(vals_list)
        )

    @api.model
    def _customer_policy_create_batched(self, vals_list):
        """Create activities in as few batches as Odoo allows.

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
