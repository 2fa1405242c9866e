from odoo import api, models

# The window each role starts its day on, the first group of the user that has one
# wins: the managers' (and Directors') visit plan of their teams, the salespeople's
# own, the service desk's tickets, the agreements Legal reviews, the installments
# Finance collects.
LANDINGS = (
    (
        "customer_policy.group_manager",
        "customer_policy.action_customer_visit_team_plan",
    ),
    ("customer_policy.group_user", "customer_policy.action_customer_visit_my_plan"),
    ("customer_policy.group_service", "customer_policy.action_customer_complaint"),
    ("customer_policy.group_legal", "customer_policy.action_customer_agreement_review"),
    (
        "customer_policy.group_finance",
        "customer_policy.action_customer_agreement_installment",
    ),
)
# Every employee records the complaints they receive (首问负责制).
DEFAULT_LANDING = "customer_policy.action_customer_complaint"
LANDING_ACTION = "customer_policy.action_customer_policy_landing"
# The groups whose members work in the app every day.
POLICY_GROUPS = tuple(group for group, _action in LANDINGS)


class ResUsers(models.Model):
    """Where the app opens: on each role's daily list, and at login for the
    policy's staff."""

    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._customer_policy_set_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "groups_id" in vals or any(
            name.startswith(("in_group_", "sel_groups_")) for name in vals
        ):
            self._customer_policy_set_home_action()
        return result

    @api.model
    def _customer_policy_landing_action(self):
        """The window the app opens on, by what the user does every morning."""
        xmlid = next(
            (action for group, action in LANDINGS if self.env.user.has_group(group)),
            DEFAULT_LANDING,
        )
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def _customer_policy_set_home_action(self):
        """Staff given a group of the policy start on the app when they log in,
        unless they chose another home action."""
        landing = self.env.ref(LANDING_ACTION, raise_if_not_found=False)
        if not landing:
            return
        users = self.sudo().filtered(
            lambda user: (
                not user.action_id
                and not user.share
                and any(user.has_group(group) for group in POLICY_GROUPS)
            )
        )
        if users:
            users.write({"action_id": landing.id})
