from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Decided by the department manager through the actions, never by a plain write.
DECISION_FIELDS = {"state", "decided_by_id", "decided_at"}


class CustomerReceptionViolation(models.Model):
    """A breach of the reception rules (抢客、争客、怠慢) and the manager's decision."""

    _name = "customer.reception.violation"
    _description = "Reception Violation"
    _inherit = ("mail.thread",)
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", compute="_compute_name", store=True)
    desk_id = fields.Many2one(
        comodel_name="customer.reception.desk",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="desk_id.company_id", store=True, index=True, precompute=True
    )
    team_id = fields.Many2one(
        related="desk_id.team_id", string="Department", store=True, index=True
    )
    visit_id = fields.Many2one(
        comodel_name="customer.reception.visit",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('desk_id', '=', desk_id)]",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    kind = fields.Selection(
        selection=[
            ("grab", "Grabbing a Customer (抢客)"),
            ("contest", "Contesting a Customer (争客)"),
            ("neglect", "Neglecting a Customer (怠慢)"),
        ],
        required=True,
        tracking=True,
    )
    origin = fields.Selection(
        selection=[("override", "Manual Re-assignment"), ("report", "Reported")],
        required=True,
        default="report",
        readonly=True,
        help="A manual re-assignment is only a possible violation until the manager "
        "decides.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    description = fields.Text(required=True)
    state = fields.Selection(
        selection=[
            ("open", "To Decide"),
            ("confirmed", "Confirmed"),
            ("dismissed", "Dismissed"),
        ],
        required=True,
        default="open",
        readonly=True,
        tracking=True,
        index=True,
    )
    penalty_note = fields.Text(
        tracking=True, help="The penalty the manager decided, under the policy."
    )
    decided_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    decided_at = fields.Datetime(readonly=True)

    @api.depends("user_id", "kind", "date")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for violation in self:
            violation.name = " ".join(
                part
                for part in (
                    violation.user_id.name or "",
                    kinds.get(violation.kind, ""),
                    fields.Date.to_string(violation.date) if violation.date else "",
                )
                if part
            )

    @api.constrains("state", "penalty_note")
    def _check_penalty_note(self):
        for violation in self:
            if (
                violation.state == "confirmed"
                and not (violation.penalty_note or "").strip()
            ):
                raise ValidationError(
                    self.env._("Write down the penalty when confirming a violation.")
                )

    def write(self, vals):
        if DECISION_FIELDS & set(vals) and not self.env.context.get(
            "customer_reception_decision"
        ):
            raise UserError(
                self.env._("Decide a violation with the Confirm or Dismiss buttons.")
            )
        return super().write(vals)

    def _reception_check_decider(self):
        for violation in self:
            if not violation.desk_id._reception_can_manage():
                raise UserError(
                    self.env._(
                        "Only the manager of %(team)s or a Director decides this "
                        "violation.",
                        team=violation.team_id.display_name,
                    )
                )
            if violation.state != "open":
                raise UserError(
                    self.env._("%(name)s is already decided.", name=violation.name)
                )

    def _reception_decide(self, state):
        self._reception_check_decider()
        self.with_context(customer_reception_decision=True).write(
            {
                "state": state,
                "decided_by_id": self.env.uid,
                "decided_at": fields.Datetime.now(),
            }
        )
        return True

    def action_confirm(self):
        """The manager confirms the violation; the penalty note is required."""
        self._reception_check_decider()
        if any(not (violation.penalty_note or "").strip() for violation in self):
            raise ValidationError(
                self.env._("Write down the penalty when confirming a violation.")
            )
        return self._reception_decide("confirmed")

    def action_dismiss(self):
        return self._reception_decide("dismissed")

    def action_reopen(self):
        """A Director takes a decision back for review."""
        if not self.env.user.has_group("customer_policy.group_director"):
            raise UserError(self.env._("Only a Director re-opens a decided violation."))
        self.with_context(customer_reception_decision=True).write(
            {"state": "open", "decided_by_id": False, "decided_at": False}
        )
        return True
