from collections import defaultdict

from odoo import api, models
from odoo.fields import Date
from odoo.tools import SQL

# What create() writes besides the given values, computed here the same way.
COMPUTED = (
    ("res_model", "res_model_id.model"),
    ("user_tz", "user_id.tz"),
    ("res_name", "_compute_res_name"),
    ("date_done", "_compute_date_done"),
)
# The values _customer_policy_schedule() gives.
GIVEN = frozenset(
    (
        "res_model_id",
        "res_id",
        "activity_type_id",
        "user_id",
        "date_deadline",
        "summary",
        "note",
        "automated",
    )
)
# Where the code of create() and its overrides may be.
KNOWN_CREATE = ("odoo.models", "odoo.addons.mail.", "odoo.addons.customer_policy.")


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

        ``mail.activity.create()`` costs ~2.5 ms an activity (defaults, the
        precomputes and computes of each record, the cache, one
        ``message_subscribe`` per user and model): more than the policy's crons
        may spend on their first run, when every customer needs one. The rows are
        written here in one ``INSERT … SELECT … FROM unnest()`` with every column
        ``create()`` would have written (``_customer_policy_insert``), the
        followers in one statement (``_customer_policy_follow``), and one bus
        notification per assignee with an activity due.

        ``create()`` stays the path when the SQL one could differ from it: not
        superuser (its access checks), values or fields of mail.activity this
        method does not know (another addon's), see
        ``_customer_policy_insertable``.
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
        defaults = self._customer_policy_insertable(vals_list)
        if defaults is None:
            activities = self.with_context(customer_policy_followers_done=True).create(
                vals_list
            )
            return activities.with_env(self.env)
        return self._customer_policy_insert(vals_list, model_names, defaults)

    @api.model
    def _customer_policy_insertable(self, vals_list):
        """The defaults create() would add to ``vals_list``, or None when the
        rows cannot be written in SQL exactly as create() writes them: not
        superuser, a value or a stored field not known here (another addon's
        field with a compute or a relation to write), or a create() overridden by
        an addon (its side effects)."""
        if not self.env.su or self._customer_policy_create_overridden():
            return None
        if any(set(vals) - GIVEN for vals in vals_list):
            return None
        fields = self._fields
        computed = dict(COMPUTED)
        for name, expected in computed.items():
            field = fields[name]
            if expected not in (
                field.related,
                field.compute,
                getattr(field.compute, "__name__", None),
            ):
                return None
        missing = []
        for name, field in fields.items():
            # Values create() would convert per language or company.
            if field.column_type and (
                field.company_dependent or getattr(field, "translate", False)
            ):
                return None
            if name in GIVEN or name in computed or name == "id":
                continue
            if name in models.LOG_ACCESS_COLUMNS:
                continue
            if field.store and (field.compute or field.related):
                return None
            missing.append(name)
        defaults = self.default_get(missing)
        if defaults.get("active", True) is not True:
            return None
        for name, value in defaults.items():
            field = fields[name]
            if field.store and not field.column_type and value:
                return None
        return defaults

    @api.model
    def _customer_policy_create_overridden(self):
        """Whether an addon overrides (or patches: automation rules) create()
        with code the SQL path would skip, by where that code is."""
        for cls in type(self).mro():
            for name in ("create", "_create"):
                method = vars(cls).get(name)
                if method is not None and not getattr(
                    method, "__module__", ""
                ).startswith(KNOWN_CREATE):
                    return True
        return False

    @api.model
    def _customer_policy_insert(self, vals_list, model_names, defaults):
        """Insert the activities of ``vals_list`` (``_customer_policy_insertable``
        gave their ``defaults``) in one statement, then do what create() does
        after: the cache of the new records and of their records' activities,
        the fields depending on them, the assignees' bus notification."""
        cr = self.env.cr
        fields = self._fields
        Users = self.env["res.users"]
        # Read in batches: the assignees' time zones, the records' names.
        users = Users.browse({vals["user_id"] for vals in vals_list})
        time_zones = dict(zip(users.ids, users.mapped("tz"), strict=True))
        names = {}
        by_model = defaultdict(set)
        for vals in vals_list:
            by_model[model_names[vals["res_model_id"]]].add(vals["res_id"])
        for res_model, res_ids in by_model.items():
            # create() writes the display_name in this environment (sudo, the
            # caller's context), as its compute_sudo compute.
            records = self.env[res_model].browse(res_ids)
            for record, name in zip(
                records, records.mapped("display_name"), strict=True
            ):
                names[res_model, record.id] = name
        uid = self.env.uid
        now = cr.now()
        # The same in every row: converted once.
        constant = dict(
            defaults,
            date_done=False,
            active=True,
            create_uid=uid,
            write_uid=uid,
            create_date=now,
            write_date=now,
        )
        res_models = [model_names[vals["res_model_id"]] for vals in vals_list]
        per_row = {
            "res_model": res_models,
            "res_name": [
                names[res_model, vals["res_id"]]
                for res_model, vals in zip(res_models, vals_list, strict=True)
            ],
            "user_tz": [time_zones[vals["user_id"]] for vals in vals_list],
        }
        columns = {}
        for name, field in fields.items():
            if not field.store or not field.column_type or name == "id":
                continue
            if name in per_row:
                values = per_row[name]
            elif any(name in vals for vals in vals_list):
                values = [vals.get(name, constant.get(name)) for vals in vals_list]
            else:
                value = field.convert_to_column_insert(constant.get(name), self)
                columns[name] = [value] * len(vals_list)
                continue
            columns[name] = [
                field.convert_to_column_insert(value, self) for value in values
            ]
        names_sql = [SQL.identifier(name) for name in columns]
        cr.execute(
            SQL(
                "INSERT INTO mail_activity (%s) SELECT * FROM unnest(%s) RETURNING id",
                SQL(", ").join(names_sql),
                SQL(", ").join(
                    SQL("%s::%s[]", values, SQL(fields[name].column_type[1]))
                    for name, values in columns.items()
                ),
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        activities = self.browse(ids)
        # As create(): the new records in the cache, appended to the cached
        # activity_ids of their records, the fields depending on them marked.
        cache = self.env.cache
        for name in ("res_model_id", "res_model", "res_id", "user_id", "date_deadline"):
            field = fields[name]
            cache.update(
                activities,
                field,
                [field.convert_to_cache(row, activities) for row in columns[name]],
            )
        # Only the records whose activities are in the cache (create() looks
        # for each record: 0.6 ms an activity).
        res_id_field = fields["res_id"]
        cached = set()
        for inverse in self.pool.field_inverses[res_id_field]:
            Model = self.env[inverse.model_name]
            if inverse.model_name in by_model:
                cached.update(
                    (inverse.model_name, record_id)
                    for record_id in cache.get_records(Model, inverse)._ids
                )
        per_record = defaultdict(list)
        for activity_id, res_model, res_id in zip(
            ids, res_models, columns["res_id"], strict=True
        ):
            if (res_model, res_id) in cached:
                per_record[res_id].append(activity_id)
        for res_id, activity_ids in per_record.items():
            res_id_field._update_inverses(self.browse(activity_ids), res_id)
        # Protected as create() protects what it writes: the computed columns
        # written above (res_name, date_done…) are not computed again.
        with self.env.protecting([fields[name] for name in columns], activities):
            activities.modified(list(columns), create=True)
        # create() notifies the assignees of what is due; one message each.
        today = Date.today()
        due = {
            vals["user_id"]
            for vals in vals_list
            if Date.to_date(vals["date_deadline"]) <= today
        }
        if due:
            Users.browse(sorted(due))._bus_send(
                "mail.activity/updated", {"activity_created": True}
            )
        return activities

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
        assignees = users.browse(
            {user_id for _model, _id, user_id in assignments if user_id}
        )
        partners = {
            user.id: (user.partner_id.id, user.partner_id.partner_share)
            for user in assignees
            if user.partner_id.active
        }
        pairs = {
            (res_model, res_id, user_id)
            for res_model, res_id, user_id in assignments
            if res_model and res_id and user_id in partners
        }
        rows = []
        subtypes = []
        defaults = {}
        for res_model, res_id, partner_id in sorted(
            {(m, i, partners[u][0]) for m, i, u in pairs}
        ):
            rows.append((res_model, res_id, partner_id))
            if res_model not in defaults:
                default, _internal, external = Subtypes.default_subtypes(res_model)
                defaults[res_model] = (default.ids, external.ids)
        shares = {partner_id: share for partner_id, share in partners.values()}
        for res_model, res_id, partner_id in rows:
            default, external = defaults[res_model]
            subtypes += [
                (res_model, res_id, partner_id, subtype)
                for subtype in (external if shares[partner_id] else default)
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
