import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_LOOKUP_LIMIT = 10


class CustomerAccessLookup(models.TransientModel):
    """Find any customer by name, phone or USCC and ask to consult its archive.

    The lookup answers with the customer's name, owner and department only; where
    the user may already open the customer it offers "Open", otherwise "Request
    access". Record rules stay untouched: nothing else of the customer is read.
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
        comodel_name="customer.access.lookup.line",
        inverse_name="lookup_id",
        string="Customers found",
    )
    searched = fields.Boolean(readonly=True)

    @api.model
    def _customer_policy_access_lookup(self, query):
        """Managed customers matching ``query``, as superuser, at most ten.

        Callers must show nothing but name, owner and department of the result.
        """
        query = (query or "").strip()
        digits = re.sub(r"\D", "", query)
        if len(query) < 2:
            raise UserError(
                self.env._("Type at least two characters of the customer's name.")
            )
        conditions = [SQL("p.name ILIKE %s", f"%{query}%")]
        if len(query) >= 15:
            conditions.append(SQL("upper(p.vat) = %s", query.upper()))
        if len(digits) >= 6:
            for column in ("phone", "mobile"):
                conditions.append(
                    SQL(
                        "regexp_replace(coalesce(p.%s, ''), '[^0-9]', '', 'g') LIKE %s",
                        SQL.identifier(column),
                        f"%{digits}%",
                    )
                )
        self.env["res.partner"].flush_model(
            ["name", "vat", "phone", "mobile", "customer_policy_managed", "company_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE p.active AND p.customer_policy_managed
                   AND p.id = p.commercial_partner_id
                   AND (p.company_id IS NULL OR p.company_id IN %s)
                   AND (%s)
                 ORDER BY p.name, p.id
                 LIMIT %s
                """,
                tuple(self.env.companies.ids),
                SQL(" OR ").join(conditions),
                _LOOKUP_LIMIT,
            )
        )
        return self.env["res.partner"].sudo().browse(row[0] for row in rows)

    def action_search(self):
        self.ensure_one()
        customers = self._customer_policy_access_lookup(self.query)
        readable = customers.with_user(self.env.user)._filtered_access("read")
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
        requested = {r.partner_id.id: r for r in requests}
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "partner_id": customer.id,
                    "owner_id": customer.user_id.id,
                    "team_id": customer.team_id.id,
                    "can_open": customer.id in readable.ids,
                    "request_id": requested.get(customer.id, False)
                    and requested[customer.id].id,
                }
            )
            for customer in customers
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


class CustomerAccessLookupLine(models.TransientModel):
    _name = "customer.access.lookup.line"
    _description = "Customer Found"

    lookup_id = fields.Many2one(
        comodel_name="customer.access.lookup", required=True, ondelete="cascade"
    )
    # Many2one names are read as superuser: the line shows the customer's name even
    # to a user who may not open it; opening it is what the record rules guard.
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    owner_id = fields.Many2one(comodel_name="res.users", readonly=True)
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Department", readonly=True
    )
    can_open = fields.Boolean(readonly=True)
    request_id = fields.Many2one(
        comodel_name="customer.access.request", string="My Request", readonly=True
    )
    request_state = fields.Selection(related="request_id.state", string="Request")

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
