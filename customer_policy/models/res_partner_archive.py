from collections import defaultdict
from datetime import timedelta

from stdnum.cn import uscc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.archive import ARCHIVE_FIELDS, normalize_vat
from ..tools.trust import REGISTRATION, TRANSFER, is_trusted, trusted

# What only registration (``action_register`` and the paths that run its checks:
# import, merge) may change; a Director may, visibly.
REGISTRATION_FIELDS = (
    "customer_policy_managed",
    "registration_state",
    "registration_date",
)


class ResPartner(models.Model):
    """The customer archive (客户档案) and its registration (备案): who developed
    the customer, by when it must be registered, and what the archive holds."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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

    # === COMPUTE METHODS === #

    @api.depends("customer_policy_managed")
    def _compute_registration_state(self):
        for partner in self:
            if partner.customer_policy_managed:
                partner.registration_state = "registered"
            elif not partner.registration_state:
                partner.registration_state = "draft"

    @api.depends(
        "first_contact_date",
        "parent_id",
        "company_id.resource_calendar_id",
        "company_id.customer_registration_days",
    )
    def _compute_registration_deadline(self):
        # One calendar read per calendar, whatever the number of partners.
        by_calendar = defaultdict(list)
        for partner in self:
            partner.registration_deadline = False
            # Companies and individuals alike, from the first contact.
            if not partner.parent_id and partner.first_contact_date:
                company = partner._customer_policy_company()
                by_calendar[company.resource_calendar_id].append(
                    (partner, company.customer_registration_days)
                )
        for calendar, pairs in by_calendar.items():
            dates = [partner.first_contact_date for partner, _days in pairs]
            days = [days for _partner, days in pairs]
            deadlines = self._customer_policy_registration_deadlines(
                calendar, dates, days
            )
            for (partner, _days), deadline in zip(pairs, deadlines, strict=True):
                partner.registration_deadline = deadline

    @api.depends("registration_state")
    def _compute_registration_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.registration_state != "registered":
                partner.registration_date = False
            elif not partner.registration_date:
                partner.registration_date = today

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

    @api.depends(
        lambda self: [
            *self._customer_policy_archive_fields(),
            "is_company",
            "company_id",
            "customer_policy_individual",
            "resident_id_number",
            "personal_mobile",
        ]
    )
    def _compute_archive_completeness(self):
        required_cache = {}
        for partner in self:
            if not partner.is_company:
                # An individual's archive is complete once the person is
                # identified (resident ID number or own mobile).
                partner.archive_completeness = (
                    100
                    if partner.customer_policy_individual
                    and (partner.resident_id_number or partner.personal_mobile)
                    else 0
                )
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

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("is_company") and not vals.get("parent_id"):
                vals.setdefault("first_contact_date", today)
                vals.setdefault("archive_write_date", now)
        registering = [
            vals for vals in vals_list if self._customer_policy_sets_registration(vals)
        ]
        if registering:
            self._customer_policy_check_registration_bypass()
        if any(vals.get("customer_developer_id") for vals in vals_list):
            self._customer_policy_check_transfer()
        partners = super().create(vals_list)
        if registering and not self._customer_policy_registration_trusted():
            partners.filtered(
                lambda p: p.registration_state == "registered"
            )._customer_policy_log_direct_registration()
        return partners

    def write(self, vals):
        if "customer_developer_id" in vals and any(
            partner.customer_developer_id.id != vals["customer_developer_id"]
            for partner in self
        ):
            self._customer_policy_check_transfer()
        changed = self.browse()
        if set(REGISTRATION_FIELDS) & set(vals):
            changed = self._customer_policy_registration_changes(vals)
            if changed:
                changed._customer_policy_check_registration_bypass()
        if "archive_write_date" not in vals and set(vals) & set(
            self._customer_policy_archive_fields()
        ):
            vals = dict(vals, archive_write_date=fields.Datetime.now())
        result = super().write(vals)
        if changed and not self._customer_policy_registration_trusted():
            changed._customer_policy_log_direct_registration()
        return result

    # === ACTION METHODS === #

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
            partner._customer_policy_check_registrable()
            vals = {
                "customer_policy_managed": True,
                "registration_state": "registered",
                "registration_date": today,
            }
            if not partner.user_id:
                vals["user_id"] = self.env.user.id
            if not partner.customer_developer_id:
                vals["customer_developer_id"] = self.env.user.id
            trusted(partner, REGISTRATION, TRANSFER).write(vals)
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
        matches = self._customer_policy_duplicates()
        ids = self.ids + [match["id"] for match in matches]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "base.action_partner_merge"
        )
        action["context"] = {"active_model": "res.partner", "active_ids": ids}
        return action

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_sets_registration(self, vals):
        """Whether creating a partner with ``vals`` registers it."""
        return bool(
            vals.get("customer_policy_managed")
            or vals.get("registration_state") == "registered"
            or vals.get("registration_date")
        )

    def _customer_policy_registration_changes(self, vals):
        """The partners of ``self`` whose registration ``vals`` would change."""
        changed = self.browse()
        for partner in self:
            for name in REGISTRATION_FIELDS:
                if name not in vals:
                    continue
                field = self._fields[name]
                new = field.convert_to_record(
                    field.convert_to_cache(vals[name], partner), partner
                )
                if new != partner[name]:
                    changed |= partner
                    break
        return changed

    def _customer_policy_registration_trusted(self):
        """Installation, data files, crons and the checked paths register
        without a Director's trace: they are the system, not a person."""
        return self.env.su or is_trusted(self.env, REGISTRATION)

    def _customer_policy_check_registration_bypass(self):
        """Refuse a registration that does not go through its checks, unless a
        Director makes it (then it is logged on the customer)."""
        if self._customer_policy_registration_trusted() or self.env.user.has_group(
            "customer_policy.group_director"
        ):
            return
        raise UserError(
            self.env._(
                "A customer is registered (备案) only with the Register button: it "
                "checks the archive, the USCC or identity number and duplicates, "
                "and records who developed the customer. Save the customer as a "
                "draft and press Register; only a Director can change a "
                "registration directly."
            )
        )

    def _customer_policy_log_direct_registration(self):
        """A Director's direct change of registrations, on each customer's chatter:
        the message's author and date say who and when."""
        states = dict(
            self._fields["registration_state"]._description_selection(self.env)
        )
        bodies = {
            partner.id: self.env._(
                "Registration changed directly by %(user)s, without the registration "
                "checks: %(state)s.",
                user=self.env.user.name,
                state=states.get(partner.registration_state, ""),
            )
            for partner in self
        }
        self.sudo()._message_log_batch(
            bodies=bodies, author_id=self.env.user.partner_id.id
        )

    def _customer_policy_check_transfer(self):
        """Who developed a customer is set by its registration and changes only
        through an ownership transfer (a granted claim, a merge)."""
        if self.env.su or is_trusted(self.env, TRANSFER):
            return
        raise UserError(
            self.env._(
                "Who developed a customer changes only through an ownership transfer."
            )
        )

    @api.model
    def _customer_policy_archive_fields(self):
        """Names of the fields that make up the customer archive (客户档案)."""
        return list(ARCHIVE_FIELDS)

    @api.model
    def _customer_policy_registration_deadlines(self, calendar, dates, days):
        """The ``days``-th working day after each date on ``calendar``; calendar
        days when there is no calendar or it has no working day at all."""
        deadlines = None
        if calendar:
            try:
                deadlines = calendar._customer_policy_plan_days(dates, days)
            except UserError:
                # A calendar without working days (e.g. flexible hours) must not
                # block entering customers: count calendar days then.
                deadlines = None
        if deadlines is None:
            deadlines = [
                date + timedelta(days=count)
                for date, count in zip(dates, days, strict=True)
            ]
        return deadlines

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

    def _customer_policy_check_registrable(self):
        """Refuse to register what is not a draft company or individual with a
        complete, valid archive and no registered duplicate."""
        self.ensure_one()
        if self.parent_id:
            raise UserError(
                self.env._(
                    "%(partner)s is a contact person of %(company)s: register the "
                    "company (or the person as an individual customer, without a "
                    "company).",
                    partner=self.display_name,
                    company=self.parent_id.display_name,
                )
            )
        if self.registration_state == "registered":
            raise UserError(
                self.env._(
                    "%(partner)s is already registered.",
                    partner=self.display_name,
                )
            )
        errors = self._customer_policy_registration_errors()
        if errors:
            raise ValidationError(
                self.env._(
                    "%(partner)s cannot be registered:\n%(errors)s",
                    partner=self.display_name,
                    errors="\n".join(errors),
                )
            )
        self._customer_policy_check_duplicates()

    def _customer_policy_registration_errors(self):
        """What prevents this draft customer from registering, as messages."""
        self.ensure_one()
        if not self.is_company:
            return self._customer_policy_individual_errors()
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
        matches = self._customer_policy_duplicates()
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
