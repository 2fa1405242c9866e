"""18.0.1.1.0: the records of a customer inherit ``customer.policy.customer.mixin``.

Before the new version's models are loaded, the columns they add are created and
filled in SQL, in batches of ids, from each row's customer; Odoo then finds them
and computes nothing row by row:

- ``commercial_partner_id`` of agreements, installments, payments, collection
  actions, ownership claims and access requests (the record rules read it);
- ``team_id`` of collection actions (the customer's department);
- a complaint's customer department, ``partner_team_id``, is now ``team_id``.

Payments now take their owner and department from the customer company: a
payment recorded on a contact person gets those of its company.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, rename_column

_logger = logging.getLogger(__name__)

# Rows updated per statement.
BATCH_SIZE = 50000

# (table, column, value): ``value`` reads the row's customer ``p`` and the customer
# company ``c`` (the commercial partner of ``p``).
NEW_COLUMNS = (
    ("customer_agreement", "commercial_partner_id", "c.id"),
    ("customer_agreement_installment", "commercial_partner_id", "c.id"),
    ("customer_payment", "commercial_partner_id", "c.id"),
    ("customer_collection_action", "commercial_partner_id", "c.id"),
    ("customer_collection_action", "team_id", "c.team_id"),
    ("customer_ownership_claim", "commercial_partner_id", "c.id"),
    ("customer_access_request", "commercial_partner_id", "c.id"),
)
# Existing columns whose value now comes from the customer company.
REFRESHED_COLUMNS = (
    ("customer_payment", "user_id", "c.user_id"),
    ("customer_payment", "team_id", "c.team_id"),
)


def migrate(cr, version):
    if not version:
        return
    _rename_complaint_team(cr)
    for table, column, value in NEW_COLUMNS:
        if column_exists(cr, table, column):
            continue
        create_column(cr, table, column, "int4")
        _fill(cr, table, column, value)
    for table, column, value in REFRESHED_COLUMNS:
        _fill(cr, table, column, value)


def _rename_complaint_team(cr):
    """The complaint's customer department keeps its values under its new name,
    with its field record (as OpenUpgrade's ``rename_fields`` does)."""
    if not column_exists(cr, "customer_complaint", "partner_team_id"):
        return
    rename_column(cr, "customer_complaint", "partner_team_id", "team_id")
    cr.execute(
        """
        UPDATE ir_model_fields SET name = 'team_id'
         WHERE model = 'customer.complaint' AND name = 'partner_team_id'
        """
    )
    cr.execute(
        """
        UPDATE ir_model_data
           SET name = 'field_customer_complaint__team_id'
         WHERE module = 'customer_policy'
           AND name = 'field_customer_complaint__partner_team_id'
        """
    )


def _fill(cr, table, column, value):
    """Set ``table.column`` to ``value`` where it differs, ``BATCH_SIZE`` ids at a
    time, so that no statement holds a whole large table."""
    cr.execute(SQL("SELECT min(id), max(id) FROM %s", SQL.identifier(table)))
    low, high = cr.fetchone()
    if low is None:
        return
    updated = 0
    for start in range(low, high + 1, BATCH_SIZE):
        cr.execute(
            SQL(
                """
                UPDATE %(table)s t SET %(column)s = %(value)s
                  FROM res_partner p
                  JOIN res_partner c ON c.id = p.commercial_partner_id
                 WHERE p.id = t.partner_id
                   AND t.id >= %(start)s AND t.id < %(stop)s
                   AND t.%(column)s IS DISTINCT FROM %(value)s
                """,
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                value=SQL(value),
                start=start,
                stop=start + BATCH_SIZE,
            )
        )
        updated += cr.rowcount
    _logger.info("%s.%s: %s rows set from their customer", table, column, updated)
