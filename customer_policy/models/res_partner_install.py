import logging

from odoo import models
from odoo.tools import SQL, split_every, sql

from ..tools.archive import email_domain, normalize_name, normalize_phone, normalize_vat
from ..tools.sql import update_from_unnest
from .res_partner_pinyin import _HAN_SQL, PINYIN_COLUMNS

_logger = logging.getLogger(__name__)

# Partners computed, flushed and dropped from memory at a time.
INIT_BATCH = 5000
# The column whose absence says that the addon is being installed: then no
# partner is managed, registered, dated or under an agreement yet.
INSTALL_MARKER = "customer_policy_managed"
# What the stored computed fields hold on such a partner, written as the new
# column's default: PostgreSQL keeps it for the existing rows without writing
# them, where the ORM would compute and update every partner.
INSTALL_VALUES = {
    "registration_state": "draft",
    "registration_deadline": None,
    "registration_date": None,
    "is_registration_late": False,
    "next_birthday": None,
    "customer_policy_ric_key": None,
    "customer_policy_mobile_key": None,
    "customer_policy_individual": False,
    "annual_contract_amount": 0.0,
    # An individual without resident ID or own mobile; companies are computed
    # by _customer_policy_init_keys.
    "archive_completeness": 0,
    # Related to the commercial partner (res_partner_access.py): Odoo would
    # compute them on every partner; its owner and department are copied by
    # _customer_policy_init_related where there are some.
    "customer_policy_commercial_managed": False,
    "customer_policy_owner_id": None,
    "customer_policy_team_id": None,
    # Filled on the companies by _customer_policy_init_keys.
    "customer_policy_name_key": None,
    "customer_policy_vat_key": None,
    "customer_policy_phone_key": None,
    "customer_policy_email_domain": None,
}
# Field types whose value for "is it filled" is the column's own truth value.
PLAIN_TYPES = {
    "char",
    "text",
    "html",
    "selection",
    "many2one",
    "date",
    "datetime",
    "integer",
    "float",
    "monetary",
    "boolean",
}


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _auto_init(self):
        """Initialise the addon's new stored columns on existing partners
        without the ORM's per-partner computation, and with tracking off.

        Left to the ORM, every partner of the database would be computed in one
        go and each tracked field would post a chatter message on each of them
        ("Registration: Not Registered"): hours and 200,000 rows of noise on a
        database that goes live with 100,000 contacts. At install, the columns
        whose value is known come with it (a column default, no row written),
        the normalised keys and the archive completeness are computed in SQL
        batches once the companies have their settings; what remains is
        computed by the ORM in batches.
        """
        installing = not sql.column_exists(self.env.cr, self._table, INSTALL_MARKER)
        if installing:
            self._customer_policy_create_columns()
        result = super()._auto_init()
        tocompute = self.env.transaction.tocompute
        pending = {
            field: tocompute.pop(field)
            for field in list(tocompute)
            if field.model_name == self._name and tocompute.get(field)
        }
        if installing or pending:
            init = self._customer_policy_init_columns
            if getattr(self.pool, "_post_init_queue", None) is not None:
                # After every model has its columns. The pinyin waits for it
                # too: each partner is written once.
                self.pool._customer_policy_pinyin_later = installing
                self.pool.post_init(init, pending, installing)
            else:
                init(pending, installing)
        return result

    def _customer_policy_create_columns(self):
        """Create the new columns of the fields with a known value on existing
        partners (INSTALL_VALUES, and the plain defaults the ORM would write
        with one UPDATE of the whole table each) with that value."""
        cr = self.env.cr
        if not sql.table_exists(cr, self._table):
            return
        columns = sql.table_columns(cr, self._table)
        for field in self._fields.values():
            if not field.store or not field.column_type or field.name in columns:
                continue
            if field.name in INSTALL_VALUES:
                value = INSTALL_VALUES[field.name]
            elif field.compute or not field.default or field.type not in PLAIN_TYPES:
                continue
            else:
                value = field.default(self)
            value = field.convert_to_column_insert(
                field.convert_to_write(value, self), self
            )
            if value is None or (value is False and field.type == "boolean"):
                sql.create_column(
                    cr, self._table, field.name, field.column_type[1], field.string
                )
                continue
            # A default given when the column is added is kept for the rows
            # that exist (PostgreSQL's "missing value") without writing them;
            # dropped at once, it leaves the new rows to the ORM.
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN %s %s DEFAULT %s",
                    SQL.identifier(self._table),
                    SQL.identifier(field.name),
                    SQL(field.column_type[1]),
                    value,
                )
            )
            cr.execute(
                SQL(
                    "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
                    SQL.identifier(self._table),
                    SQL.identifier(field.name),
                )
            )

    def _customer_policy_init_columns(self, pending, installing=False):
        partners = self.with_context(
            tracking_disable=True, mail_notrack=True, active_test=False
        )
        if installing:
            # The companies get their archive settings first, so that the
            # completeness is computed once, with them.
            self.env["res.company"].with_context(
                customer_policy_install=True
            )._customer_policy_init_required_fields()
            if not self._customer_policy_init_keys():
                # A required archive field that is no column of its own.
                completeness = self._fields["archive_completeness"]
                self.env.cr.execute("SELECT id FROM res_partner WHERE is_company")
                pending[completeness] = {row[0] for row in self.env.cr.fetchall()}
            self.pool._customer_policy_pinyin_later = False
            # The Chinese names the batches did not reach (none but in a race).
            self._customer_policy_fill_pinyin()
            self._customer_policy_init_related()
            # A new owner's department: only partners that have an owner.
            team = self._fields.get("team_id")
            if team in pending:
                self.env.cr.execute(
                    "SELECT id FROM res_partner WHERE user_id IS NOT NULL"
                )
                pending[team] = {row[0] for row in self.env.cr.fetchall()}
                # And the department copied on their contacts.
                self.env.cr.execute(
                    """
                    SELECT p.id FROM res_partner p
                      JOIN res_partner c ON c.id = p.commercial_partner_id
                     WHERE c.user_id IS NOT NULL
                    """
                )
                pending[self._fields["customer_policy_team_id"]] = {
                    row[0] for row in self.env.cr.fetchall()
                }
        pending = {field: ids for field, ids in pending.items() if ids}
        if not pending:
            return
        ids = sorted(set().union(*pending.values()))
        _logger.info(
            "Initialising %s on %s partners",
            ", ".join(field.name for field in pending),
            len(ids),
        )
        for batch in split_every(INIT_BATCH, ids):
            records = partners.browse(batch)
            for field in pending:
                self.env.add_to_compute(
                    field, records.browse(pending[field] & set(batch))
                )
            # Fields that depend on these are computed in the same context.
            partners.env.flush_all()
            self.env.invalidate_all()

    def _customer_policy_init_related(self):
        """The owner and department of each partner's commercial partner, on
        the partners whose commercial partner has some: one UPDATE."""
        self.env.cr.execute(
            """
            UPDATE res_partner p
               SET customer_policy_owner_id = c.user_id,
                   customer_policy_team_id = c.team_id
              FROM res_partner c
             WHERE c.id = p.commercial_partner_id
               AND (c.user_id IS NOT NULL OR c.team_id IS NOT NULL)
            """
        )

    def _customer_policy_init_keys(self, batch_size=INIT_BATCH):
        """The normalised keys and the archive completeness of the companies,
        and the pinyin of the Chinese names, as their computes give them, in
        one SELECT and one UPDATE per batch: each partner is written once.
        False when the completeness is left to the ORM."""
        cr = self.env.cr
        required = self._customer_policy_install_required()
        with_completeness = required is not None
        required = required or {None: []}
        extra = sorted({name for names in required.values() for name in names})
        columns = [
            ("customer_policy_name_key", "varchar"),
            ("customer_policy_vat_key", "varchar"),
            ("customer_policy_phone_key", "varchar"),
            ("customer_policy_email_domain", "varchar"),
            ("archive_completeness", "int"),
            *((column, "varchar") for column in PINYIN_COLUMNS),
        ]
        done = last_id = 0
        while True:
            cr.execute(
                SQL(
                    """
                    SELECT id, company_id, is_company, name ~ %s, name, vat, phone,
                           email%s
                      FROM res_partner
                     WHERE (is_company OR name ~ %s) AND id > %s
                  ORDER BY id LIMIT %s
                    """,
                    _HAN_SQL,
                    SQL("").join(SQL(", %s", SQL.identifier(name)) for name in extra),
                    _HAN_SQL,
                    last_id,
                    batch_size,
                )
            )
            rows = cr.fetchall()
            if not rows:
                break
            values = []
            for partner_id, company_id, is_company, han, *texts in rows:
                name, vat, phone, email, *filled = texts
                pinyin = self._customer_policy_pinyin_of(name) if han else (None, None)
                if not is_company:
                    values.append((partner_id, None, None, None, None, 0, *pinyin))
                    continue
                filled = dict(zip(extra, filled, strict=True))
                names = required.get(company_id, required[None])
                completeness = (
                    round(100 * sum(1 for name in names if filled[name]) / len(names))
                    if names
                    else 100
                )
                values.append(
                    (
                        partner_id,
                        normalize_name(name) or None,
                        normalize_vat(vat) or None,
                        normalize_phone(phone) or None,
                        email_domain(email) or None,
                        completeness,
                        *pinyin,
                    )
                )
            if with_completeness:
                update_from_unnest(cr, "res_partner", "id", columns, values)
            else:
                update_from_unnest(
                    cr,
                    "res_partner",
                    "id",
                    columns[:4] + columns[5:],
                    [row[:5] + row[6:] for row in values],
                )
            done += len(rows)
            last_id = rows[-1][0]
        _logger.info(
            "Initialised the keys, completeness and pinyin of %s partners", done
        )
        return with_completeness

    def _customer_policy_install_required(self):
        """{company id (None: a partner shared between companies): names of the
        archive fields it requires}. A field the SQL batches cannot read as a
        column's truth value (a many2many) leaves the completeness to the ORM:
        None then."""
        required = {}
        # A database holds a handful of companies, never enough to need a limit.
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            required[company.id] = company._customer_policy_required_fields()
        required[None] = required.get(self.env.company.id, [])
        for names in required.values():
            for name in names:
                field = self._fields[name]
                if not field.store or field.type not in PLAIN_TYPES:
                    return None
        return required
