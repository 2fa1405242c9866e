from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerHandoverWizard(models.TransientModel):
    """Staff hand-over (离职交接): a leaving user's customers go to successors."""

    _name = "customer.handover.wizard"
    _description = "Customer Hand-over"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Leaving Employee",
        required=True,
        domain=[("share", "=", False)],
        context={"active_test": False},
    )
    assign_by = fields.Selection(
        selection=[
            ("user", "One successor"),
            ("team", "By department"),
            ("tier", "By tier"),
            ("customer", "Per customer"),
        ],
        string="Assign",
        default="user",
        required=True,
    )
    successor_id = fields.Many2one(
        comodel_name="res.users",
        domain=[("share", "=", False)],
    )
    other_successor_id = fields.Many2one(
        comodel_name="res.users",
        string="Other Work To",
        compute="_compute_other_successor_id",
        store=True,
        readonly=False,
        domain=[("share", "=", False)],
        help="Who takes the open work the leaving employee handles on customers "
        "of other owners: tickets they handle, visits they planned, activities. "
        "Empty: each customer's owner.",
    )
    other_work_count = fields.Integer(
        string="Open Work on Other Customers",
        compute="_compute_other_work_count",
    )
    line_ids = fields.One2many(
        comodel_name="customer.handover.wizard.line",
        inverse_name="wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        # As the caller, not as superuser: a manager must not see other
        # departments' customers in the lines.
        compute_sudo=False,
        string="Successors",
    )
    customer_ids = fields.Many2many(
        comodel_name="res.partner",
        compute="_compute_customer_ids",
        string="Customers",
    )
    customer_count = fields.Integer(compute="_compute_customer_ids")
    notify_customers = fields.Boolean(
        string="E-mail the customers",
        help="Tell each customer's main contact who their new contact person is.",
    )
    note = fields.Text(
        string="Hand-over Note",
        help="Added to the hand-over message on every customer's chatter.",
    )

    @api.depends("user_id")
    def _compute_customer_ids(self):
        for wizard in self:
            # As the caller: a manager hands over the customers of the departments
            # they lead, a Director all of them.
            wizard.customer_ids = wizard._customer_policy_customers()
            wizard.customer_count = len(wizard.customer_ids)

    @api.depends("assign_by", "successor_id")
    def _compute_other_successor_id(self):
        for wizard in self:
            if wizard.assign_by == "user":
                wizard.other_successor_id = wizard.successor_id

    @api.depends("user_id")
    def _compute_other_work_count(self):
        for wizard in self:
            wizard.other_work_count = wizard._customer_policy_other_work_count()

    @api.depends("user_id", "assign_by")
    def _compute_line_ids(self):
        for wizard in self:
            customers = wizard._customer_policy_customers()
            commands = [fields.Command.clear()]
            if wizard.assign_by == "team":
                for team in customers.team_id:
                    commands.append(fields.Command.create({"team_id": team.id}))
                if customers.filtered(lambda c: not c.team_id):
                    commands.append(fields.Command.create({"team_id": False}))
            elif wizard.assign_by == "tier":
                for tier in customers.customer_tier_id:
                    commands.append(
                        fields.Command.create({"customer_tier_id": tier.id})
                    )
                if customers.filtered(lambda c: not c.customer_tier_id):
                    commands.append(fields.Command.create({"customer_tier_id": False}))
            elif wizard.assign_by == "customer":
                for customer in customers:
                    commands.append(fields.Command.create({"partner_id": customer.id}))
            wizard.line_ids = commands

    def action_handover(self):
        self.ensure_one()
        customers = self._customer_policy_customers()
        if not customers and not self._customer_policy_other_work_count():
            raise UserError(
                self.env._(
                    "%(user)s has no customer or open work you may hand over.",
                    user=self.user_id.name,
                )
            )
        successor_by_partner = self._customer_policy_successor_by_partner(customers)
        self._customer_policy_check_successors(self.other_successor_id)
        leaving = self.user_id
        # One savepoint: a failure anywhere leaves every customer and record as it
        # was, even if the caller goes on with the transaction.
        with self.env.cr.savepoint():
            customers._customer_policy_handover_records(successor_by_partner, leaving)
            # Then what the leaver handles on other owners' customers.
            leaving._customer_policy_handover_work(self.other_successor_id)
            bodies = {}
            for customer in customers:
                text = self.env._(
                    "Customer handed over from %(old)s to %(new)s by %(by)s.",
                    old=leaving.name,
                    new=successor_by_partner[customer.id].name,
                    by=self.env.user.name,
                )
                body = Markup("<p>%s</p>") % text
                if self.note:
                    body += Markup("<p>%s</p>") % self.note
                bodies[customer.id] = body
            customers.sudo()._message_log_batch(bodies=bodies)
            if self.notify_customers:
                self._customer_policy_notify_customers(customers)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Handed-over Customers"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", customers.ids)],
            "target": "current",
        }

    def _customer_policy_customers(self):
        self.ensure_one()
        if not self.user_id:
            return self.env["res.partner"]
        partners = self.env["res.partner"].search(
            [
                ("user_id", "=", self.user_id.id),
                ("customer_policy_managed", "=", True),
            ]
        )
        # Contact persons follow their company: the customer is the company.
        return partners.filtered(lambda p: p.commercial_partner_id == p)

    def _customer_policy_successor_by_partner(self, customers):
        """{customer id: successor} from the wizard's choice, or a clear error."""
        self.ensure_one()
        successor_by_partner = {}
        for customer in customers:
            if self.assign_by == "user":
                successor = self.successor_id
            elif self.assign_by == "team":
                line = self.line_ids.filtered(
                    lambda li, c=customer: li.team_id == c.team_id
                )[:1]
                successor = line.successor_id
            elif self.assign_by == "tier":
                line = self.line_ids.filtered(
                    lambda li, c=customer: li.customer_tier_id == c.customer_tier_id
                )[:1]
                successor = line.successor_id
            else:
                line = self.line_ids.filtered(
                    lambda li, c=customer: li.partner_id == c
                )[:1]
                successor = line.successor_id
            if not successor:
                raise UserError(
                    self.env._(
                        "Choose a successor for %(customer)s.",
                        customer=customer.display_name,
                    )
                )
            successor_by_partner[customer.id] = successor
        self._customer_policy_check_successors(*set(successor_by_partner.values()))
        return successor_by_partner

    def _customer_policy_check_successors(self, *successors):
        for successor in successors:
            if not successor:
                continue
            if successor == self.user_id:
                raise UserError(
                    self.env._(
                        "%(user)s cannot be their own successor.", user=successor.name
                    )
                )
            if (
                not successor.active
                or successor.share
                or not successor.has_group("customer_policy.group_user")
            ):
                raise UserError(
                    self.env._(
                        "%(user)s cannot take over customers: choose an active user "
                        "of the Customer Policy.",
                        user=successor.name,
                    )
                )

    def _customer_policy_other_work_count(self):
        """How many open records the leaving user handles on customers of other
        owners (counted as superuser: it is the leaver's work)."""
        self.ensure_one()
        if not self.user_id:
            return 0
        count = 0
        specs = self.env["res.partner"]._customer_policy_handover_models()
        for spec in specs:
            count += (
                self.env[spec["model"]]
                .sudo()
                .search_count(
                    [
                        (spec["user_field"], "=", self.user_id.id),
                        (
                            f"{spec['partner_field']}.commercial_partner_id.user_id",
                            "!=",
                            self.user_id.id,
                        ),
                    ]
                    + list(spec.get("domain") or [])
                )
            )
        return count

    def _customer_policy_notify_customers(self, customers):
        template = self.env.ref("customer_policy.mail_template_customer_handover")
        for customer in customers.sudo():
            contact = customer._customer_policy_main_contact()
            if not contact:
                continue
            customer.with_context(lang=contact.lang).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=contact.ids,
            )


class CustomerHandoverWizardLine(models.TransientModel):
    _name = "customer.handover.wizard.line"
    _description = "Customer Hand-over Successor"

    wizard_id = fields.Many2one(
        comodel_name="customer.handover.wizard", required=True, ondelete="cascade"
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Department", readonly=True
    )
    customer_tier_id = fields.Many2one(
        comodel_name="customer.tier", string="Tier", readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    successor_id = fields.Many2one(
        comodel_name="res.users",
        domain=[("share", "=", False)],
    )
