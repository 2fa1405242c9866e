from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_unique_index

from ..tools.commission import format_month, plan_lines
from .customer_commission_statement import FROZEN_STATES


class CustomerCommissionLine(models.Model):
    _name = "customer.commission.line"
    _description = "Commission Line"
    _order = "month desc, agreement_id, user_id, id"
    _rec_names_search = ("agreement_id", "user_id")

    statement_id = fields.Many2one(
        comodel_name="customer.commission.statement",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    agreement_id = fields.Many2one(
        comodel_name="customer.agreement",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", string="Customer", store=True, index=True
    )
    kind = fields.Selection(
        related="agreement_id.commission_kind", string="Kind", store=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        index=True,
        readonly=True,
        help="Empty: the operations department's pool.",
    )
    team_id = fields.Many2one(
        related="statement_id.team_id", string="Department", store=True, index=True
    )
    company_id = fields.Many2one(
        related="statement_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="statement_id.currency_id")
    state = fields.Selection(related="statement_id.state", string="Statement Status")
    month = fields.Date(required=True, index=True, readonly=True)
    month_label = fields.Char(string="Period", compute="_compute_month_label")
    base_amount = fields.Monetary(
        string="Base",
        readonly=True,
        help="The part of the first year's amount, after the costs, that the "
        "collections of the month earned.",
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 2), readonly=True)
    share = fields.Float(
        string="Share (%)",
        digits=(16, 4),
        readonly=True,
        help="Percent of the agreement's commission for this line: the operations "
        "share for the pool, the rest times the credit share for a salesperson.",
    )
    amount = fields.Monetary(string="Commission", readonly=True)
    adjustment_amount = fields.Monetary(
        string="Of Which Corrections",
        readonly=True,
        help="Corrections of earlier months whose statements were already "
        "confirmed: a payment reversed, a cost, a credit or a rate changed.",
    )

    def init(self):
        create_unique_index(
            self.env.cr,
            "customer_commission_line_month_unique",
            self._table,
            ["agreement_id", "(COALESCE(user_id, 0))", "month"],
        )

    @api.depends("month")
    def _compute_month_label(self):
        for record in self:
            record.month_label = format_month(record.month)

    @api.depends("agreement_id", "user_id", "month")
    def _compute_display_name(self):
        for line in self:
            who = line.user_id.name or self.env._("Operations Pool")
            line.display_name = (
                f"{format_month(line.month)} {who} {line.agreement_id.display_name}"
            )

    # ------------------------------------------------------------------ CRUD

    def _check_open(self):
        frozen = self.statement_id.filtered(lambda s: s.state in FROZEN_STATES)
        if frozen:
            raise UserError(
                self.env._(
                    "Commission statement %(statement)s is confirmed: its lines do "
                    "not change any more. Later changes are booked in the next "
                    "month.",
                    statement=frozen[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_open()
        return lines

    def write(self, vals):
        self._check_open()
        result = super().write(vals)
        if "statement_id" in vals:
            self._check_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open(self):
        self._check_open()

    # -------------------------------------------------------------- booking

    @api.model
    def _commission_book(self, agreements):
        """Bring the commission lines of ``agreements`` in line with what they earned.

        See ``tools/commission.py``: the lines of confirmed months stay, the open
        months take the difference. Running it twice writes nothing the second
        time.
        """
        agreements = agreements.sudo().filtered(
            lambda a: a.state not in ("draft", "legal_review")
        )
        if not agreements:
            return
        # Two transactions booking the same agreement would both read the lines
        # before either wrote: the second one waits here, and Odoo retries it.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM customer_agreement WHERE id IN %s FOR NO KEY UPDATE",
                tuple(agreements.ids),
            )
        )
        collected = agreements._commission_collected()
        booked = defaultdict(dict)
        for line in self.sudo().search([("agreement_id", "in", agreements.ids)]):
            booked[line.agreement_id.id][(line.user_id.id or False, line.month)] = line
        parts_of = {a.id: a._commission_parts() for a in agreements}
        user_ids = {False}
        for agreement in agreements:
            user_ids |= set(parts_of[agreement.id]) | {
                user for user, __ in booked[agreement.id]
            }
        frozen = defaultdict(set)
        for company_id, user_id, month in self.env[
            "customer.commission.statement"
        ]._commission_frozen_months(agreements.company_id, user_ids):
            frozen[company_id].add((user_id, month))
        expenses = agreements._commission_cost_from_expenses()
        to_create, to_write, to_unlink = [], [], self.browse()
        for agreement in agreements:
            lines = booked[agreement.id]
            base_total, commission_total = agreement._commission_totals(
                expenses.get(agreement.id, 0.0)
            )
            plan = plan_lines(
                collected=collected.get(agreement.id, {}),
                first_year=agreement.commission_first_year_amount,
                parts=parts_of[agreement.id],
                booked={
                    key: (line.amount, line.base_amount) for key, line in lines.items()
                },
                frozen=frozen[agreement.company_id.id],
                commission_total=commission_total,
                base_total=base_total,
                round_=agreement.company_id.currency_id.round,
            )
            for key, figures in plan.items():
                line = lines.get(key)
                if figures is None:
                    to_unlink |= line or self.browse()
                    continue
                vals = {
                    "amount": figures[0],
                    "base_amount": figures[1],
                    "adjustment_amount": figures[2],
                    "rate": agreement.commission_rate,
                    "share": round(parts_of[agreement.id].get(key[0], 0.0) * 100, 4),
                }
                if not line:
                    to_create.append(
                        {
                            "agreement_id": agreement.id,
                            "user_id": key[0],
                            "month": key[1],
                            "company_id": agreement.company_id.id,
                            **vals,
                        }
                    )
                elif any(line[name] != value for name, value in vals.items()):
                    to_write.append((line, vals))
        self._commission_apply(to_create, to_write, to_unlink)

    def _commission_apply(self, to_create, to_write, to_unlink):
        statements_before = to_unlink.statement_id
        to_unlink.unlink()
        for line, vals in to_write:
            line.write(vals)
        if to_create:
            statements = self.env[
                "customer.commission.statement"
            ]._commission_statements(
                {(v["company_id"], v["user_id"], v["month"]) for v in to_create}
            )
            for vals in to_create:
                key = (vals.pop("company_id"), vals["user_id"], vals["month"])
                vals["statement_id"] = statements[key].id
            self.sudo().create(to_create)
        # A month whose lines all went away leaves no empty statement behind.
        statements_before.exists().filtered(
            lambda s: s.state == "draft" and not s.line_ids
        ).unlink()
