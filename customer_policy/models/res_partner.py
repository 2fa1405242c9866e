from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.archive import (
    ARCHIVE_FIELDS,
    DATA_QUALITY_FLAGS,
    email_domain,
    normalize_name,
    normalize_phone,
    normalize_vat,
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_policy_managed = fields.Boolean(
        string="Managed Customer",
        copy=False,
        index=True,
        tracking=True,
        help="The partner is a customer under the customer management policy.",
    )
    # Odoo Community has no department on partners; crm.team is the department
    # ("sales team") everywhere else in Odoo, so the customer's owning department
    # is one too.
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="set null",
        help="The department that owns the customer: by default the owner's.",
    )

    customer_tier_id = fields.Many2one(
        comodel_name="customer.tier",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The customer's grade under the policy; its service rules apply.",
    )

    @api.depends("user_id")
    def _compute_team_id(self):
        for partner in self:
            # A partner without owner keeps its department; a new owner brings theirs.
            if partner.user_id.sale_team_id:
                partner.team_id = partner.user_id.sale_team_id

    # ------------------------------------------------------------------
    # Customer archive, registration (备案), ownership, duplicates
    # ------------------------------------------------------------------
    # Odoo's own fields are tracked too: the chatter is the policy's operation log.
    vat = fields.Char(tracking=True)
    company_registry = fields.Char(tracking=True)
    industry_id = fields.Many2one(tracking=True)
    phone = fields.Char(tracking=True)
    email = fields.Char(tracking=True)
    street = fields.Char(tracking=True)
    city = fields.Char(tracking=True)
    country_id = fields.Many2one(tracking=True)

    registration_state = fields.Selection(
        selection=[("draft", "Not Registered"), ("registered", "Registered")],
        string="Registration",
        compute="_compute_registration_state",
        store=True,
        readonly=False,
        copy=False,
        index=True,
        tracking=True,
        help="Registered customers are in the archive (备案) and managed under the "
        "policy.",
    )
    first_contact_date = fields.Date(
        copy=False,
        tracking=True,
        help="Day of the first contact with the customer: the registration deadline "
        "counts from it.",
    )
    registration_deadline = fields.Date(
        compute="_compute_registration_deadline",
        store=True,
        help="Last day to register the customer: the first contact plus the "
        "company's registration deadline in working days, public holidays "
        "excluded.",
    )
    registration_date = fields.Date(
        compute="_compute_registration_date",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
    )
    is_registration_late = fields.Boolean(
        string="Late Registration",
        compute="_compute_is_registration_late",
        store=True,
        copy=False,
        help="Registered after the deadline, or still not registered past it.",
    )
    legal_representative = fields.Char(tracking=True)
    business_scope = fields.Text(tracking=True)
    customer_policy_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Archive Currency",
        compute="_compute_customer_policy_currency_id",
    )
    registered_capital = fields.Monetary(
        currency_field="customer_policy_currency_id",
        tracking=True,
    )
    company_scale = fields.Selection(
        selection=[
            ("large", "Large"),
            ("medium", "Medium"),
            ("small", "Small"),
            ("micro", "Micro"),
        ],
        tracking=True,
    )
    business_needs = fields.Text(tracking=True)
    purchase_preferences = fields.Text(tracking=True)
    decision_process = fields.Text(tracking=True)
    budget_amount = fields.Monetary(
        string="Budget",
        currency_field="customer_policy_currency_id",
        tracking=True,
    )
    archive_completeness = fields.Integer(
        compute="_compute_archive_completeness",
        store=True,
        help="Share of the archive fields required to register that are filled, "
        "in percent.",
    )
    archive_write_date = fields.Datetime(
        string="Archive Last Changed",
        readonly=True,
        copy=False,
        help="Last change of an archive field: archives not changed for long are "
        "flagged as stale.",
    )
    customer_developer_id = fields.Many2one(
        comodel_name="res.users",
        string="Developed By",
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="Who developed the customer (谁开发,谁管理): the registering user; "
        "changes only through an ownership transfer.",
    )
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

    @api.depends("customer_policy_managed")
    def _compute_registration_state(self):
        for partner in self:
            if partner.customer_policy_managed:
                partner.registration_state = "registered"
            elif not partner.registration_state:
                partner.registration_state = "draft"

    @api.depends("registration_state")
    def _compute_registration_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.registration_state != "registered":
                partner.registration_date = False
            elif not partner.registration_date:
                partner.registration_date = today

    def _customer_policy_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    @api.depends(
        "first_contact_date",
        "is_company",
        "company_id.resource_calendar_id",
        "company_id.customer_registration_days",
    )
    def _compute_registration_deadline(self):
        todo = defaultdict(lambda: self.browse())
        for partner in self:
            partner.registration_deadline = False
            if partner.is_company and partner.first_contact_date:
                todo[partner._customer_policy_company()] |= partner
        # One calendar read per calendar, whatever the number of partners.
        by_calendar = defaultdict(list)
        for company, partners in todo.items():
            for partner in partners:
                by_calendar[company.resource_calendar_id].append(
                    (partner, company.customer_registration_days)
                )
        for calendar, pairs in by_calendar.items():
            dates = [partner.first_contact_date for partner, _days in pairs]
            days = [days for _partner, days in pairs]
            deadlines = None
            if calendar:
                try:
                    deadlines = calendar._customer_policy_plan_days(dates, days)
                except UserError:
                    # A calendar without working days (e.g. flexible hours) must
                    # not block entering customers: count calendar days then.
                    deadlines = None
            if deadlines is None:
                deadlines = [
                    date + timedelta(days=count)
                    for date, count in zip(dates, days, strict=True)
                ]
            for (partner, _days), deadline in zip(pairs, deadlines, strict=True):
                partner.registration_deadline = deadline

    @api.depends("registration_deadline", "registration_date", "registration_state")
    def _compute_is_registration_late(self):
        # Stored although it moves with the calendar: the nightly check refreshes
        # the drafts whose deadline has passed.
        today = fields.Date.context_today(self)
        for partner in self:
            deadline = partner.registration_deadline
            if not deadline:
                partner.is_registration_late = False
            elif partner.registration_state == "registered":
                partner.is_registration_late = bool(
                    partner.registration_date and partner.registration_date > deadline
                )
            else:
                partner.is_registration_late = today > deadline

    @api.depends("company_id")
    def _compute_customer_policy_currency_id(self):
        for partner in self:
            partner.customer_policy_currency_id = (
                partner._customer_policy_company().currency_id
            )

    @api.depends(
        lambda self: [
            *self._customer_policy_archive_fields(),
            "is_company",
            "company_id",
        ]
    )
    def _compute_archive_completeness(self):
        required_cache = {}
        for partner in self:
            if not partner.is_company:
                partner.archive_completeness = 0
                continue
            company = partner._customer_policy_company()
            if company not in required_cache:
                required_cache[company] = company._customer_policy_required_fields()
            required = required_cache[company]
            if not required:
                partner.archive_completeness = 100
                continue
            filled = sum(1 for name in required if partner[name])
            partner.archive_completeness = round(100 * filled / len(required))

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

    @api.depends("name", "vat", "phone", "email", "is_company", "registration_state")
    def _compute_customer_policy_duplicate_warning(self):
        for partner in self:
            partner.customer_policy_duplicate_warning = False
            partner.customer_policy_duplicate_id = 0
            if not partner.is_company or partner.parent_id:
                continue
            matches = self._customer_policy_lookup(
                name=partner.name,
                phone=partner.phone,
                email=partner.email,
                vat=partner.vat,
                exclude_ids=partner._origin.ids,
            )
            if matches:
                partner.customer_policy_duplicate_warning = (
                    self._customer_policy_describe_matches(matches)
                )
                partner.customer_policy_duplicate_id = matches[0]["id"]

    @api.model
    def _customer_policy_archive_fields(self):
        """Names of the fields that make up the customer archive (客户档案)."""
        return list(ARCHIVE_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("is_company") and not vals.get("parent_id"):
                vals.setdefault("first_contact_date", today)
                vals.setdefault("archive_write_date", now)
        return super().create(vals_list)

    def write(self, vals):
        if (
            "customer_developer_id" in vals
            and not self.env.su
            and not self.env.context.get("customer_policy_transfer")
            and any(
                partner.customer_developer_id.id != vals["customer_developer_id"]
                for partner in self
            )
        ):
            raise UserError(
                self.env._(
                    "Who developed a customer changes only through an ownership "
                    "transfer."
                )
            )
        if "archive_write_date" not in vals and set(vals) & set(
            self._customer_policy_archive_fields()
        ):
            vals = dict(vals, archive_write_date=fields.Datetime.now())
        return super().write(vals)

    # --- Duplicate lookup -------------------------------------------------

    @api.model
    def _customer_policy_lookup(
        self, name=None, phone=None, email=None, vat=None, exclude_ids=None
    ):
        """Registered customers that look like the given identifiers.

        Runs with superuser rights, because the customer may belong to a department
        the user cannot see, and therefore returns only what anyone may be told:
        the customer's name, owner and department.

        :return: list of dicts {"id", "name", "user", "team", "match"} where
            "match" lists the identifiers that matched ("vat", "name", "phone",
            "email").
        """
        keys = {
            "vat": ("customer_policy_vat_key", normalize_vat(vat)),
            "name": ("customer_policy_name_key", normalize_name(name)),
            "phone": ("customer_policy_phone_key", normalize_phone(phone)),
            "email": ("customer_policy_email_domain", email_domain(email)),
        }
        keys = {kind: pair for kind, pair in keys.items() if pair[1]}
        if not keys:
            return []
        domain = [
            ("is_company", "=", True),
            ("customer_policy_managed", "=", True),
            ("registration_state", "=", "registered"),
        ]
        if exclude_ids:
            domain.append(("id", "not in", list(exclude_ids)))
        domain += expression.OR([[(field, "=", key)] for field, key in keys.values()])
        found = self.sudo().search(domain, limit=20, order="registration_date, id")
        result = []
        for partner in found:
            result.append(
                {
                    "id": partner.id,
                    "name": partner.name,
                    "user": partner.user_id.name or "",
                    "team": partner.team_id.name or "",
                    "match": [
                        kind
                        for kind, (field, key) in keys.items()
                        if partner[field] == key
                    ],
                }
            )
        return result

    @api.model
    def _customer_policy_describe_matches(self, matches):
        labels = {
            "vat": self.env._("same USCC"),
            "name": self.env._("same name"),
            "phone": self.env._("same phone"),
            "email": self.env._("same e-mail domain"),
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

    # --- Registration -----------------------------------------------------

    @api.model
    def _customer_policy_uscc_is_valid(self, code):
        """Check a Unified Social Credit Code against GB 32100-2015.

        stdnum's check insists on digits in the first 8 characters, but the
        registration authority and entity type (characters 1-2) may be letters,
        e.g. Y for farmers' cooperatives: only the region code must be digits.
        """
        code = normalize_vat(code)
        if not code or len(code) != 18:
            return False
        alphabet = uscc._alphabet
        if any(char not in alphabet for char in code):
            return False
        if not code[2:8].isdigit():
            return False
        return uscc.calc_check_digit(code[:17]) == code[17]

    def _customer_policy_registration_errors(self):
        """What prevents this draft customer from registering, as messages."""
        self.ensure_one()
        errors = []
        company = self._customer_policy_company()
        missing = [
            self._fields[name]._description_string(self.env)
            for name in company._customer_policy_required_fields()
            if not self[name]
        ]
        if missing:
            errors.append(
                self.env._(
                    "Fill in the archive fields required to register: %(fields)s.",
                    fields=", ".join(missing),
                )
            )
        if (
            self.vat
            and self.country_id.code == "CN"
            and not self._customer_policy_uscc_is_valid(self.vat)
        ):
            errors.append(
                self.env._(
                    "%(code)s is not a valid Unified Social Credit Code: it must "
                    "have 18 characters and a correct check character.",
                    code=self.vat,
                )
            )
        return errors

    def _customer_policy_check_duplicates(self):
        self.ensure_one()
        matches = self._customer_policy_lookup(
            name=self.name,
            phone=self.phone,
            email=self.email,
            vat=self.vat,
            exclude_ids=self.ids,
        )
        if not matches:
            return
        description = self._customer_policy_describe_matches(matches)
        team = self.team_id or (self.user_id or self.env.user).sale_team_id
        other_team = any(match["team"] != (team.name or "") for match in matches)
        if other_team:
            raise UserError(
                self.env._(
                    "%(customer)s is already registered by another department: "
                    "%(matches)s. The department that registered first keeps the "
                    "customer; file an ownership claim if you think it should be "
                    "yours.",
                    customer=self.name,
                    matches=description,
                )
            )
        raise UserError(
            self.env._(
                "%(customer)s is already registered: %(matches)s. Work on that "
                "customer instead of registering it twice.",
                customer=self.name,
                matches=description,
            )
        )

    def action_register(self):
        """Register draft customers into the archive (备案)."""
        if not self.env.user.has_group("customer_policy.group_user"):
            raise AccessError(
                self.env._("Only customer policy users can register customers.")
            )
        today = fields.Date.context_today(self)
        # One by one: a customer registered earlier in the batch is a duplicate
        # for the next one.
        for partner in self:
            if not partner.is_company or partner.parent_id:
                raise UserError(
                    self.env._(
                        "%(partner)s is not a company: only companies are "
                        "registered as customers.",
                        partner=partner.display_name,
                    )
                )
            if partner.registration_state == "registered":
                raise UserError(
                    self.env._(
                        "%(partner)s is already registered.",
                        partner=partner.display_name,
                    )
                )
            errors = partner._customer_policy_registration_errors()
            if errors:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be registered:\n%(errors)s",
                        partner=partner.display_name,
                        errors="\n".join(errors),
                    )
                )
            partner._customer_policy_check_duplicates()
            vals = {
                "customer_policy_managed": True,
                "registration_state": "registered",
                "registration_date": today,
            }
            if not partner.user_id:
                vals["user_id"] = self.env.user.id
            if not partner.customer_developer_id:
                vals["customer_developer_id"] = self.env.user.id
            partner.with_context(customer_policy_transfer=True).write(vals)
        return True

    def action_customer_policy_claim(self):
        """File an ownership claim on the registered customer this one duplicates."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ownership Claim"),
            "res_model": "customer.ownership.claim",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.customer_policy_duplicate_id or False,
                "default_draft_partner_id": self.id,
            },
        }

    def action_customer_policy_merge(self):
        """Open Odoo's partner merge wizard on this customer and its duplicates."""
        self.ensure_one()
        matches = self._customer_policy_lookup(
            name=self.name,
            phone=self.phone,
            email=self.email,
            vat=self.vat,
            exclude_ids=self.ids,
        )
        ids = self.ids + [match["id"] for match in matches]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "base.action_partner_merge"
        )
        action["context"] = {"active_model": "res.partner", "active_ids": ids}
        return action

    # --- Nightly data-quality check ---------------------------------------

    @api.model
    def _cron_customer_data_quality(self):
        """Flag registered customers whose archive needs care.

        A fixed number of queries per company, whatever the number of customers:
        each check is one SELECT of ids, and all flags are written by a single
        UPDATE of the rows whose flags change.
        """
        Partner = self.sudo().with_context(active_test=False)
        self._customer_policy_refresh_late()
        scope = [
            ("is_company", "=", True),
            ("customer_policy_managed", "=", True),
            ("registration_state", "=", "registered"),
            ("active", "=", True),
        ]
        self.env.flush_all()
        cr = self.env.cr
        found = {name: set() for name in DATA_QUALITY_FLAGS}

        def collect(flag, query):
            cr.execute(query)
            found[flag].update(row[0] for row in cr.fetchall())

        now = fields.Datetime.now()
        # Each company's settings apply to its customers; customers without a
        # company follow the current one's.
        for (partner_company,) in Partner._read_group(scope, ["company_id"]):
            company = partner_company or self.env.company
            company_scope = scope + [("company_id", "=", partner_company.id)]
            required = company._customer_policy_required_fields()
            if required:
                missing = expression.OR([[(name, "=", False)] for name in required])
                collect(
                    "data_quality_missing",
                    Partner._search(company_scope + missing).select(),
                )
            months = company.customer_archive_stale_months
            if months > 0:
                limit = now - relativedelta(months=months)
                stale = [
                    "|",
                    ("archive_write_date", "=", False),
                    ("archive_write_date", "<", limit),
                ]
                collect(
                    "data_quality_stale",
                    Partner._search(company_scope + stale).select(),
                )
        scope_ids = Partner._search(scope).subselect()
        # USCC check characters need Python.
        cr.execute(
            SQL(
                """SELECT p.id, p.vat FROM res_partner p
                   JOIN res_country c ON c.id = p.country_id
                   WHERE c.code = 'CN' AND p.vat IS NOT NULL AND p.vat != ''
                     AND p.id IN %s""",
                scope_ids,
            )
        )
        found["data_quality_invalid_uscc"].update(
            partner_id
            for partner_id, vat in cr.fetchall()
            if not self._customer_policy_uscc_is_valid(vat)
        )
        collect(
            "data_quality_duplicate",
            SQL(" UNION ").join(
                SQL(
                    """(SELECT unnest(array_agg(id)) FROM res_partner
                        WHERE id IN %s AND %s IS NOT NULL
                        GROUP BY %s HAVING count(*) > 1)""",
                    scope_ids,
                    SQL.identifier(column),
                    SQL.identifier(column),
                )
                for column in (
                    "customer_policy_vat_key",
                    "customer_policy_name_key",
                    "customer_policy_phone_key",
                    "customer_policy_email_domain",
                )
            ),
        )
        # Write only the rows whose flags change, all flags at once: a row is
        # rewritten once, not once per flag.
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
        for partner_id in candidates:
            wanted = tuple(partner_id in found[name] for name in DATA_QUALITY_FLAGS)
            if (*wanted, any(wanted)) != current.get(partner_id, unflagged):
                changes.append((partner_id, *wanted))
        # Always one statement, even with nothing to change: the query count
        # does not depend on the data.
        cr.execute(
            SQL(
                """UPDATE res_partner p
                   SET %(assign)s, data_quality_issue = (%(any)s)
                   FROM unnest(%(ids)s::int[], %(arrays)s) AS v(id, %(names)s)
                   WHERE p.id = v.id""",
                assign=SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in DATA_QUALITY_FLAGS
                ),
                any=SQL(" OR ").join(
                    SQL("v.%s", SQL.identifier(name)) for name in DATA_QUALITY_FLAGS
                ),
                ids=[change[0] for change in changes],
                arrays=SQL(", ").join(
                    SQL("%s::bool[]", [change[index] for change in changes])
                    for index in range(1, len(DATA_QUALITY_FLAGS) + 1)
                ),
                names=SQL(", ").join(
                    SQL.identifier(name) for name in DATA_QUALITY_FLAGS
                ),
            )
        )
        self.env["res.partner"].invalidate_model(
            [*DATA_QUALITY_FLAGS, "data_quality_issue"]
        )
        flagged = sum(
            1 for partner_id in candidates if any(partner_id in found[n] for n in found)
        )
        self.env["ir.cron"]._notify_progress(done=flagged, remaining=0)
        return flagged

    @api.model
    def _customer_policy_refresh_late(self):
        """Drafts whose deadline passed since yesterday become late."""
        today = fields.Date.context_today(self)
        late = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("registration_state", "=", "draft"),
                    ("is_registration_late", "=", False),
                    ("registration_deadline", "<", today),
                ]
            )
        )
        self.env.add_to_compute(self._fields["is_registration_late"], late)
        late.flush_recordset(["is_registration_late"])
