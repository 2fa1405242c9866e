from odoo import api, fields, models

from odoo.addons.customer_policy.tools.archive import normalize_phone


class CustomerReceptionWalkIn(models.TransientModel):
    """The receiving salesperson's two questions, on a phone."""

    _name = "customer.reception.walk.in"
    _description = "New Walk-in Visitor"

    desk_id = fields.Many2one(
        comodel_name="customer.reception.desk", required=True, ondelete="cascade"
    )
    visitor_name = fields.Char(required=True)
    mobile = fields.Char(required=True)
    came_before = fields.Boolean(
        string="Came before?",
        help="Has the visitor been here before, or been served by one of us?",
    )
    previous_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Served before by",
        domain=[("share", "=", False)],
        help="Leave empty if the visitor does not remember: the register is searched "
        "by the mobile number.",
    )
    asked_for_someone = fields.Boolean(string="Asks for someone?")
    asked_for_user_id = fields.Many2one(
        comodel_name="res.users", string="Asks for", domain=[("share", "=", False)]
    )

    register_hint = fields.Char(
        compute="_compute_register_hint",
        help="The visitor's last visit, found in the register by the mobile number.",
    )

    @api.depends("mobile", "desk_id")
    def _compute_register_hint(self):
        for wizard in self:
            wizard.register_hint = False
            mobile = (wizard.mobile or "").strip()
            if not wizard.desk_id or not mobile:
                continue
            earlier = wizard.desk_id._reception_earlier_visit(
                normalize_phone(mobile) or mobile
            )
            if earlier:
                wizard.register_hint = self.env._(
                    "Came on %(day)s, served by %(user)s: a returning visitor.",
                    day=earlier.visit_day,
                    user=earlier.sudo().user_id.name,
                )

    def action_register(self):
        self.ensure_one()
        visit_id = self.desk_id.register_walk_in(
            self.visitor_name,
            self.mobile,
            came_before=self.came_before,
            previous_user_id=self.came_before and self.previous_user_id.id,
            asked_for_user_id=(
                not self.came_before
                and self.asked_for_someone
                and self.asked_for_user_id.id
            ),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.reception.visit",
            "res_id": visit_id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "customer_policy_reception.view_customer_reception_visit_form"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }
