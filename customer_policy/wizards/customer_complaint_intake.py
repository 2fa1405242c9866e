from odoo import fields, models
from odoo.exceptions import UserError


class CustomerComplaintIntake(models.TransientModel):
    """Record a customer's call for any customer (首问负责制).

    Whoever receives the call records it, even for a customer of another
    department: the guarded lookup ``res.partner._customer_policy_lookup`` tells
    the customer's name, owner and department only, and recording the ticket
    opens nothing else of the customer.
    """

    _name = "customer.complaint.intake"
    _description = "Record a Complaint or Request"

    name = fields.Char(string="Customer Name")
    phone = fields.Char()
    email = fields.Char(string="E-mail")
    vat = fields.Char(string="USCC")
    line_ids = fields.One2many(
        "customer.complaint.intake.line", "intake_id", string="Customers Found"
    )
    searched = fields.Boolean(readonly=True)
    request_type = fields.Selection(
        selection=lambda self: (
            self.env["customer.complaint"]
            ._fields["request_type"]
            ._description_selection(self.env)
        ),
        string="Type",
        required=True,
        default="complaint",
    )
    channel = fields.Selection(
        selection=lambda self: (
            self.env["customer.complaint"]
            ._fields["channel"]
            ._description_selection(self.env)
        ),
        required=True,
        default="phone",
    )
    severity = fields.Selection(
        selection=lambda self: (
            self.env["customer.complaint"]
            ._fields["severity"]
            ._description_selection(self.env)
        ),
        required=True,
        default="normal",
    )
    received_at = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now
    )
    description = fields.Html()

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Complaint or Request"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_search(self):
        self.ensure_one()
        matches = self.env["res.partner"]._customer_policy_lookup(
            name=self.name, phone=self.phone, email=self.email, vat=self.vat
        )
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "partner_ref": match["id"],
                    "partner_name": match["name"],
                    "owner_name": match["user"],
                    "team_name": match["team"],
                }
            )
            for match in matches
        ]
        self.searched = True
        return self._action_reopen()

    def _customer_policy_record(self, partner_id):
        self.ensure_one()
        if not partner_id:
            raise UserError(self.env._("Pick the customer the request comes from."))
        ticket = self.env["customer.complaint"].create(
            {
                "partner_id": partner_id,
                "request_type": self.request_type,
                "channel": self.channel,
                "severity": self.severity,
                "received_at": self.received_at,
                "description": self.description,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.complaint",
            "res_id": ticket.id,
            "view_mode": "form",
            "target": "current",
        }


class CustomerComplaintIntakeLine(models.TransientModel):
    _name = "customer.complaint.intake.line"
    _description = "Customer Found for a Complaint"

    intake_id = fields.Many2one(
        "customer.complaint.intake", required=True, ondelete="cascade"
    )
    # The customer's id, name, owner and department as the guarded lookup tells
    # them: plain values, so that showing them reads nothing of the customer.
    partner_ref = fields.Integer(required=True)
    partner_name = fields.Char(string="Customer", readonly=True)
    owner_name = fields.Char(string="Owner", readonly=True)
    team_name = fields.Char(string="Department", readonly=True)

    def action_record(self):
        self.ensure_one()
        # The lookup answered this customer: the id comes from it, never from
        # the browser alone.
        matches = self.env["res.partner"]._customer_policy_lookup(
            name=self.intake_id.name,
            phone=self.intake_id.phone,
            email=self.intake_id.email,
            vat=self.intake_id.vat,
        )
        if self.partner_ref not in [match["id"] for match in matches]:
            raise UserError(self.env._("Search the customer again before recording."))
        return self.intake_id._customer_policy_record(self.partner_ref)
