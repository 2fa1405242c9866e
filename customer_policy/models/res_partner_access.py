from odoo import Command, api, fields, models

from ..tools.rules import (
    commercial_partner_in,
    customer_access_users,
    granted_customers,
    project_team_customers,
)

# Set while the web client reads through another entry point (list, kanban, save),
# so that only the opening of a record's form is traced as a read.
_NO_LOG = "customer_policy_no_access_log"


class ResPartner(models.Model):
    """Information security (客户信息安全): the grants the record rules read, and
    the access log of who opened or exported a managed customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The rules of the records of a customer read its approved requests here.
    customer_access_request_ids = fields.One2many(
        comodel_name="customer.access.request",
        inverse_name="partner_id",
        string="Access Requests",
    )
    # What the partner record rules ask of a partner, stored on the partner itself
    # ("is it, or does it belong to, a managed customer? whose? which department's?")
    # so that the rules read the row they filter. res.users is filtered by the rules
    # of its partner (its _inherits parent): asked through commercial_partner_id,
    # each search of users joined every user to a second partner and PostgreSQL
    # could scan every partner to find users by name. Whatever writes these
    # partners' commercial partner, owner, department or registration in SQL must
    # update these columns too.
    customer_policy_commercial_managed = fields.Boolean(
        string="Of a Managed Customer",
        related="commercial_partner_id.customer_policy_managed",
        store=True,
        help="The partner is a managed customer or one of its contacts.",
    )
    customer_policy_owner_id = fields.Many2one(
        string="Customer Owner",
        related="commercial_partner_id.user_id",
        store=True,
        index="btree_not_null",
        help="The owner of the customer the partner is or belongs to.",
    )
    customer_policy_team_id = fields.Many2one(
        string="Customer Department",
        related="commercial_partner_id.team_id",
        store=True,
        index="btree_not_null",
        help="The department of the customer the partner is or belongs to.",
    )
    # Searched by the rules of the project team and of the granted users. The
    # rule compares the partner's commercial partner with the array of the user's
    # few customers, which PostgreSQL computes once per query (an InitPlan): a
    # subquery on res_partner instead made it cost a scan of every partner for
    # every user it checks, and choose to scan every partner to find users.
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

    @api.depends(
        "commercial_partner_id.customer_project_team_ids",
        "commercial_partner_id.customer_access_request_ids.state",
        "commercial_partner_id.customer_access_request_ids.requester_id",
    )
    def _compute_customer_policy_access_users(self):
        # Odoo checks the rules in Python on the records of a page before reading
        # a computed field (display_name...): one query for the whole page.
        # Only the policy's customers have project teams and grants: the other
        # partners read here (users' partners, suppliers) cost no query.
        customers = self.filtered("customer_policy_commercial_managed")
        access = customer_access_users(
            self.env, customers.commercial_partner_id._origin.ids
        )
        for partner in self:
            team, grantees = access.get(
                partner.commercial_partner_id._origin.id, ((), ())
            )
            partner.customer_policy_project_team_ids = [Command.set(team)]
            partner.customer_policy_grantee_ids = [Command.set(grantees)]

    def _search_customer_policy_project_team_ids(self, operator, value):
        return commercial_partner_in(project_team_customers(self.env, operator, value))

    def _search_customer_policy_grantee_ids(self, operator, value):
        return commercial_partner_in(granted_customers(self.env, operator, value))

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
