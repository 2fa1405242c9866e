from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

EVENT_TYPES = [
    ("birthday", "Birthday"),
    ("holiday", "Holiday Greeting"),
    ("anniversary", "Cooperation Anniversary"),
    ("gift", "Gift Giving"),
    ("invitation", "Event Invitation"),
    ("news", "Industry News"),
    ("new_year", "New-Year Gift"),
]


class CustomerCareEvent(models.Model):
    """A gesture of customer care (客户关怀): a birthday or holiday greeting, the
    cooperation anniversary, a gift, an invitation, industry news, the
    New-Year gift. The daily care cron plans the recurring ones
    (``res_partner_care.py``); the owner records what was done and spent."""

    _name = "customer.care.event"
    _description = "Customer Care Event"
    _inherit = ("customer.policy.customer.mixin", "mail.thread", "mail.activity.mixin")
    _order = "date desc, id desc"
    _check_company_auto = True
    _sql_constraints = (
        (
            "plan_key_uniq",
            "unique(plan_key)",
            "This care event is already planned.",
        ),
        (
            "gift_amount_positive",
            "CHECK(gift_amount IS NULL OR gift_amount >= 0)",
            "A gift cannot cost a negative amount.",
        ),
    )

    name = fields.Char(
        string="Title",
        help="What the event is about; by default the occasion or the kind of care.",
    )
    partner_id = fields.Many2one(
        check_company=True,
        domain="[('is_company', '=', True), ('customer_policy_managed', '=', True)]",
    )
    user_id = fields.Many2one(string="Owner", help="Who takes care of it.")
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact Person",
        index=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="The person greeted; the customer itself when it has no contact.",
    )
    event_type = fields.Selection(
        selection=EVENT_TYPES,
        string="Type",
        required=True,
        default="gift",
        tracking=True,
    )
    occasion_id = fields.Many2one(
        comodel_name="customer.care.occasion",
        index="btree_not_null",
        ondelete="set null",
    )
    date = fields.Date(required=True, index=True, tracking=True)
    state = fields.Selection(
        selection=[
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="planned",
        index=True,
        tracking=True,
        copy=False,
    )
    gift_description = fields.Char(string="Gift Item")
    gift_amount = fields.Monetary(tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    note = fields.Html()
    # Claims an automatic event once: "birthday:<contact>:<year>" and the like.
    plan_key = fields.Char(readonly=True, copy=False)

    # === COMPUTE METHODS === #

    @api.depends("name", "event_type", "occasion_id", "contact_id")
    def _compute_display_name(self):
        types = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            title = event.name or event.occasion_id.name or types.get(event.event_type)
            who = event.contact_id or event.partner_id
            event.display_name = f"{title} · {who.name}" if who.name else title

    # === CONSTRAINT METHODS === #

    @api.constrains("contact_id", "partner_id")
    def _check_contact_id(self):
        for event in self:
            if (
                event.contact_id
                and event.contact_id.commercial_partner_id
                != event.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact person of %(customer)s.",
                        contact=event.contact_id.display_name,
                        customer=event.partner_id.commercial_partner_id.name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        self._customer_policy_check_customer_access(
            list({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            self._customer_policy_check_customer_access([vals["partner_id"]])
        return super().write(vals)

    # === ACTION METHODS === #

    def action_done(self):
        if self.filtered(lambda e: e.state != "planned"):
            raise UserError(self.env._("Only planned care events can be marked done."))
        self.write({"state": "done"})
        activities = self._customer_policy_care_activities()
        if activities:
            activities.action_feedback(feedback=self.env._("Done"))
        return True

    def action_cancel(self):
        if self.filtered(lambda e: e.state != "planned"):
            raise UserError(self.env._("Only planned care events can be cancelled."))
        self.write({"state": "cancelled"})
        self._customer_policy_care_activities().unlink()
        return True

    def action_reset_to_planned(self):
        self.write({"state": "planned"})
        return True

    # === BUSINESS METHODS === #

    def _customer_policy_care_activities(self):
        """The care activities the planning opened on these events."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("customer_policy.mail_activity_type_care").id,
                ),
            ]
        )

    @api.model
    def _customer_policy_handover_domain(self):
        # Greetings still to make follow the customer; what was done stays.
        return [("state", "=", "planned")]

    def _customer_policy_customer_access_message(self, customers):
        return self.env._(
            "You cannot plan care for %(customers)s: you do not have access to "
            "this customer. Ask its owner or your manager.",
            customers=customers,
        )
