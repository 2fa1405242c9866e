from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.period import period_start


class CustomerKpiScorecardGenerate(models.TransientModel):
    """Draw up the draft scorecards of a period for the members of the
    departments a manager leads (a Director: any department)."""

    _name = "customer.kpi.scorecard.generate"
    _description = "Generate KPI Scorecards"

    period_type = fields.Selection(
        selection=lambda self: (
            self.env["customer.kpi.scorecard"]
            ._fields["period_type"]
            ._description_selection(self.env)
        ),
        required=True,
        default="month",
    )
    date = fields.Date(
        string="Period Including",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        ),
        help="Any day of the month, quarter or year to score.",
    )
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Departments",
        required=True,
        default=lambda self: self._default_team_ids(),
    )

    @api.model
    def _default_team_ids(self):
        return self.env["crm.team"].search([("user_id", "=", self.env.uid)])

    def action_generate(self):
        self.ensure_one()
        Scorecard = self.env["customer.kpi.scorecard"]
        is_director = self.env.user.has_group("customer_policy.group_director")
        if not is_director and self.team_ids.filtered(
            lambda team: team.user_id != self.env.user
        ):
            raise UserError(
                self.env._("You draw up the scorecards of the departments you lead.")
            )
        start = period_start(self.date, self.period_type)
        company = self.env.company
        # Each member with the department they are scored in: the first of the
        # chosen ones they belong to.
        members = {}
        for team in self.team_ids:
            for user in team.member_ids:
                if user.active and not user.share:
                    members.setdefault(user, team)
        if not is_director:
            # Nobody scores themselves.
            members.pop(self.env.user, None)
        users = self.env["res.users"].union(*members)
        existing = Scorecard.sudo().search(
            [
                ("user_id", "in", users.ids),
                ("period_type", "=", self.period_type),
                ("period_start", "=", start),
                ("company_id", "=", company.id),
            ]
        )
        cards = Scorecard.create(
            [
                {
                    "user_id": user.id,
                    "team_id": team.id,
                    "period_type": self.period_type,
                    "period_start": start,
                    "company_id": company.id,
                }
                for user, team in members.items()
                if user not in existing.user_id
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scorecards"),
            "res_model": "customer.kpi.scorecard",
            "view_mode": "list,form",
            "domain": [("id", "in", (cards | existing).ids)],
        }
