import logging

from odoo import models
from odoo.tools import split_every

_logger = logging.getLogger(__name__)

# Partners computed, flushed and dropped from memory at a time.
INIT_BATCH = 5000


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _auto_init(self):
        """Initialise the addon's new stored columns on existing partners in
        batches, with tracking off.

        Left to the ORM, every partner of the database would be computed in one
        go and each tracked field would post a chatter message on each of them
        ("Registration: Not Registered"): hours and 200,000 rows of noise on a
        database that goes live with 100,000 contacts.
        """
        result = super()._auto_init()
        tocompute = self.env.transaction.tocompute
        pending = {
            field: tocompute.pop(field)
            for field in list(tocompute)
            if field.model_name == self._name and tocompute.get(field)
        }
        if pending:
            if getattr(self.pool, "_post_init_queue", None) is not None:
                # Installing: after every model has its columns.
                self.pool.post_init(self._customer_policy_init_columns, pending)
            else:
                self._customer_policy_init_columns(pending)
        return result

    def _customer_policy_init_columns(self, pending):
        partners = self.with_context(
            tracking_disable=True, mail_notrack=True, active_test=False
        )
        ids = sorted(set().union(*pending.values()))
        _logger.info(
            "Initialising %s on %s partners",
            ", ".join(field.name for field in pending),
            len(ids),
        )
        for batch in split_every(INIT_BATCH, ids):
            records = partners.browse(batch)
            for field in pending:
                self.env.add_to_compute(field, records)
            # Fields that depend on these are computed in the same context.
            partners.env.flush_all()
            self.env.invalidate_all()
