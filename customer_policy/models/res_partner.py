from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_amount, format_date, plaintext2html

from ..tools.archive import (
    ARCHIVE_FIELDS,
    DATA_QUALITY_FLAGS,
    email_domain,
    normalize_name,
    normalize_phone,
    normalize_vat,
)
from ..tools.visit import (
    DIGEST_PARAM,
    VISIT_TYPES_COUNTED,
    visit_period_bounds,
    visit_requirement,
)

# Set while the web client reads through another entry point (list, kanban, save),
# so that only the opening of a record's form is traced as a read.
_NO_LOG = "customer_policy_no_access_log"

# Customers handled per call of the monthly re-grading; the cron framework calls
# again (and commits in between) while some remain.
REGRADE_BATCH_SIZE = 1000


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
    # The confidential part of the archive (客户信息安全): only the policy's ranks
    # read it; the service desk, Legal and Finance see the customer without it.
    legal_representative = fields.Char(
        tracking=True, groups="customer_policy.group_user"
    )
    business_scope = fields.Text(tracking=True)
    customer_policy_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Archive Currency",
        compute="_compute_customer_policy_currency_id",
    )
    registered_capital = fields.Monetary(
        currency_field="customer_policy_currency_id",
        tracking=True,
        groups="customer_policy.group_user",
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
    business_needs = fields.Text(tracking=True, groups="customer_policy.group_user")
    purchase_preferences = fields.Text(
        tracking=True, groups="customer_policy.group_user"
    )
    decision_process = fields.Text(tracking=True, groups="customer_policy.group_user")
    budget_amount = fields.Monetary(
        string="Budget",
        currency_field="customer_policy_currency_id",
        tracking=True,
        groups="customer_policy.group_user",
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
        partners = super().create(vals_list)
        partners._customer_policy_tier_after_create()
        return partners

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
        return self._customer_policy_tier_write(vals, super().write)

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

    # --- Tiers (客户分级) -----------------------------------------------------------
    annual_contract_amount = fields.Monetary(
        currency_field="customer_policy_currency_id",
        compute="_compute_annual_contract_amount",
        store=True,
        copy=False,
        help="Active agreements signed in the last 12 months, in the company "
        "currency: the amount the tier suggestion and the monthly re-grading use.",
    )
    tier_suggested_id = fields.Many2one(
        comodel_name="customer.tier",
        string="Suggested Tier",
        compute="_compute_tier_suggested_id",
        compute_sudo=True,
        help="The tier whose minimum annual contract amount the customer reaches.",
    )
    customer_tier_code = fields.Char(related="customer_tier_id.code")
    customer_tier_color = fields.Integer(related="customer_tier_id.color")
    customer_project_team_ids = fields.Many2many(
        comodel_name="res.users",
        relation="res_partner_customer_project_team_rel",
        column1="partner_id",
        column2="user_id",
        string="Project Team",
        domain=[("share", "=", False)],
        copy=False,
        help="The dedicated team serving the customer; tiers that require a project "
        "team need at least two members.",
    )
    tier_locked = fields.Boolean(
        string="Tier Pinned",
        copy=False,
        tracking=True,
        help="A Director pinned the tier by hand: the monthly re-grading leaves it.",
    )
    tier_downgrade_since = fields.Date(
        string="Below Tier Threshold Since",
        copy=False,
        readonly=True,
        help="First re-grading that found the contract amount below the tier's "
        "threshold; the downgrade waits for the grace period.",
    )
    tier_proposed_id = fields.Many2one(
        comodel_name="customer.tier",
        string="Proposed Tier",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="Tier the monthly re-grading proposed and that awaits approval.",
    )
    customer_tier_history_ids = fields.One2many(
        comodel_name="customer.tier.history",
        inverse_name="partner_id",
        string="Tier History",
        readonly=True,
    )

    # Agreements add their dependencies here (and the 12-month window) once they
    # exist; until then every customer stands at 0.
    @api.depends(
        "customer_agreement_ids.state",
        "customer_agreement_ids.amount_total",
        "customer_agreement_ids.date_signed",
        "customer_agreement_ids.currency_id",
    )
    def _compute_annual_contract_amount(self):
        amounts = self._customer_policy_annual_amounts()
        for partner in self:
            partner.annual_contract_amount = amounts.get(partner.id, 0.0)

    def _customer_policy_annual_amounts(self):
        """{partner id: amount of active agreements signed in the last 12 months}."""
        if "customer.agreement" not in self.env:
            return {}
        return self.env["customer.agreement"]._customer_policy_annual_amounts(self)

    @api.depends(
        "annual_contract_amount", "company_id", "customer_policy_managed", "parent_id"
    )
    def _compute_tier_suggested_id(self):
        tiers = (
            self.env["customer.tier"]
            .search([("active", "=", True)])
            .sorted(lambda tier: (-tier.min_annual_amount, tier.sequence, tier.id))
        )
        for partner in self:
            partner.tier_suggested_id = False
            if not partner.customer_policy_managed or partner.parent_id:
                continue
            for tier in tiers:
                if tier.company_id and tier.company_id != partner.company_id:
                    continue
                if tier.min_annual_amount <= partner.annual_contract_amount:
                    partner.tier_suggested_id = tier
                    break

    # --- Tier rules ------------------------------------------------------------------
    def _customer_policy_tier_violations(self, tier=None):
        """The service rules of `tier` (default: each partner's own) they break.

        :return: {partner: message} for the partners breaking a rule
        """
        violations = {}
        for partner in self:
            target = tier if tier is not None else partner.customer_tier_id
            if not target:
                continue
            if (
                target.requires_project_team
                and len(partner.customer_project_team_ids) < 2
            ):
                violations[partner] = self.env._(
                    "%(customer)s cannot be a %(tier)s: this tier requires a project "
                    "team of at least 2 members.",
                    customer=partner.display_name,
                    tier=target.name,
                )
            elif target.requires_senior_owner:
                company = partner.company_id or self.env.company
                seniors = company.sudo().customer_senior_salesperson_ids
                if not partner.user_id:
                    violations[partner] = self.env._(
                        "%(customer)s cannot be a %(tier)s: this tier requires a "
                        "senior salesperson as owner, and the customer has no owner.",
                        customer=partner.display_name,
                        tier=target.name,
                    )
                elif partner.user_id not in seniors:
                    violations[partner] = self.env._(
                        "%(customer)s cannot be a %(tier)s: this tier requires a "
                        "senior salesperson as owner, and %(owner)s is not one "
                        "(Settings ▸ Customer Policy ▸ Senior salespeople).",
                        customer=partner.display_name,
                        tier=target.name,
                        owner=partner.user_id.name,
                    )
        return violations

    @api.constrains("customer_tier_id", "customer_project_team_ids", "user_id")
    def _check_customer_tier_rules(self):
        violations = self._customer_policy_tier_violations()
        if violations:
            raise ValidationError("\n".join(violations.values()))

    def _customer_policy_check_tier_rights(self, new_tier):
        """Refuse a tier change the current user may not make."""
        user = self.env.user
        if user.has_group("customer_policy.group_director"):
            return
        for partner in self:
            if partner.tier_locked:
                raise AccessError(
                    self.env._(
                        "The tier of %(customer)s is pinned by a Director: only a "
                        "Director can change it.",
                        customer=partner.display_name,
                    )
                )
            for tier in partner.customer_tier_id | new_tier:
                if tier.director_approval:
                    raise AccessError(
                        self.env._(
                            "Only a Director can move %(customer)s into or out of the "
                            "tier %(tier)s.",
                            customer=partner.display_name,
                            tier=tier.name,
                        )
                    )
            if not user.has_group("customer_policy.group_manager"):
                raise AccessError(
                    self.env._(
                        "Only a Manager or a Director can change the tier of "
                        "%(customer)s.",
                        customer=partner.display_name,
                    )
                )

    def _customer_policy_check_lock_rights(self):
        if not self.env.su and not self.env.user.has_group(
            "customer_policy.group_director"
        ):
            raise AccessError(
                self.env._("Only a Director can pin or unpin a customer's tier.")
            )

    def _customer_policy_tier_reason(self, partner):
        reason = self.env.context.get("customer_tier_change_reason")
        if isinstance(reason, dict):
            reason = reason.get(partner.id)
        return (reason or "").strip()

    def _customer_policy_log_tier_changes(self, old_tiers):
        """Write one history row per changed partner; close what the change settles."""
        change_type = self.env.context.get("customer_tier_change_type", "manual")
        default_reason = self.env._("Changed without a stated reason (system).")
        self.env["customer.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": partner.company_id.id,
                    "old_tier_id": old_tiers.get(partner.id, False),
                    "new_tier_id": partner.customer_tier_id.id,
                    "user_id": self.env.uid,
                    "reason": self._customer_policy_tier_reason(partner)
                    or default_reason,
                    "change_type": change_type,
                }
                for partner in self
            ]
        )
        settled = self.filtered(
            lambda partner: partner.tier_downgrade_since or partner.tier_proposed_id
        )
        if settled:
            proposed = settled.filtered("tier_proposed_id")
            super(ResPartner, settled.sudo()).write(
                {"tier_downgrade_since": False, "tier_proposed_id": False}
            )
            if proposed:
                proposed._customer_policy_tier_proposal_activities().sudo().unlink()
        return True

    def _customer_policy_tier_proposal_activities(self):
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_tier_proposal", raise_if_not_found=False
        )
        if not activity_type or not self:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    def _customer_policy_tier_after_create(self):
        """Check the rights on and log the tiers given at creation."""
        partners = self
        graded = partners.filtered("customer_tier_id")
        if not self.env.su:
            if partners.filtered("tier_locked"):
                partners._customer_policy_check_lock_rights()
            for partner in graded:
                partner._customer_policy_check_tier_rights(partner.customer_tier_id)
        if graded:
            if not self.env.context.get("customer_tier_change_reason"):
                graded = graded.with_context(
                    customer_tier_change_reason=self.env._("Tier given at creation.")
                )
            graded._customer_policy_log_tier_changes({})
        return partners

    def _customer_policy_tier_write(self, vals, write):
        """Guard and log a tier change around ``write(vals)``."""
        if "tier_locked" in vals:
            self._customer_policy_check_lock_rights()
        if "customer_tier_id" not in vals:
            return write(vals)
        new_tier = self.env["customer.tier"].browse(vals["customer_tier_id"])
        changed = self.filtered(lambda partner: partner.customer_tier_id != new_tier)
        if changed and not self.env.su:
            changed._customer_policy_check_tier_rights(new_tier)
            for partner in changed:
                if not self._customer_policy_tier_reason(partner):
                    raise UserError(
                        self.env._(
                            "Give a reason to change the tier of %(customer)s (use "
                            "the Change Tier button).",
                            customer=partner.display_name,
                        )
                    )
        old_tiers = {partner.id: partner.customer_tier_id.id for partner in changed}
        result = write(vals)
        if changed:
            changed._customer_policy_log_tier_changes(old_tiers)
        return result

    def copy_data(self, default=None):
        # A copy starts ungraded: grading is a decision, not a duplicate.
        vals_list = super().copy_data(default=default)
        if not (default and "customer_tier_id" in default):
            for vals in vals_list:
                vals.pop("customer_tier_id", None)
        return vals_list

    # --- Actions ---------------------------------------------------------------------
    def action_change_tier(self, tier_id, reason):
        """Move the customers to a tier by hand, with a reason (wizard and RPC)."""
        tier = self.env["customer.tier"].browse(
            tier_id.id if isinstance(tier_id, models.BaseModel) else tier_id
        )
        if not tier.exists():
            raise UserError(self.env._("Choose an existing tier."))
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give a reason for the tier change."))
        for partner in self:
            if partner.parent_id or not partner.customer_policy_managed:
                raise UserError(
                    self.env._(
                        "%(partner)s is not a customer under the policy: only "
                        "customers (companies or individuals, not their contact "
                        "persons) are graded.",
                        partner=partner.display_name,
                    )
                )
        changed = self.filtered(lambda partner: partner.customer_tier_id != tier)
        if not changed:
            raise UserError(
                self.env._(
                    "The customer is already a %(tier)s.",
                    tier=tier.name,
                )
            )
        changed.with_context(
            customer_tier_change_reason=reason, customer_tier_change_type="manual"
        ).write({"customer_tier_id": tier.id})
        return True

    def action_open_tier_change_wizard(self):
        self.ensure_one()
        tier = self.tier_proposed_id or self.tier_suggested_id
        if self.env.context.get("customer_tier_apply_suggestion") and tier:
            reason = self.env._(
                "Suggestion applied: annual contract amount %(amount)s.",
                amount=format_amount(
                    self.env,
                    self.annual_contract_amount,
                    self.customer_policy_currency_id,
                ),
            )
        else:
            tier, reason = self.env["customer.tier"], False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Tier"),
            "res_model": "customer.tier.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_tier_id": tier.id,
                "default_reason": reason,
                "default_lock": self.tier_locked,
            },
        }

    def action_unlock_tier(self):
        self.write({"tier_locked": False})
        return True

    # --- Monthly re-grading ----------------------------------------------------------
    @api.model
    def _cron_regrade_customer_tiers(self, batch_size=REGRADE_BATCH_SIZE):
        """Re-grade unlocked customers from their annual contract amount.

        One SQL query finds, for every managed customer, the tier its amount
        reaches and keeps only those needing an action; the actions are then
        applied with one write per target tier: upgrades (proposals for tiers
        reserved to Directors or whose rules the customer does not meet yet),
        downgrades after the company's grace period, and the grace period's
        start and end. At most `batch_size` customers per call; the progress
        is reported to the cron, which calls again for the rest.
        """
        partners_model = self.sudo().with_context(tracking_disable=True)
        rows, total = partners_model._customer_policy_regrade_candidates(batch_size)
        if not rows:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        today = fields.Date.context_today(self)
        tiers = self.env["customer.tier"].sudo().with_context(active_test=False)
        partners = partners_model.browse([row["id"] for row in rows])
        companies = partners_model.env["res.company"].browse(
            {row["company_id"] for row in rows}
        )
        changes, proposals = {}, {}
        reasons, proposal_notes = {}, {}
        start_grace, reset_grace, withdraw = [], [], []
        for row, partner in zip(rows, partners, strict=True):
            target = tiers.browse(row["target_id"])
            current = tiers.browse(row["cur_id"])
            company = companies.browse(row["company_id"])
            since = row["since"]
            if row["proposed_id"] and row["proposed_id"] != target.id:
                withdraw.append(partner.id)
            if row["direction"] == "same":
                if since:
                    reset_grace.append(partner.id)
                continue
            grace = company.customer_tier_grace_days
            amount = format_amount(
                self.env, row["amount"], partner.customer_policy_currency_id
            )
            threshold = format_amount(
                self.env, target.min_annual_amount, partner.customer_policy_currency_id
            )
            if row["direction"] == "up":
                if since:
                    reset_grace.append(partner.id)
                reason = self.env._(
                    "Re-grading: the contract amount of the last 12 months, "
                    "%(amount)s, reaches the threshold of %(tier)s (%(threshold)s).",
                    amount=amount,
                    tier=target.name,
                    threshold=threshold,
                )
            else:
                due = grace == 0 or (since and since <= today - timedelta(days=grace))
                if not due:
                    if not since:
                        start_grace.append(partner.id)
                    continue
                reason = self.env._(
                    "Re-grading: the contract amount of the last 12 months, "
                    "%(amount)s, has been below the threshold of %(old_tier)s "
                    "since %(date)s (grace period %(days)s days).",
                    amount=amount,
                    old_tier=current.name,
                    date=format_date(self.env, since or today),
                    days=grace,
                )
            blocked = partner._customer_policy_tier_violations(target).get(partner)
            if target.director_approval or blocked:
                proposals.setdefault(target, []).append(partner.id)
                proposal_notes[partner.id] = (reason, blocked)
            else:
                changes.setdefault(target, []).append(partner.id)
                reasons[partner.id] = reason
        if withdraw:
            withdrawn = partners_model.browse(withdraw)
            withdrawn._customer_policy_tier_proposal_activities().unlink()
            withdrawn.write({"tier_proposed_id": False})
        if reset_grace:
            partners_model.browse(reset_grace).write({"tier_downgrade_since": False})
        if start_grace:
            partners_model.browse(start_grace).write({"tier_downgrade_since": today})
        regrade = partners_model.with_context(
            customer_tier_change_reason=reasons, customer_tier_change_type="regrade"
        )
        for target, partner_ids in changes.items():
            regrade.browse(partner_ids).write({"customer_tier_id": target.id})
        for target, partner_ids in proposals.items():
            proposed = partners_model.browse(partner_ids)
            proposed.write({"tier_proposed_id": target.id})
            proposed._customer_policy_schedule_tier_proposals(target, proposal_notes)
        self.env["ir.cron"]._notify_progress(
            done=len(rows), remaining=max(total - len(rows), 0)
        )

    def _customer_policy_regrade_candidates(self, limit):
        """Managed customers the re-grading must act on, and how many there are.

        :return: (rows, total): dicts with id, cur_id (current tier), target_id
            (the tier the amount reaches), direction ('up', 'down', 'same'),
            since, proposed_id, amount, company_id; total counts every candidate,
            `limit` at most are returned.
        """
        self.env["res.partner"].flush_model(
            [
                "customer_policy_managed",
                "active",
                "tier_locked",
                "commercial_partner_id",
                "customer_tier_id",
                "tier_downgrade_since",
                "tier_proposed_id",
                "annual_contract_amount",
                "company_id",
            ]
        )
        self.env["customer.tier"].flush_model()
        self.env["res.company"].flush_model(["customer_tier_grace_days"])
        self.env.cr.execute(
            """
            WITH graded AS (
                SELECT p.id,
                       p.customer_tier_id AS cur_id,
                       target.id AS target_id,
                       CASE
                           WHEN target.id = p.customer_tier_id THEN 'same'
                           WHEN cur.id IS NULL
                             OR (target.sequence, target.id) < (cur.sequence, cur.id)
                           THEN 'up'
                           ELSE 'down'
                       END AS direction,
                       p.tier_downgrade_since AS since,
                       p.tier_proposed_id AS proposed_id,
                       COALESCE(p.annual_contract_amount, 0) AS amount,
                       company.id AS company_id,
                       company.customer_tier_grace_days AS grace
                  FROM res_partner p
                  JOIN res_company company
                    ON company.id = COALESCE(p.company_id, %(company_id)s)
                  LEFT JOIN customer_tier cur ON cur.id = p.customer_tier_id
                  JOIN LATERAL (
                        SELECT tier.id, tier.sequence
                          FROM customer_tier tier
                         WHERE tier.active
                           AND (tier.company_id IS NULL
                                OR tier.company_id = p.company_id)
                           AND tier.min_annual_amount
                               <= COALESCE(p.annual_contract_amount, 0)
                         ORDER BY tier.min_annual_amount DESC, tier.sequence, tier.id
                         LIMIT 1
                  ) target ON TRUE
                 WHERE p.customer_policy_managed
                   AND p.active
                   AND p.commercial_partner_id = p.id
                   AND p.tier_locked IS NOT TRUE
            )
            SELECT id, cur_id, target_id, direction, since, proposed_id, amount,
                   company_id, COUNT(*) OVER () AS total
              FROM graded
             WHERE target_id IS DISTINCT FROM proposed_id
               AND (direction != 'same' OR since IS NOT NULL
                    OR proposed_id IS NOT NULL)
               -- inside the grace period nothing is due yet
               AND NOT (direction = 'down' AND since IS NOT NULL AND grace > 0
                        AND since > %(today)s - grace AND proposed_id IS NULL)
             ORDER BY id
             LIMIT %(limit)s
            """,
            {
                "company_id": self.env.company.id,
                "today": fields.Date.context_today(self),
                "limit": limit,
            },
        )
        rows = self.env.cr.dictfetchall()
        return rows, (rows[0]["total"] if rows else 0)

    def _customer_policy_schedule_tier_proposals(self, tier, notes):
        """One proposal activity per customer for the person who approves it."""
        activity_type = self.env.ref("customer_policy.mail_activity_type_tier_proposal")
        res_model_id = self.env["ir.model"]._get_id("res.partner")
        directors = self.env.ref("customer_policy.group_director").sudo().users
        first_director = directors.filtered(lambda user: not user.share)[:1]
        vals_list = []
        for partner in self:
            company = partner.company_id or self.env.company
            approver = company.customer_tier_approver_id or first_director
            leader = partner.team_id.user_id
            reason, blocked = notes[partner.id]
            if not tier.director_approval and leader:
                approver = leader
            note = reason if not blocked else f"{reason}\n{blocked}"
            vals_list.append(
                {
                    "res_model_id": res_model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.with_context(lang=approver.lang).env._(
                        "Tier proposal: %(tier)s",
                        tier=tier.with_context(lang=approver.lang).name,
                    ),
                    "note": plaintext2html(note),
                    "user_id": approver.id,
                    "date_deadline": fields.Date.context_today(self)
                    + timedelta(days=activity_type.delay_count or 7),
                }
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        )._customer_policy_create_batched(vals_list)

    # ------------------------------------------------------------------ grants

    # The User rank's partner rule reads the approved requests through this field.
    customer_access_request_ids = fields.One2many(
        comodel_name="customer.access.request",
        inverse_name="partner_id",
        string="Access Requests",
    )

    # ------------------------------------------------------------------ audit

    def _customer_policy_archive_records(self):
        """The records of ``self`` that belong to a managed customer's archive."""
        return self.sudo().filtered(
            lambda p: p.commercial_partner_id.customer_policy_managed
        )

    def _customer_policy_log_access(self, action, detail=None):
        if self.env.su or not self:
            return
        archive = self._customer_policy_archive_records()
        if archive:
            self.env["customer.access.log"]._customer_policy_log(
                archive, action, detail=detail
            )

    def web_read(self, specification):
        if self.env.context.get(_NO_LOG):
            return super().web_read(specification)
        # Contacts and other partners read inside the form are part of that opening.
        result = super(ResPartner, self.with_context(**{_NO_LOG: True})).web_read(
            specification
        )
        # A many2one shown on another record reads the partner with an empty
        # specification (its name comes as superuser): that is not an opening.
        if set(specification) - {"id", "display_name"}:
            self._customer_policy_log_access("read")
        return result

    # Opening a managed customer's form writes the access log: the web client's
    # call must get a read-write cursor, not Odoo's read-only one for reads.
    web_read._readonly = False

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        return super(ResPartner, self.with_context(**{_NO_LOG: True})).web_search_read(
            domain,
            specification,
            offset=offset,
            limit=limit,
            order=order,
            count_limit=count_limit,
        )

    def web_save(self, vals, specification, next_id=None):
        return super(ResPartner, self.with_context(**{_NO_LOG: True})).web_save(
            vals, specification, next_id=next_id
        )

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._customer_policy_log_access("export", detail=", ".join(fields_to_export))
        return result

    # ------------------------------------------------------------------ hand-over

    def _customer_policy_main_contact(self):
        """Who hears from the company for this customer: itself when it has an
        e-mail address, else its first contact person with one."""
        self.ensure_one()
        customer = self.commercial_partner_id
        if customer.email:
            return customer
        return customer.child_ids.filtered(
            lambda c: c.email and c.type == "contact" and c.active
        )[:1]

    def _customer_policy_handover_models(self):
        """Records that follow a customer when its owner leaves.

        Extend to plug in a model: append a dict with ``model``, ``partner_field``
        (the customer it belongs to), ``user_field`` (its responsible user) and
        ``domain`` (what is still open, e.g. ``[("state", "not in", ["done"])]``).
        Records of the leaving user on the handed-over customers move to the
        customer's successor, with their open activities of the leaving user.
        """
        return [
            # Visits (issue 4): planned visits and return schedules; a done visit
            # records who went and stays.
            {
                "model": "customer.visit",
                "partner_field": "partner_id",
                "user_field": "user_id",
                "domain": [("state", "=", "planned")],
            },
            {
                "model": "customer.return.schedule",
                "partner_field": "partner_id",
                "user_field": "user_id",
                "domain": [],
            },
            # Agreements (issue 6): the running ones need an owner for renewal and
            # collection; closed ones keep who signed them.
            {
                "model": "customer.agreement",
                "partner_field": "partner_id",
                "user_field": "user_id",
                "domain": [
                    ("state", "in", ["draft", "legal_review", "approved", "active"])
                ],
            },
            # Complaints (issue 5): the first person contacted stays responsible
            # until the ticket is solved; a leaver's open tickets need a successor.
            {
                "model": "customer.complaint",
                "partner_field": "partner_id",
                "user_field": "user_id",
                "domain": [("state", "not in", ["closed", "cancelled"])],
            },
        ]

    def _customer_policy_handover_records(self, successor_by_partner, leaving_user):
        """Move the customers of ``self`` from ``leaving_user`` to their successors.

        :param dict successor_by_partner: ``{partner id: res.users record}`` for every
            customer of ``self``
        :param leaving_user: the res.users record handing over
        Moves the customers, their contact persons owned by the leaving user, the
        records of ``_customer_policy_handover_models`` and the open activities of
        the leaving user on all of them, grouped by successor (one write per
        successor and model). Override to move what the registry cannot describe.

        :return: ``{model: {successor: [ids reassigned]}}``
        """
        customers = self.sudo()
        successor_of = {
            customer.id: successor_by_partner[customer.id] for customer in customers
        }
        # Contact persons belong to their company: they follow its successor.
        family = customers.env["res.partner"].search(
            [
                ("commercial_partner_id", "in", customers.ids),
                ("id", "not in", customers.ids),
            ]
        )
        for person in family:
            successor_of[person.id] = successor_of[person.commercial_partner_id.id]
        moved = {"res.partner": defaultdict(list)}
        for customer in customers:
            moved["res.partner"][successor_of[customer.id]].append(customer.id)
        for person in family.filtered(lambda p: p.user_id == leaving_user):
            moved["res.partner"][successor_of[person.id]].append(person.id)
        for successor, partner_ids in moved["res.partner"].items():
            # Writing as the caller: the record rules decide whose customers the
            # hand-over may move (contacts follow their company's access).
            self.browse(partner_ids).write({"user_id": successor.id})
        for spec in self._customer_policy_handover_models():
            Model = self.env[spec["model"]].sudo().with_context(active_test=False)
            records = Model.search(
                [
                    (
                        f"{spec['partner_field']}.commercial_partner_id",
                        "in",
                        customers.ids,
                    ),
                    (spec["user_field"], "=", leaving_user.id),
                ]
                + list(spec.get("domain") or [])
            )
            groups = defaultdict(list)
            for record in records:
                customer = record[spec["partner_field"]].commercial_partner_id
                groups[successor_of[customer.id]].append(record.id)
            moved_here = moved.setdefault(spec["model"], defaultdict(list))
            for successor, record_ids in groups.items():
                Model.browse(record_ids).write({spec["user_field"]: successor.id})
                moved_here[successor] += record_ids
        # The leaving user's open activities follow: on the moved records, and on
        # every contact person of the customers.
        targets = {model: dict(per_successor) for model, per_successor in moved.items()}
        partner_targets = defaultdict(list)
        for partner_id, successor in successor_of.items():
            partner_targets[successor].append(partner_id)
        targets["res.partner"] = partner_targets
        Activity = self.env["mail.activity"].sudo()
        for model_name, per_successor in targets.items():
            for successor, res_ids in per_successor.items():
                Activity.search(
                    [
                        ("res_model", "=", model_name),
                        ("res_id", "in", res_ids),
                        ("user_id", "=", leaving_user.id),
                    ]
                ).write({"user_id": successor.id})
        return moved

    # ------------------------------------------------------- agreements, ledger

    customer_agreement_ids = fields.One2many(
        comodel_name="customer.agreement",
        inverse_name="partner_id",
        string="Agreements",
    )
    customer_agreement_count = fields.Integer(
        string="Agreement Count", compute="_compute_customer_ledger"
    )
    customer_amount_due = fields.Monetary(
        string="Amount Due",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
        help="Installments of the customer's approved agreements not paid yet.",
    )
    customer_amount_received = fields.Monetary(
        string="Amount Received",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
    )
    customer_amount_overdue = fields.Monetary(
        string="Amount Overdue",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
    )
    customer_credit_amount = fields.Monetary(
        string="Unallocated Credit",
        currency_field="customer_policy_currency_id",
        compute="_compute_customer_ledger",
        help="Received beyond the open installments.",
    )

    def _compute_customer_ledger(self):
        """The customer's ledger in the company currency, in four grouped reads."""
        customers = self.commercial_partner_id
        Installment = self.env["customer.agreement.installment"].sudo()
        Payment = self.env["customer.payment"].sudo()
        today = fields.Date.context_today(self)
        due, overdue, credit = {}, {}, {}

        def add(table, partner, currency, company, amount):
            table[partner.id] = table.get(partner.id, 0.0) + currency._convert(
                amount, company.currency_id, company, today
            )

        for partner, currency, company, state, residual in Installment._read_group(
            [
                ("partner_id", "in", customers.ids),
                ("agreement_state", "in", ("approved", "active", "expired", "renewed")),
                ("state", "!=", "paid"),
            ],
            ["partner_id", "currency_id", "company_id", "state"],
            ["amount_residual:sum"],
        ):
            add(due, partner, currency, company, residual)
            if state == "overdue":
                add(overdue, partner, currency, company, residual)
        received = {}
        for partner, currency, company, amount, unallocated in Payment._read_group(
            [("partner_id", "in", customers.ids), ("state", "=", "posted")],
            ["partner_id", "currency_id", "company_id"],
            ["amount:sum", "amount_unallocated:sum"],
        ):
            add(received, partner, currency, company, amount)
            add(credit, partner, currency, company, unallocated)
        counts = dict(
            self.env["customer.agreement"]._read_group(
                [("partner_id", "in", customers.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.customer_agreement_count = counts.get(
                partner.commercial_partner_id, 0
            )
            partner.customer_amount_due = due.get(key, 0.0)
            partner.customer_amount_overdue = overdue.get(key, 0.0)
            partner.customer_amount_received = received.get(key, 0.0)
            partner.customer_credit_amount = credit.get(key, 0.0)

    def action_view_customer_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_agreement"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    def action_view_customer_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_payment"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    # ------------------------------------------------------------------ visits

    # Kept by customer.visit and the daily reminder cron in one grouped pass
    # (_customer_policy_refresh_visits), not by @api.depends: a dependency on a
    # million visits and on the calendar date cannot be expressed as a compute.
    last_visit_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last visit, return visit or online meeting done with the customer.",
    )
    last_contact_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last contact of any kind (visit, phone, e-mail) with the customer.",
    )
    next_visit_due_date = fields.Date(
        readonly=True,
        copy=False,
        help="Day by which the next visit the customer's tier requires is due.",
    )
    visit_compliance = fields.Selection(
        selection=[
            ("ok", "On Track"),
            ("due_soon", "Due Soon"),
            ("overdue", "Overdue"),
        ],
        readonly=True,
        copy=False,
        index=True,
        help="Whether the visits the customer's tier requires are made on time.",
    )
    visits_done_this_period = fields.Integer(
        readonly=True,
        copy=False,
        help="Visits done in the current month or quarter of the tier's rule.",
    )
    customer_visit_ids = fields.One2many(
        comodel_name="customer.visit",
        inverse_name="partner_id",
        string="Visits",
    )
    customer_visit_count = fields.Integer(
        string="Visit Count", compute="_compute_customer_visit_count"
    )

    def _compute_customer_visit_count(self):
        counts = dict(
            self.env["customer.visit"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.customer_visit_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_customer_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_visit"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("commercial_partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    def action_plan_customer_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.visit",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    # ------------------------------------------------------------------ refresh

    @api.model
    def _customer_policy_visit_settings(self):
        """{company id: (reminder days, contact days)} of every company."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search_fetch(
                [], ["customer_visit_reminder_days", "customer_visit_contact_days"]
            )
        )
        return {
            company.id: (
                company.customer_visit_reminder_days,
                company.customer_visit_contact_days,
            )
            for company in companies
        }

    def _customer_policy_refresh_visits(self, today=None):
        """Recompute the visit fields of ``self`` (or of every managed customer when
        called on an empty recordset from the cron) in three queries: the customers
        with their tier rule, one grouped aggregate of their done visits, and one
        UPDATE of the rows that changed."""
        today = today or fields.Date.context_today(self)
        self.env["customer.visit"].flush_model(
            ["commercial_partner_id", "state", "done_date", "visit_type"]
        )
        self.flush_model(
            [
                "customer_policy_managed",
                "customer_tier_id",
                "company_id",
                "last_visit_date",
                "last_contact_date",
                "next_visit_due_date",
                "visit_compliance",
                "visits_done_this_period",
            ]
        )
        self.env["customer.tier"].flush_model(["visit_min_count", "visit_period"])
        scope = SQL("")
        if self:
            scope = SQL("AND p.id = ANY(%s)", self.commercial_partner_id.ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.company_id, t.visit_min_count, t.visit_period,
                       p.last_visit_date, p.last_contact_date,
                       p.next_visit_due_date, p.visit_compliance,
                       p.visits_done_this_period
                  FROM res_partner p
             LEFT JOIN customer_tier t ON t.id = p.customer_tier_id
                 WHERE p.customer_policy_managed AND p.parent_id IS NULL %s
                """,
                scope,
            )
        )
        customers = self.env.cr.fetchall()
        if not customers:
            return 0
        month_start = datetime.combine(visit_period_bounds(today, "month")[0], time())
        quarter_start = datetime.combine(
            visit_period_bounds(today, "quarter")[0], time()
        )
        vscope = SQL("")
        if self:
            vscope = SQL(
                "AND v.commercial_partner_id = ANY(%s)", [row[0] for row in customers]
            )
        counted = list(VISIT_TYPES_COUNTED)
        self.env.cr.execute(
            SQL(
                """
                SELECT v.commercial_partner_id,
                       COUNT(*) FILTER (WHERE v.visit_type = ANY(%(counted)s)
                                          AND v.done_date >= %(month)s),
                       COUNT(*) FILTER (WHERE v.visit_type = ANY(%(counted)s)
                                          AND v.done_date >= %(quarter)s),
                       MAX(v.done_date) FILTER (WHERE v.visit_type = ANY(%(counted)s)),
                       MAX(v.done_date)
                  FROM customer_visit v
                 WHERE v.state = 'done' %(scope)s
              GROUP BY v.commercial_partner_id
                """,
                counted=counted,
                month=month_start,
                quarter=quarter_start,
                scope=vscope,
            )
        )
        stats = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        settings = self._customer_policy_visit_settings()
        default_settings = settings.get(self.env.company.id, (7, 14))
        changed = defaultdict(list)
        for (
            partner_id,
            company_id,
            required,
            period,
            old_visit,
            old_contact,
            old_due,
            old_compliance,
            old_count,
        ) in customers:
            month_count, quarter_count, last_visit, last_contact = stats.get(
                partner_id, (0, 0, None, None)
            )
            done = month_count if period == "month" else quarter_count
            horizon = settings.get(company_id, default_settings)[0]
            due, compliance = visit_requirement(
                today, required or 0, period, done, horizon
            )
            due = due or None
            count = done if required else 0
            new = (last_visit, last_contact, due, compliance, count)
            if new != (old_visit, old_contact, old_due, old_compliance, old_count):
                changed["id"].append(partner_id)
                for key, value in zip(
                    ("visit", "contact", "due", "compliance", "count"),
                    new,
                    strict=True,
                ):
                    changed[key].append(value)
        if changed:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE res_partner p
                       SET last_visit_date = v.last_visit,
                           last_contact_date = v.last_contact,
                           next_visit_due_date = v.due,
                           visit_compliance = v.compliance,
                           visits_done_this_period = v.count
                      FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[],
                                  %s::date[], %s::varchar[], %s::int[])
                           AS v(id, last_visit, last_contact, due, compliance, count)
                     WHERE p.id = v.id
                    """,
                    changed["id"],
                    changed["visit"],
                    changed["contact"],
                    changed["due"],
                    changed["compliance"],
                    changed["count"],
                )
            )
            self.invalidate_model(
                [
                    "last_visit_date",
                    "last_contact_date",
                    "next_visit_due_date",
                    "visit_compliance",
                    "visits_done_this_period",
                ]
            )
        return len(customers)

    # ------------------------------------------------------------------ cron

    @api.model
    def _cron_customer_visit_reminders(self, today=None):
        """Daily: refresh the visit fields of every managed customer, remind the
        owners of visits due soon or overdue and of customers not contacted for too
        long (one open activity each, never twice), and send each department
        manager one digest of their overdue customers."""
        today = today or fields.Date.context_today(self)
        total = self.browse()._customer_policy_refresh_visits(today=today)
        created = self._customer_policy_schedule_visit_activities(today)
        self._customer_policy_send_visit_digests(today)
        self.env["ir.cron"]._notify_progress(done=total, remaining=0)
        return created

    @api.model
    def _customer_policy_schedule_visit_activities(self, today):
        visit_type = self.env.ref("customer_policy.mail_activity_type_customer_visit")
        contact_type = self.env.ref(
            "customer_policy.mail_activity_type_customer_contact"
        )
        settings = self._customer_policy_visit_settings()
        default_settings = settings.get(self.env.company.id, (7, 14))
        self.flush_model(["user_id", "registration_date", "create_date"])
        # The contact limit is per company: compare in Python, over one query.
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.user_id, p.company_id, p.visit_compliance,
                       p.next_visit_due_date, p.visits_done_this_period,
                       COALESCE(p.last_contact_date::date, p.registration_date,
                                p.create_date::date)
                  FROM res_partner p
                  JOIN res_users u ON u.id = p.user_id AND u.active
                 WHERE p.customer_policy_managed AND p.parent_id IS NULL
                   AND p.active
                   AND (p.visit_compliance IN ('due_soon', 'overdue')
                        OR COALESCE(p.last_contact_date::date, p.registration_date,
                                    p.create_date::date) < %s)
                """,
                today - timedelta(days=min(days for _r, days in settings.values())),
            )
        )
        candidates = []
        for row in self.env.cr.fetchall():
            contact_days = settings.get(row[2], default_settings)[1]
            needs_visit = row[3] in ("due_soon", "overdue")
            needs_contact = row[6] < today - timedelta(days=contact_days)
            if needs_visit or needs_contact:
                candidates.append((row, needs_visit, needs_contact))
        if not candidates:
            return 0
        existing = {
            (values["res_id"], values["activity_type_id"][0])
            for values in self.env["mail.activity"]
            .sudo()
            .search_read(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", [row[0] for row, _v, _c in candidates]),
                    ("activity_type_id", "in", [visit_type.id, contact_type.id]),
                ],
                ["res_id", "activity_type_id"],
            )
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        # Activities are read by their assignee: write them in the assignee's
        # language, not the cron user's.
        owners = (
            self.env["res.users"].sudo().browse({row[1] for row, _v, _c in candidates})
        )
        env_of = {user.id: self.with_context(lang=user.lang).env for user in owners}
        vals_list = []
        for row, needs_visit, needs_contact in candidates:
            partner_id, user_id = row[0], row[1]
            env = env_of[user_id]
            if needs_visit and (partner_id, visit_type.id) not in existing:
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": partner_id,
                        "activity_type_id": visit_type.id,
                        "user_id": user_id,
                        "date_deadline": row[4],
                        "summary": env._(
                            "Visit the customer by %(date)s (%(done)s done this "
                            "period)",
                            date=format_date(env, row[4]),
                            done=row[5],
                        ),
                    }
                )
            if needs_contact and (partner_id, contact_type.id) not in existing:
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": partner_id,
                        "activity_type_id": contact_type.id,
                        "user_id": user_id,
                        "date_deadline": today,
                        "summary": env._(
                            "No contact since %(date)s: call or write to the customer",
                            date=format_date(env, row[6]),
                        ),
                    }
                )
        if vals_list:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True, mail_notify_force_send=False
            )._customer_policy_create_batched(vals_list)
        return len(vals_list)

    @api.model
    def _customer_policy_send_visit_digests(self, today):
        """One e-mail per department manager listing the overdue customers of the
        departments they lead; at most once a day."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DIGEST_PARAM) == fields.Date.to_string(today):
            return 0
        self.flush_model(["team_id", "visit_compliance", "user_id"])
        self.env.cr.execute(
            """
            SELECT t.user_id, p.id
              FROM res_partner p
              JOIN crm_team t ON t.id = p.team_id
             WHERE p.customer_policy_managed AND p.parent_id IS NULL AND p.active
               AND p.visit_compliance = 'overdue' AND t.user_id IS NOT NULL
          ORDER BY t.user_id, p.next_visit_due_date, p.id
            """
        )
        by_manager = defaultdict(list)
        for manager_id, partner_id in self.env.cr.fetchall():
            by_manager[manager_id].append(partner_id)
        template = self.env.ref(
            "customer_policy.mail_template_customer_visit_digest",
            raise_if_not_found=False,
        )
        if not template:
            return 0
        partners = self.sudo().browse(
            [pid for partner_ids in by_manager.values() for pid in partner_ids]
        )
        rows = {
            partner.id: {
                "name": partner.name,
                "owner": partner.user_id.name or "",
                "tier": partner.customer_tier_id.name or "",
                "due": format_date(self.env, partner.next_visit_due_date),
                "done": partner.visits_done_this_period,
            }
            for partner in partners
        }
        for manager_id, partner_ids in by_manager.items():
            template.sudo().with_context(
                customer_policy_overdue=[rows[pid] for pid in partner_ids]
            ).send_mail(manager_id, email_layout_xmlid="mail.mail_notification_light")
        params.set_param(DIGEST_PARAM, fields.Date.to_string(today))
        return len(by_manager)

    # --- Complaints and service requests (客户投诉与服务) ---------------------
    customer_complaint_ids = fields.One2many(
        "customer.complaint", "partner_id", string="Complaints and Requests"
    )
    customer_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_customer_complaint_count"
    )

    def _compute_customer_complaint_count(self):
        counts = dict(
            self.env["customer.complaint"]._read_group(
                [("partner_id.commercial_partner_id", "in", self.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.customer_complaint_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_view_customer_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_complaint"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "search_default_filter_unresolved": 1,
        }
        return action
