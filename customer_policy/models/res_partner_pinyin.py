import logging

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, sql

from ..tools.pinyin import name_pinyin, pinyin_query
from ..tools.sql import update_from_unnest

_logger = logging.getLogger(__name__)

PINYIN_COLUMNS = ("customer_policy_pinyin", "customer_policy_pinyin_initials")
# Names turned into pinyin per batch when a database is initialized: bounded
# memory and one UPDATE per batch, whatever the number of partners.
PINYIN_BATCH_SIZE = 10000
# PostgreSQL's character class for the Chinese characters of tools/pinyin.HAN.
_HAN_SQL = "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


class ResPartner(models.Model):
    """Find customers by pinyin (拼音检索): ``shxh`` or ``shanghai xinghe`` find
    上海星河科技有限公司, in the search bar and in every lookup of a partner
    field (``name_search``)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Stored without spaces, so that "shanghai xinghe" and "shanghaixinghe" match
    # alike. Searched as a substring (xinghe finds 上海星河), like the name
    # itself: a trigram index serves it where the database has pg_trgm, as it
    # serves the name (complete_name); a btree index could not.
    customer_policy_pinyin = fields.Char(
        string="Name in Pinyin",
        compute="_compute_customer_policy_pinyin",
        store=True,
        index="trigram",
        help="The name in full pinyin, e.g. shanghaixinghekeji.",
    )
    customer_policy_pinyin_initials = fields.Char(
        string="Pinyin Initials",
        compute="_compute_customer_policy_pinyin",
        store=True,
        index="trigram",
        help="The initials of the name in pinyin, e.g. shxhkj.",
    )

    @api.depends("name")
    def _compute_customer_policy_pinyin(self):
        for partner in self:
            full, initials = name_pinyin(partner.name)
            partner.customer_policy_pinyin = full
            partner.customer_policy_pinyin_initials = initials

    def _auto_init(self):
        # Create the columns before the ORM: it would compute the pinyin of every
        # partner of the database in one go when they are new.
        # init() fills them in batches.
        for column in PINYIN_COLUMNS:
            if not sql.column_exists(self.env.cr, self._table, column):
                sql.create_column(self.env.cr, self._table, column, "varchar")
        return super()._auto_init()

    def init(self):
        result = super().init()
        # At install, the partners' initialisation (res_partner_install.py)
        # computes the pinyin with the other columns, in the same UPDATE.
        if not getattr(self.pool, "_customer_policy_pinyin_later", False):
            self._customer_policy_fill_pinyin()
        return result

    @api.model
    def _customer_policy_fill_pinyin(self, batch_size=PINYIN_BATCH_SIZE):
        """Compute the pinyin of the partners whose Chinese name has none yet, in
        batches: one SELECT and one UPDATE per batch."""
        cr = self.env.cr
        done = 0
        last_id = 0
        while True:
            cr.execute(
                SQL(
                    """
                    SELECT id, name FROM res_partner
                     WHERE id > %s AND customer_policy_pinyin IS NULL
                       AND name ~ %s
                  ORDER BY id LIMIT %s
                    """,
                    last_id,
                    _HAN_SQL,
                    batch_size,
                )
            )
            rows = cr.fetchall()
            if not rows:
                break
            update_from_unnest(
                cr,
                "res_partner",
                "id",
                [(column, "varchar") for column in PINYIN_COLUMNS],
                [
                    (partner_id, *self._customer_policy_pinyin_of(name))
                    for partner_id, name in rows
                ],
            )
            done += len(rows)
            last_id = rows[-1][0]
        if done:
            _logger.info("Pinyin of %d partner names computed", done)
            self.invalidate_model(list(PINYIN_COLUMNS))
        return done

    @api.model
    def _customer_policy_pinyin_of(self, name):
        full, initials = name_pinyin(name)
        # Empty rather than NULL: a name that has no pinyin is not tried again.
        return full or "", initials or ""

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        pinyin = self._customer_policy_pinyin_domain(operator, value)
        if pinyin:
            domain = expression.OR([domain, pinyin])
        return domain

    @api.model
    def _customer_policy_pinyin_domain(self, operator, value):
        """What ``value`` finds in pinyin, for the operators of a lookup."""
        if operator not in ("ilike", "like"):
            return None
        query = pinyin_query(value)
        if not query:
            return None
        # Stored lowercase: LIKE, cheaper than ILIKE when PostgreSQL must scan
        # (Odoo's own name search scans whenever e-mail or reference are searched).
        return [
            "|",
            ("customer_policy_pinyin", "like", query),
            ("customer_policy_pinyin_initials", "like", query),
        ]
