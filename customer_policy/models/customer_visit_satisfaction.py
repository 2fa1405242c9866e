from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class CustomerVisit(models.Model):
    """The customer's satisfaction with a visit (拜访满意度), on the complaints'
    scale, and the complaint that negative feedback opens."""

    _inherit = "customer.visit"

    satisfaction = fields.Selection(
        selection=lambda self: (
            self.env["customer.complaint"]
            ._fields["satisfaction"]
            ._description_selection(self.env)
        ),
        copy=False,
        tracking=True,
        help="How satisfied the customer said it is, recorded with the visit.",
    )
    complaint_ids = fields.One2many(
        comodel_name="customer.complaint",
        inverse_name="visit_id",
        string="Complaints",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        counts = dict(
            self.env["customer.complaint"]._read_group(
                [("visit_id", "in", self.ids)], ["visit_id"], ["__count"]
            )
        )
        for visit in self:
            visit.complaint_count = counts.get(visit, 0)

    def action_open_complaint(self):
        """Record the negative feedback of a done visit as a complaint, linked to
        the visit, and open it."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._("Record the visit as done before opening a complaint.")
            )
        if self.complaint_ids:
            return self.action_view_complaints()
        complaint = self.env["customer.complaint"].create(
            {
                "partner_id": self.commercial_partner_id.id,
                "contact_id": self.contact_ids[:1].id,
                "visit_id": self.id,
                "request_type": "complaint",
                "channel": "visit",
                "received_at": self.done_date or fields.Datetime.now(),
                "description": plaintext2html(self.customer_feedback or ""),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_complaint"
        )
        action["domain"] = [("visit_id", "=", self.id)]
        action["context"] = {"default_visit_id": self.id}
        return action
