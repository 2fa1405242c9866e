from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, format_date, plaintext2html

from ..tools.cron import run_in_chunks
from ..tools.sql import compute_related_in_sql
from ..tools.tz import with_company_tz

# Customers looked at per call of the monthly re-grading, by id; the cron
# framework calls again (and commits in between) while some remain.
REGRADE_BATCH_SIZE = 1000

# For every managed customer, the tier its amount reaches; only those needing an
# action are kept (a change, a proposal, a grace period to start or end).
_REGRADE_CANDIDATES_SQL = """
WITH graded AS (
    SELECT p.id,
           p.customer_tier_id AS cur_id,
           target.id AS target_id,
           CASE
               WHEN target.id = p.customer_tier_id THEN 'same'
               WHEN cur.id IS NULL
                 OR (target.sequence, target.id) < (cur.sequence, cur.id)
               THEN 'up'
               ELSE 'down'
           END AS direction,
           p.tier_downgrade_since AS since,
           p.tier_proposed_id AS proposed_id,
           COALESCE(p.annual_contract_amount, 0) AS amount,
           company.id AS company_id,
           company.customer_tier_grace_days AS grace
      FROM res_partner p
      JOIN res_company company
        ON company.id = COALESCE(p.company_id, %(company_id)s)
      LEFT JOIN customer_tier cur ON cur.id = p.customer_tier_id
      JOIN LATERAL (
            SELECT tier.id, tier.sequence
              FROM customer_tier tier
             WHERE tier.active
               AND (tier.company_id IS NULL
                    OR tier.company_id = p.company_id)
               AND tier.min_annual_amount
                   <= COALESCE(p.annual_contract_amount, 0)
             ORDER BY tier.min_annual_amount DESC, tier.sequence, tier.id
             LIMIT 1
      ) target ON TRUE
     WHERE p.customer_policy_managed
       AND p.active
       AND p.commercial_partner_id = p.id
       AND p.tier_locked IS NOT TRUE
       AND p.id > %(after)s AND p.id <= %(last)s
)
SELECT id, cur_id, target_id, direction, since, proposed_id, amount,
       company_id, COUNT(*) OVER () AS total
  FROM graded
 WHERE target_id IS DISTINCT FROM proposed_id
   AND (direction != 'same' OR since IS NOT NULL
        OR proposed_id IS NOT NULL)
   -- inside the grace period nothing is due yet
   AND NOT (direction = 'down' AND since IS NOT NULL AND grace > 0
            AND since > %(today)s - grace AND proposed_id IS NULL)
 ORDER BY id
"""

# The customers the re-grading looks at, by id.
_REGRADE_SCOPE_SQL = """
SELECT p.id FROM res_partner p
 WHERE p.customer_policy_managed
   AND p.active
   AND p.commercial_partner_id = p.id
   AND p.tier_locked IS NOT TRUE
   AND p.id > %s
 ORDER BY p.id
"""


