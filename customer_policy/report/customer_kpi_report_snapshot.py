import itertools
from contextlib import contextmanager

from odoo import api, models
from odoo.tools import SQL

# The context key naming the temporary table a report model reads instead of the
# view (see _customer_policy_snapshot).
SNAPSHOT_KEY = "customer_policy_kpi_snapshot"

_snapshot_names = itertools.count(1)


class CustomerKpiReport(models.Model):
    """The KPI report read many times from one evaluation of its view.

    The view computes every row from the records each time it is read, and the
    id of a row numbers the whole view, so PostgreSQL cannot filter before it
    has computed everything: each search, read or group costs the whole view
    (a second at 10,000 customers, 9 s at 100,000). A workbook reads it a
    batch at a time, the monthly mail once per recipient. Within
    ``_customer_policy_snapshot`` the rows wanted are copied once into a
    temporary table and the model reads that table instead, through the ORM as
    usual: each user still gets the rows their record rules let them read, and
    the figures are those of the view."""

    _inherit = "customer.kpi.report"  # pylint: disable=consider-merging-classes-inherited

    @property
    def _table_sql(self):
        snapshot = self.env.context.get(SNAPSHOT_KEY)
        if snapshot:
            return SQL.identifier(snapshot)
        return super()._table_sql

    @api.model
    @contextmanager
    def _customer_policy_snapshot(self, company=None, date_from=None, date_to=None):
        """Copy the rows of the view (of ``company``, of the months from
        ``date_from`` included to ``date_to`` excluded, each if given) into a
        temporary table, as the superuser, and yield this model reading them;
        the table is dropped at the end (or with the transaction)."""
        if self.env.context.get(SNAPSHOT_KEY):
            # Already reading a copy (a workbook of the monthly mail): read it;
            # the rows wanted lie in it.
            yield self
            return
        self.env.flush_all()
        conditions = [SQL("TRUE")]
        if company:
            conditions.append(SQL("company_id = %s", company.id))
        if date_from:
            conditions.append(SQL("month >= %s", date_from))
        if date_to:
            conditions.append(SQL("month < %s", date_to))
        name = f"customer_kpi_report_snapshot_{next(_snapshot_names)}"
        cr = self.env.cr
        # Compiling the view's expressions (JIT) took longer than running them
        # at 100,000 customers (18 s of 36): off for this statement only.
        cr.execute("SELECT current_setting('jit')")
        jit = cr.fetchone()[0]
        cr.execute("SET LOCAL jit = off")
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT * FROM %s WHERE %s",
                SQL.identifier(name),
                SQL.identifier(self._table),
                SQL(" AND ").join(conditions),
            )
        )
        cr.execute(SQL("SELECT set_config('jit', %s, true)", jit))
        cr.execute(SQL("ANALYZE %s", SQL.identifier(name)))
        # The rows' ids number the view's rows: those cached from another read
        # of the view may be other rows.
        self.invalidate_model()
        yield self.with_context(**{SNAPSHOT_KEY: name})
        self.invalidate_model()
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(name)))
