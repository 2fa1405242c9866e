from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.customer_policy.tools.archive import normalize_phone

# Set by the rotation (register_walk_in) and a reasoned re-assignment only: who takes
# a visitor and whether it was a turn are the rotation's to decide.
ASSIGNMENT_FIELDS = {
    "desk_id",
    "visit_date",
    "visit_kind",
    "received_by_id",
    "user_id",
    "counts_as_turn",
    "is_makeup",
    "skipped_user_ids",
    "previous_user_id",
    "asked_for_user_id",
    "outcome",
    "deal_date",
}


class CustomerReceptionVisit(models.Model):
    """The visitor register (来访登记): one line per walk-in visitor."""

    _name = "customer.reception.visit"
    _description = "Walk-in Visitor"
    _inherit = ("customer.policy.customer.mixin", "mail.thread")
    _order = "visit_date desc, id desc"
    _rec_name = "visitor_name"
    _check_company_auto = True

    desk_id = fields.Many2one(
        comodel_name="customer.reception.desk",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        compute="_compute_company_id", store=True, readonly=False, precompute=True
    )
    # A walk-in belongs to the desk's department, whoever owns the customer.
    team_id = fields.Many2one(related="desk_id.team_id")
    visit_date = fields.Datetime(
        string="Time", required=True, readonly=True, default=fields.Datetime.now
    )
    visit_day = fields.Date(
        string="Day",
        compute="_compute_visit_day",
        store=True,
        index=True,
        help="The day of the visit in the desk's time zone.",
    )
    visitor_name = fields.Char(required=True, tracking=True)
    mobile = fields.Char(required=True, tracking=True)
    mobile_key = fields.Char(
        compute="_compute_mobile_key",
        store=True,
        index="btree_not_null",
        help="The mobile number's digits: a returning visitor is found by it.",
    )
    visitor_company = fields.Char(
        string="Visitor's Company", help="Becomes the customer's name when registered."
    )
    # A walk-in is linked to a customer only when one is known or registered.
    partner_id = fields.Many2one(
        required=False,
        index="btree_not_null",
        check_company=True,
        help="The customer the visitor belongs to, when known.",
    )
    customer_registered = fields.Boolean(
        string="Registered",
        compute="_compute_customer_registered",
        help="The customer is in the archive (备案).",
    )
    visit_kind = fields.Selection(
        selection=[
            ("first", "First Visit"),
            ("returning", "Returning"),
            ("designated", "Asked for Someone"),
        ],
        string="Kind",
        required=True,
        readonly=True,
        default="first",
        tracking=True,
    )
    received_by_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        index=True,
        help="The salesperson at the desk who received the visitor and asked the "
        "two questions.",
    )
    user_id = fields.Many2one(
        string="Served By",
        compute=None,
        readonly=True,
        help="Whose visitor this is: by turn, the colleague who served them before, "
        "or the salesperson they asked for.",
    )
    counts_as_turn = fields.Boolean(
        readonly=True,
        help="A first-time visitor taken in the rotation. Returning and designated "
        "visitors never count.",
    )
    is_makeup = fields.Boolean(
        string="Make-up Turn",
        readonly=True,
        help="Taken as a make-up for turns missed while away or busy.",
    )
    skipped_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="customer_reception_visit_skipped_rel",
        column1="visit_id",
        column2="user_id",
        string="Passed Over",
        readonly=True,
        help="Members away or busy when this turn reached them: each is owed a "
        "make-up turn.",
    )
    previous_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Served Before By",
        readonly=True,
        help="The colleague who served the visitor on an earlier visit.",
    )
    asked_for_user_id = fields.Many2one(
        comodel_name="res.users", string="Asked For", readonly=True
    )
    outcome = fields.Selection(
        selection=[("none", "No Deal Yet"), ("deal_today", "Deal the Same Day")],
        required=True,
        default="none",
        readonly=True,
        tracking=True,
    )
    deal_date = fields.Date(readonly=True)
    received_by_share = fields.Float(
        string="Receiver's Bonus Share (%)",
        compute="_compute_bonus_shares",
        store=True,
        help="A returning visitor handed to the colleague who served them before: "
        "if the sale closes the same day, the bonus is split 50/50 between the "
        "receiver and that colleague; otherwise the reception was a favour.",
    )
    user_share = fields.Float(
        string="Bonus Share (%)", compute="_compute_bonus_shares", store=True
    )
    override_reason = fields.Text(
        readonly=True, help="Why the visitor was re-assigned by hand."
    )
    violation_ids = fields.One2many(
        comodel_name="customer.reception.violation",
        inverse_name="visit_id",
        string="Violations",
    )
    note = fields.Text()

    # ------------------------------------------------------------------ computes

    @api.depends("desk_id")
    def _compute_company_id(self):
        for visit in self:
            visit.company_id = visit.desk_id.company_id or self.env.company

    @api.depends("visit_date", "desk_id")
    def _compute_visit_day(self):
        for visit in self:
            visit.visit_day = visit.visit_date and visit.desk_id._reception_local_day(
                visit.visit_date, visit.desk_id._reception_tz()
            )

    @api.depends("mobile")
    def _compute_mobile_key(self):
        for visit in self:
            visit.mobile_key = (
                normalize_phone(visit.mobile) or visit.mobile or ""
            ).strip()

    @api.depends("partner_id")
    def _compute_customer_registered(self):
        for visit in self:
            visit.customer_registered = (
                visit.partner_id.sudo().commercial_partner_id.registration_state
                == "registered"
            )

    @api.depends("outcome", "visit_kind", "received_by_id", "user_id")
    def _compute_bonus_shares(self):
        for visit in self:
            if visit.outcome != "deal_today":
                visit.received_by_share = visit.user_share = 0.0
            elif (
                visit.visit_kind == "returning"
                and visit.received_by_id != visit.user_id
            ):
                visit.received_by_share = visit.user_share = 50.0
            else:
                visit.received_by_share = 0.0
                visit.user_share = 100.0

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("customer_reception_rules"):
            raise UserError(
                self.env._(
                    "Record walk-in visitors with the New Walk-in button of the "
                    "reception screen: the rotation decides who takes them."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if ASSIGNMENT_FIELDS & set(vals) and not self.env.context.get(
            "customer_reception_rules"
        ):
            raise UserError(
                self.env._(
                    "Who takes a visitor, whether it was a turn and the same-day "
                    "deal are recorded by the reception's rules: re-assign with a "
                    "reason, or use Deal Today."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_deal_today(self):
        """The sale closed on the day of the visit: the bonus shares follow."""
        for visit in self:
            visit.desk_id._reception_check_member()
            if visit.outcome == "deal_today":
                continue
            today = visit.desk_id._reception_today()
            if visit.visit_day != today:
                raise UserError(
                    self.env._(
                        "%(visitor)s visited on %(day)s: only a sale closed the same "
                        "day is a same-day deal.",
                        visitor=visit.visitor_name,
                        day=visit.visit_day,
                    )
                )
            visit.with_context(customer_reception_rules=True).write(
                {"outcome": "deal_today", "deal_date": today}
            )
        return True

    def action_open_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Re-assign Visitor"),
            "res_model": "customer.reception.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_visit_id": self.id},
        }

    def action_create_customer(self):
        """Open a new customer from the visitor, owned by whoever serves them."""
        self.ensure_one()
        if self.partner_id:
            raise UserError(self.env._("The visitor is already linked to a customer."))
        partner = self.env["res.partner"].create(
            {
                "name": self.visitor_company or self.visitor_name,
                "is_company": True,
                "phone": self.mobile,
                "user_id": self.user_id.id,
                "team_id": (self.user_id.sale_team_id or self.team_id).id,
                "company_id": self.company_id.id,
            }
        )
        if self.visitor_company:
            self.env["res.partner"].create(
                {
                    "name": self.visitor_name,
                    "parent_id": partner.id,
                    "mobile": self.mobile,
                    "type": "contact",
                }
            )
        self.partner_id = partner
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_register_customer(self):
        """Register (备案) the linked customer with the archive's usual checks."""
        for visit in self:
            customer = visit.partner_id.commercial_partner_id
            if not customer:
                raise UserError(
                    self.env._(
                        "Link the visitor to a customer (or create one) before "
                        "registering it."
                    )
                )
            customer.action_register()
        return True

    # ------------------------------------------------------------------ business

    def _reception_override(self, user, reason):
        """Hand the visitor to ``user`` by hand, for ``reason``.

        Recorded as a possible grab (抢客) for the manager to decide; a member who
        lost a regular turn that way is owed a make-up turn.
        """
        self.ensure_one()
        self.desk_id._reception_check_member()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the visitor is re-assigned."))
        if user == self.user_id:
            raise UserError(
                self.env._(
                    "%(user)s already serves this visitor.", user=user.display_name
                )
            )
        if user.share or not user.active:
            raise UserError(
                self.env._(
                    "%(user)s is not a salesperson of the company.",
                    user=user.display_name,
                )
            )
        previous = self.user_id
        visit = self.sudo().with_context(customer_reception_rules=True)
        if self.counts_as_turn and self.visit_day == self.desk_id._reception_today():
            lost = visit.desk_id.turn_ids.filtered(lambda t: t.user_id == previous)
            if lost:
                lost.makeup_owed += 1
        visit.write({"user_id": user.id, "override_reason": reason})
        visit.message_post(
            body=self.env._(
                "Re-assigned by %(by)s from %(old)s to %(new)s: %(reason)s",
                by=self.env.user.display_name,
                old=previous.display_name,
                new=user.display_name,
                reason=reason,
            )
        )
        return (
            self.env["customer.reception.violation"]
            .sudo()
            .create(
                {
                    "desk_id": self.desk_id.id,
                    "visit_id": self.id,
                    "user_id": user.id,
                    "kind": "grab",
                    "origin": "override",
                    "description": self.env._(
                        "Manual re-assignment from %(old)s: %(reason)s",
                        old=previous.display_name,
                        reason=reason,
                    ),
                }
            )
        )

    def _customer_policy_reception_credits(self):
        """Who is credited for the visit's same-day sale, as ``[(user, share %)]``.

        The hook for commission (customer_policy_commission): a bridge turns these
        shares into the agreement's credit split.
        """
        self.ensure_one()
        credits = []
        if self.received_by_share:
            credits.append((self.received_by_id, self.received_by_share))
        if self.user_share:
            credits.append((self.user_id, self.user_share))
        return credits
