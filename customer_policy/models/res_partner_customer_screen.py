from odoo import api, fields, models
from odoo.osv import expression

# A Chinese example of the Unified Social Credit Code (valid check character).
USCC_EXAMPLE = "91310115MA1K4B5C3K"


class ResPartner(models.Model):
    """The Customers screens: which partners they list, what a new customer gets
    by default, which fields registration requires, and the tax ID read as the
    Unified Social Credit Code (统一社会信用代码) in a Chinese company."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_policy_required_fields = fields.Char(
        string="Fields Required to Register",
        compute="_compute_customer_policy_required_fields",
        help="The archive fields the company requires before a customer is "
        "registered (备案), marked on the form.",
    )

    # The companies of the database are partners too; the Customers screens leave
    # them out.
    customer_policy_company_ids = fields.One2many(
        comodel_name="res.company",
        inverse_name="partner_id",
        string="Company of the Database",
        context={"active_test": False},
    )
    # The visit tab shows what comes next, then what was done, each in its order.
    customer_visit_planned_ids = fields.One2many(
        comodel_name="customer.visit",
        inverse_name="partner_id",
        string="Planned Visits",
        domain=[("state", "=", "planned")],
    )
    customer_visit_past_ids = fields.One2many(
        comodel_name="customer.visit",
        inverse_name="partner_id",
        string="Past Visits",
        domain=[("state", "!=", "planned")],
    )

    @api.depends("is_company", "parent_id", "company_id")
    @api.depends_context("company")
    def _compute_customer_policy_required_fields(self):
        required = {}
        for partner in self:
            if not partner.is_company or partner.parent_id:
                partner.customer_policy_required_fields = False
                continue
            company = partner._customer_policy_company()
            if company not in required:
                required[company] = ",".join(company._customer_policy_required_fields())
            partner.customer_policy_required_fields = required[company]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("customer_policy_new_customer"):
            # A salesperson entering a customer is its first contact and owner
            # (谁开发, 谁管理); the department follows the owner.
            if "first_contact_date" in fields_list:
                values.setdefault("first_contact_date", fields.Date.context_today(self))
            if "user_id" in fields_list and self.env.user.has_group(
                "customer_policy.group_user"
            ):
                values.setdefault("user_id", self.env.uid)
        return values

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if self.env.company.country_id.code == "CN" and not (
            self.env.company.country_id.vat_label
        ):
            # Views are cached per company (see base's _get_view_cache_key).
            label = self.env._("Unified Social Credit Code")
            for node in arch.iterfind(".//field[@name='vat']"):
                node.set("string", label)
                if node.get("placeholder"):
                    node.set("placeholder", self.env._("e.g. %s", USCC_EXAMPLE))
            for node in arch.iterfind(".//label[@for='vat']"):
                node.set("string", label)
        return arch, view

    @api.model
    def _customer_policy_customers_domain(self):
        """The partners the Customers screens list: the customers of the policy
        and the prospects being registered (a first contact is recorded), never
        the companies of the database, the users, or contact persons."""
        return expression.AND(
            [
                [
                    ("parent_id", "=", False),
                    ("customer_policy_company_ids", "=", False),
                    ("user_ids", "=", False),
                ],
                expression.OR(
                    [
                        [("customer_policy_managed", "=", True)],
                        [("first_contact_date", "!=", False)],
                    ]
                ),
            ]
        )

    @api.model
    def _customer_policy_customers_action(self):
        """The Customers list: a salesperson starts on their own customers (我的
        客户); managers, directors and the service desk on every customer they
        may see."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_policy_customer"
        )
        context = {
            "default_is_company": True,
            "customer_policy_new_customer": True,
        }
        if self.env.user.has_group(
            "customer_policy.group_user"
        ) and not self.env.user.has_group("customer_policy.group_manager"):
            context["search_default_filter_my_customers"] = 1
        action["context"] = context
        action["domain"] = self._customer_policy_customers_domain()
        return action
