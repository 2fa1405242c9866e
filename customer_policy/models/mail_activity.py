from odoo import api, models
from odoo.tools import SQL


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
        # The assignees come as separate records (one per item): their language
        # and partner read for all of them at once, not a query per user.
        self.env["res.users"].sudo().browse({item["user"].id for item in todo}).mapped(
            "lang"
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
        """Create activities in one batch, their assignees following the records.

        ``mail.activity.create()`` subscribes each assignee to its records with one
        ``message_subscribe`` per user and model (five queries or more each: a
        cron's first run pays them for every salesperson), and inserts the same
        follower twice (failing on the unique index) when one batch gives a user
        two activities on the same record. The followers are written here
        instead, for all users at once (``_customer_policy_follow``), and
        ``create`` checks the last assignee only (``_classify_by_model``).
        """
        if not vals_list:
            return self.browse()
        # Before create(): the subscription it still makes (below) then finds
        # its follower and writes nothing.
        model_names = {
            model.id: model.model
            for model in self.env["ir.model"]
            .sudo()
            .browse(
                {vals["res_model_id"] for vals in vals_list if "res_model_id" in vals}
            )
        }
        self._customer_policy_follow(
            [
                (
                    vals.get("res_model") or model_names[vals["res_model_id"]],
                    vals["res_id"],
                    vals.get("user_id"),
                )
                for vals in vals_list
            ]
        )
        activities = self.with_context(customer_policy_followers_done=True).create(
            vals_list
        )
        return activities.with_env(self.env)

    def _classify_by_model(self):
        # mail.activity.create() subscribes the assignees of what this returns,
        # one call per user: _customer_policy_create_batched() does it for all.
        # The last activity stays, as create() sends its bus notification to the
        # assignee of the last activity it subscribed.
        if self.env.context.get("customer_policy_followers_done"):
            self = self.filtered("user_id")[-1:]  # noqa: PLW0642
        return super()._classify_by_model()

    @api.model
    def _customer_policy_follow(self, assignments):
        """Make each assignee follow the record of their activity, as
        ``message_subscribe`` does (active partners, the model's default
        subtypes, existing followers kept), in one statement.

        ``ON CONFLICT DO NOTHING``: a follower added meanwhile by another
        transaction is kept, not an error.

        :param assignments: ``(model name, record id, res.users id or False)``
        """
        Followers = self.env["mail.followers"].sudo()
        Subtypes = self.env["mail.message.subtype"].sudo()
        users = self.env["res.users"].sudo()
        # One read of the assignees' partners, not one per assignee below.
        users.browse(
            {user_id for _model, _id, user_id in assignments if user_id}
        ).partner_id.mapped("partner_share")
        pairs = {
            (res_model, res_id, users.browse(user_id).partner_id)
            for res_model, res_id, user_id in assignments
            if res_model and res_id and user_id
        }
        rows = []
        subtypes = []
        defaults = {}
        for res_model, res_id, partner in sorted(
            pairs, key=lambda pair: (pair[0], pair[1], pair[2].id)
        ):
            if not partner.active:
                continue
            rows.append((res_model, res_id, partner.id))
            if res_model not in defaults:
                default, _internal, external = Subtypes.default_subtypes(res_model)
                defaults[res_model] = (default.ids, external.ids)
            default, external = defaults[res_model]
            subtypes += [
                (res_model, res_id, partner.id, subtype)
                for subtype in (external if partner.partner_share else default)
            ]
        if not rows:
            return
        Followers.flush_model()
        relation = Followers._fields["subtype_ids"]
        self.env.cr.execute(
            SQL(
                """
                WITH new AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    SELECT * FROM unnest(%(models)s::varchar[], %(ids)s::int[],
                                         %(partners)s::int[])
                    ON CONFLICT DO NOTHING
                    RETURNING id, res_model, res_id, partner_id
                )
                INSERT INTO %(rel)s (%(col1)s, %(col2)s)
                SELECT new.id, s.subtype_id
                  FROM new
                  JOIN unnest(%(s_models)s::varchar[], %(s_ids)s::int[],
                              %(s_partners)s::int[], %(s_subtypes)s::int[])
                       AS s(res_model, res_id, partner_id, subtype_id)
                    ON s.res_model = new.res_model AND s.res_id = new.res_id
                   AND s.partner_id = new.partner_id
                """,
                models=[row[0] for row in rows],
                ids=[row[1] for row in rows],
                partners=[row[2] for row in rows],
                rel=SQL.identifier(relation.relation),
                col1=SQL.identifier(relation.column1),
                col2=SQL.identifier(relation.column2),
                s_models=[row[0] for row in subtypes],
                s_ids=[row[1] for row in subtypes],
                s_partners=[row[2] for row in subtypes],
                s_subtypes=[row[3] for row in subtypes],
            )
        )
        Followers.invalidate_model()
        for res_model in defaults:
            Model = self.env[res_model]
            Model.invalidate_model(
                [
                    name
                    for name in ("message_follower_ids", "message_partner_ids")
                    if name in Model._fields
                ]
            )
