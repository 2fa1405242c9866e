from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.trust import TRANSFER, trusted

DECISION_FIELDS = ("state", "decision_user_id", "decision_date", "decision_note")


class CustomerOwnershipClaim(models.Model):
    """A department asks for a customer another department registered first.

    The policy keeps the customer with whoever registered it first (谁开发,谁管理);
    a conflict is settled by a Director, visibly: the decision is logged on the
    chatter of both customers.
    """

    _name = "customer.ownership.claim"
    _description = "Customer Ownership Claim"
    _inherit = ("customer.policy.customer.mixin", "mail.thread", "mail.activity.mixin")
    _order = "state desc, create_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        string="Claimed Customer",
        ondelete="cascade",
        domain=[("is_company", "=", True), ("registration_state", "=", "registered")],
        help="The registered customer whose ownership is claimed.",
    )
    # Read with superuser rights (related fields are): the claimant may not see
    # the customer, but may know its name, owner and department.
    customer_name = fields.Char(related="partner_id.name", string="Customer")
    current_user_id = fields.Many2one(
        related="partner_id.user_id", string="Current Owner"
    )
    current_team_id = fields.Many2one(
        related="partner_id.team_id", string="Current Department"
    )
    draft_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Claimant's Record",
        index="btree_not_null",
        ondelete="set null",
        help="The draft customer the claimant could not register because of the "
        "duplicate.",
    )
    # The claim is the claimant's: who files it and for which department.
    user_id = fields.Many2one(
        string="Requested By",
        compute=None,
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
        help=None,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Requesting Department",
        related=None,
        required=True,
        default=lambda self: self.env.user.sale_team_id,
        check_company=True,
        tracking=True,
        index=False,
    )
    evidence = fields.Text(
        required=True,
        help="Why the customer should belong to the requesting department: first "
        "contact, visits, quotations...",
    )
    state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("granted", "Granted"),
            ("refused", "Refused"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    decision_user_id = fields.Many2one(
        comodel_name="res.users", string="Decided By", readonly=True, copy=False
    )
    decision_date = fields.Datetime(readonly=True, copy=False)
    decision_note = fields.Text(copy=False, tracking=True)

    @api.depends("customer_name", "team_id")
    def _compute_display_name(self):
        for claim in self:
            claim.display_name = self.env._(
                "%(customer)s claimed by %(team)s",
                customer=claim.customer_name or "",
                team=claim.team_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_director():
            for vals in vals_list:
                if any(
                    vals.get(name) and (name != "state" or vals[name] != "pending")
                    for name in DECISION_FIELDS
                ):
                    self._check_director()
                if vals.get("user_id", self.env.uid) != self.env.uid:
                    raise AccessError(
                        self.env._("You can only file ownership claims yourself.")
                    )
        claims = super().create(vals_list)
        for claim in claims.sudo():
            if claim.partner_id.registration_state != "registered":
                raise UserError(
                    self.env._(
                        "%(customer)s is not registered: register it instead of "
                        "claiming it.",
                        customer=claim.partner_id.name,
                    )
                )
            if claim.partner_id.team_id and claim.partner_id.team_id == claim.team_id:
                raise UserError(
                    self.env._(
                        "%(customer)s already belongs to %(team)s.",
                        customer=claim.partner_id.name,
                        team=claim.team_id.name,
                    )
                )
        return claims

    def write(self, vals):
        if set(vals) & set(DECISION_FIELDS):
            self._check_director()
        elif not self._is_director() and any(
            claim.state != "pending" for claim in self
        ):
            raise UserError(self.env._("A decided claim cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_pending(self):
        if any(claim.state != "pending" for claim in self):
            raise UserError(self.env._("A decided claim cannot be deleted."))

    def action_grant(self):
        """Transfer the customer to the requesting user and department."""
        self._decide("granted")
        for claim in self:
            partner = claim.partner_id.sudo()
            previous = self.env._(
                "%(owner)s (%(team)s)",
                owner=partner.user_id.name or self.env._("none"),
                team=partner.team_id.name or self.env._("none"),
            )
            trusted(partner, TRANSFER).write(
                {
                    "user_id": claim.user_id.id,
                    "team_id": claim.team_id.id,
                    "customer_developer_id": claim.user_id.id,
                }
            )
            if claim.draft_partner_id:
                # The contacts the claimant logged with the prospect follow the
                # customer.
                self.env["customer.visit"].sudo().search(
                    [("commercial_partner_id", "=", claim.draft_partner_id.id)]
                ).write({"partner_id": partner.id})
            claim._log_decision(
                self.env._(
                    "Ownership claim granted by %(director)s: the customer moves "
                    "from %(previous)s to %(owner)s (%(team)s).",
                    director=self.env.user.name,
                    previous=previous,
                    owner=claim.user_id.name,
                    team=claim.team_id.name,
                )
            )
        return True

    def action_refuse(self, reason=None):
        """Keep the customer with the department that registered it first; the
        claimant is told why (``reason``, or the decision note already written).
        """
        self._check_director()
        if reason:
            self.write({"decision_note": reason})
        for claim in self:
            if not (claim.decision_note or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason why the claim on %(customer)s is refused: "
                        "the claimant reads it.",
                        customer=claim.customer_name,
                    )
                )
        self._decide("refused")
        for claim in self:
            claim._log_decision(
                self.env._(
                    "Ownership claim of %(owner)s (%(team)s) refused by "
                    "%(director)s: the customer stays with %(current)s.",
                    owner=claim.user_id.name,
                    team=claim.team_id.name,
                    director=self.env.user.name,
                    current=claim.current_team_id.name or self.env._("none"),
                )
            )
        return True

    def action_open_refuse_wizard(self):
        """Refuse with a reason, asked in a dialog."""
        self._check_director()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_ownership_claim_refuse_wizard"
        )
        action["context"] = {"default_claim_ids": self.ids}
        return action

    def _is_director(self):
        return self.env.su or self.env.user.has_group("customer_policy.group_director")

    def _check_director(self):
        if not self._is_director():
            raise AccessError(
                self.env._("Only a Director decides on ownership claims.")
            )

    def _decide(self, state):
        self._check_director()
        if any(claim.state != "pending" for claim in self):
            raise UserError(self.env._("Only pending claims can be decided."))
        self.write(
            {
                "state": state,
                "decision_user_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )

    def _log_decision(self, message):
        self.ensure_one()
        if self.decision_note:
            message = f"{message}\n{self.decision_note}"
        self.message_post(body=message)
        # Both customers' chatters show the decision: the policy wants conflicts
        # settled visibly.
        for partner in (self.partner_id | self.draft_partner_id).sudo():
            partner.message_post(body=message)
