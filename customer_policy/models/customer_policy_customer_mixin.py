from odoo import Command, api, fields, models
from odoo.exceptions import AccessError

from ..tools.rules import (
    commercial_partner_in,
    customer_access_users,
    granted_customers,
    project_team_customers,
)


class CustomerPolicyCustomerMixin(models.AbstractModel):
    """A record that belongs to a customer under the policy.

    Agreements, installments, payments, collection actions, visits, return
    schedules, complaints, ownership claims and access requests inherit it. It
    gives them:

    - ``partner_id``: the customer;
    - ``commercial_partner_id``: the customer company, stored and indexed. Every
      record rule of the policy reads it the way the partner rules read
      ``res.partner.commercial_partner_id`` (owner, department manager, project
      team, grantees), so one domain shape serves every model;
    - ``user_id``: who is responsible for the record, by default the customer's
      owner when the record is created (a later hand-over or re-assignment of the
      customer does not rewrite it: the hand-over moves the open records itself);
    - ``team_id``: the customer's department, stored: it follows the customer;
    - ``company_id``;
    - what the record rules ask of the customer, on the record's own row so that
      PostgreSQL answers them from the record's indexes, never by reading every
      partner: ``customer_owner_id`` (the customer's owner, stored, following
      every change of owner), and ``customer_policy_project_team_ids`` /
      ``customer_policy_grantee_ids``, searched as the array of the user's few
      customers compared with the indexed ``commercial_partner_id``.

    A model gives a field another meaning by redefining it (a complaint's
    ``user_id`` is its handler, a claim's ``team_id`` the requesting department).
    The hand-over (``res.partner._customer_policy_handover_models``) moves the
    records of every model inheriting this mixin whose
    ``_customer_policy_handover_domain`` is not ``None``.
    """

    _name = "customer.policy.customer.mixin"
    _description = "Customer Policy: Record of a Customer"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="By default the customer's owner when the record is created.",
    )
    team_id = fields.Many2one(
        related="commercial_partner_id.team_id",
        string="Department",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    customer_owner_id = fields.Many2one(
        related="commercial_partner_id.user_id",
        string="Customer Company Owner",
        store=True,
        index="btree_not_null",
    )
    customer_policy_project_team_ids = fields.Many2many(
        comodel_name="res.users",
        string="Customer's Project Team",
        compute="_compute_customer_policy_access_users",
        # Read by the rules in Python: no read of the users' active flag.
        context={"active_test": False},
        search="_search_customer_policy_project_team_ids",
        groups="base.group_system",
    )
    customer_policy_grantee_ids = fields.Many2many(
        comodel_name="res.users",
        string="Users Granted Access",
        compute="_compute_customer_policy_access_users",
        # Read by the rules in Python: no read of the users' active flag.
        context={"active_test": False},
        search="_search_customer_policy_grantee_ids",
        groups="base.group_system",
    )

    @api.depends("partner_id")
    def _compute_user_id(self):
        for record in self:
            if not record.user_id:
                record.user_id = (
                    record.partner_id.commercial_partner_id.user_id or self.env.user
                )

    @api.depends(
        "commercial_partner_id.customer_project_team_ids",
        "commercial_partner_id.customer_access_request_ids.state",
        "commercial_partner_id.customer_access_request_ids.requester_id",
    )
    def _compute_customer_policy_access_users(self):
        # The rules checked in Python on the records of a sub-list or a page:
        # one query for all their customers (see customer_access_users).
        access = customer_access_users(self.env, self.commercial_partner_id._origin.ids)
        for record in self:
            team, grantees = access.get(
                record.commercial_partner_id._origin.id, ((), ())
            )
            record.customer_policy_project_team_ids = [Command.set(team)]
            record.customer_policy_grantee_ids = [Command.set(grantees)]

    def _search_customer_policy_project_team_ids(self, operator, value):
        return commercial_partner_in(project_team_customers(self.env, operator, value))

    def _search_customer_policy_grantee_ids(self, operator, value):
        return commercial_partner_in(granted_customers(self.env, operator, value))

    @api.model_create_multi
    def create(self, vals_list):
        self._customer_policy_default_user(vals_list)
        return super().create(vals_list)

    def _valid_field_parameter(self, field, name):
        # The fields above are tracked on the models that have a chatter.
        return name == "tracking" or super()._valid_field_parameter(field, name)

    @api.model
    def _customer_policy_default_user(self, vals_list):
        """Take the responsible from the customer in the values, at once: a pending
        compute would read the owner only at the next flush, after a hand-over or
        re-assignment in the same transaction. Models whose ``user_id`` means
        something else (it is then not computed from the customer) keep theirs."""
        if self._fields["user_id"].compute != "_compute_user_id":
            return
        todo = [v for v in vals_list if v.get("partner_id") and not v.get("user_id")]
        if not todo:
            return
        partners = (
            self.env["res.partner"].sudo().browse({v["partner_id"] for v in todo})
        )
        owner = {p.id: p.commercial_partner_id.user_id.id for p in partners}
        for vals in todo:
            vals["user_id"] = owner.get(vals["partner_id"]) or self.env.uid

    def _customer_policy_check_customer_access(self, partner_ids):
        """Refuse a record for a customer the user may not read: naming oneself
        responsible must not open a customer the record rules keep closed."""
        if self.env.su or not partner_ids:
            return
        partners = self.env["res.partner"].browse(partner_ids)
        hidden = partners - partners._filtered_access("read")
        if hidden:
            raise AccessError(
                self._customer_policy_customer_access_message(
                    ", ".join(hidden.sudo().mapped("display_name"))
                )
            )

    def _customer_policy_customer_access_message(self, customers):
        return self.env._(
            "You do not have access to %(customers)s. Ask its owner or your manager.",
            customers=customers,
        )

    @api.model
    def _customer_policy_handover_domain(self):
        """The records that follow the customer's successor when their responsible
        leaves (the hand-over adds the customer and the leaving user), or ``None``
        when the records of this model stay with whoever made them."""
        return
