from odoo import api, models

from ..tools.xlsx import Column

# (field, kind, total) of the scorecards sheet after the period and the person.
_COLUMNS = (
    ("new_customers", "int", "sum"),
    ("target_new_customers", "int", "sum"),
    ("growth_rate", "percent", "average"),
    ("visit_compliance", "percent", "average"),
    ("resolution_rate", "percent", "average"),
    ("avg_first_response_hours", "float", "average"),
    ("satisfaction_avg", "float", "average"),
    ("churn_rate", "percent", "average"),
    ("repeat_purchase_rate", "percent", "average"),
    ("contract_amount", "money", "sum"),
    ("target_contract_amount", "money", "sum"),
    (
        "achievement_rate",
        "percent",
        ("ratio", "contract_amount", "target_contract_amount", 100.0),
    ),
    ("payment_amount", "money", "sum"),
    ("development_score", "float", "average"),
    ("service_score", "float", "average"),
    ("relationship_score", "float", "average"),
    ("sales_score", "float", "average"),
    ("total_score", "float", "average"),
    ("adjustment", "float", "average"),
    ("final_score", "float", "average"),
    ("rank", "int", "none"),
)


class CustomerKpiScorecard(models.Model):
    """The scorecards as an Excel workbook."""

    _inherit = "customer.kpi.scorecard"

    def action_export_xlsx(self):
        Export = self.env["customer.policy.xlsx.export"]
        return Export._customer_policy_export(
            self._name, "scorecard", Export._customer_policy_button_domain(self)
        )

    @api.model
    def _customer_policy_xlsx(self, book, domain):
        env = self.env

        def label(name):
            return self._fields[name]._description_string(env)

        states = dict(self._fields["state"]._description_selection(env))
        types = dict(self._fields["period_type"]._description_selection(env))
        awards = ("award_development", "award_service", "award_relationship")
        columns = [
            Column("period", label("period_start"), "date", 11),
            Column("type", label("period_type"), "text", 10),
            Column("user", label("user_id"), "text", 18),
            Column("team", label("team_id"), "text", 18),
            Column("state", label("state"), "text", 11),
            *(
                Column(name, label(name), kind, 13, total)
                for name, kind, total in _COLUMNS
            ),
            Column("awards", env._("Awards Proposed"), "text", 30),
            Column("comment", label("manager_comment"), "text", 40),
        ]
        fnames = [
            "period_start",
            "period_type",
            "user_id",
            "team_id",
            "state",
            "manager_comment",
            *(name for name, _kind, _total in _COLUMNS),
            *awards,
        ]
        Export = env["customer.policy.xlsx.export"]

        def rows():
            for card in Export._customer_policy_records(self, domain, fnames):
                yield [
                    card.period_start,
                    types.get(card.period_type, ""),
                    card.user_id.name or "",
                    card.team_id.name or "",
                    states.get(card.state, ""),
                    *(card[name] for name, _kind, _total in _COLUMNS),
                    ", ".join(label(name) for name in awards if card[name]),
                    card.manager_comment or "",
                ]

        book.add_table(env._("Scorecards"), columns, rows(), total_label=env._("Total"))
        return env._("Scorecards")
