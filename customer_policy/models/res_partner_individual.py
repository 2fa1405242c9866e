from stdnum.cn import ric

from odoo import api, fields, models

from ..tools.archive import normalize_phone, normalize_vat


class ResPartner(models.Model):
    """Individual customers (个人客户): walk-in and meeting-marketing customers are
    people. A person registers with a resident identity number (GB 11643) or,
    without one, a mobile number no other customer has; both are confidential.
    Tiers, visits and complaints apply as to companies."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Confidential like the other archive fields (客户信息安全).
    resident_id_number = fields.Char(
        string="Resident ID Number",
        copy=False,
        tracking=True,
        groups="customer_policy.group_user",
        help="Resident identity card number (居民身份证号码, GB 11643) of an "
        "individual customer: 18 characters with a check character.",
    )
    personal_mobile = fields.Char(
        copy=False,
        tracking=True,
        groups="customer_policy.group_user",
        help="The individual customer's own mobile number; without a resident ID "
        "number, it identifies the customer and no other customer may have it.",
    )
    # Normalized, indexed and as confidential as what they are made of: the
    # duplicate control compares them with superuser rights.
    customer_policy_ric_key = fields.Char(
        string="Normalized Resident ID",
        compute="_compute_customer_policy_individual_keys",
        store=True,
        index="btree_not_null",
        groups="customer_policy.group_user",
    )
    customer_policy_mobile_key = fields.Char(
        string="Normalized Personal Mobile",
        compute="_compute_customer_policy_individual_keys",
        store=True,
        index="btree_not_null",
        groups="customer_policy.group_user",
    )
    customer_policy_individual = fields.Boolean(
        string="Individual Customer",
        compute="_compute_customer_policy_individual",
        store=True,
        index=True,
        help="A person, not a company's contact person, who is a customer or a "
        "prospect: registered, identified, or contacted.",
    )

    # === COMPUTE METHODS === #

    @api.depends("resident_id_number", "personal_mobile")
    def _compute_customer_policy_individual_keys(self):
        for partner in self:
            partner.customer_policy_ric_key = normalize_vat(partner.resident_id_number)
            partner.customer_policy_mobile_key = normalize_phone(
                partner.personal_mobile
            )

    @api.depends(
        "is_company",
        "parent_id",
        "customer_policy_managed",
        "first_contact_date",
        "resident_id_number",
        "personal_mobile",
    )
    def _compute_customer_policy_individual(self):
        for partner in self:
            partner.customer_policy_individual = (
                not partner.is_company
                and not partner.parent_id
                and bool(
                    partner.customer_policy_managed
                    or partner.first_contact_date
                    or partner.resident_id_number
                    or partner.personal_mobile
                )
            )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            # Identifying a person as a customer is the first contact.
            if (
                not vals.get("is_company")
                and not vals.get("parent_id")
                and (vals.get("resident_id_number") or vals.get("personal_mobile"))
            ):
                vals.setdefault("first_contact_date", today)
        return super().create(vals_list)

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_ric_is_valid(self, number):
        """A resident identity number (GB 11643): 18 characters, a correct check
        character, a real birth date and a known region."""
        return bool(number) and ric.is_valid(normalize_vat(number))

    def _customer_policy_individual_errors(self):
        """What prevents this person from registering, as messages."""
        self.ensure_one()
        person = self.sudo()
        if person.resident_id_number:
            if not self._customer_policy_ric_is_valid(person.resident_id_number):
                return [
                    self.env._(
                        "%(number)s is not a valid resident identity number: it "
                        "must have 18 characters with a correct check character, "
                        "birth date and region (GB 11643).",
                        number=person.resident_id_number,
                    )
                ]
            return []
        if not person.personal_mobile:
            return [
                self.env._(
                    "Give the person's resident identity number or, without one, "
                    "their own mobile number."
                )
            ]
        if not normalize_phone(person.personal_mobile):
            return [
                self.env._(
                    "%(number)s is not a mobile number.",
                    number=person.personal_mobile,
                )
            ]
        return []

    def _customer_policy_individual_duplicates(self):
        """Registered customers this person duplicates: the same resident ID
        number or, without one, the same mobile number."""
        self.ensure_one()
        person = self.sudo()
        if person.resident_id_number:
            return self._customer_policy_lookup(
                ric=person.resident_id_number, exclude_ids=self._origin.ids
            )
        return self._customer_policy_lookup(
            mobile=person.personal_mobile, exclude_ids=self._origin.ids
        )
