"""18.0.1.4.0: the partner record rules read the partner's own row.

Each partner stores what the rules ask of its commercial partner (the customer):
whether it is managed, its owner and its department. Before the new version's
models are loaded, the columns are created and filled in SQL, in batches of ids,
so that Odoo finds them and computes nothing row by row on a large database.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

_logger = logging.getLogger(__name__)

# Rows updated per statement.
BATCH_SIZE = 50000

# (column, type, the commercial partner's column it copies)
NEW_COLUMNS = (
    ("customer_policy_commercial_managed", "bool", "customer_policy_managed"),
    ("customer_policy_owner_id", "int4", "user_id"),
    ("customer_policy_team_id", "int4", "team_id"),
)


def migrate(cr, version):
    if not version:
        return
    for column, column_type, source in NEW_COLUMNS:
        if column_exists(cr, "res_partner", column):
            continue
        create_column(cr, "res_partner", column, column_type)
        _fill(cr, column, source)


def _fill(cr, column, source):
    """Copy the commercial partner's ``source`` into ``column`` of every partner,
    ``BATCH_SIZE`` ids at a time, so that no statement holds the whole table."""
    cr.execute("SELECT min(id), max(id) FROM res_partner")
    low, high = cr.fetchone()
    if low is None:
        return
    updated = 0
    for start in range(low, high + 1, BATCH_SIZE):
        cr.execute(
            SQL(
                """
                UPDATE res_partner p SET %(column)s = c.%(source)s
                  FROM res_partner c
                 WHERE c.id = p.commercial_partner_id
                   AND p.id >= %(start)s AND p.id < %(stop)s
                   AND c.%(source)s IS NOT NULL
                """,
                column=SQL.identifier(column),
                source=SQL.identifier(source),
                start=start,
                stop=start + BATCH_SIZE,
            )
        )
        updated += cr.rowcount
    _logger.info("res_partner.%s: %s rows filled", column, updated)
