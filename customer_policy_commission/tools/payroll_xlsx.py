"""The payroll workbook of commission statements (xlsxwriter)."""

import io

import xlsxwriter

from .commission import format_month


def payroll_rows(statements):
    """(summary, details) of the statements, in their environment's language.

    summary: one dict per statement (month, user, login, department, state,
    currency, adjustment, amount); details: one dict per line (month, user,
    agreement, customer, kind, base, rate, share, adjustment, amount).
    """
    env = statements.env
    states = dict(statements._fields["state"]._description_selection(env))
    lines = statements.line_ids
    kinds = dict(lines._fields["kind"]._description_selection(env))
    pool = env._("Operations Pool")
    summary = [
        {
            "month": format_month(s.month),
            "user": s.user_id.name or pool,
            "login": s.user_id.login or "",
            "department": s.team_id.name or "",
            "state": states[s.state],
            "currency": s.currency_id.name,
            "adjustment": s.adjustment_total,
            "amount": s.amount_total,
        }
        for s in statements
    ]
    details = [
        {
            "month": format_month(s.month),
            "user": s.user_id.name or pool,
            "agreement": line.agreement_id.display_name,
            "customer": line.partner_id.name,
            "kind": kinds.get(line.kind, ""),
            "base": line.base_amount,
            "rate": line.rate,
            "share": line.share,
            "adjustment": line.adjustment_amount,
            "amount": line.amount,
        }
        for s in statements
        for line in s.line_ids.sorted("id")
    ]
    return summary, details


def payroll_workbook(statements):
    """Return the XLSX bytes of the statements, in the order given.

    Amounts are written as numbers (not formulas): payroll reads the values, and
    the total row is the sum of the statements' totals as the database has them.
    """
    env = statements.env
    summary, details = payroll_rows(statements)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
    percent = workbook.add_format({"num_format": "0.00"})

    sheet = workbook.add_worksheet(env._("Statements"))
    headers = [
        env._("Month"),
        env._("Salesperson"),
        env._("Login"),
        env._("Department"),
        env._("Status"),
        env._("Currency"),
        env._("Of Which Corrections"),
        env._("Commission"),
    ]
    sheet.write_row(0, 0, headers, bold)
    row = 0
    for row, item in enumerate(summary, start=1):
        sheet.write_row(
            row,
            0,
            [
                item["month"],
                item["user"],
                item["login"],
                item["department"],
                item["state"],
                item["currency"],
            ],
        )
        sheet.write_number(row, 6, item["adjustment"], money)
        sheet.write_number(row, 7, item["amount"], money)
    sheet.write(row + 1, 0, env._("Total"), bold)
    sheet.write_number(row + 1, 6, sum(i["adjustment"] for i in summary), money_bold)
    sheet.write_number(row + 1, 7, sum(i["amount"] for i in summary), money_bold)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 5, 16)
    sheet.set_column(6, 7, 18)
    sheet.freeze_panes(1, 0)

    sheet = workbook.add_worksheet(env._("Lines"))
    headers = [
        env._("Month"),
        env._("Salesperson"),
        env._("Agreement"),
        env._("Customer"),
        env._("Kind"),
        env._("Base"),
        env._("Rate (%)"),
        env._("Share (%)"),
        env._("Of Which Corrections"),
        env._("Commission"),
    ]
    sheet.write_row(0, 0, headers, bold)
    for row, item in enumerate(details, start=1):
        sheet.write_row(
            row,
            0,
            [
                item["month"],
                item["user"],
                item["agreement"],
                item["customer"],
                item["kind"],
            ],
        )
        sheet.write_number(row, 5, item["base"], money)
        sheet.write_number(row, 6, item["rate"], percent)
        sheet.write_number(row, 7, item["share"], percent)
        sheet.write_number(row, 8, item["adjustment"], money)
        sheet.write_number(row, 9, item["amount"], money)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 4, 20)
    sheet.set_column(5, 9, 14)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return output.getvalue()
