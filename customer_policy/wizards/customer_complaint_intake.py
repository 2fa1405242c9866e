from odoo import fields, models
from odoo.exceptions import UserError


class CustomerComplaintIntake(models.TransientModel):
    """Record a customer's call for any customer (首问负责制).

    Whoever receives the call records it, even for a customer of another
    department: the guarded lookup ``res.partner._customer_policy_lookup`` tells
    the customer's name, owner and department only (``customer.lookup.line``),
    and recording the ticket opens nothing else of the customer.
    """

    _name = "customer.complaint.intake"
    _description = "Record a Complaint or Request"

    name = fields.Char(string="Customer Name")
    phone = fields.Char()
    email = fields.Char(string="E-mail")
    vat = fields.Char(string="USCC")
    line_ids = fields.One2many(
        "customer.lookup.line", "intake_id", string="Customers Found"
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
        string="Received On", required=True, default=fields.Datetime.now
    )
    subject = fields.Char(help="What the request is about, in a few words.")
    description = fields.Html()

    def action_search(self):
        self.ensure_one()
        matches = self.env["res.partner"]._customer_policy_lookup(
            name=self.name, phone=self.phone, email=self.email, vat=self.vat
        )
        Line = self.env["customer.lookup.line"]
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(Line._customer_policy_line_vals(match))
            for match in matches
        ]
        self.searched = True
        return self._action_reopen()

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Complaint or Request"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

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
                "subject": self.subject,
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
