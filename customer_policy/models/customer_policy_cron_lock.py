import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CustomerPolicyCronLock(models.Model):
    """Where a chunked cron of the policy is in its run, and who runs it.

    A cron of the policy does one bounded chunk per call and Odoo commits and
    calls again while some remains; the row remembers the last key done. Odoo
    already keeps one worker per cron job, but the same method also runs from
    "Run manually", from another company's job or from code: each chunk first
    locks its cron's row, and a caller that finds it locked, or changed since
    its transaction began (its snapshot would miss the other run's work), is
    told the cron is busy and does nothing.
    """

    _name = "customer.policy.cron.lock"
    _description = "Customer Policy Cron Progress"
    _log_access = False

    name = fields.Char(required=True, readonly=True)
    cursor = fields.Integer(
        default=0,
        readonly=True,
        help="Last key the cron's current run has done; 0 between runs.",
    )

    _sql_constraints = (("name_uniq", "unique (name)", "A cron has one progress row."),)

    @api.model
    def _customer_policy_claim(self, key):
        """Lock the row of the cron ``key`` for this transaction.

        :return: the cursor of the run (0: a new run), or ``None`` when another
            transaction runs the cron or ran a chunk since this one began
        """
        cr = self.env.cr
        lock = SQL(
            "SELECT COALESCE(cursor, 0) FROM customer_policy_cron_lock "
            "WHERE name = %s FOR NO KEY UPDATE NOWAIT",
            key,
        )
        try:
            with cr.savepoint(flush=False):
                cr.execute(lock, log_exceptions=False)
                row = cr.fetchone()
                if row is None:
                    # A cron without its row yet (the data file creates those of
                    # the policy's crons): never when another run holds it, as
                    # the insert would wait for that run to end.
                    cr.execute(
                        SQL(
                            "INSERT INTO customer_policy_cron_lock (name, cursor) "
                            "VALUES (%s, 0) ON CONFLICT (name) DO NOTHING",
                            key,
                        ),
                        log_exceptions=False,
                    )
                    cr.execute(lock, log_exceptions=False)
                    row = cr.fetchone()
                return row[0]
        except (
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.SerializationFailure,
        ) as error:
            _logger.info("%s is busy: %s", key, error.pgerror)
            return None

    @api.model
    def _customer_policy_release(self, key, cursor):
        """Record where the run of ``key`` is (0: done). Always an UPDATE, even
        of the same value: a transaction that began before it sees the row
        changed and keeps out."""
        self.env.cr.execute(
            SQL(
                "UPDATE customer_policy_cron_lock SET cursor = %s WHERE name = %s",
                cursor,
                key,
            )
        )
