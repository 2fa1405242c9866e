import base64
import io
from collections import defaultdict

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.customer_agreement import LEDGER_STATES


class CustomerLedgerReport(models.TransientModel):
    """Reconcile the ledger of a period (对账) and export it to Excel.

    Per customer and currency: opening due + new due − received = closing due.
    Due is what the installments of reviewed agreements ask by their due date;
    received is what posted payments brought by their date.
    """

    _name = "customer.ledger.report"
    _description = "Payment Ledger Reconciliation"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda s: s.env.company
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1)
            + relativedelta(months=1, days=-1)
        ),
    )
    line_ids = fields.One2many(
        comodel_name="customer.ledger.report.line",
        inverse_name="report_id",
        string="Lines",
        readonly=True,
    )
    xlsx_file = fields.Binary(string="Excel File", readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    def _check_period(self):
        for report in self:
            if report.date_to < report.date_from:
                raise UserError(self.env._("The period must end after it starts."))

    @api.model
    def _customer_policy_ledger_figures(self, company, date_from, date_to):
        """{(partner id, currency id): {opening, new_due, received, closing}}.

        Four aggregates computed by PostgreSQL; the closing balance is summed on
        its own (not derived from the other three), so that the reconciliation
        checks the ledger instead of restating it.
        """
        self.env["customer.agreement.installment"].flush_model()
        self.env["customer.payment"].flush_model()
        self.env["customer.agreement"].flush_model(["state"])
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH due AS (
                    SELECT i.partner_id, i.currency_id,
                           SUM(i.amount) FILTER (WHERE i.due_date < %(start)s)
                               AS due_before,
                           SUM(i.amount) FILTER (
                               WHERE i.due_date BETWEEN %(start)s AND %(stop)s)
                               AS due_within,
                           SUM(i.amount) FILTER (WHERE i.due_date <= %(stop)s)
                               AS due_until
                      FROM customer_agreement_installment i
                      JOIN customer_agreement a ON a.id = i.agreement_id
                     WHERE a.state IN %(states)s AND i.company_id = %(company)s
                       AND i.due_date <= %(stop)s
                  GROUP BY i.partner_id, i.currency_id
                ), paid AS (
                    SELECT p.partner_id, p.currency_id,
                           SUM(p.amount) FILTER (WHERE p.date < %(start)s)
                               AS paid_before,
                           SUM(p.amount) FILTER (
                               WHERE p.date BETWEEN %(start)s AND %(stop)s)
                               AS paid_within,
                           SUM(p.amount) FILTER (WHERE p.date <= %(stop)s)
                               AS paid_until
                      FROM customer_payment p
                     WHERE p.state = 'posted' AND p.company_id = %(company)s
                       AND p.date <= %(stop)s
                  GROUP BY p.partner_id, p.currency_id
                )
                SELECT COALESCE(due.partner_id, paid.partner_id) AS partner_id,
                       COALESCE(due.currency_id, paid.currency_id) AS currency_id,
                       COALESCE(due_before, 0) - COALESCE(paid_before, 0) AS opening,
                       COALESCE(due_within, 0) AS new_due,
                       COALESCE(paid_within, 0) AS received,
                       COALESCE(due_until, 0) - COALESCE(paid_until, 0) AS closing
                  FROM due FULL OUTER JOIN paid
                    ON paid.partner_id = due.partner_id
                   AND paid.currency_id = due.currency_id
                """,
                start=date_from,
                stop=date_to,
                states=LEDGER_STATES,
                company=company.id,
            )
        )
        figures = {
            (row["partner_id"], row["currency_id"]): row
            for row in rows
            if any(row[key] for key in ("opening", "new_due", "received", "closing"))
        }
        user = self.env.user
        if self.env.su or user.has_group("customer_policy.group_finance"):
            return figures
        # A manager reconciles the customers it may read, nobody else's.
        readable = set(
            self.env["res.partner"]
            .browse({key[0] for key in figures})
            ._filtered_access("read")
            .ids
        )
        return {key: row for key, row in figures.items() if key[0] in readable}

    def _line_vals(self, figures):
        currencies = self.env["res.currency"].browse(
            {currency_id for __, currency_id in figures}
        )
        vals_list = []
        for (partner_id, currency_id), row in figures.items():
            currency = currencies.browse(currency_id)
            vals_list.append(
                {
                    "partner_id": partner_id,
                    "currency_id": currency_id,
                    "opening_due": currency.round(row["opening"]),
                    "new_due": currency.round(row["new_due"]),
                    "received": currency.round(row["received"]),
                    "closing_due": currency.round(row["closing"]),
                }
            )
        return vals_list

    def action_reconcile(self):
        self.ensure_one()
        self._check_period()
        figures = self._customer_policy_ledger_figures(
            self.company_id, self.date_from, self.date_to
        )
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(vals) for vals in self._line_vals(figures)
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reconciliation"),
            "res_model": "customer.ledger.report.line",
            "view_mode": "list",
            "domain": [("report_id", "=", self.id)],
            "target": "current",
        }

    def _months(self):
        self.ensure_one()
        start = self.date_from
        while start <= self.date_to:
            stop = min(start + relativedelta(day=31), self.date_to)
            yield start, stop
            start = stop + relativedelta(days=1)

    def _build_xlsx(self):
        """One sheet per month of the period, one row per customer and currency,
        with a total row per currency. Amounts are written as numbers."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        Currency = self.env["res.currency"]
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        headers = [
            self.env._("Customer"),
            self.env._("Currency"),
            self.env._("Opening Due"),
            self.env._("New Due"),
            self.env._("Received"),
            self.env._("Closing Due"),
        ]
        for start, stop in self._months():
            figures = self._customer_policy_ledger_figures(self.company_id, start, stop)
            sheet = book.add_worksheet(start.strftime("%Y-%m"))
            sheet.write(
                0,
                0,
                self.env._(
                    "Payment ledger %(start)s – %(stop)s", start=start, stop=stop
                ),
                bold,
            )
            for col, title in enumerate(headers):
                sheet.write(2, col, title, header)
            sheet.set_column(0, 0, 36)
            sheet.set_column(1, 5, 16)
            partners = Partner.browse({key[0] for key in figures})
            names = {partner.id: partner.display_name for partner in partners}
            totals = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
            row_index = 3
            for (partner_id, currency_id), row in sorted(
                figures.items(), key=lambda item: (names[item[0][0]], item[0][1])
            ):
                currency = Currency.browse(currency_id)
                money = book.add_format(
                    {"num_format": "#,##0." + "0" * currency.decimal_places}
                )
                values = [
                    currency.round(row[key])
                    for key in ("opening", "new_due", "received", "closing")
                ]
                sheet.write(row_index, 0, names[partner_id])
                sheet.write(row_index, 1, currency.name)
                for offset, value in enumerate(values):
                    sheet.write_number(row_index, 2 + offset, value, money)
                    totals[currency][offset] += value
                row_index += 1
            for currency, sums in totals.items():
                money = book.add_format(
                    {
                        "bold": True,
                        "num_format": "#,##0." + "0" * currency.decimal_places,
                    }
                )
                sheet.write(row_index, 0, self.env._("Total"), bold)
                sheet.write(row_index, 1, currency.name, bold)
                for offset, value in enumerate(sums):
                    sheet.write_number(
                        row_index, 2 + offset, currency.round(value), money
                    )
                row_index += 1
        book.close()
        return output.getvalue()

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_period()
        self.write(
            {
                "xlsx_file": base64.b64encode(self._build_xlsx()),
                "xlsx_filename": f"ledger_{self.date_from}_{self.date_to}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/"
            f"{self.xlsx_filename}?download=true",
            "target": "self",
        }


class CustomerLedgerReportLine(models.TransientModel):
    _name = "customer.ledger.report.line"
    _description = "Payment Ledger Reconciliation Line"
    _order = "partner_id, currency_id"

    report_id = fields.Many2one(
        comodel_name="customer.ledger.report", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    currency_id = fields.Many2one(comodel_name="res.currency")
    opening_due = fields.Monetary()
    new_due = fields.Monetary()
    received = fields.Monetary()
    closing_due = fields.Monetary()
    difference = fields.Monetary(
        compute="_compute_difference",
        help="Opening + new due − received − closing: zero when the ledger balances.",
    )

    def _compute_difference(self):
        for line in self:
            line.difference = line.currency_id.round(
                line.opening_due + line.new_due - line.received - line.closing_due
            )
