"""18.0.1.1.0: Find a Customer and the complaint intake share one result line
(``customer.lookup.line``); the tables of their former line models are dropped."""

from odoo.tools import SQL

OBSOLETE_TABLES = ("customer_access_lookup_line", "customer_complaint_intake_line")


def migrate(cr, version):
    if not version:
        return
    for table in OBSOLETE_TABLES:
        # Wizard lines: transient rows of a screen, nothing to keep.
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
