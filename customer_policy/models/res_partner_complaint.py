from odoo import fields, models


class ResPartner(models.Model):
    """Complaints and service requests (客户投诉与服务) of the customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_complaint_ids = fields.One2many(
        "customer.complaint", "partner_id", string="Complaints and Requests"
    )
    customer_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_customer_policy_counts"
    )

    def _customer_policy_count_fields(self):
        return {
            **super()._customer_policy_count_fields(),
            "customer_complaint_count": "customer.complaint",
        }

    def action_view_customer_complaints(self):
        return self._customer_policy_records_action(
            "customer_policy.action_customer_complaint",
            search_default_filter_unresolved=1,
        )
