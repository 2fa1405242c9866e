import base64
import io
from array import array
from collections import defaultdict

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, split_every

from ..models.customer_agreement import LEDGER_STATES
from ..tools.xlsx import download_url

# Rows of the ledger's query turned into Python at a time, and customers whose
# names are read at a time.
FETCH_BATCH = 10000
NAME_BATCH = 1000

# The export writes one sheet per month: ten years keep it within a request's time
# and memory, and cover any reconciliation an auditor asks for.
MAX_PERIOD_MONTHS = 120
FIGURES = ("opening", "new_due", "received", "closing")


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

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for report in self:
            if report.date_to < report.date_from:
                raise ValidationError(
                    self.env._("The period must end after it starts.")
                )
            # Counted in months, not by adding years to a date: a period ending
            # on 9999-12-31 must get this message, not an overflow.
            months = (
                (report.date_to.year - report.date_from.year) * 12
                + report.date_to.month
                - report.date_from.month
                + 1
            )
            if months > MAX_PERIOD_MONTHS:
                raise ValidationError(
                    self.env._(
                        "A reconciliation covers at most %(years)s years "
                        "(%(months)s months); this period spans %(count)s months. "
                        "Choose a shorter period.",
                        years=MAX_PERIOD_MONTHS // 12,
                        months=MAX_PERIOD_MONTHS,
                        count=months,
                    )
                )

    @api.model
    def _customer_policy_ledger_figures(self, company, date_from, date_to):
        """{(partner id, currency id): {opening, new_due, received, closing}}.

        Four aggregates computed by PostgreSQL; the closing balance is summed on
        its own (not derived from the other three), so that the reconciliation
        checks the ledger instead of restating it.
        """
        rows = self._customer_policy_ledger_rows(company, date_from, date_to)
        figures = {
            (row["partner_id"], row["currency_id"]): row
            for row in rows
            if any(row[key] for key in FIGURES)
        }
        readable = self._customer_policy_readable({key[0] for key in figures})
        return {key: row for key, row in figures.items() if key[0] in readable}

    @api.model
    def _customer_policy_readable(self, partner_ids):
        """The ids of ``partner_ids`` whose ledger the user may reconcile."""
        if self.env.su or self.env.user.has_group("customer_policy.group_finance"):
            return set(partner_ids)
        # A manager reconciles the customers it may read, nobody else's: the
        # record rules applied by the database (checked in Python, they would
        # load every partner of the ledger into memory: 300 MB for 40,000).
        return set(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "in", list(partner_ids))])
            .ids
        )

    @api.model
    def _customer_policy_ledger_by_month(self, company, months):
        """The figures of each month of ``months`` ([(start, stop)], following
        each other), as _customer_policy_ledger_figures gives them for one
        month, one month at a time (a generator), from one query for the whole
        period: the amounts due and paid are summed per month in the database,
        then cumulated here.

        What is kept for the whole period is, per customer and currency, the
        running totals due and paid at the end of each month, as two arrays of
        floats: a ten-year ledger of 100,000 customers takes tens of MB, where a
        dictionary per customer and month took hundreds."""
        self.env["customer.agreement.installment"].flush_model()
        self.env["customer.payment"].flush_model()
        self.env["customer.agreement"].flush_model(["state"])
        first, last = months[0][0], months[-1][1]

        def bucket(column):
            # 0 before the period, then 1 for its first month, 2 for the next...
            return SQL(
                """CASE WHEN %(date)s < %(first)s THEN 0 ELSE
                   (EXTRACT(YEAR FROM %(date)s)::int - %(year)s) * 12
                   + EXTRACT(MONTH FROM %(date)s)::int - %(month)s + 1 END""",
                date=column,
                first=first,
                year=first.year,
                month=first.month,
            )

        # Read a batch of rows at a time into the arrays below: as Python
        # tuples, the rows of 100,000 customers over years would take hundreds
        # of MB at once.
        self.env.cr.execute(
            SQL(
                """
                SELECT 'due', i.partner_id, i.currency_id, %(due_bucket)s,
                       SUM(i.amount)
                  FROM customer_agreement_installment i
                  JOIN customer_agreement a ON a.id = i.agreement_id
                 WHERE a.state IN %(states)s AND i.company_id = %(company)s
                   AND i.due_date <= %(last)s
              GROUP BY 2, 3, 4
             UNION ALL
                SELECT 'paid', p.partner_id, p.currency_id, %(paid_bucket)s,
                       SUM(p.amount)
                  FROM customer_payment p
                 WHERE p.state = 'posted' AND p.company_id = %(company)s
                   AND p.date <= %(last)s
              GROUP BY 2, 3, 4
                """,
                due_bucket=bucket(SQL("i.due_date")),
                paid_bucket=bucket(SQL("p.date")),
                states=LEDGER_STATES,
                company=company.id,
                last=last,
            )
        )
        size = len(months) + 1
        # {(partner, currency): (due, paid)}, amounts per bucket (0: before the
        # period), turned into running totals below.
        amounts = {}
        while batch := self.env.cr.fetchmany(FETCH_BATCH):
            for kind, partner_id, currency_id, index, amount in batch:
                key = (partner_id, currency_id)
                if key not in amounts:
                    amounts[key] = (
                        array("d", bytes(8 * size)),
                        array("d", bytes(8 * size)),
                    )
                amounts[key][kind == "paid"][index] += amount or 0.0
        readable = self._customer_policy_readable({key[0] for key in amounts})
        amounts = {key: sums for key, sums in amounts.items() if key[0] in readable}
        for due, paid in amounts.values():
            for index in range(1, size):
                due[index] += due[index - 1]
                paid[index] += paid[index - 1]
        for index in range(1, size):
            figures = {}
            for key, (due, paid) in amounts.items():
                row = {
                    "opening": due[index - 1] - paid[index - 1],
                    "new_due": due[index] - due[index - 1],
                    "received": paid[index] - paid[index - 1],
                    # Summed on its own, as the reconciliation does.
                    "closing": due[index] - paid[index],
                }
                if any(row[name] for name in FIGURES):
                    figures[key] = row
            yield figures

    @api.model
    def _customer_policy_ledger_rows(self, company, date_from, date_to):
        """Per customer and currency of ``company``: opening, new_due, received
        and closing over the period, in one query."""
        self.env["customer.agreement.installment"].flush_model()
        self.env["customer.payment"].flush_model()
        self.env["customer.agreement"].flush_model(["state"])
        sums = {
            name: self._customer_policy_period_sums(alias, date, date_from, date_to)
            for name, alias, date in (("due", "i", "due_date"), ("paid", "p", "date"))
        }
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH due AS (
                    SELECT i.partner_id, i.currency_id, %(due_sums)s
                      FROM customer_agreement_installment i
                      JOIN customer_agreement a ON a.id = i.agreement_id
                     WHERE a.state IN %(states)s AND i.company_id = %(company)s
                       AND i.due_date <= %(stop)s
                  GROUP BY i.partner_id, i.currency_id
                ), paid AS (
                    SELECT p.partner_id, p.currency_id, %(paid_sums)s
                      FROM customer_payment p
                     WHERE p.state = 'posted' AND p.company_id = %(company)s
                       AND p.date <= %(stop)s
                  GROUP BY p.partner_id, p.currency_id
                )
                SELECT COALESCE(due.partner_id, paid.partner_id) AS partner_id,
                       COALESCE(due.currency_id, paid.currency_id) AS currency_id,
                       COALESCE(due.amount_before, 0)
                           - COALESCE(paid.amount_before, 0) AS opening,
                       COALESCE(due.amount_within, 0) AS new_due,
                       COALESCE(paid.amount_within, 0) AS received,
                       COALESCE(due.amount_until, 0)
                           - COALESCE(paid.amount_until, 0) AS closing
                  FROM due FULL OUTER JOIN paid
                    ON paid.partner_id = due.partner_id
                   AND paid.currency_id = due.currency_id
                """,
                due_sums=sums["due"],
                paid_sums=sums["paid"],
                stop=date_to,
                states=LEDGER_STATES,
                company=company.id,
            )
        )
        return rows

    @api.model
    def _customer_policy_period_sums(self, alias, date, date_from, date_to):
        """The amounts of table ``alias`` dated (column ``date``) before, within
        and until the end of the period: columns amount_before, amount_within and
        amount_until."""
        amount = SQL("%s.amount", SQL.identifier(alias))
        moment = SQL("%s.%s", SQL.identifier(alias), SQL.identifier(date))
        return SQL(
            """SUM(%(amount)s) FILTER (WHERE %(moment)s < %(start)s) AS amount_before,
               SUM(%(amount)s) FILTER (
                   WHERE %(moment)s BETWEEN %(start)s AND %(stop)s) AS amount_within,
               SUM(%(amount)s) FILTER (WHERE %(moment)s <= %(stop)s) AS amount_until""",
            amount=amount,
            moment=moment,
            start=date_from,
            stop=date_to,
        )

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
        while True:
            stop = min(start + relativedelta(day=31), self.date_to)
            yield start, stop
            if stop >= self.date_to:
                # Never step past the end: the day after 9999-12-31 overflows.
                return
            start = stop + relativedelta(days=1)

    def _build_xlsx(self):
        """One sheet per month of the period, one row per customer and currency,
        with a total row per currency. Amounts are written as numbers."""
        self.ensure_one()
        months = list(self._months())
        by_month = self._customer_policy_ledger_by_month(self.company_id, months)
        # The customers' names, read as the months need them (once each).
        names = {}
        output = io.BytesIO()
        # Rows go to a temporary file per sheet as they are written: a ten-year
        # ledger of every customer stays within a flat amount of memory.
        book = xlsxwriter.Workbook(output, {"constant_memory": True})
        formats = _Formats(book)
        Partner = self.env["res.partner"].sudo()
        for (start, stop), figures in zip(months, by_month, strict=True):
            missing = sorted({key[0] for key in figures} - set(names))
            # A batch at a time: reading a name loads the whole partner row
            # into the cache, for every partner of the batch.
            for batch in split_every(NAME_BATCH, missing):
                partners = Partner.browse(batch)
                names.update(zip(batch, partners.mapped("display_name"), strict=True))
                Partner.invalidate_model()
            self._customer_policy_write_sheet(
                book, start, stop, figures, names, formats
            )
        book.close()
        return output.getvalue()

    def _customer_policy_write_sheet(self, book, start, stop, figures, names, formats):
        """The sheet of one month: a title, the headers, a row per customer and
        currency sorted by customer, then the totals per currency."""
        bold = formats.get(bold=True)
        header = formats.get(bold=True, bg_color="#D9E1F2", border=1)
        sheet = book.add_worksheet(start.strftime("%Y-%m"))
        sheet.write(
            0,
            0,
            self.env._("Payment ledger %(start)s – %(stop)s", start=start, stop=stop),
            bold,
        )
        headers = [
            self.env._("Customer"),
            self.env._("Currency"),
            self.env._("Opening Due"),
            self.env._("New Due"),
            self.env._("Received"),
            self.env._("Closing Due"),
        ]
        for col, title in enumerate(headers):
            sheet.write(2, col, title, header)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 5, 16)
        totals = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        row_index = 3
        for (partner_id, currency_id), row in sorted(
            figures.items(), key=lambda item: (names[item[0][0]], item[0][1])
        ):
            currency = self.env["res.currency"].browse(currency_id)
            values = [
                currency.round(row[key])
                for key in ("opening", "new_due", "received", "closing")
            ]
            for offset, value in enumerate(values):
                totals[currency][offset] += value
            self._customer_policy_write_row(
                formats, sheet, row_index, names[partner_id], currency, values
            )
            row_index += 1
        for currency, sums in totals.items():
            sums = [currency.round(value) for value in sums]
            self._customer_policy_write_row(
                formats,
                sheet,
                row_index,
                self.env._("Total"),
                currency,
                sums,
                bold=True,
            )
            row_index += 1

    def _customer_policy_write_row(
        self, formats, sheet, index, label, currency, amounts, bold=False
    ):
        money = formats.get(
            bold=bold, num_format="#,##0." + "0" * currency.decimal_places
        )
        text = formats.get(bold=True) if bold else None
        sheet.write(index, 0, label, text)
        sheet.write(index, 1, currency.name, text)
        for offset, value in enumerate(amounts):
            sheet.write_number(index, 2 + offset, value, money)

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
            "url": download_url(self, "xlsx_file", self.xlsx_filename),
            "target": "self",
        }


class _Formats:
    """The cell formats of a workbook, each added once: xlsxwriter keeps every
    format added, and a ten-year export would add one per row."""

    def __init__(self, book):
        self.book = book
        self.formats = {}

    def get(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self.formats:
            self.formats[key] = self.book.add_format(properties)
        return self.formats[key]


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
