from odoo import fields, models
from odoo.exceptions import UserError


class CustomerLookupLine(models.TransientModel):
    """A customer the guarded lookup answered (``res.partner._customer_policy_lookup``).

    Whoever searched may not read the customer: the line holds what the lookup may
    tell of it (its name, its owner's and its department's names) as plain text,
    so that showing the line reads nothing of the customer. The customer itself is
    kept for the line's actions, which check again what the user may do with it.
    Find a Customer (``lookup_id``) and the complaint intake (``intake_id``) show
    their answers with it.
    """

    _name = "customer.lookup.line"
    _description = "Customer Found"

    lookup_id = fields.Many2one(
        comodel_name="customer.access.lookup", ondelete="cascade", index=True
    )
    intake_id = fields.Many2one(
        comodel_name="customer.complaint.intake", ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer Record", readonly=True
    )
    partner_name = fields.Char(string="Customer", readonly=True)
    owner_name = fields.Char(string="Owner", readonly=True)
    team_name = fields.Char(string="Department", readonly=True)
    # Find a Customer: what the user may do with the customer found.
    can_open = fields.Boolean(readonly=True)
    request_id = fields.Many2one(
        comodel_name="customer.access.request", string="My Request", readonly=True
    )
    request_state = fields.Selection(
        related="request_id.state", string="Access Request"
    )

    def action_open(self):
        self.ensure_one()
        # Rechecked as the user: the line may be older than a revocation.
        partner = self.partner_id.with_user(self.env.user)
        partner.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_request_access(self):
        self.ensure_one()
        reason = (self.lookup_id.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Please write why you need to consult this customer.")
            )
        request = self.env["customer.access.request"].create(
            {"partner_id": self.partner_id.id, "reason": reason}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.access.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_record(self):
        """Record the intake's complaint for this customer."""
        self.ensure_one()
        # The lookup answered this customer: the id comes from it, never from
        # the browser alone.
        intake = self.intake_id
        matches = self.env["res.partner"]._customer_policy_lookup(
            name=intake.name, phone=intake.phone, email=intake.email, vat=intake.vat
        )
        if self.partner_id.id not in [match["id"] for match in matches]:
            raise UserError(self.env._("Search the customer again before recording."))
        return intake._customer_policy_record(self.partner_id.id)

    def _customer_policy_line_vals(self, match):
        """The values of a line showing one answer of the guarded lookup."""
        return {
            "partner_id": match["id"],
            "partner_name": match["name"],
            "owner_name": match["user"],
            "team_name": match["team"],
        }
