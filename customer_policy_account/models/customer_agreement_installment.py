from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.customer_policy.models.customer_agreement import RECEIVABLE_STATES
from odoo.addons.customer_policy.tools.formats import format_day

# The daily cron invoices this many installments per committed chunk.
CRON_BATCH_SIZE = 500


class CustomerAgreementInstallment(models.Model):
    _inherit = "customer.agreement.installment"

    invoice_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="customer_agreement_installment_id",
        string="Invoices",
        readonly=True,
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        compute="_compute_invoice_id",
        store=True,
        index="btree_not_null",
        help="The installment's current invoice (a cancelled one no longer counts): "
        "its payments are recorded in the ledger.",
    )
    invoice_payment_state = fields.Selection(
        related="invoice_id.payment_state", string="Invoice Payment Status"
    )
    invoice_date_due = fields.Date(
        compute="_compute_invoice_figures",
        store=True,
        help="Due date of the posted invoice: collection counts days overdue from it.",
    )
    invoice_amount_residual = fields.Monetary(
        string="Invoice Amount Due",
        compute="_compute_invoice_figures",
        store=True,
    )

    # === COMPUTE METHODS === #

    @api.depends("invoice_ids.state")
    def _compute_invoice_id(self):
        for installment in self:
            installment.invoice_id = (
                installment.invoice_ids.filtered(lambda m: m.state != "cancel")
                .sorted("id")[-1:]
                .id
            )

    @api.depends(
        "invoice_id.state", "invoice_id.invoice_date_due", "invoice_id.amount_residual"
    )
    def _compute_invoice_figures(self):
        for installment in self:
            invoice = installment.invoice_id
            posted = invoice.state == "posted"
            installment.invoice_date_due = posted and invoice.invoice_date_due
            installment.invoice_amount_residual = (
                invoice.amount_residual if posted else 0.0
            )

    @api.depends("invoice_date_due", "invoice_amount_residual")
    def _compute_days_overdue(self):
        return super()._compute_days_overdue()

    # === ACTION METHODS === #

    def action_create_invoice(self):
        """Draft customer invoices of the installments, each for what is still due
        on it, with the agreement number as reference; Finance posts them."""
        self._customer_policy_check_invoicer()
        refusals = self._customer_policy_lock()._customer_policy_invoice_refusals()
        if refusals:
            raise UserError("\n".join(refusals.values()))
        invoices = self._customer_policy_create_invoices()
        return invoices._get_records_action(name=self.env._("Invoices"))

    def action_view_invoice(self):
        self.ensure_one()
        return self.invoice_id._get_records_action()

    # === BUSINESS METHODS === #

    def _customer_policy_collection_basis(self):
        if self.invoice_date_due:
            return self.invoice_date_due, self.invoice_amount_residual
        return super()._customer_policy_collection_basis()

    @api.model
    def _customer_policy_collection_basis_sql(self):
        due, residual = super()._customer_policy_collection_basis_sql()
        return (
            SQL("COALESCE(i.invoice_date_due, %s)", due),
            SQL(
                "CASE WHEN i.invoice_date_due IS NULL THEN %s "
                "ELSE i.invoice_amount_residual END",
                residual,
            ),
        )

    def _customer_policy_check_invoicer(self):
        if self.env.su:
            return
        if not self.env.user.has_group("customer_policy.group_finance"):
            raise AccessError(
                self.env._("Only Finance invoices the installments of agreements.")
            )
        if not self.env["account.move"].has_access("create"):
            raise AccessError(
                self.env._(
                    "Invoicing an installment makes a customer invoice: ask for "
                    "the Invoicing rights (Billing) in Accounting."
                )
            )

    def _customer_policy_lock(self):
        """Lock the installments, so that two users (or a user and the cron) never
        invoice one twice, and read them afresh."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM customer_agreement_installment "
                    "WHERE id IN %s FOR UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["invoice_id", "amount_residual", "state"])
        return self

    def _customer_policy_invoice_refusals(self):
        """{installment: why it cannot be invoiced} of those that cannot."""
        refusals = {}
        for installment in self:
            if installment.agreement_state not in RECEIVABLE_STATES:
                reason = self.env._(
                    "%(installment)s cannot be invoiced: its agreement is not "
                    "approved, or was terminated.",
                    installment=installment.name,
                )
            elif installment.invoice_id:
                reason = self.env._(
                    "%(installment)s is already invoiced (%(invoice)s): cancel "
                    "that invoice first to invoice it again.",
                    installment=installment.name,
                    invoice=installment.invoice_id.display_name,
                )
            elif (
                installment.currency_id.compare_amounts(installment.amount_residual, 0)
                <= 0
            ):
                reason = self.env._(
                    "%(installment)s is paid: there is nothing to invoice.",
                    installment=installment.name,
                )
            else:
                continue
            refusals[installment] = reason
        return refusals

    def _customer_policy_create_invoices(self):
        """Create the invoices, one batch per company; returns them."""
        Move = self.env["account.move"]
        invoices = Move
        by_company = defaultdict(list)
        for installment in self:
            by_company[installment.company_id].append(
                installment._customer_policy_prepare_invoice_vals()
            )
        for company, vals_list in by_company.items():
            invoices |= Move.with_company(company).create(vals_list)
        return invoices

    def _customer_policy_prepare_invoice_vals(self):
        """A draft customer invoice of what is still due, taxes included: no tax
        is added on top (Finance may set a price-included one), due on the
        installment's due date."""
        self.ensure_one()
        agreement = self.agreement_id
        customer = agreement.partner_id
        env = self.with_context(lang=customer.lang or self.env.lang).env
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": customer.address_get(["invoice"])["invoice"],
            "currency_id": self.currency_id.id,
            "ref": agreement.name,
            "invoice_origin": agreement.name,
            "invoice_user_id": agreement.user_id.id,
            "invoice_payment_term_id": False,
            "invoice_date_due": self.due_date,
            "customer_agreement_installment_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": env._(
                            "%(agreement)s, installment due %(date)s",
                            agreement=agreement.display_name,
                            date=format_day(env, self.due_date),
                        ),
                        "quantity": 1.0,
                        "price_unit": self.amount_residual,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    # === CRON METHODS === #

    @api.model
    def _cron_create_installment_invoices(self, batch_size=CRON_BATCH_SIZE):
        """Invoice the installments due within each company's days (where the
        company invoices automatically), a committed chunk at a time."""
        domain = self._customer_policy_to_invoice_domain()
        if domain is None:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        installments = (
            self.sudo()
            .search(domain, order="due_date, id", limit=batch_size)
            ._customer_policy_lock()
        )
        installments -= self.browse(
            installment.id
            for installment in installments._customer_policy_invoice_refusals()
        )
        installments._customer_policy_create_invoices()
        self.env["ir.cron"]._notify_progress(
            done=len(installments),
            remaining=self.sudo().search_count(domain) if installments else 0,
        )

    @api.model
    def _customer_policy_to_invoice_domain(self):
        """The installments the cron invoices today, or ``None`` when no company
        invoices automatically."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("customer_installment_invoice_auto", "=", True)])
        )
        if not companies:
            return None
        today = fields.Date.context_today(self)
        per_company = [
            [
                ("company_id", "=", company.id),
                (
                    "due_date",
                    "<=",
                    today + timedelta(days=company.customer_installment_invoice_days),
                ),
            ]
            for company in companies
        ]
        return expression.AND(
            [
                [
                    ("agreement_state", "in", RECEIVABLE_STATES),
                    ("state", "!=", "paid"),
                    ("invoice_id", "=", False),
                ],
                expression.OR(per_company),
            ]
        )
