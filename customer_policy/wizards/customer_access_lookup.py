from odoo import api, fields, models

# How many customers Find a Customer shows at most.
_LOOKUP_LIMIT = 10


class CustomerAccessLookup(models.TransientModel):
    """Find any customer by name, phone or USCC and ask to consult its archive.

    The lookup answers what the guarded lookup may tell: the customer's name, owner
    and department; where the user may already open the customer it offers "Open",
    otherwise "Request access". Record rules stay untouched: nothing else of the
    customer is read.
    """

    _name = "customer.access.lookup"
    _description = "Find a Customer"

    query = fields.Char(
        string="Name, phone or USCC",
        help="At least two characters of the name, six digits of a phone number, "
        "or the full unified social credit code.",
    )
    reason = fields.Text(
        help="Why you need to consult the customer's archive: sent to the approver."
    )
    line_ids = fields.One2many(
        comodel_name="customer.lookup.line",
        inverse_name="lookup_id",
        string="Customers found",
    )
    searched = fields.Boolean(readonly=True)

    def action_search(self):
        self.ensure_one()
        matches = self.env["res.partner"]._customer_policy_lookup(
            query=self.query, limit=_LOOKUP_LIMIT
        )
        customers = self.env["res.partner"].browse([match["id"] for match in matches])
        readable = customers._filtered_access("read")
        requests = (
            self.env["customer.access.request"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", customers.ids),
                    ("requester_id", "=", self.env.uid),
                    ("state", "in", ("pending", "approved")),
                ]
            )
        )
        requested = {r.partner_id.id: r.id for r in requests}
        Line = self.env["customer.lookup.line"]
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                dict(
                    Line._customer_policy_line_vals(match),
                    can_open=match["id"] in readable.ids,
                    request_id=requested.get(match["id"], False),
                )
            )
            for match in matches
        ]
        self.searched = True
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Find a Customer"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _customer_policy_access_lookup(self, query):
        """Managed customers matching ``query``, as superuser, at most ten.

        Callers must show nothing but name, owner and department of the result.
        """
        matches = self.env["res.partner"]._customer_policy_lookup(
            query=query, limit=_LOOKUP_LIMIT
        )
        return self.env["res.partner"].sudo().browse(match["id"] for match in matches)
