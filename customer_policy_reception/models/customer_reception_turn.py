from odoo import api, fields, models
from odoo.exceptions import UserError

# Kept by the rotation itself (register_walk_in, set_away, set_back).
ROTATION_FIELDS = {"state", "away_since", "makeup_owed", "turn_count"}


class CustomerReceptionTurn(models.Model):
    """One member's place on a desk's roster and their rotation state today."""

    _name = "customer.reception.turn"
    _description = "Reception Rotation Turn"
    _order = "desk_id, sequence, id"
    _rec_name = "user_id"

    desk_id = fields.Many2one(
        comodel_name="customer.reception.desk",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="desk_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
    )
    state = fields.Selection(
        selection=[("present", "At the Desk"), ("away", "Away"), ("busy", "Busy")],
        required=True,
        default="present",
        readonly=True,
    )
    away_since = fields.Datetime(
        readonly=True, help="When the member went out or got busy."
    )
    makeup_owed = fields.Integer(
        string="Make-up Turns Owed",
        readonly=True,
        help="Turns the rotation passed over while the member was away or busy: "
        "they take as many new visitors first once back (补接).",
    )
    turn_count = fields.Integer(
        string="Turns Today", readonly=True, help="First-time visitors taken today."
    )
    is_next = fields.Boolean(string="Next", compute="_compute_is_next")
    is_standby = fields.Boolean(string="Standby", compute="_compute_is_next")

    _sql_constraints = (
        (
            "desk_user_unique",
            "unique(desk_id, user_id)",
            "A salesperson is on a desk's roster once.",
        ),
    )

    @api.depends("desk_id.next_turn_id", "desk_id.standby_turn_id")
    def _compute_is_next(self):
        for turn in self:
            turn.is_next = turn.desk_id.next_turn_id == turn
            turn.is_standby = turn.desk_id.standby_turn_id == turn

    def write(self, vals):
        if ROTATION_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "The rotation keeps who is away, busy and owed make-up turns: "
                    "use the Away, Busy and Back buttons of the reception screen."
                )
            )
        return super().write(vals)

    def action_set_away(self):
        for turn in self:
            turn.desk_id.set_away(turn.user_id.id)
        return True

    def action_set_busy(self):
        for turn in self:
            turn.desk_id.set_away(turn.user_id.id, kind="busy")
        return True

    def action_set_back(self):
        # One member at a time: the desk rolls its day before it checks, so a
        # batch would leave the first members back when a later one is refused.
        self.ensure_one()
        self.desk_id.set_back(self.user_id.id)
        return True
