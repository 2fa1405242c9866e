from collections import defaultdict

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
        leftovers = self._customer_policy_leftovers()
        if not customers and not leftovers:
            raise UserError(
                self.env._(
                    "%(user)s has no customer you may hand over.",
                    user=self.user_id.name,
                )
            )
        successor_by_partner = self._customer_policy_successor_by_partner(customers)
        leaving = self.user_id
        # One savepoint: a failure anywhere leaves every customer and record as it
        # was, even if the caller goes on with the transaction.
        with self.env.cr.savepoint():
            self._customer_policy_hand_over_leftovers(leftovers)
            customers._customer_policy_handover_records(successor_by_partner, leaving)
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

    def _customer_policy_leftovers(self):
        """``[(spec, {owner: [ids]})]``: the leaving user's open records (visits,
        agreements, complaints…) on customers somebody else owns, who takes them
        back. Only customers the caller may read are considered."""
        self.ensure_one()
        leaving = self.user_id
        leftovers = []
        if not leaving:
            return leftovers
        for spec in self.env["res.partner"]._customer_policy_handover_models():
            Model = self.env[spec["model"]].sudo().with_context(active_test=False)
            records = Model.search(
                [(spec["user_field"], "=", leaving.id), *spec["domain"]]
            )
            customers = records[spec["partner_field"]].commercial_partner_id
            readable = customers.with_env(self.env)._filtered_access("read")
            by_owner = defaultdict(list)
            for record in records:
                customer = record[spec["partner_field"]].commercial_partner_id
                owner = customer.user_id
                if customer in readable and owner.active and owner != leaving:
                    by_owner[owner].append(record.id)
            if by_owner:
                leftovers.append((spec, by_owner))
        return leftovers

    def _customer_policy_hand_over_leftovers(self, leftovers):
        """Give the leftovers back to their customers' owners, with the leaving
        user's open activities on them."""
        moved = {}
        for spec, by_owner in leftovers:
            Model = self.env[spec["model"]].sudo()
            for owner, record_ids in by_owner.items():
                Model.browse(record_ids).write({spec["user_field"]: owner.id})
            moved[spec["model"]] = by_owner
        if moved:
            self.env["res.partner"]._customer_policy_handover_activities(
                moved, {}, self.user_id
            )

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
        for successor in set(successor_by_partner.values()):
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
        return successor_by_partner

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
