from odoo import models
from odoo.exceptions import UserError


class CustomerComplaint(models.Model):
    """The fault analysis report (故障分析报告) sent to the customer."""

    _inherit = "customer.complaint"  # pylint: disable=consider-merging-classes-inherited

    def action_send_fault_analysis(self):
        """Open the e-mail to the customer with the fault analysis attached."""
        self.ensure_one()
        self._customer_policy_check_fault_analysis()
        template = self.env.ref(
            "customer_policy.mail_template_customer_complaint_fault"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the Fault Analysis"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def _customer_policy_check_fault_analysis(self):
        """A fault analysis goes out complete: root cause, solution, corrective and
        preventive action."""
        for ticket in self:
            if ticket.request_type != "fault":
                raise UserError(
                    self.env._(
                        "%(ticket)s is not a fault report: there is no fault "
                        "analysis to send.",
                        ticket=ticket.name,
                    )
                )
            missing = [
                ticket._fields[name].get_description(self.env)["string"]
                for name in (
                    "root_cause",
                    "solution",
                    "corrective_action",
                    "preventive_action",
                )
                if not ticket[name]
                and not (name == "root_cause" and ticket.root_cause_category_id)
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(ticket)s: fill in %(fields)s before sending the fault "
                        "analysis to the customer.",
                        ticket=ticket.name,
                        fields=", ".join(missing),
                    )
                )
