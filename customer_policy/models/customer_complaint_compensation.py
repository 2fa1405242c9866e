from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class CustomerComplaint(models.Model):
    """Compensation (补偿方案): what the company grants the customer, approved by
    a manager before the ticket is resolved when it costs money."""

    _inherit = "customer.complaint"  # pylint: disable=consider-merging-classes-inherited

    currency_id = fields.Many2one(related="company_id.currency_id")
    compensation_type = fields.Selection(
        [
            ("discount", "Discount"),
            ("gift", "Gift"),
            ("refund", "Refund"),
            ("service", "Free Service"),
        ],
        tracking=True,
    )
    compensation_amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="What the compensation costs the company: a manager approves it "
        "before the ticket can be resolved.",
    )
    compensation_approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False
    )
    compensation_approved_at = fields.Datetime(readonly=True, copy=False)
    compensation_state = fields.Selection(
        [
            ("none", "No Compensation"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
        ],
        compute="_compute_compensation_state",
        store=True,
    )

    # === COMPUTE METHODS === #

    @api.depends("compensation_amount", "compensation_approved_by_id")
    def _compute_compensation_state(self):
        for ticket in self:
            if not ticket.compensation_amount:
                ticket.compensation_state = "none"
            elif ticket.compensation_approved_by_id:
                ticket.compensation_state = "approved"
            else:
                ticket.compensation_state = "to_approve"

    # === CONSTRAINT METHODS === #

    @api.constrains("compensation_amount", "compensation_type")
    def _check_compensation(self):
        for ticket in self:
            if ticket.compensation_amount < 0:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: a compensation cannot be negative.",
                        ticket=ticket.name,
                    )
                )
            if ticket.compensation_amount and not ticket.compensation_type:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: say what the compensation is (discount, gift, "
                        "refund or free service).",
                        ticket=ticket.name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("compensation_approved_by_id", None)
            vals.pop("compensation_approved_at", None)
        return super().create(vals_list)

    def write(self, vals):
        if {"compensation_approved_by_id", "compensation_approved_at"} & set(
            vals
        ) and not self.env.context.get("customer_policy_compensation_approval"):
            raise AccessError(
                self.env._("A compensation is approved with the Approve button only.")
            )
        if {"compensation_amount", "compensation_type"} & set(vals) and not (
            self.env.context.get("customer_policy_compensation_approval")
        ):
            # What was approved is that amount of that kind: a change needs a new
            # approval.
            changed = self.filtered(
                lambda t: (
                    t.compensation_approved_by_id
                    and (
                        (
                            "compensation_amount" in vals
                            and t.currency_id.compare_amounts(
                                t.compensation_amount,
                                vals["compensation_amount"] or 0.0,
                            )
                        )
                        or (
                            "compensation_type" in vals
                            and t.compensation_type != vals["compensation_type"]
                        )
                    )
                )
            )
            if changed:
                changed.with_context(customer_policy_compensation_approval=True).write(
                    {
                        "compensation_approved_by_id": False,
                        "compensation_approved_at": False,
                    }
                )
        return super().write(vals)

    # === ACTION METHODS === #

    def action_approve_compensation(self):
        """A manager of the ticket's department, a service manager or a Director
        approves the compensation."""
        for ticket in self:
            if not ticket.compensation_amount:
                raise UserError(
                    self.env._(
                        "%(ticket)s has no compensation amount to approve.",
                        ticket=ticket.name,
                    )
                )
            if self.env.user not in ticket._customer_policy_compensation_approvers():
                raise AccessError(
                    self.env._(
                        "Only the manager of the ticket's department, a service "
                        "manager or a Director approves the compensation of "
                        "%(ticket)s.",
                        ticket=ticket.name,
                    )
                )
        self.sudo().with_context(customer_policy_compensation_approval=True).write(
            {
                "compensation_approved_by_id": self.env.user.id,
                "compensation_approved_at": fields.Datetime.now(),
            }
        )
        for ticket in self.sudo():
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Compensation of %(amount)s approved by %(user)s.",
                    amount=ticket.currency_id.format(ticket.compensation_amount),
                    user=self.env.user.name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
        return True

    def action_request_compensation_approval(self):
        """Ask the approvers for their decision with a to-do each."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        todo = []
        for ticket in self:
            if ticket.compensation_state != "to_approve":
                continue
            approvers = ticket._customer_policy_compensation_approvers(first_only=True)
            todo += [
                {
                    "res_id": ticket.id,
                    "activity_type": activity_type,
                    "user": user,
                    "date_deadline": fields.Date.context_today(self),
                    "summary": lambda env, t=ticket: env._(
                        "Approve the compensation of %(ticket)s (%(amount)s)",
                        ticket=t.name,
                        amount=t.currency_id.format(t.compensation_amount),
                    ),
                }
                for user in approvers
            ]
        self.env["mail.activity"]._customer_policy_schedule(self._name, todo)
        return True

    # === BUSINESS METHODS === #

    def _customer_policy_compensation_approvers(self, first_only=False):
        """Who may approve: the managers (group) leading the responsible or the
        customer's department, the service managers and the Directors. With
        ``first_only``, who is asked: the department's manager, else the
        Directors."""
        self.ensure_one()
        ticket = self.sudo()
        managers = (
            ticket.responsible_team_id.user_id | ticket.team_id.user_id
        ).filtered(lambda u: u.has_group("customer_policy.group_manager"))
        directors = self.env["res.users"]._customer_policy_directors(ticket.company_id)
        if first_only:
            return managers or directors
        service_managers = (
            self.env.ref("customer_policy.group_service_manager")
            .sudo()
            .users.filtered(lambda u: ticket.company_id in u.company_ids)
        )
        return managers | service_managers | directors

    def _customer_policy_check_step_done(self, state, vals):
        super()._customer_policy_check_step_done(state, vals)
        if state != "resolved":
            return
        amount = vals.get("compensation_amount", self.compensation_amount)
        approved = (
            self.compensation_approved_by_id
            and "compensation_amount" not in vals
            and "compensation_type" not in vals
        )
        if amount and not approved:
            raise UserError(
                self.env._(
                    "%(ticket)s: the compensation of %(amount)s must be approved by "
                    "a manager before the ticket is resolved.",
                    ticket=self.name,
                    amount=self.currency_id.format(amount),
                )
            )
