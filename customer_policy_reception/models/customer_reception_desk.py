import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.customer_policy.tools.archive import normalize_phone

from ..tools import rotation


class CustomerReceptionDesk(models.Model):
    """A sales office where walk-in visitors are received in turn (接待轮值)."""

    _name = "customer.reception.desk"
    _description = "Reception Desk"
    _inherit = ("mail.thread",)
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The department whose salespeople receive the desk's walk-in visitors; "
        "its leader manages the desk.",
    )
    manager_id = fields.Many2one(
        related="team_id.user_id", string="Department Manager", store=True
    )
    turn_ids = fields.One2many(
        comodel_name="customer.reception.turn",
        inverse_name="desk_id",
        string="Roster",
        copy=False,
    )
    member_ids = fields.Many2many(
        comodel_name="res.users",
        string="Members",
        compute="_compute_member_ids",
        inverse="_inverse_member_ids",
        search="_search_member_ids",
        help="Today's roster, in the order in which the members take their turns.",
    )
    position_turn_id = fields.Many2one(
        comodel_name="customer.reception.turn",
        string="Regular Turn At",
        readonly=True,
        copy=False,
        help="The member whose regular turn comes next; make-up turns go first.",
    )
    roster_date = fields.Date(
        readonly=True,
        copy=False,
        help="Day of the rotation state: the first walk-in of a new day starts the "
        "rotation again from the top of the roster.",
    )
    next_turn_id = fields.Many2one(
        comodel_name="customer.reception.turn",
        string="Next",
        compute="_compute_next_turns",
        help="Takes the next first-time visitor.",
    )
    standby_turn_id = fields.Many2one(
        comodel_name="customer.reception.turn",
        string="Standby",
        compute="_compute_next_turns",
        help="Waits to take over the desk after the next one.",
    )
    next_user_id = fields.Many2one(
        comodel_name="res.users", string="Next Up", compute="_compute_next_turns"
    )
    standby_user_id = fields.Many2one(
        comodel_name="res.users", string="On Standby", compute="_compute_next_turns"
    )
    visit_ids = fields.One2many(
        comodel_name="customer.reception.visit",
        inverse_name="desk_id",
        string="Visitor Register",
    )
    today_visit_count = fields.Integer(
        string="Walk-ins Today", compute="_compute_today_visit_count"
    )
    open_violation_count = fields.Integer(compute="_compute_open_violation_count")

    # ------------------------------------------------------------------ computes

    @api.depends("turn_ids.sequence", "turn_ids.user_id")
    def _compute_member_ids(self):
        for desk in self:
            desk.member_ids = desk.turn_ids.sorted(lambda t: (t.sequence, t.id)).user_id

    def _inverse_member_ids(self):
        for desk in self:
            current = desk.turn_ids.user_id
            wanted = desk.member_ids
            (desk.turn_ids.filtered(lambda t, w=wanted: t.user_id not in w)).unlink()
            last = max(desk.turn_ids.mapped("sequence") or [0])
            self.env["customer.reception.turn"].create(
                [
                    {"desk_id": desk.id, "user_id": user.id, "sequence": last + step}
                    for step, user in enumerate(wanted - current, start=1)
                ]
            )

    def _search_member_ids(self, operator, value):
        return [("turn_ids.user_id", operator, value)]

    @api.depends(
        "turn_ids.state",
        "turn_ids.makeup_owed",
        "turn_ids.sequence",
        "position_turn_id",
    )
    def _compute_next_turns(self):
        for desk in self:
            turns = desk._reception_roster()
            first, second = rotation.next_two(
                desk._reception_seats(turns), desk._reception_position(turns)
            )
            desk.next_turn_id = turns[first] if first is not None else False
            desk.standby_turn_id = turns[second] if second is not None else False
            desk.next_user_id = desk.next_turn_id.user_id
            desk.standby_user_id = desk.standby_turn_id.user_id

    def _compute_today_visit_count(self):
        counts = dict(
            self.env["customer.reception.visit"]._read_group(
                [
                    ("desk_id", "in", self.ids),
                    ("visit_day", "=", self._reception_today()),
                ],
                ["desk_id"],
                ["__count"],
            )
        )
        for desk in self:
            desk.today_visit_count = counts.get(desk, 0)

    def _compute_open_violation_count(self):
        counts = dict(
            self.env["customer.reception.violation"]._read_group(
                [("desk_id", "in", self.ids), ("state", "=", "open")],
                ["desk_id"],
                ["__count"],
            )
        )
        for desk in self:
            desk.open_violation_count = counts.get(desk, 0)

    # ------------------------------------------------------------------ actions

    def action_open_reception(self):
        self.ensure_one()
        self._reception_roll_day()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("customer_policy_reception.view_reception_screen").id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_new_walk_in(self):
        self.ensure_one()
        self._reception_check_member()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Walk-in"),
            "res_model": "customer.reception.walk.in",
            "view_mode": "form",
            "target": "new",
            "context": {"default_desk_id": self.id},
        }

    def action_view_register(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_reception.action_customer_reception_visit"
        )
        action["domain"] = [("desk_id", "=", self.id)]
        action["context"] = {"default_desk_id": self.id, "search_default_today": 1}
        return action

    def action_view_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_reception.action_customer_reception_violation"
        )
        action["domain"] = [("desk_id", "=", self.id)]
        action["context"] = {"default_desk_id": self.id}
        return action

    @api.model
    def _reception_landing_action(self):
        """The reception screen of the user's desk, or the list of desks."""
        desks = self.search([("member_ids", "in", [self.env.uid])])
        if len(desks) == 1:
            return desks.action_open_reception()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy_reception.action_customer_reception_desk"
        )

    # ------------------------------------------------------------------ the rules

    def register_walk_in(
        self,
        visitor_name,
        mobile,
        came_before=False,
        previous_user_id=False,
        asked_for_user_id=False,
    ):
        """Record a walk-in visitor and assign them by the rotation's rules.

        The receiving salesperson (the next in line) asks two questions: did the
        visitor come before, and do they ask for someone?

        - came before (or already in the register under that mobile number): the
          colleague who served them serves them again (``previous_user_id``, or
          found by the mobile number in the register or the archive); a returning
          visitor never counts as a turn;
        - first visit, asks for a named salesperson: that salesperson's customer,
          outside the rotation;
        - otherwise the next in the rotation takes the visitor (a turn).

        :return: the id of the new ``customer.reception.visit``
        """
        self.ensure_one()
        self._reception_check_member()
        visitor_name = (visitor_name or "").strip()
        mobile = (mobile or "").strip()
        if not visitor_name or not mobile:
            raise UserError(
                self.env._("Write down the visitor's name and mobile number first.")
            )
        desk = self.sudo()
        desk._reception_lock()
        desk._reception_roll_day()
        Users = self.env["res.users"]
        previous = Users.browse(previous_user_id or [])
        asked_for = Users.browse(asked_for_user_id or [])
        for user in previous | asked_for:
            if user.share or not user.active:
                raise UserError(
                    self.env._(
                        "%(user)s is not a salesperson of the company.",
                        user=user.display_name,
                    )
                )
        mobile_key = normalize_phone(mobile) or mobile
        earlier = desk._reception_earlier_visit(mobile_key)
        # The register is the evidence: a visitor already in it has come before,
        # whatever the answer, and never counts as a turn again.
        came_before = bool(came_before or previous or earlier)
        customer = earlier.partner_id or desk._reception_customer_by_phone(mobile)
        if came_before and not previous:
            previous = earlier.user_id or customer.user_id
        turns = desk._reception_roster()
        seats = desk._reception_seats(turns)
        position = desk._reception_position(turns)
        at_desk = rotation.pick(seats, position)
        if at_desk is None:
            raise UserError(
                self.env._(
                    "Nobody is at the desk: mark a salesperson back before recording "
                    "a walk-in."
                )
            )
        vals = {
            "desk_id": desk.id,
            "visitor_name": visitor_name,
            "mobile": mobile,
            "partner_id": customer.id,
            "received_by_id": turns[at_desk.index].user_id.id,
        }
        if came_before:
            vals.update(
                visit_kind="returning",
                counts_as_turn=False,
                previous_user_id=previous.id,
                user_id=(previous or turns[at_desk.index].user_id).id,
            )
        elif asked_for:
            vals.update(
                visit_kind="designated",
                counts_as_turn=False,
                asked_for_user_id=asked_for.id,
                user_id=asked_for.id,
            )
        else:
            receiver = turns[at_desk.index]
            vals.update(
                visit_kind="first",
                counts_as_turn=True,
                is_makeup=at_desk.makeup,
                user_id=receiver.user_id.id,
                skipped_user_ids=[
                    (6, 0, [turns[index].user_id.id for index in at_desk.skipped])
                ],
            )
            desk._reception_take_turn(turns, at_desk)
        visit = (
            self.env["customer.reception.visit"]
            .sudo()
            .with_context(customer_reception_rules=True)
            .create(vals)
        )
        return visit.id

    def set_away(self, user_id, kind="away"):
        """Mark a member out on business (``away``) or busy with a customer
        (``busy``): the rotation passes them over, and each turn they miss is owed
        back as a make-up turn."""
        self.ensure_one()
        if kind not in ("away", "busy"):
            raise UserError(self.env._("A member is either away or busy."))
        turn = self._reception_member_turn(user_id)
        self.sudo()._reception_roll_day()
        if turn.state != "present":
            raise UserError(
                self.env._(
                    "%(user)s is already marked away or busy.",
                    user=turn.user_id.display_name,
                )
            )
        turn.sudo().write({"state": kind, "away_since": fields.Datetime.now()})
        return True

    def set_back(self, user_id):
        """Mark a member back at the desk; the make-up turns they are owed stay."""
        self.ensure_one()
        turn = self._reception_member_turn(user_id)
        self.sudo()._reception_roll_day()
        if turn.state == "present":
            raise UserError(
                self.env._(
                    "%(user)s is already at the desk.", user=turn.user_id.display_name
                )
            )
        turn.sudo().write({"state": "present", "away_since": False})
        return True

    # ------------------------------------------------------------------ helpers

    def _reception_tz(self):
        self.ensure_one()
        return pytz.timezone(
            self.company_id.resource_calendar_id.tz or self.env.user.tz or "UTC"
        )

    def _reception_today(self):
        """Today in the desk's time zone (the company's working calendar)."""
        desk = self[:1]
        tz = desk._reception_tz() if desk else pytz.timezone(self.env.user.tz or "UTC")
        return self._reception_local_day(fields.Datetime.now(), tz)

    @api.model
    def _reception_local_day(self, moment, tz):
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _reception_roster(self):
        self.ensure_one()
        return self.turn_ids.sorted(lambda t: (t.sequence, t.id))

    @api.model
    def _reception_seats(self, turns):
        return [
            rotation.Seat(
                key=turn.id, present=turn.state == "present", makeup=turn.makeup_owed
            )
            for turn in turns
        ]

    def _reception_position(self, turns):
        self.ensure_one()
        if self.position_turn_id in turns:
            return list(turns).index(self.position_turn_id)
        return 0

    def _reception_take_turn(self, turns, result):
        """Write what one turn (a ``rotation.Pick``) does to the roster."""
        for index in result.skipped:
            turns[index].makeup_owed += 1
        receiver = turns[result.index]
        receiver.turn_count += 1
        if result.makeup:
            receiver.makeup_owed -= 1
        self.position_turn_id = turns[result.position]

    def _reception_roll_day(self):
        """Start the day's rotation afresh: everyone at the desk, nothing owed,
        the regular turn at the top of the roster."""
        for desk in self:
            today = desk._reception_today()
            if desk.roster_date == today:
                continue
            desk.sudo().turn_ids.write(
                {
                    "state": "present",
                    "away_since": False,
                    "makeup_owed": 0,
                    "turn_count": 0,
                }
            )
            desk.sudo().write(
                {
                    "roster_date": today,
                    "position_turn_id": desk._reception_roster()[:1].id,
                }
            )

    def _reception_lock(self):
        """Serialize the walk-ins of one desk: two receptionists recording at the
        same moment must not give the same turn twice."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM customer_reception_desk WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["position_turn_id", "roster_date"])
        self.turn_ids.invalidate_recordset()

    def _reception_earlier_visit(self, mobile_key):
        """The visitor's latest earlier visit at any desk of the company."""
        self.ensure_one()
        return (
            self.env["customer.reception.visit"]
            .sudo()
            .search(
                [
                    ("mobile_key", "=", mobile_key),
                    ("company_id", "=", self.company_id.id),
                ],
                order="visit_date desc, id desc",
                limit=1,
            )
        )

    def _reception_customer_by_phone(self, mobile):
        """The registered customer whose phone is the visitor's number, if any
        (superuser: the visitor may be another department's customer)."""
        matches = self.env["res.partner"]._customer_policy_lookup(phone=mobile)
        return (
            self.env["res.partner"].sudo().browse(matches[0]["id"] if matches else [])
        )

    def _reception_can_manage(self):
        self.ensure_one()
        user = self.env.user
        return (
            self.env.su
            or user.has_group("customer_policy.group_director")
            or (
                user.has_group("customer_policy.group_manager")
                and self.team_id.user_id == user
            )
        )

    def _reception_check_member(self):
        """Only the desk's members and its department manager work the desk."""
        self.ensure_one()
        if (
            self.env.uid in self.sudo().turn_ids.user_id.ids
            or self._reception_can_manage()
        ):
            return
        raise AccessError(
            self.env._(
                "Only the salespeople on the roster of %(desk)s and its department "
                "manager record walk-ins there.",
                desk=self.display_name,
            )
        )

    def _reception_member_turn(self, user_id):
        self.ensure_one()
        turn = self.sudo().turn_ids.filtered(lambda t: t.user_id.id == user_id)
        if not turn:
            raise UserError(
                self.env._(
                    "%(user)s is not on the roster of %(desk)s.",
                    user=self.env["res.users"].sudo().browse(user_id).display_name,
                    desk=self.display_name,
                )
            )
        # Whoever keeps the desk marks colleagues out and back, as on paper.
        self._reception_check_member()
        return turn

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_reception_new_day(self):
        """Start each desk's rotation afresh for the new day (idempotent: a desk
        already on today is left alone)."""
        # A desk's local day is at most one day ahead of UTC: only a desk already on
        # UTC's tomorrow is surely current.
        desks = self.search(
            [
                "|",
                ("roster_date", "=", False),
                ("roster_date", "<=", fields.Date.today()),
            ]
        )
        desks._reception_roll_day()
