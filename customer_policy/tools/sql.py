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
