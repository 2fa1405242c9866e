from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.xlsx import Column
from .customer_kpi_report import RATES

# The columns of the KPI sheet after month, department and salesperson, in order.
_KPI_COLUMNS = (
    ("new_customers", "int"),
    ("registrations_on_time", "int"),
    ("registrations_late", "int"),
    ("registration_reminders", "int"),
    ("visits_done", "int"),
    ("visits_required", "int"),
    ("visits_compliant", "int"),
    ("visit_compliance", "percent"),
    ("complaints_received", "int"),
    ("complaints_resolved", "int"),
    ("resolution_rate", "percent"),
    ("complaints_on_time", "int"),
    ("response_on_time_rate", "percent"),
    ("complaints_responded", "int"),
    ("first_response_hours", "float"),
    ("avg_first_response_hours", "float"),
    ("complaints_rated", "int"),
    ("satisfaction_total", "int"),
    ("satisfaction_avg", "float"),
    ("customers_lost", "int"),
    ("repeat_purchase_customers", "int"),
    ("contract_amount", "money"),
    ("target_contract_amount", "money"),
    ("achievement_rate", "percent"),
    ("payment_amount", "money"),
    ("target_payment_amount", "money"),
    ("overdue_amount", "money"),
    ("target_new_customers", "int"),
    ("target_visits", "int"),
)
# The monthly trend: what a manager follows from month to month.
_TREND_COLUMNS = (
    ("new_customers", "int"),
    ("customers_lost", "int"),
    ("contract_amount", "money"),
    ("payment_amount", "money"),
    ("visits_required", "int"),
    ("visits_compliant", "int"),
    ("visit_compliance", "percent"),
    ("complaints_received", "int"),
    ("complaints_resolved", "int"),
    ("resolution_rate", "percent"),
)


class CustomerKpiReport(models.Model):
    """The KPI report as an Excel workbook: the rows, and the monthly trend with
    its charts."""

    _inherit = "customer.kpi.report"

    # === ACTION METHODS === #

    def action_export_xlsx(self):
        Export = self.env["customer.policy.xlsx.export"]
        return Export._customer_policy_export(
            self._name, "kpi", Export._customer_policy_button_domain(self)
        )

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_columns(self, names):
        """Excel columns of the fields ``names`` ((name, kind) pairs), with the
        labels of the user's language; a rate totals as the ratio of its two
        sums, as in the pivot."""
        columns = []
        present = {name for name, _kind in names}
        for name, kind in names:
            total = None
            if name in RATES:
                numerator, denominator, factor = RATES[name]
                total = "none"
                if {numerator, denominator} <= present:
                    total = ("ratio", numerator, denominator, factor)
            columns.append(
                Column(
                    name,
                    self._fields[name]._description_string(self.env),
                    kind,
                    14,
                    total,
                )
            )
        return columns

    @api.model
    def _customer_policy_xlsx(self, book, domain):
        """Write the KPI sheet of ``domain`` and its monthly trend into ``book``
        (a ``StreamingWorkbook``), as the current user; return the file name."""
        # Read in batches and grouped by month: the view computed once.
        with self._customer_policy_snapshot() as report:
            return report._customer_policy_xlsx_sheets(book, domain)

    @api.model
    def _customer_policy_xlsx_sheets(self, book, domain):
        env = self.env
        Export = env["customer.policy.xlsx.export"]
        rows_needed = {name for name, _kind in _KPI_COLUMNS}
        # The rate columns need the sums they are made of.
        for name in list(rows_needed):
            if name in RATES:
                rows_needed.update(RATES[name][:2])
        columns = [
            Column("month", self._fields["month"]._description_string(env), "date", 11),
            Column(
                "team", self._fields["team_id"]._description_string(env), "text", 18
            ),
            Column(
                "user", self._fields["user_id"]._description_string(env), "text", 18
            ),
            *self._customer_policy_columns(_KPI_COLUMNS),
        ]
        fnames = ["month", "team_id", "user_id", *sorted(rows_needed)]

        def rows():
            for row in Export._customer_policy_records(self, domain, fnames):
                yield [
                    row.month,
                    row.team_id.name or "",
                    row.user_id.name or "",
                    *(row[name] for name, _kind in _KPI_COLUMNS),
                ]

        book.add_table(env._("KPI"), columns, rows(), total_label=env._("Total"))
        trend = self._customer_policy_trend(domain)
        trend_table = book.add_table(
            env._("Trend"),
            [
                Column(
                    "month", self._fields["month"]._description_string(env), "date", 11
                ),
                *self._customer_policy_columns(_TREND_COLUMNS),
            ],
            trend,
            total_label=env._("Total"),
        )
        book.add_chart(
            trend_table,
            "month",
            ["new_customers", "customers_lost"],
            kind="line",
            title=env._("New and Lost Customers"),
        )
        book.add_chart(
            trend_table,
            "month",
            ["contract_amount", "payment_amount"],
            kind="column",
            title=env._("Contracts and Payments"),
        )
        return env._(
            "KPI Report %(date)s", date=fields.Date.to_string(fields.Date.today())
        )

    @api.model
    def _customer_policy_trend(self, domain):
        """[month, measures of _TREND_COLUMNS] per month of ``domain``, as the
        current user (the report's rules apply)."""
        aggregates = [
            f"{name}:avg" if name in RATES else f"{name}:sum"
            for name, _kind in _TREND_COLUMNS
        ]
        groups = self._read_group(domain, ["month:month"], aggregates)
        return [[month, *(value or 0 for value in values)] for month, *values in groups]

    @api.model
    def _customer_policy_month_domain(self, month, months=1):
        """The rows of ``months`` months from ``month`` (a first day)."""
        return [
            ("month", ">=", month),
            ("month", "<", month + relativedelta(months=months)),
        ]

    @api.model
    def _customer_policy_summary(self, domain):
        """[(label, value)] of the totals of ``domain`` a mail shows, as the
        current user."""
        names = (
            "new_customers",
            "customers_lost",
            "visit_compliance",
            "resolution_rate",
            "contract_amount",
            "payment_amount",
            "overdue_amount",
        )
        values = self._read_group(
            domain,
            [],
            [f"{name}:avg" if name in RATES else f"{name}:sum" for name in names],
        )[0]
        currency = self.env.company.currency_id
        summary = []
        for name, value in zip(names, values, strict=True):
            value = value or 0
            if name in RATES:
                text = f"{value:.1f}%"
            elif "amount" in name:
                text = currency.format(value)
            else:
                text = str(value)
            summary.append((self._fields[name]._description_string(self.env), text))
        return summary
