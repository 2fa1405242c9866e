import heapq
import itertools
from collections import defaultdict

from odoo import api, fields, models

from ..tools.xlsx import Column
from .customer_agreement import LEDGER_STATES, RECEIVABLE_STATES

# Customers a page of the receivables reads at a time.
_PAGE = 2000
# How many customers the top list shows.
TOP_CUSTOMERS = 20
_BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")


class ResPartner(models.Model):
    """The customer analysis workbook (客户分析): customers by tier, industry,
    scale and department, new against lost customers month by month, the top
    customers by contract amount, the aging of receivables and the list of the
    customers — each read as the user who exports, so that it holds only the
    customers they may read."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _customer_policy_analysis_domain(self, teams):
        domain = [("customer_policy_managed", "=", True), ("parent_id", "=", False)]
        if teams:
            domain.append(("team_id", "in", teams.ids))
        return domain

    @api.model
    def _customer_policy_analysis_xlsx(self, book, date_from, date_to, teams):
        """Write the customer analysis of [``date_from``, ``date_to``] into
        ``book``; return the file name."""
        env = self.env
        domain = self._customer_policy_analysis_domain(teams)
        period = [
            ("registration_date", ">=", date_from),
            ("registration_date", "<=", date_to),
        ]
        for groupby, title in (
            ("customer_tier_id", env._("By Tier")),
            ("industry_id", env._("By Industry")),
            ("company_scale", env._("By Scale")),
            ("team_id", env._("By Department")),
        ):
            book.add_table(
                title,
                self._customer_policy_breakdown_columns(groupby),
                self._customer_policy_breakdown(domain, period, groupby),
                total_label=env._("Total"),
            )
        self._customer_policy_new_lost_sheet(book, date_from, date_to, teams)
        book.add_table(
            env._("Top Customers"),
            [
                Column("rank", env._("Rank"), "int", 6, "none"),
                Column("customer", env._("Customer"), "text", 36),
                Column("count", env._("Agreements"), "int", 11),
                Column("amount", env._("Contract Amount"), "money", 16),
            ],
            self._customer_policy_top_customers(date_from, date_to, teams),
            total_label=env._("Total"),
        )
        buckets = dict(
            env["customer.agreement.installment"]
            ._fields["aging_bucket"]
            ._description_selection(env)
        )
        book.add_table(
            env._("Receivables Aging"),
            [
                Column("customer", env._("Customer"), "text", 36),
                *(Column(bucket, buckets[bucket], "money", 14) for bucket in _BUCKETS),
                Column("total", env._("Total Due"), "money", 16),
            ],
            self._customer_policy_aging_rows(teams),
            total_label=env._("Total"),
        )
        book.add_table(
            env._("Customers"),
            self._customer_policy_customer_columns(),
            self._customer_policy_customer_rows(domain),
            total_label=env._("Total"),
        )
        return env._(
            "Customer Analysis %(from)s - %(to)s",
            **{
                "from": fields.Date.to_string(date_from),
                "to": fields.Date.to_string(date_to),
            },
        )

    @api.model
    def _customer_policy_breakdown_columns(self, groupby):
        env = self.env
        return [
            Column(groupby, self._fields[groupby]._description_string(env), "text", 24),
            Column("customers", env._("Customers"), "int", 12),
            Column("new", env._("New in the Period"), "int", 12),
            Column(
                "amount",
                self._fields["annual_contract_amount"]._description_string(env),
                "money",
                18,
            ),
        ]

    @api.model
    def _customer_policy_breakdown(self, domain, period, groupby):
        """[group, customers, new in the period, annual contract amount] of the
        customers the user may read, grouped by ``groupby``."""
        env = self.env
        totals = self._read_group(
            domain, [groupby], ["__count", "annual_contract_amount:sum"]
        )
        new = dict(self._read_group(domain + period, [groupby], ["__count"]))
        selection = {}
        if self._fields[groupby].type == "selection":
            selection = dict(self._fields[groupby]._description_selection(env))
        rows = []
        for group, count, amount in totals:
            if selection:
                name = selection.get(group, "")
            else:
                name = group.display_name if group else ""
            rows.append([name or env._("Not set"), count, new.get(group, 0), amount])
        return rows

    def _customer_policy_new_lost_sheet(self, book, date_from, date_to, teams):
        """New and lost customers by month, from the KPI report the user may
        read, with its chart."""
        env = self.env
        Kpi = env["customer.kpi.report"]
        domain = [("month", ">=", date_from.replace(day=1)), ("month", "<=", date_to)]
        if teams:
            domain.append(("team_id", "in", teams.ids))
        groups = Kpi._read_group(
            domain,
            ["month:month"],
            [
                "new_customers:sum",
                "customers_lost:sum",
                "repeat_purchase_customers:sum",
            ],
        )
        table = book.add_table(
            env._("New vs Lost"),
            [
                Column(
                    "month", Kpi._fields["month"]._description_string(env), "date", 11
                ),
                Column(
                    "new",
                    Kpi._fields["new_customers"]._description_string(env),
                    "int",
                    14,
                ),
                Column(
                    "lost",
                    Kpi._fields["customers_lost"]._description_string(env),
                    "int",
                    14,
                ),
                Column("net", env._("Net Growth"), "int", 12),
                Column(
                    "repeat",
                    Kpi._fields["repeat_purchase_customers"]._description_string(env),
                    "int",
                    14,
                ),
            ],
            (
                [month, new, lost, new - lost, repeat]
                for month, new, lost, repeat in groups
            ),
            total_label=env._("Total"),
        )
        book.add_chart(
            table,
            "month",
            ["new", "lost"],
            kind="line",
            title=env._("New and Lost Customers by Month"),
        )

    @api.model
    def _customer_policy_top_customers(self, date_from, date_to, teams):
        """[rank, customer, agreements, amount] of the customers with the largest
        amount of agreements approved by Legal and signed in the period, in the
        company currency, among the agreements the user may read."""
        Agreement = self.env["customer.agreement"]
        domain = [
            ("state", "in", LEDGER_STATES),
            ("date_signed", ">=", date_from),
            ("date_signed", "<=", date_to),
        ]
        if teams:
            domain.append(("team_id", "in", teams.ids))
        # One customer's groups (a currency and company each) follow each other:
        # add them up, keep the best TOP_CUSTOMERS, whatever the number of
        # customers.
        best = []
        current, amount, count = None, 0.0, 0
        groups = self._customer_policy_group_pages(
            Agreement,
            domain,
            ["partner_id", "currency_id", "company_id"],
            ["__count", "amount_total:sum"],
        )
        for partner, currency, company, group_count, total in itertools.chain(
            groups, [(None, None, None, 0, 0.0)]
        ):
            if partner != current:
                if current:
                    entry = (amount, -current.id, current, count)
                    if len(best) < TOP_CUSTOMERS:
                        heapq.heappush(best, entry)
                    else:
                        heapq.heappushpop(best, entry)
                current, amount, count = partner, 0.0, 0
            if partner:
                amount += currency._convert(
                    total, company.currency_id, company, date_to
                )
                count += group_count
        ranked = sorted(best, reverse=True)
        return [
            [rank, partner.display_name, count, amount]
            for rank, (amount, _id, partner, count) in enumerate(ranked, start=1)
        ]

    @api.model
    def _customer_policy_group_pages(self, model, domain, groupby, aggregates):
        """The groups of ``model._read_group``, ordered by the first of
        ``groupby``, read a page at a time."""
        offset = 0
        while True:
            page = model._read_group(
                domain,
                groupby,
                aggregates,
                order=", ".join(groupby),
                limit=_PAGE,
                offset=offset,
            )
            yield from page
            if len(page) < _PAGE:
                return
            self.env.invalidate_all()
            offset += _PAGE

    @api.model
    def _customer_policy_aging_rows(self, teams):
        """[customer, amount per aging bucket, total] of the money owed under the
        agreements the user may read, a page of customers at a time."""
        Installment = self.env["customer.agreement.installment"]
        today = fields.Date.context_today(self)
        domain = [
            ("agreement_state", "in", RECEIVABLE_STATES),
            ("state", "!=", "paid"),
            ("amount_residual", ">", 0),
        ]
        if teams:
            domain.append(("team_id", "in", teams.ids))
        partners = (
            partner
            for (partner,) in self._customer_policy_group_pages(
                Installment, domain, ["partner_id"], []
            )
        )
        while page := list(itertools.islice(partners, _PAGE)):
            owed = defaultdict(lambda: dict.fromkeys(_BUCKETS, 0.0))
            for partner, bucket, currency, company, amount in Installment._read_group(
                [*domain, ("partner_id", "in", [partner.id for partner in page])],
                ["partner_id", "aging_bucket", "currency_id", "company_id"],
                ["amount_residual:sum"],
            ):
                owed[partner][bucket] += currency._convert(
                    amount, company.currency_id, company, today
                )
            for partner in page:
                buckets = owed[partner]
                yield [
                    partner.display_name,
                    *(buckets[bucket] for bucket in _BUCKETS),
                    sum(buckets.values()),
                ]

    @api.model
    def _customer_policy_customer_columns(self):
        env = self.env

        def label(name):
            return self._fields[name]._description_string(env)

        return [
            Column("name", label("name"), "text", 36),
            Column("tier", label("customer_tier_id"), "text", 14),
            Column("industry", label("industry_id"), "text", 18),
            Column("scale", label("company_scale"), "text", 10),
            Column("team", label("team_id"), "text", 16),
            Column("user", label("user_id"), "text", 14),
            Column("registered", label("registration_date"), "date", 11),
            Column("amount", label("annual_contract_amount"), "money", 16),
            Column("due", env._("Amount Due"), "money", 14),
            Column("overdue", env._("Amount Overdue"), "money", 14),
        ]

    @api.model
    def _customer_policy_customer_rows(self, domain):
        """One row per customer the user may read, streamed: the customers come a
        batch at a time, their receivables with them."""
        env = self.env
        Export = env["customer.policy.xlsx.export"]
        Installment = env["customer.agreement.installment"]
        scales = dict(self._fields["company_scale"]._description_selection(env))
        today = fields.Date.context_today(self)
        fnames = [
            "name",
            "customer_tier_id",
            "industry_id",
            "company_scale",
            "team_id",
            "user_id",
            "registration_date",
            "annual_contract_amount",
        ]
        for batch in Export._customer_policy_batches(self, domain, fnames):
            owed = defaultdict(lambda: [0.0, 0.0])
            for customer, state, currency, company, amount in Installment._read_group(
                [
                    ("partner_id", "in", batch.ids),
                    ("agreement_state", "in", RECEIVABLE_STATES),
                    ("state", "!=", "paid"),
                ],
                ["partner_id", "state", "currency_id", "company_id"],
                ["amount_residual:sum"],
            ):
                value = currency._convert(amount, company.currency_id, company, today)
                owed[customer.id][0] += value
                if state == "overdue":
                    owed[customer.id][1] += value
            for partner in batch:
                due, overdue = owed.get(partner.id, (0.0, 0.0))
                yield [
                    partner.name,
                    partner.customer_tier_id.name or "",
                    partner.industry_id.name or "",
                    scales.get(partner.company_scale, ""),
                    partner.team_id.name or "",
                    partner.user_id.name or "",
                    partner.registration_date,
                    partner.annual_contract_amount,
                    due,
                    overdue,
                ]
