"""Excel workbooks written as a stream.

``StreamingWorkbook`` writes with xlsxwriter in constant-memory mode into a
temporary file: a row is flushed to disk as soon as the next one starts, so a
sheet of 100,000 rows takes the memory of one row. Each table gets a bold
header row that stays visible (frozen) with an autofilter, typed cells (numbers
as numbers, dates as dates, rates as percentages) and a totals row of formulas
(``SUBTOTAL``, so that filtering the rows updates them) that also carry the
value, for the readers that do not compute formulas.
"""

import os
import tempfile
from collections import namedtuple
from datetime import date, datetime
from urllib.parse import quote as url_quote

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

# kind: text, int, float, money, percent (a value out of 100, shown as %), date
# total: None (the kind's default: a sum of numbers), "none", "sum", "average",
# or ("ratio", numerator key, denominator key, factor) for a rate computed from
# two totals of the same table.
Column = namedtuple("Column", "key label kind width total", defaults=(None, None))

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMERIC = {"int", "float", "money", "percent"}
# The total of a kind, when the column does not say.
_DEFAULT_TOTAL = {"int": "sum", "money": "sum", "float": "sum"}

Table = namedtuple("Table", "sheet name first_row last_row columns")


class StreamingWorkbook:
    """An .xlsx file built row by row. ``close()`` returns its bytes."""

    def __init__(self, tmpdir=None):
        handle, self.path = tempfile.mkstemp(suffix=".xlsx", dir=tmpdir)
        os.close(handle)
        self.book = xlsxwriter.Workbook(
            self.path,
            {
                "constant_memory": True,
                "tmpdir": tmpdir or tempfile.gettempdir(),
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        add = self.book.add_format
        self.formats = {
            "title": add({"bold": True, "font_size": 14}),
            "header": add(
                {
                    "bold": True,
                    "bg_color": "#D9E1F2",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "text": None,
            "int": add({"num_format": "#,##0"}),
            "float": add({"num_format": "#,##0.00"}),
            "money": add({"num_format": "#,##0.00"}),
            "percent": add({"num_format": "0.0%"}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "datetime": add({"num_format": "yyyy-mm-dd hh:mm"}),
            "total_text": add({"bold": True, "top": 1}),
            "total_int": add({"bold": True, "top": 1, "num_format": "#,##0"}),
            "total_float": add({"bold": True, "top": 1, "num_format": "#,##0.00"}),
            "total_money": add({"bold": True, "top": 1, "num_format": "#,##0.00"}),
            "total_percent": add({"bold": True, "top": 1, "num_format": "0.0%"}),
            "total_date": add({"bold": True, "top": 1}),
        }
        self._names = set()

    def _sheet_name(self, name):
        # Excel: at most 31 characters, unique, none of []:*?/\
        clean = "".join(" " if char in "[]:*?/\\" else char for char in name)[:31]
        candidate, index = clean, 2
        while candidate.lower() in self._names:
            suffix = f" ({index})"
            candidate = clean[: 31 - len(suffix)] + suffix
            index += 1
        self._names.add(candidate.lower())
        return candidate

    def add_table(self, name, columns, rows, title=None, total_label="Total"):
        """A sheet ``name`` with ``columns`` and ``rows`` (an iterable of lists,
        one value per column, consumed once), and a totals row.

        :return: the ``Table`` written, for charts
        """
        sheet = self.book.add_worksheet(self._sheet_name(name))
        header_row = 0
        if title:
            sheet.write_string(0, 0, title, self.formats["title"])
            header_row = 2
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width or 14)
            sheet.write_string(header_row, index, column.label, self.formats["header"])
        sheet.freeze_panes(header_row + 1, 0)
        sums = [0.0] * len(columns)
        row_index = header_row
        for values in rows:
            row_index += 1
            for index, (column, value) in enumerate(zip(columns, values, strict=True)):
                self._write(sheet, row_index, index, column.kind, value)
                if column.kind in _NUMERIC and isinstance(value, int | float):
                    sums[index] += value
        first, last = header_row + 1, row_index
        table = Table(sheet, name, first, last, columns)
        self._totals(table, sums, total_label)
        sheet.autofilter(header_row, 0, max(last, header_row), len(columns) - 1)
        return table

    def _write(self, sheet, row, col, kind, value):
        if value is None or value is False or value == "":
            sheet.write_blank(row, col, None)
        elif kind == "date" and isinstance(value, date | datetime):
            fmt = "datetime" if isinstance(value, datetime) else "date"
            sheet.write_datetime(row, col, value, self.formats[fmt])
        elif kind in _NUMERIC:
            number = value / 100.0 if kind == "percent" else value
            sheet.write_number(row, col, number, self.formats[kind])
        else:
            sheet.write_string(row, col, str(value))

    def _totals(self, table, sums, label):
        sheet, first, last = table.sheet, table.first_row, table.last_row
        row = last + 1
        keys = {column.key: index for index, column in enumerate(table.columns)}
        values = {}
        # Sums first: the rates of the totals row refer to them.
        totals = [
            None
            if column.total == "none"
            else column.total or _DEFAULT_TOTAL.get(column.kind)
            for column in table.columns
        ]
        for index, total in enumerate(totals):
            if total == "sum":
                values[index] = sums[index]
        for index, column in enumerate(table.columns):
            total = totals[index]
            fmt = (
                self.formats[f"total_{column.kind}"]
                if column.kind in _NUMERIC
                else (self.formats["total_text"])
            )
            if index == 0 and not total:
                sheet.write_string(row, 0, label, self.formats["total_text"])
                continue
            if not total:
                continue
            if last < first:
                sheet.write_number(row, index, 0, fmt)
                continue
            cells = (
                f"{xl_rowcol_to_cell(first, index)}:{xl_rowcol_to_cell(last, index)}"
            )
            if total == "sum":
                sheet.write_formula(
                    row, index, f"=SUBTOTAL(109,{cells})", fmt, values[index]
                )
            elif total == "average":
                count = last - first + 1
                value = sums[index] / count if count else 0
                if column.kind == "percent":
                    value /= 100.0
                sheet.write_formula(row, index, f"=SUBTOTAL(101,{cells})", fmt, value)
            else:
                _ratio, numerator, denominator, factor = total
                num, den = keys[numerator], keys[denominator]
                num_cell = xl_rowcol_to_cell(row, num)
                den_cell = xl_rowcol_to_cell(row, den)
                scale = factor / 100.0 if column.kind == "percent" else factor
                value = scale * values[num] / values[den] if values.get(den) else 0
                sheet.write_formula(
                    row,
                    index,
                    f"=IF({den_cell}=0,0,{scale}*{num_cell}/{den_cell})",
                    fmt,
                    value,
                )

    def add_chart(self, table, category_key, series_keys, kind="line", title=None):
        """A chart of ``series_keys`` over ``category_key`` of ``table``, placed
        on a sheet of its own when the table has data."""
        if table.last_row < table.first_row:
            return None
        keys = {column.key: index for index, column in enumerate(table.columns)}
        chart = self.book.add_chart({"type": kind})
        sheet_name = table.sheet.get_name()
        category = keys[category_key]
        for key in series_keys:
            index = keys[key]
            chart.add_series(
                {
                    "name": [sheet_name, table.first_row - 1, index],
                    "categories": [
                        sheet_name,
                        table.first_row,
                        category,
                        table.last_row,
                        category,
                    ],
                    "values": [
                        sheet_name,
                        table.first_row,
                        index,
                        table.last_row,
                        index,
                    ],
                    "marker": {"type": "circle"} if kind == "line" else None,
                }
            )
        if title:
            chart.set_title({"name": title})
        chart.set_size({"width": 860, "height": 420})
        chart.set_legend({"position": "bottom"})
        chartsheet = self.book.add_chartsheet(self._sheet_name(title or "Chart"))
        chartsheet.set_chart(chart)
        return chart

    def close(self):
        """Finish the file and return its bytes; the temporary file is removed."""
        try:
            self.book.close()
            with open(self.path, "rb") as handle:
                return handle.read()
        finally:
            os.unlink(self.path)


def download_url(record, field, filename):
    """The URL downloading the workbook in ``record``'s binary ``field`` as
    ``filename``. The type is given: Odoo would guess it from the file's first
    kilobyte, which cannot tell a workbook from a damaged zip and logs a
    traceback on every download."""
    return (
        f"/web/content/{record._name}/{record.id}/{field}/{url_quote(filename)}"
        f"?download=true&mimetype={url_quote(XLSX_MIMETYPE, safe='')}"
    )
