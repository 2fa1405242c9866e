from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..tools.rules import ids_of_users

# Fields whose change may open, move or close a visit's follow-up activity.
_FOLLOW_UP_FIELDS = frozenset(
    {"state", "next_action", "next_action_date", "user_id", "done_date"}
)

from ..tools.tz import company_tz, local_date


class CustomerVisit(models.Model):
    _name = "customer.visit"
    _description = "Customer Visit"
    _inherit = ("customer.policy.customer.mixin", "mail.thread", "mail.activity.mixin")
    _order = "planned_date desc, id desc"
    _rec_name = "name"
    _check_company_auto = True

    # Fields a visitor may still fill on a done visit that nobody relies on as record.
    _DONE_FREE_FIELDS = frozenset(
        {"message_main_attachment_id", "activity_ids", "message_follower_ids"}
    )

    name = fields.Char(
        string="Visit Name",
        compute="_compute_name",
        store=True,
    )
    partner_id = fields.Many2one(
        check_company=True,
        # Registered customers, and the prospects the user entered or owns.
        domain="[('parent_id', '=', False), '|', ('customer_policy_managed', '=', "
        "True), '&', ('registration_state', '=', 'draft'), '|', ('create_uid', '=', "
        "uid), ('user_id', '=', uid)]",
    )
    contact_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="customer_visit_contact_rel",
        column1="visit_id",
        column2="partner_id",
        string="People Met",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    user_id = fields.Many2one(string="Visitor", help=None)
    companion_ids = fields.Many2many(
        comodel_name="res.users",
        relation="customer_visit_companion_rel",
        column1="visit_id",
        column2="user_id",
        string="Companions",
        domain=[("share", "=", False)],
    )
    # Searched by the visitor rule: the user's visits as a companion, an array that
    # PostgreSQL computes once, so that every condition of the rule is answered
    # from an index (a search of companion_ids is a sub-select run for each visit).
    customer_policy_companion_ids = fields.Many2many(
        comodel_name="res.users",
        string="Companions (Access)",
        compute="_compute_customer_policy_companion_ids",
        search="_search_customer_policy_companion_ids",
        groups="base.group_system",
    )
    # The customer's current tier. Not tracked (a related field inherits the
    # tracking of the customer's): the customer's tier history tells its
    # changes, a visit's chatter does not.
    customer_tier_id = fields.Many2one(
        related="commercial_partner_id.customer_tier_id",
        store=True,
        string="Tier",
        tracking=False,
    )
    customer_tier_color = fields.Integer(related="customer_tier_id.color")
    visit_type = fields.Selection(
        selection=[
            ("visit", "Visit"),
            ("return_visit", "Return Visit"),
            ("phone", "Phone Call"),
            ("email", "E-mail"),
            ("online", "Online Meeting"),
        ],
        string="Type",
        required=True,
        default="visit",
        tracking=True,
    )
    planned_date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        index=True,
    )
    duration = fields.Float(
        string="Duration (hours)", default=1.0, help="Expected or actual length."
    )
    purpose = fields.Text(help="What the visit is meant to achieve.")
    preparation = fields.Text(
        help="What was prepared: the customer's recent news, needs, the visit plan."
    )
    state = fields.Selection(
        selection=[
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="planned",
        copy=False,
        index=True,
        tracking=True,
    )
    done_date = fields.Datetime(copy=False, index=True, tracking=True)
    summary = fields.Text(
        copy=False, help="What was discussed and what problems were solved."
    )
    customer_feedback = fields.Text(copy=False)
    next_action = fields.Char(copy=False, string="Follow-up Measures")
    next_action_date = fields.Date(copy=False, string="Follow-up Date")
    cancel_reason = fields.Char(copy=False, tracking=True)
    return_schedule_id = fields.Many2one(
        comodel_name="customer.return.schedule",
        index=True,
        ondelete="set null",
        copy=False,
        check_company=True,
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Planned for a time that has passed without a record.",
    )

    # === COMPUTE METHODS === #

    @api.depends("companion_ids")
    def _compute_customer_policy_companion_ids(self):
        for visit in self:
            visit.customer_policy_companion_ids = visit.companion_ids

    def _search_customer_policy_companion_ids(self, operator, value):
        select = ids_of_users(self._fields["companion_ids"], operator, value)
        return [("id", "=", SQL("ANY(ARRAY(%s))", select))]

    @api.depends("partner_id", "planned_date", "visit_type", "user_id")
    def _compute_name(self):
        # The name is stored: it is written in the visitor's language and with the
        # day of the visit in the visitor's time zone, as they plan it.
        labels = {}
        for visit in self:
            lang = visit.user_id.lang or self.env.lang or "en_US"
            if lang not in labels:
                labels[lang] = dict(
                    self._fields["visit_type"]._description_selection(
                        self.with_context(lang=lang).env
                    )
                )
            day = local_date(
                visit.planned_date,
                visit.user_id.tz or company_tz(visit.company_id or self.env.company),
            )
            visit.name = " ".join(
                part
                for part in (
                    visit.partner_id.commercial_partner_id.name or "",
                    labels[lang].get(visit.visit_type, ""),
                    fields.Date.to_string(day) if day else "",
                )
                if part
            )

    def _compute_is_late(self):
        now = fields.Datetime.now()
        for visit in self:
            visit.is_late = visit.state == "planned" and visit.planned_date < now

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on late visits."))
        late = [("state", "=", "planned"), ("planned_date", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return late
        return ["!", "&", *late]

    # === CONSTRAINT METHODS === #

    @api.constrains("partner_id", "user_id")
    def _check_partner_id(self):
        for visit in self:
            customer = visit.partner_id.commercial_partner_id.sudo()
            if customer.customer_policy_managed:
                continue
            # Before registration (备案), whoever entered a prospect records the
            # contacts with it (与新客户接触后要作书面记录).
            if (
                customer.registration_state == "draft"
                and not customer.parent_id
                and visit.user_id
                and visit.user_id in (customer.create_uid | customer.user_id)
            ):
                continue
            raise ValidationError(
                self.env._(
                    "%(partner)s is not a registered customer: before its "
                    "registration, only the salesperson who entered it records "
                    "contacts and visits with it. Register it in the archive, or "
                    "ask them.",
                    partner=visit.partner_id.display_name,
                )
            )

    @api.constrains("duration")
    def _check_duration(self):
        for visit in self:
            if visit.duration < 0:
                raise ValidationError(self.env._("A visit cannot last less than 0."))

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        self._customer_policy_check_customer_access(
            list({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        )
        for vals in vals_list:
            if vals.get("state") == "done" and not vals.get("done_date"):
                vals["done_date"] = fields.Datetime.now()
        visits = super().create(vals_list)
        visits.filtered(lambda v: v.state == "done")._customer_policy_check_record()
        visits._customer_policy_refresh_partners()
        visits._customer_policy_follow_up()
        visits._customer_policy_note_first_contacts()
        return visits

    def write(self, vals):
        if "partner_id" in vals:
            self._customer_policy_check_customer_access([vals["partner_id"]])
        if (
            set(vals) - self._DONE_FREE_FIELDS
            and not self._customer_policy_is_manager()
        ):
            done = self.filtered(lambda v: v.state == "done")
            if done:
                raise UserError(
                    self.env._(
                        "The visit %(visit)s is done: its record is the audit trail "
                        "and only a Manager can change it.",
                        visit=done[0].display_name,
                    )
                )
        partners = self.commercial_partner_id
        result = super().write(vals)
        if {"state", "done_date", "partner_id", "visit_type"} & set(vals):
            (self.commercial_partner_id | partners)._customer_policy_refresh_visits()
        if _FOLLOW_UP_FIELDS & set(vals):
            self._customer_policy_follow_up()
        if {"state", "done_date", "partner_id"} & set(vals):
            self._customer_policy_note_first_contacts()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self._customer_policy_is_manager():
            return
        done = self.filtered(lambda v: v.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "The visit %(visit)s is done: only a Manager can delete it.",
                    visit=done[0].display_name,
                )
            )

    def unlink(self):
        partners = self.commercial_partner_id
        result = super().unlink()
        partners._customer_policy_refresh_visits()
        return result

    # === ACTION METHODS === #

    def action_done(self):
        if self.filtered(lambda v: v.state != "planned"):
            raise UserError(self.env._("Only planned visits can be marked done."))
        self._customer_policy_check_record()
        now = fields.Datetime.now()
        for visit in self:
            visit.write({"state": "done", "done_date": visit.done_date or now})
        self._customer_policy_close_reminders()
        return True

    def action_cancel(self, reason=None):
        if self.filtered(lambda v: v.state != "planned"):
            raise UserError(self.env._("Only planned visits can be cancelled."))
        if reason:
            self.write({"cancel_reason": reason})
        for visit in self:
            if not (visit.cancel_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason why %(visit)s is cancelled.",
                        visit=visit.display_name,
                    )
                )
        self.write({"state": "cancelled"})
        return True

    def action_reset_to_planned(self):
        if not self._customer_policy_is_manager():
            raise UserError(self.env._("Only a Manager can reopen a visit."))
        self.write({"state": "planned", "done_date": False, "cancel_reason": False})
        return True

    # === BUSINESS METHODS === #

    def _customer_policy_customer_access_message(self, customers):
        return self.env._(
            "You cannot record a visit for %(customers)s: you do not have access to "
            "this customer. Ask its owner or your manager.",
            customers=customers,
        )

    @api.model
    def _customer_policy_handover_domain(self):
        # Planned visits follow the customer; a done visit records who went.
        return [("state", "=", "planned")]

    def _customer_policy_is_manager(self):
        return self.env.su or self.env.user.has_group("customer_policy.group_manager")

    def _customer_policy_refresh_partners(self):
        self.commercial_partner_id._customer_policy_refresh_visits()

    def _customer_policy_note_first_contacts(self):
        """A contact logged with a prospect counts toward its first contact."""
        prospects = self.filtered(lambda v: v.state == "done").commercial_partner_id
        prospects.filtered(
            lambda p: p.registration_state == "draft"
        )._customer_policy_note_first_contacts()

    def _customer_policy_check_record(self):
        for visit in self:
            missing = []
            if not (visit.summary or "").strip():
                missing.append(self.env._("a summary"))
            if not (visit.customer_feedback or "").strip():
                missing.append(self.env._("the customer's feedback"))
            if missing:
                raise UserError(
                    self.env._(
                        "Before marking %(visit)s done, fill in %(missing)s.",
                        visit=visit.display_name,
                        missing=self.env._(" and ").join(missing),
                    )
                )

    def _customer_policy_close_reminders(self):
        """A filed visit answers the reminders the policy opened on its customer:
        the contact reminder always, the visit reminder once the period's minimum is
        reached. Activities of any other type are left alone."""
        contact_type = self.env.ref(
            "customer_policy.mail_activity_type_customer_contact",
            raise_if_not_found=False,
        )
        visit_type = self.env.ref(
            "customer_policy.mail_activity_type_customer_visit",
            raise_if_not_found=False,
        )
        if not contact_type or not visit_type:
            return
        partners = self.sudo().commercial_partner_id
        compliant = partners.filtered(lambda p: p.visit_compliance == "ok")
        domain = [
            ("res_model", "=", "res.partner"),
            "|",
            "&",
            ("res_id", "in", partners.ids),
            ("activity_type_id", "=", contact_type.id),
            "&",
            ("res_id", "in", compliant.ids),
            ("activity_type_id", "=", visit_type.id),
        ]
        activities = self.env["mail.activity"].sudo().search(domain)
        if activities:
            activities.action_feedback(
                feedback=self.env._("Visit recorded: %(visit)s", visit=self[0].name)
            )

    def _customer_policy_follow_up(self):
        """Keep the follow-up activities in step with the visits: a recorded visit
        answers the follow-ups of the customer's earlier visits, and a done visit
        that names its measures and date gets one for its visitor."""
        self._customer_policy_close_follow_ups()
        self._customer_policy_sync_follow_ups()

    def _customer_policy_follow_up_activities(self):
        """{visit id: its open follow-up activity}."""
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_visit_follow_up",
            raise_if_not_found=False,
        )
        if not activity_type or not self:
            return {}
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        return {activity.res_id: activity for activity in activities}

    def _customer_policy_sync_follow_ups(self):
        """One follow-up activity per done visit with follow-up measures and a
        follow-up date, for the visitor on that date: created once, moved when the
        date or the visitor changes, removed when the measures are taken out. A
        visit the customer was visited after gets none: that visit answered it."""
        existing = self._customer_policy_follow_up_activities()
        wanted = self.filtered(
            lambda v: (
                v.state == "done"
                and (v.next_action or "").strip()
                and v.next_action_date
                and v.user_id
            )
        )
        obsolete = [a for res_id, a in existing.items() if res_id not in wanted.ids]
        if obsolete:
            self.env["mail.activity"].sudo().browse(a.id for a in obsolete).unlink()
        for visit in wanted.filtered(lambda v: v.id in existing):
            activity = existing[visit.id]
            vals = {}
            if activity.date_deadline != visit.next_action_date:
                vals["date_deadline"] = visit.next_action_date
            if activity.user_id != visit.user_id:
                vals["user_id"] = visit.user_id.id
            summary = visit._customer_policy_follow_up_summary(
                self.with_context(lang=visit.user_id.lang or self.env.lang).env
            )
            if activity.summary != summary:
                vals["summary"] = summary
            if vals:
                activity.write(vals)
        new = wanted.filtered(lambda v: v.id not in existing)
        new -= new._customer_policy_visited_since()
        if not new:
            return
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_visit_follow_up"
        )
        self.env["mail.activity"]._customer_policy_schedule(
            self._name,
            [
                {
                    "res_id": visit.id,
                    "activity_type": activity_type,
                    "user": visit.user_id,
                    "date_deadline": visit.next_action_date,
                    "summary": visit._customer_policy_follow_up_summary,
                }
                for visit in new
            ],
        )

    def _customer_policy_follow_up_summary(self, env):
        self.ensure_one()
        return env._(
            "Follow up %(customer)s: %(measures)s",
            customer=self.commercial_partner_id.name,
            measures=self.next_action.strip(),
        )

    def _customer_policy_visited_since(self):
        """The visits of ``self`` after which another visit to the same customer
        was recorded."""
        if not self:
            return self
        self.flush_model(["commercial_partner_id", "state", "done_date"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT v.id FROM customer_visit v
                 WHERE v.id = ANY(%s)
                   AND EXISTS (
                       SELECT 1 FROM customer_visit w
                        WHERE w.commercial_partner_id = v.commercial_partner_id
                          AND w.state = 'done' AND w.id != v.id
                          AND (w.done_date, w.id) > (v.done_date, v.id))
                """,
                self.ids,
            )
        )
        return self.browse(row[0] for row in rows)

    def _customer_policy_close_follow_ups(self):
        """The follow-ups of a customer's earlier visits are done once a later
        visit to that customer is recorded."""
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_visit_follow_up",
            raise_if_not_found=False,
        )
        done = self.filtered(lambda v: v.state == "done" and v.done_date)
        if not done or not activity_type:
            return
        latest = {}
        for visit in done:
            customer = visit.commercial_partner_id.id
            if customer not in latest or (visit.done_date, visit.id) > (
                latest[customer].done_date,
                latest[customer].id,
            ):
                latest[customer] = visit
        self.flush_model(["commercial_partner_id", "done_date"])
        self.env["mail.activity"].flush_model(["res_model", "res_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT a.id, v.commercial_partner_id, v.done_date, v.id
                  FROM mail_activity a
                  JOIN customer_visit v ON v.id = a.res_id
                 WHERE a.active AND a.res_model = %s AND a.activity_type_id = %s
                   AND v.commercial_partner_id = ANY(%s)
                   AND v.id != ALL(%s)
                """,
                self._name,
                activity_type.id,
                list(latest),
                done.ids,
            )
        )
        Activity = self.env["mail.activity"].sudo()
        for activity_id, customer, done_date, visit_id in rows:
            answer = latest[customer]
            if done_date and (done_date, visit_id) < (answer.done_date, answer.id):
                Activity.browse(activity_id).action_feedback(
                    feedback=self.env._(
                        "Visit recorded on %(date)s: %(visit)s",
                        date=format_date(self.env, answer.done_date),
                        visit=answer.name,
                    )
                )

    @api.model
    def _customer_policy_local_datetime(self, day, hour, tz_name):
        """``day`` at ``hour`` o'clock in ``tz_name``, as naive UTC."""
        tz = pytz.timezone(tz_name or "UTC")
        local = tz.localize(datetime.combine(day, time(int(hour), 0)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)
