from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.archive import DATA_QUALITY_FLAGS
from ..tools.sql import update_from_unnest
from ..tools.tz import with_company_tz

# The identifiers two registered customers should never share.
_DUPLICATE_KEYS = (
    "customer_policy_vat_key",
    "customer_policy_name_key",
    "customer_policy_phone_key",
    "customer_policy_email_domain",
)


class ResPartner(models.Model):
    """The nightly data-quality check of the archive (档案质量)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    data_quality_missing = fields.Boolean(
        string="Missing Archive Fields", readonly=True, copy=False
    )
    data_quality_invalid_uscc = fields.Boolean(
        string="Invalid USCC", readonly=True, copy=False
    )
    data_quality_stale = fields.Boolean(
        string="Stale Archive", readonly=True, copy=False
    )
    data_quality_duplicate = fields.Boolean(
        string="Likely Duplicate Customer", readonly=True, copy=False
    )
    data_quality_issue = fields.Boolean(
        string="Data-quality Issue",
        readonly=True,
        copy=False,
        index=True,
        help="Set by the nightly data-quality check.",
    )

    @api.model
    def _cron_customer_data_quality(self):
        """Flag registered customers whose archive needs care.

        A fixed number of queries per company, whatever the number of customers:
        each check is one SELECT of ids, and all flags are written by a single
        UPDATE of the rows whose flags change.
        """
        # Today and the dates written are the company's, not the cron user's.
        self = with_company_tz(self)  # noqa: PLW0642
        self._customer_policy_refresh_late()
        self.env.flush_all()
        found = self._customer_policy_data_quality_findings()
        flagged = self._customer_policy_write_data_quality(found)
        self.env["ir.cron"]._notify_progress(done=flagged, remaining=0)
        return flagged

    @api.model
    def _customer_policy_data_quality_findings(self):
        """{flag: ids of the registered customers the flag's check finds}."""
        Partner = self.sudo().with_context(active_test=False)
        scope = [
            ("is_company", "=", True),
            ("customer_policy_managed", "=", True),
            ("registration_state", "=", "registered"),
            ("active", "=", True),
        ]
        found = {name: set() for name in DATA_QUALITY_FLAGS}
        # Each company's settings apply to its customers; customers without a
        # company follow the current one's.
        for (partner_company,) in Partner._read_group(scope, ["company_id"]):
            company_scope = scope + [("company_id", "=", partner_company.id)]
            found_here = Partner._customer_policy_company_findings(
                partner_company or self.env.company, company_scope
            )
            for flag, ids in found_here.items():
                found[flag] |= ids
        scope_ids = Partner._search(scope).subselect()
        found["data_quality_invalid_uscc"] = self._customer_policy_invalid_usccs(
            scope_ids
        )
        found["data_quality_duplicate"] = self._customer_policy_shared_keys(scope_ids)
        return found

    @api.model
    def _customer_policy_company_findings(self, company, domain):
        """The checks whose limits are the company's: missing required fields and
        archives not changed for too long."""
        found = {}
        required = company._customer_policy_required_fields()
        if required:
            missing = expression.OR([[(name, "=", False)] for name in required])
            found["data_quality_missing"] = self._customer_policy_ids(domain + missing)
        months = company.customer_archive_stale_months
        if months > 0:
            limit = fields.Datetime.now() - relativedelta(months=months)
            stale = [
                "|",
                ("archive_write_date", "=", False),
                ("archive_write_date", "<", limit),
            ]
            found["data_quality_stale"] = self._customer_policy_ids(domain + stale)
        return found

    @api.model
    def _customer_policy_ids(self, domain):
        self.env.cr.execute(self._search(domain).select())
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _customer_policy_invalid_usccs(self, scope_ids):
        """Chinese customers whose USCC is wrong: check characters need Python."""
        self.env.cr.execute(
            SQL(
                """SELECT p.id, p.vat FROM res_partner p
                   JOIN res_country c ON c.id = p.country_id
                   WHERE c.code = 'CN' AND p.vat IS NOT NULL AND p.vat != ''
                     AND p.id IN %s""",
                scope_ids,
            )
        )
        return {
            partner_id
            for partner_id, vat in self.env.cr.fetchall()
            if not self._customer_policy_uscc_is_valid(vat)
        }

    @api.model
    def _customer_policy_shared_keys(self, scope_ids):
        """Customers that share a normalized identifier with another one."""
        self.env.cr.execute(
            SQL(" UNION ").join(
                SQL(
                    """(SELECT unnest(array_agg(id)) FROM res_partner
                        WHERE id IN %s AND %s IS NOT NULL
                        GROUP BY %s HAVING count(*) > 1)""",
                    scope_ids,
                    SQL.identifier(column),
                    SQL.identifier(column),
                )
                for column in _DUPLICATE_KEYS
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _customer_policy_write_data_quality(self, found):
        """Write the flags of the rows whose flags change, all flags at once (a row
        is rewritten once, not once per flag); return how many rows are flagged."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, %s, data_quality_issue FROM res_partner "
                "WHERE data_quality_issue OR %s",
                SQL(", ").join(SQL.identifier(name) for name in DATA_QUALITY_FLAGS),
                SQL(" OR ").join(SQL.identifier(name) for name in DATA_QUALITY_FLAGS),
            )
        )
        current = {
            row[0]: tuple(bool(value) for value in row[1:]) for row in cr.fetchall()
        }
        candidates = set(current).union(*found.values())
        unflagged = (False,) * (len(DATA_QUALITY_FLAGS) + 1)
        changes = []
        flagged = 0
        for partner_id in candidates:
            wanted = tuple(partner_id in found[name] for name in DATA_QUALITY_FLAGS)
            flagged += any(wanted)
            if (*wanted, any(wanted)) != current.get(partner_id, unflagged):
                changes.append((partner_id, *wanted, any(wanted)))
        # Always one statement, even with nothing to change: the query count
        # does not depend on the data.
        update_from_unnest(
            cr,
            "res_partner",
            "id",
            [(name, "bool") for name in (*DATA_QUALITY_FLAGS, "data_quality_issue")],
            changes,
        )
        self.invalidate_model([*DATA_QUALITY_FLAGS, "data_quality_issue"])
        return flagged
