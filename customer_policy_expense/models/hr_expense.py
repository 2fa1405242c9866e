from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

# What a Director's override judged: a change of one needs a new judgment.
OVERRIDE_FACTS = ("customer_partner_id", "date", "product_id")
OVERRIDE_FIELDS = (
    "customer_policy_override_reason",
    "customer_policy_override_user_id",
    "customer_policy_override_date",
)
# A report on its way to reimbursement.
CHECKED_APPROVAL_STATES = ("submit", "approve")


class HrExpense(models.Model):
    _inherit = "hr.expense"

    customer_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index="btree_not_null",
        tracking=True,
        help="The customer the expense was for; a contact person stands for its "
        "company.",
    )
    customer_policy_requires_customer = fields.Boolean(
        related="product_id.customer_policy_requires_customer"
    )
    # Not tracked (a related field inherits the tracking of the customer's): the
    # customer's tier history tells its changes, an expense's chatter does not.
    customer_tier_id = fields.Many2one(
        related="customer_partner_id.customer_tier_id",
        string="Customer Tier",
        store=True,
        tracking=False,
    )
    customer_team_id = fields.Many2one(
        related="customer_partner_id.team_id",
        string="Customer's Department",
        store=True,
    )
    customer_policy_refusal = fields.Char(
        string="Not Reimbursable",
        compute="_compute_customer_policy_refusal",
        help="Why the customer management policy does not reimburse the expense.",
    )
    customer_policy_override_reason = fields.Text(
        string="Director's Override",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why a Director had the expense reimbursed although its customer was "
        "not registered in time.",
    )
    customer_policy_override_user_id = fields.Many2one(
        comodel_name="res.users", string="Overridden By", readonly=True, copy=False
    )
    customer_policy_override_date = fields.Datetime(
        string="Overridden On", readonly=True, copy=False
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "product_id.customer_policy_requires_customer",
        "customer_partner_id.registration_state",
        "customer_partner_id.registration_date",
        "date",
        "customer_policy_override_reason",
    )
    @api.depends_context("lang")
    def _compute_customer_policy_refusal(self):
        refusals = self._customer_policy_refusals()
        for expense in self:
            expense.customer_policy_refusal = refusals.get(expense, False)

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        self._customer_policy_check_override_write(vals_list)
        for vals in vals_list:
            self._customer_policy_resolve_customer(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._customer_policy_check_override_write([vals])
        vals = self._customer_policy_resolve_customer(dict(vals))
        rejudge = self._customer_policy_facts_changing(vals)
        result = super().write(vals)
        if rejudge:
            # The Director judged another customer, date or category.
            rejudge.sudo().write(dict.fromkeys(OVERRIDE_FIELDS, False))
        if set(OVERRIDE_FACTS) & set(vals) or "sheet_id" in vals:
            self.filtered(
                lambda e: e.sheet_id.approval_state in CHECKED_APPROVAL_STATES
            )._customer_policy_check_reimbursable()
        return result

    # === ACTION METHODS === #

    def action_customer_policy_override(self):
        """Open the Director's override of the policy's refusal."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override the Policy"),
            "res_model": "customer.expense.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_expense_ids": self.ids},
        }

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_check_override_write(self, vals_list):
        if self.env.su:
            return
        if any(set(OVERRIDE_FIELDS) & set(vals) for vals in vals_list):
            raise AccessError(
                self.env._(
                    "Only a Director overrides the policy, with a written reason: "
                    "use Override the Policy."
                )
            )

    @api.model
    def _customer_policy_resolve_customer(self, vals):
        """A contact person stands for its company: the customer is the company."""
        if vals.get("customer_partner_id"):
            partner = self.env["res.partner"].sudo().browse(vals["customer_partner_id"])
            vals["customer_partner_id"] = partner.commercial_partner_id.id
        return vals

    def _customer_policy_facts_changing(self, vals):
        """The overridden expenses whose customer, date or category ``vals``
        changes."""
        facts = {name: vals[name] for name in OVERRIDE_FACTS if name in vals}
        if not facts:
            return self.browse()
        fields_ = self._fields
        return self.filtered(
            lambda e: (
                e.customer_policy_override_reason
                and any(
                    fields_[name].convert_to_record(
                        fields_[name].convert_to_cache(value, e), e
                    )
                    != e[name]
                    for name, value in facts.items()
                )
            )
        )

    def _customer_policy_refusals(self):
        """{expense: why the policy does not reimburse it} of the expenses of a
        category for customers that name none, or a customer not registered
        (备案) by the expense date, and that no Director overrode."""
        refusals = {}
        states = dict(
            self.env["res.partner"]
            ._fields["registration_state"]
            ._description_selection(self.env)
        )
        for expense in self:
            sudo = expense.sudo()
            if (
                not sudo.product_id.customer_policy_requires_customer
                or sudo.customer_policy_override_reason
            ):
                continue
            customer = sudo.customer_partner_id
            category = sudo.product_id.display_name
            if not customer:
                reason = self.env._(
                    "%(expense)s (%(category)s) must name the customer it was for.",
                    expense=expense.name,
                    category=category,
                )
            elif customer.registration_state != "registered":
                reason = self.env._(
                    "%(expense)s (%(category)s) is for %(customer)s, which is "
                    "%(state)s: the policy reimburses no expense for a customer "
                    "who was not registered (备案).",
                    expense=expense.name,
                    category=category,
                    customer=customer.name,
                    state=states.get(customer.registration_state, ""),
                )
            elif (
                expense.date
                and customer.registration_date
                and customer.registration_date > expense.date
            ):
                reason = self.env._(
                    "%(expense)s (%(category)s) of %(date)s is for %(customer)s, "
                    "registered (备案) only on %(registered)s: the policy reimburses "
                    "no expense made before the customer was registered.",
                    expense=expense.name,
                    category=category,
                    date=format_date(self.env, expense.date),
                    customer=customer.name,
                    registered=format_date(self.env, customer.registration_date),
                )
            else:
                continue
            refusals[expense] = reason
        return refusals

    def _customer_policy_check_reimbursable(self):
        refusals = self._customer_policy_refusals()
        if refusals:
            raise UserError(
                self.env._(
                    "The customer management policy does not reimburse:\n"
                    "%(reasons)s\nA Director may override an expense with a "
                    "written reason.",
                    reasons="\n".join(f"- {reason}" for reason in refusals.values()),
                )
            )

    @api.model
    def _customer_policy_expense_defaults(self, customer, product=None):
        """Context defaults of a new expense for ``customer`` (a company or one of
        its contacts) in ``product``'s category: the customer's expense list uses
        them, and so will the care events that plan a gift (its expense)."""
        defaults = {"default_customer_partner_id": customer.commercial_partner_id.id}
        if product:
            defaults["default_product_id"] = product.id
        return defaults
