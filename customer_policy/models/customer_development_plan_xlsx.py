from odoo import api, models

from ..tools.xlsx import Column
from .customer_development_plan import TARGETS


class CustomerDevelopmentPlan(models.Model):
    """The development plans as an Excel workbook: the plans with their year,
    then their quarters and their months, targets against actuals."""

    _inherit = "customer.development.plan"

    def action_export_xlsx(self):
        Export = self.env["customer.policy.xlsx.export"]
        return Export._customer_policy_export(
            self._name, "plan", Export._customer_policy_button_domain(self)
        )

    @api.model
    def _customer_policy_target_columns(self, model):
        """Target, actual and achievement columns of each target of ``model``."""
        env = self.env
        columns = []
        for name, _measure in TARGETS:
            actual = name.replace("target_", "actual_")
            kind = "money" if "amount" in name else "int"
            columns += [
                Column(name, model._fields[name]._description_string(env), kind, 13),
                Column(
                    actual, model._fields[actual]._description_string(env), kind, 13
                ),
                Column(
                    f"rate_{name}",
                    env._(
                        "%(target)s (%%)",
                        target=model._fields[name]._description_string(env),
                    ),
                    "percent",
                    11,
                    ("ratio", actual, name, 100.0),
                ),
            ]
        return columns

    @api.model
    def _customer_policy_target_values(self, record):
        values = []
        for name, _measure in TARGETS:
            actual = name.replace("target_", "actual_")
            target = record[name]
            values += [
                target,
                record[actual],
                100.0 * record[actual] / target if target else 0.0,
            ]
        return values

    @api.model
    def _customer_policy_xlsx(self, book, domain):
        # The actuals of every batch of plans and lines from one computation of
        # the KPI report.
        with self.env["customer.kpi.report"]._customer_policy_snapshot() as report:
            return self.with_env(report.env)._customer_policy_xlsx_sheets(book, domain)

    @api.model
    def _customer_policy_xlsx_sheets(self, book, domain):
        env = self.env
        Line = env["customer.development.plan.line"]
        Export = env["customer.policy.xlsx.export"]
        states = dict(self._fields["state"]._description_selection(env))

        def label(model, name):
            return model._fields[name]._description_string(env)

        plan_columns = [
            Column("name", env._("Plan"), "text", 24),
            Column("year", label(self, "year"), "int", 7, "none"),
            Column("user", label(self, "user_id"), "text", 16),
            Column("team", label(self, "department_id"), "text", 16),
            Column("state", label(self, "state"), "text", 11),
            *self._customer_policy_target_columns(self),
        ]
        plan_fields = ["name", "year", "user_id", "department_id", "state"]
        plan_fields += [name for name, _measure in TARGETS]

        def plan_rows():
            for plan in Export._customer_policy_records(self, domain, plan_fields):
                yield [
                    plan.name,
                    plan.year,
                    plan.user_id.name or "",
                    plan.department_id.name or "",
                    states.get(plan.state, ""),
                    *self._customer_policy_target_values(plan),
                ]

        book.add_table(
            env._("Plans"), plan_columns, plan_rows(), total_label=env._("Total")
        )
        line_columns = [
            Column("plan", env._("Plan"), "text", 24),
            Column("period", label(Line, "period_start"), "date", 11),
            Column("period_end", label(Line, "period_end"), "date", 11),
            *self._customer_policy_target_columns(Line),
        ]
        line_fields = ["plan_id", "period_start", "period_end", "period_type"]
        line_fields += [name for name, _measure in TARGETS]
        # The plans the user may read, then their lines.
        plan_domain = [("plan_id", "any", domain)] if domain else []
        for period_type, title in (
            ("quarter", env._("Quarters")),
            ("month", env._("Months")),
        ):

            def line_rows(period_type=period_type):
                for line in Export._customer_policy_records(
                    Line,
                    [*plan_domain, ("period_type", "=", period_type)],
                    line_fields,
                ):
                    yield [
                        line.plan_id.name,
                        line.period_start,
                        line.period_end,
                        *self._customer_policy_target_values(line),
                    ]

            book.add_table(title, line_columns, line_rows(), total_label=env._("Total"))
        return env._("Development Plans")
