"""SQL helpers of the crons that write many rows at once."""

from odoo.tools import SQL


def update_from_unnest(cr, table, key, columns, rows):
    """Write ``rows`` into ``table`` in one ``UPDATE … FROM unnest(…)`` statement.

    :param str table: the table to update
    :param str key: the column that identifies a row (e.g. ``id``), an integer
    :param columns: ``[(column, SQL type), ...]`` of the values to write, e.g.
        ``[("visit_compliance", "varchar"), ("next_visit_due_date", "date")]``
    :param rows: tuples ``(key value, value of each column...)``
    :return: the number of rows updated

    The statement runs even without rows: a caller that counts its queries gets
    the same count whatever the data.
    """
    names = [key, *(name for name, _type in columns)]
    types = ["int", *(sql_type for _name, sql_type in columns)]
    values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    cr.execute(
        SQL(
            "UPDATE %(table)s t SET %(assign)s "
            "FROM unnest(%(arrays)s) AS v(%(names)s) "
            "WHERE t.%(key)s = v.%(key)s",
            table=SQL.identifier(table),
            assign=SQL(", ").join(
                SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
                for name, _type in columns
            ),
            arrays=SQL(", ").join(
                SQL("%s::%s[]", list(column), SQL(sql_type))
                for column, sql_type in zip(values, types, strict=True)
            ),
            names=SQL(", ").join(SQL.identifier(name) for name in names),
            key=SQL.identifier(key),
        )
    )
    return cr.rowcount


def insert_unless_exists(cr, table, values, conflict):
    """Insert one row into ``table`` unless a row with the same ``conflict``
    columns exists, in one statement: ``INSERT … ON CONFLICT (…) DO NOTHING``.

    This is how a cron claims the right to do something once per period and
    recipient (send a report, a mail): whichever run or worker inserts the row
    does the work, the others get ``None`` — without an error in the log and
    without aborting the transaction, as a unique violation would.

    :param str table: the table, with a unique index on the ``conflict`` columns
    :param dict values: column -> value of the new row (the ``create_uid``,
        ``write_uid``, ``create_date`` and ``write_date`` columns are the caller's)
    :param conflict: the column names of the unique index
    :return: the new row's id, or ``None`` when it existed already
    """
    names = list(values)
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (%(names)s) VALUES (%(values)s) "
            "ON CONFLICT (%(conflict)s) DO NOTHING RETURNING id",
            table=SQL.identifier(table),
            names=SQL(", ").join(SQL.identifier(name) for name in names),
            values=SQL(", ").join(SQL("%s", values[name]) for name in names),
            conflict=SQL(", ").join(SQL.identifier(name) for name in conflict),
        )
    )
    row = cr.fetchone()
    return row[0] if row else None


def compute_related_in_sql(env, field):
    """Compute now, in one ``UPDATE … FROM``, the records whose stored related
    ``field`` (a many2one's column, e.g. ``commercial_partner_id.customer_tier_id``)
    the ORM has marked to recompute, and write ``write_uid``/``write_date`` on the
    rows that change, as the ORM's flush would.

    Odoo computes a stored related field in Python, record by record, and writes
    it 100 rows per ``UPDATE``: a cron that changes the tier of a thousand
    customers would so rewrite their ten thousand visits. The records whose
    value changes through the many2one are marked when it changes (the triggers
    are transitive), so a field computed from ``field`` is marked already and
    computed by the ORM as usual.

    :return: the records computed (no longer marked)
    """
    link, target = field.related.split(".")
    model = env[field.model_name]
    comodel = env[model._fields[link].comodel_name]
    assert field.store and comodel._fields[target].store, field
    assert field.column_type == comodel._fields[target].column_type, field
    records = env.records_to_compute(field)
    if not records:
        return records
    comodel.flush_model([target])
    records.flush_recordset([link])
    log = (
        SQL(", write_uid = %s, write_date = %s", env.uid, env.cr.now())
        if model._log_access
        else SQL()
    )
    env.cr.execute(
        SQL(
            """
            UPDATE %(table)s t
               SET %(fname)s = v.value %(log)s
              FROM (SELECT r.id, c.%(target)s AS value
                      FROM %(table)s r
                      LEFT JOIN %(cotable)s c ON c.id = r.%(link)s
                     WHERE r.id = ANY(%(ids)s)) v
             WHERE t.id = v.id AND t.%(fname)s IS DISTINCT FROM v.value
            """,
            table=SQL.identifier(model._table),
            fname=SQL.identifier(field.name),
            target=SQL.identifier(target),
            cotable=SQL.identifier(comodel._table),
            link=SQL.identifier(link),
            log=log,
            ids=records.ids,
        )
    )
    env.remove_to_compute(field, records)
    records.invalidate_recordset([field.name, "write_uid", "write_date"])
    return records