class ResPartner(models.Model):
    """The monthly re-grading (客户分级动态调整) of unpinned customers from their
    annual contract amount."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_regrade_customer_tiers(self, batch_size=REGRADE_BATCH_SIZE):
        """Re-grade unlocked customers from their annual contract amount.

        One SQL query finds, for every managed customer of a chunk, the tier its
        amount reaches and keeps only those needing an action; the actions are
        then applied with one write per target tier: upgrades (proposals for
        tiers reserved to Directors or whose rules the customer does not meet
        yet), downgrades after the company's grace period, and the grace
        period's start and end. `batch_size` customers per call, by id, so that
        no call reads the others; the progress is reported to the cron, which
        calls again for the rest.
        """
        # Today and the dates written are the company's, not the cron user's.
        self = with_company_tz(self)  # noqa: PLW0642
        # The customers' own tier changes go to their tier history, not their
        # chatter; the records that copy the tier (visits…) show the current
        # tier and do not track it.
        partners_model = self.sudo().with_context(tracking_disable=True)
        run_in_chunks(
            self.env,
            "customer_policy.regrade",
            lambda after: partners_model._customer_policy_regrade_chunk(
                after, batch_size
            ),
        )

    @api.model
    def _customer_policy_regrade_chunk(self, after, size):
        """Re-grade the next ``size`` customers after the id ``after``: ``(last
        id, customers looked at, customers remaining)``."""
        self._customer_policy_regrade_flush()
        self.env.cr.execute(SQL("%s LIMIT %s", SQL(_REGRADE_SCOPE_SQL, after), size))
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return after, 0, 0
        rows, _count = self._customer_policy_regrade_candidates((after, ids[-1]))
        if rows:
            self._customer_policy_apply_regrade(
                self._customer_policy_regrade_plan(rows)
            )
        remaining = 0
        if len(ids) == size:
            self.env.cr.execute(
                SQL("SELECT COUNT(*) FROM (%s) p", SQL(_REGRADE_SCOPE_SQL, ids[-1]))
            )
            remaining = self.env.cr.fetchone()[0]
        return ids[-1], len(ids), remaining

    def _customer_policy_regrade_flush(self):
        self.env["res.partner"].flush_model(
            [
                "customer_policy_managed",
                "active",
                "tier_locked",
                "commercial_partner_id",
                "customer_tier_id",
                "tier_downgrade_since",
                "tier_proposed_id",
                "annual_contract_amount",
                "company_id",
            ]
        )
        self.env["customer.tier"].flush_model()
        self.env["res.company"].flush_model(["customer_tier_grace_days"])

    def _customer_policy_regrade_candidates(self, scope=None):
        """Managed customers the re-grading must act on, and how many there are.

        :param scope: (after, last): the customers of that id range, all when
            ``None``
        :return: (rows, count): dicts with id, cur_id (current tier), target_id
            (the tier the amount reaches), direction ('up', 'down', 'same'),
            since, proposed_id, amount, company_id
        """
        self._customer_policy_regrade_flush()
        after, last = scope or (0, 2**31 - 1)
        self.env.cr.execute(
            _REGRADE_CANDIDATES_SQL,
            {
                "company_id": self.env.company.id,
                "today": fields.Date.context_today(self),
                "after": after,
                "last": last,
            },
        )
        rows = self.env.cr.dictfetchall()
        return rows, len(rows)

    def _customer_policy_regrade_plan(self, rows):
        """What the re-grading does to the candidate ``rows``: tier changes and
        proposals per target tier with their reasons, grace periods to start or
        end, proposals to withdraw."""
        today = fields.Date.context_today(self)
        tiers = self.env["customer.tier"].sudo().with_context(active_test=False)
        partners = self.browse([row["id"] for row in rows])
        companies = self.env["res.company"].browse({row["company_id"] for row in rows})
        plan = {
            "changes": defaultdict(list),
            "proposals": defaultdict(list),
            "reasons": {},
            "notes": {},
            "start_grace": [],
            "reset_grace": [],
            "withdraw": [],
        }
        for row, partner in zip(rows, partners, strict=True):
            target = tiers.browse(row["target_id"])
            if row["proposed_id"] and row["proposed_id"] != target.id:
                plan["withdraw"].append(partner.id)
            reason = partner._customer_policy_regrade_reason(
                row,
                target,
                tiers.browse(row["cur_id"]),
                companies.browse(row["company_id"]).customer_tier_grace_days,
                today,
                plan,
            )
            if not reason:
                continue
            blocked = partner._customer_policy_tier_violations(target).get(partner)
            if target.director_approval or blocked:
                plan["proposals"][target].append(partner.id)
                plan["notes"][partner.id] = (reason, blocked)
            else:
                plan["changes"][target].append(partner.id)
                plan["reasons"][partner.id] = reason
        return plan

    def _customer_policy_regrade_reason(self, row, target, current, grace, today, plan):
        """Why the customer moves to ``target`` now, or ``None`` when it does not
        (same tier, or a downgrade still inside its grace period, whose start or
        end is noted in ``plan``)."""
        self.ensure_one()
        since = row["since"]
        if row["direction"] != "down" and since:
            plan["reset_grace"].append(self.id)
        if row["direction"] == "same":
            return None
        if row["direction"] == "down":
            due = grace == 0 or (since and since <= today - timedelta(days=grace))
            if not due:
                if not since:
                    plan["start_grace"].append(self.id)
                return None
        # Formatted only for the customers that move: most candidates of a run
        # start or wait out a grace period.
        currency = self.customer_policy_currency_id
        amount = format_amount(self.env, row["amount"], currency)
        if row["direction"] == "up":
            return self.env._(
                "Re-grading: the contract amount of the last 12 months, "
                "%(amount)s, reaches the threshold of %(tier)s (%(threshold)s).",
                amount=amount,
                tier=target.name,
                threshold=format_amount(self.env, target.min_annual_amount, currency),
            )
        return self.env._(
            "Re-grading: the contract amount of the last 12 months, "
            "%(amount)s, has been below the threshold of %(old_tier)s "
            "since %(date)s (grace period %(days)s days).",
            amount=amount,
            old_tier=current.name,
            date=format_date(self.env, since or today),
            days=grace,
        )

    @api.model
    def _customer_policy_apply_regrade(self, plan):
        """Apply a re-grading plan: one write per target tier and kind of change."""
        today = fields.Date.context_today(self)
        if plan["withdraw"]:
            withdrawn = self.browse(plan["withdraw"])
            withdrawn._customer_policy_tier_proposal_activities().unlink()
            withdrawn.write({"tier_proposed_id": False})
        if plan["reset_grace"]:
            self.browse(plan["reset_grace"]).write({"tier_downgrade_since": False})
        if plan["start_grace"]:
            self.browse(plan["start_grace"]).write({"tier_downgrade_since": today})
        regrade = self.with_context(
            customer_tier_change_reason=plan["reasons"],
            customer_tier_change_type="regrade",
        )
        for target, partner_ids in plan["changes"].items():
            regrade.browse(partner_ids).write({"customer_tier_id": target.id})
        # The records that copy the tier (about ten visits per customer) in one
        # statement each, where the ORM would compute them one by one.
        tier = self._fields["customer_tier_id"]
        for field in list(self.env.fields_to_compute()):
            if field.related_field is tier and field.related.count(".") == 1:
                compute_related_in_sql(self.env, field)
        for target, partner_ids in plan["proposals"].items():
            proposed = self.browse(partner_ids)
            proposed.write({"tier_proposed_id": target.id})
            proposed._customer_policy_schedule_tier_proposals(target, plan["notes"])

    def _customer_policy_schedule_tier_proposals(self, tier, notes):
        """One proposal activity per customer for the person who approves it: the
        department's leader, or the company's approver (a Director) for tiers
        reserved to Directors and customers without a leader."""
        activity_type = self.env.ref("customer_policy.mail_activity_type_tier_proposal")
        deadline = fields.Date.context_today(self) + timedelta(
            days=activity_type.delay_count or 7
        )
        directors = {}
        todo = []
        for partner in self:
            company = partner.company_id or self.env.company
            if company not in directors:
                directors[company] = self.env["res.users"]._customer_policy_directors(
                    company
                )[:1]
            approver = company.customer_tier_approver_id or directors[company]
            leader = partner.team_id.user_id
            if not tier.director_approval and leader:
                approver = leader
            reason, blocked = notes[partner.id]
            todo.append(
                {
                    "res_id": partner.id,
                    "activity_type": activity_type,
                    "user": approver,
                    "date_deadline": deadline,
                    "summary": lambda env: env._(
                        "Tier proposal: %(tier)s", tier=tier.with_env(env).name
                    ),
                    "note": plaintext2html(
                        reason if not blocked else f"{reason}\n{blocked}"
                    ),
                }
            )
        self.env["mail.activity"]._customer_policy_schedule("res.partner", todo)
