"""18.0.1.5.0: the record rules of a customer's records read the record's own row.

Every model of ``customer.policy.customer.mixin`` stores the owner of its customer
(``customer_owner_id``), which its record rules compare with the user instead of
asking ``res_partner`` through ``commercial_partner_id``. Before the new version's
models are loaded, the column is created and filled in SQL, in batches of ids, so
that Odoo finds it and computes nothing row by row on a large database. The
tables of the bridge addons are filled here too: they get the field from the core.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

_logger = logging.getLogger(__name__)

# Rows updated per statement.
BATCH_SIZE = 50000

# The tables of the models that inherit the mixin, in every addon of the repository.
TABLES = (
    "customer_access_request",
    "customer_agreement",
    "customer_agreement_installment",
    "customer_care_event",
    "customer_collection_action",
    "customer_complaint",
    "customer_health_snapshot",
    "customer_ownership_claim",
    "customer_payment",
    "customer_return_schedule",
    "customer_visit",
    "customer_event_dispute",
    "customer_event_helper_request",
    "customer_event_invitation",
    "customer_reception_visit",
    "customer_survey_invitation",
)
COLUMN = "customer_owner_id"


def migrate(cr, version):
    if not version:
        return
    for table in TABLES:
        if not table_exists(cr, table) or column_exists(cr, table, COLUMN):
            continue
        if not column_exists(cr, table, "commercial_partner_id"):
            continue
        create_column(cr, table, COLUMN, "int4")
        _fill(cr, table)


def _fill(cr, table):
    """Copy the owner of each row's commercial partner, ``BATCH_SIZE`` ids at a
    time, so that no statement holds the whole table."""
    cr.execute(SQL("SELECT min(id), max(id) FROM %s", SQL.identifier(table)))
    low, high = cr.fetchone()
    if low is None:
        return
    updated = 0
    for start in range(low, high + 1, BATCH_SIZE):
        cr.execute(
            SQL(
                """
                UPDATE %(table)s r SET %(column)s = p.user_id
                  FROM res_partner p
                 WHERE p.id = r.commercial_partner_id
                   AND r.id >= %(start)s AND r.id < %(stop)s
                   AND p.user_id IS NOT NULL
                """,
                table=SQL.identifier(table),
                column=SQL.identifier(COLUMN),
                start=start,
                stop=start + BATCH_SIZE,
            )
        )
        updated += cr.rowcount
    _logger.info("%s.%s: %s rows filled", table, COLUMN, updated)
