import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.archive import email_domain, normalize_name, normalize_phone, normalize_vat
from ..tools.pinyin import pinyin_query

# How many customers a lookup answers at most.
LOOKUP_LIMIT = 20


class ResPartner(models.Model):
    """The guarded customer lookup (查重, Find a Customer, complaint intake).

    Whoever searches may not read the customer they find: the lookup runs as
    superuser and answers what anyone may be told of a registered customer, and
    nothing else: its name, its owner's name and its department's name, as plain
    text. The screens that show its answer (the access lookup, the complaint
    intake, the duplicate warning) show exactly that.
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Normalized identifiers, indexed, so that duplicates are found by equality.
    customer_policy_name_key = fields.Char(
        string="Normalized Name",
        compute="_compute_customer_policy_keys",
        store=True,
        index="btree_not_null",
    )
    customer_policy_vat_key = fields.Char(
        string="Normalized USCC",
        compute="_compute_customer_policy_keys",
        store=True,
        index="btree_not_null",
    )
    customer_policy_phone_key = fields.Char(
        string="Normalized Phone",
        compute="_compute_customer_policy_keys",
        store=True,
        index="btree_not_null",
    )
    customer_policy_email_domain = fields.Char(
        string="Company E-mail Domain",
        compute="_compute_customer_policy_keys",
        store=True,
        index="btree_not_null",
    )
    customer_policy_duplicate_warning = fields.Char(
        string="Likely Duplicate",
        compute="_compute_customer_policy_duplicate_warning",
    )
    customer_policy_duplicate_id = fields.Integer(
        compute="_compute_customer_policy_duplicate_warning",
    )

    @api.depends("name", "vat", "phone", "email", "is_company")
    def _compute_customer_policy_keys(self):
        for partner in self:
            if not partner.is_company:
                partner.customer_policy_name_key = False
                partner.customer_policy_vat_key = False
                partner.customer_policy_phone_key = False
                partner.customer_policy_email_domain = False
                continue
            partner.customer_policy_name_key = normalize_name(partner.name)
            partner.customer_policy_vat_key = normalize_vat(partner.vat)
            partner.customer_policy_phone_key = normalize_phone(partner.phone)
            partner.customer_policy_email_domain = email_domain(partner.email)

    @api.depends(
        "name",
        "vat",
        "phone",
        "email",
        "is_company",
        "registration_state",
        "customer_policy_individual",
        "customer_policy_ric_key",
        "customer_policy_mobile_key",
    )
    def _compute_customer_policy_duplicate_warning(self):
        for partner in self:
            partner.customer_policy_duplicate_warning = False
            partner.customer_policy_duplicate_id = 0
            if partner.parent_id or not (
                partner.is_company or partner.customer_policy_individual
            ):
                continue
            matches = partner._customer_policy_duplicates()
            if matches:
                partner.customer_policy_duplicate_warning = (
                    self._customer_policy_describe_matches(matches)
                )
                partner.customer_policy_duplicate_id = matches[0]["id"]

    @api.model
    def _customer_policy_lookup(
        self,
        name=None,
        phone=None,
        email=None,
        vat=None,
        exclude_ids=None,
        query=None,
        limit=LOOKUP_LIMIT,
        ric=None,
        mobile=None,
    ):
        """Registered customers that look like the given identifiers, or that the
        free text ``query`` names.

        Runs with superuser rights, because the customer may belong to a department
        the user cannot see, and therefore returns only what anyone may be told:
        the customer's name, owner and department.

        :param query: what a user types in Find a Customer: part of the name, six
            digits or more of a phone number, or the whole USCC; the identifiers
            are then not used.
        :param ric: an individual's resident identity number
        :param mobile: an individual's mobile number; it matches another
            individual's mobile or a company's phone, as ``phone`` does
        :return: list of dicts {"id", "name", "user", "team", "match"} where
            "match" lists what matched ("vat", "name", "phone", "email", "ric",
            "mobile").
        """
        if query is not None:
            found, matched = self._customer_policy_lookup_text(query, limit)
        else:
            found, matched = self._customer_policy_lookup_keys(
                {
                    "vat": vat,
                    "name": name,
                    "phone": phone,
                    "email": email,
                    "ric": ric,
                    "mobile": mobile,
                },
                exclude_ids,
                limit,
            )
        return [
            {
                "id": partner.id,
                "name": partner.name,
                "user": partner.user_id.name or "",
                "team": partner.team_id.name or "",
                "match": matched(partner),
            }
            for partner in found
        ]

    @api.model
    def _customer_policy_lookup_keys(self, identifiers, exclude_ids, limit):
        """Registered customers (companies and individuals) sharing a normalized
        identifier (duplicate control), in the order they were registered."""
        # A phone number is a company's phone or a person's mobile: each one
        # matches both.
        numbers = ("customer_policy_phone_key", "customer_policy_mobile_key")
        normalizers = {
            "vat": (("customer_policy_vat_key",), normalize_vat),
            "name": (("customer_policy_name_key",), normalize_name),
            "phone": (numbers, normalize_phone),
            "email": (("customer_policy_email_domain",), email_domain),
            "ric": (("customer_policy_ric_key",), normalize_vat),
            "mobile": (numbers, normalize_phone),
        }
        keys = {}
        for kind, (columns, normalize) in normalizers.items():
            key = normalize(identifiers.get(kind))
            if key:
                keys[kind] = (columns, key)
        if not keys:
            return self.browse(), None
        domain = [
            ("parent_id", "=", False),
            ("customer_policy_managed", "=", True),
            ("registration_state", "=", "registered"),
        ]
        if exclude_ids:
            domain.append(("id", "not in", list(exclude_ids)))
        domain += expression.OR(
            [
                [(column, "=", key)]
                for columns, key in keys.values()
                for column in columns
            ]
        )
        found = self.sudo().search(domain, limit=limit, order="registration_date, id")

        def matched(partner):
            return [
                kind
                for kind, (columns, key) in keys.items()
                if any(partner[column] == key for column in columns)
            ]

        return found, matched

    @api.model
    def _customer_policy_lookup_text(self, query, limit):
        """Managed customers of the user's companies whose name contains ``query``,
        whose USCC is ``query``, or whose phone numbers contain its digits."""
        query = (query or "").strip()
        digits = re.sub(r"\D", "", query)
        if len(query) < 2:
            raise UserError(
                self.env._("Type at least two characters of the customer's name.")
            )
        conditions = [SQL("p.name ILIKE %s", f"%{query}%")]
        pinyin = pinyin_query(query)
        if pinyin:
            conditions += [
                SQL("p.customer_policy_pinyin LIKE %s", f"%{pinyin}%"),
                SQL("p.customer_policy_pinyin_initials LIKE %s", f"%{pinyin}%"),
            ]
        if len(query) >= 15:
            conditions.append(SQL("upper(p.vat) = %s", query.upper()))
        if len(digits) >= 6:
            for column in ("phone", "mobile"):
                conditions.append(
                    SQL(
                        "regexp_replace(coalesce(p.%s, ''), '[^0-9]', '', 'g') LIKE %s",
                        SQL.identifier(column),
                        f"%{digits}%",
                    )
                )
        self.flush_model(
            [
                "name",
                "vat",
                "phone",
                "mobile",
                "customer_policy_managed",
                "company_id",
                "customer_policy_pinyin",
                "customer_policy_pinyin_initials",
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE p.active AND p.customer_policy_managed
                   AND p.id = p.commercial_partner_id
                   AND (p.company_id IS NULL OR p.company_id IN %s)
                   AND (%s)
                 ORDER BY p.name, p.id
                 LIMIT %s
                """,
                tuple(self.env.companies.ids),
                SQL(" OR ").join(conditions),
                limit,
            )
        )

        def matched(partner):
            kinds = []
            if query.casefold() in (partner.name or "").casefold() or (
                pinyin
                and (
                    pinyin in (partner.customer_policy_pinyin or "")
                    or pinyin in (partner.customer_policy_pinyin_initials or "")
                )
            ):
                kinds.append("name")
            if len(query) >= 15 and (partner.vat or "").upper() == query.upper():
                kinds.append("vat")
            numbers = (partner.phone or "") + " " + (partner.mobile or "")
            if len(digits) >= 6 and digits in re.sub(r"\D", "", numbers):
                kinds.append("phone")
            return kinds

        return self.sudo().browse(row[0] for row in rows), matched

    def _customer_policy_duplicates(self):
        """What the lookup answers about this customer's own identifiers."""
        self.ensure_one()
        if not self.is_company:
            return self._customer_policy_individual_duplicates()
        return self._customer_policy_lookup(
            name=self.name,
            phone=self.phone,
            email=self.email,
            vat=self.vat,
            exclude_ids=self._origin.ids,
        )

    @api.model
    def _customer_policy_describe_matches(self, matches):
        labels = {
            "vat": self.env._("same USCC"),
            "name": self.env._("same name"),
            "phone": self.env._("same phone"),
            "email": self.env._("same e-mail domain"),
            "ric": self.env._("same resident ID number"),
            "mobile": self.env._("same mobile"),
        }
        lines = []
        for match in matches:
            lines.append(
                self.env._(
                    "%(customer)s (owner: %(owner)s, department: %(team)s; "
                    "%(reasons)s)",
                    customer=match["name"],
                    owner=match["user"] or self.env._("none"),
                    team=match["team"] or self.env._("none"),
                    reasons=", ".join(labels[kind] for kind in match["match"]),
                )
            )
        return "; ".join(lines)
