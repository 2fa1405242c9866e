from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.formats import format_day


class CustomerCollectionAction(models.Model):
    _name = "customer.collection.action"
    _description = "Collection Action (催款记录)"
    _inherit = "customer.policy.customer.mixin"
    _order = "date desc, id desc"

    installment_id = fields.Many2one(
        comodel_name="customer.agreement.installment",
        required=True,
        ondelete="cascade",
        index=True,
    )
    agreement_id = fields.Many2one(
        related="installment_id.agreement_id", store=True, index=True
    )
    # The installment's: an action chases the money of its installment.
    partner_id = fields.Many2one(
        related="installment_id.partner_id", store=True, required=False, tracking=None
    )
    company_id = fields.Many2one(
        related="installment_id.company_id", store=True, required=False, default=None
    )
    currency_id = fields.Many2one(related="installment_id.currency_id")
    amount_residual = fields.Monetary(
        string="Amount Due", compute="_compute_amount_residual"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    action_type = fields.Selection(
        selection=[
            ("call", "Phone Call"),
            ("visit", "Visit"),
            ("letter", "Reminder Letter"),
            ("legal", "Legal Action"),
        ],
        string="Action",
        required=True,
        default="call",
    )
    # Who chased the money: whoever records the action.
    user_id = fields.Many2one(
        string="By",
        compute=None,
        required=True,
        default=lambda self: self.env.user,
        index=False,
        help=None,
    )
    customer_reason = fields.Text(
        string="Customer's Reason", help="Why the customer has not paid."
    )
    promised_date = fields.Date(
        help="When the customer promised to pay. Unpaid the day after, the promise "
        "is broken: whoever recorded it is reminded, and the next escalation "
        "counts its days from the promised date instead of the due date."
    )
    promise_broken = fields.Boolean(
        readonly=True,
        copy=False,
        help="The installment was still unpaid the day after the promised date.",
    )
    result = fields.Text()

    @api.depends("installment_id.amount_residual")
    def _compute_amount_residual(self):
        # What collection chases: an invoiced installment's invoice.
        for action in self:
            action.amount_residual = (
                action.installment_id.sudo()._customer_policy_collection_basis()[1]
                if action.installment_id
                else 0.0
            )

    @api.depends("action_type", "installment_id", "date")
    def _compute_display_name(self):
        # In the reader's language: "电话催款 HT2026-0001 … 2026-05-01".
        labels = dict(self._fields["action_type"]._description_selection(self.env))
        for action in self:
            action.display_name = " ".join(
                part
                for part in (
                    labels.get(action.action_type, ""),
                    action.installment_id.sudo().display_name or "",
                    fields.Date.to_string(action.date) if action.date else "",
                )
                if part
            )

    @api.model_create_multi
    def create(self, vals_list):
        # The rules let anyone write down their own actions: the installment
        # itself is what decides who may chase the money.
        if not self.env.su:
            installments = self.env["customer.agreement.installment"].browse(
                {
                    vals["installment_id"]
                    for vals in vals_list
                    if vals.get("installment_id")
                }
            )
            if installments._filtered_access("read") != installments:
                raise AccessError(
                    self.env._(
                        "You can only record collection actions on the installments "
                        "of customers you follow."
                    )
                )
        return super().create(vals_list)

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_remind_broken_promises(self, scope):
        """The day after a promise, if the installment is still unpaid: one
        reminder for whoever recorded the promise (the installment's owner when
        that user left), once per promise. Only an installment's latest promise
        counts: an earlier one was renegotiated. The installments of the id range
        ``scope`` (after, last); returns how many promises were found broken."""
        today = fields.Date.context_today(self)
        self.flush_model()
        self.env["customer.agreement.installment"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT latest.id FROM (
                    SELECT DISTINCT ON (a.installment_id) a.id, a.installment_id,
                           a.promised_date, a.promise_broken
                      FROM customer_collection_action a
                     WHERE a.promised_date IS NOT NULL
                       AND a.installment_id > %s AND a.installment_id <= %s
                  ORDER BY a.installment_id, a.date DESC, a.id DESC
                ) latest
                  JOIN customer_agreement_installment i
                    ON i.id = latest.installment_id
                 WHERE latest.promised_date < %s
                   AND latest.promise_broken IS NOT TRUE
                   AND i.state != 'paid'
                 ORDER BY latest.id
                """,
                scope[0],
                scope[1],
                today,
            )
        )
        broken = self.sudo().browse(row[0] for row in rows)
        if not broken:
            return 0
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_collection_promise"
        )
        todo = []
        for action in broken:
            installment = action.installment_id
            user = action.user_id if action.user_id.active else installment.user_id
            amount = installment.currency_id.format(installment.amount_residual)
            todo.append(
                {
                    "res_id": installment.id,
                    "activity_type": activity_type,
                    "user": user or self.env.user,
                    "date_deadline": action.promised_date + timedelta(days=1),
                    "summary": lambda env, a=action, amount=amount: env._(
                        "%(customer)s promised to pay %(amount)s by %(date)s and "
                        "has not: chase the payment",
                        customer=a.partner_id.name,
                        amount=amount,
                        date=format_day(env, a.promised_date),
                    ),
                }
            )
        self.env["mail.activity"]._customer_policy_schedule(
            "customer.agreement.installment", todo
        )
        broken.write({"promise_broken": True})
        return len(broken)
