from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_date, plaintext2html

# Customers handled per call of the monthly re-grading; the cron framework calls
# again (and commits in between) while some remain.
REGRADE_BATCH_SIZE = 1000


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_policy_managed = fields.Boolean(
        string="Managed Customer",
        copy=False,
        index=True,
        tracking=True,
        help="The partner is a customer under the customer management policy.",
    )
    # Odoo Community has no department on partners; crm.team is the department
    # ("sales team") everywhere else in Odoo, so the customer's owning department
    # is one too.
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="set null",
        help="The department that owns the customer: by default the owner's.",
    )

    customer_tier_id = fields.Many2one(
        comodel_name="customer.tier",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The customer's grade under the policy; its service rules apply.",
    )

    @api.depends("user_id")
    def _compute_team_id(self):
        for partner in self:
            # A partner without owner keeps its department; a new owner brings theirs.
            if partner.user_id.sale_team_id:
                partner.team_id = partner.user_id.sale_team_id

    # --- Tiers (客户分级) -----------------------------------------------------------
    customer_policy_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Policy Currency",
        compute="_compute_customer_policy_currency_id",
    )
    annual_contract_amount = fields.Monetary(
        currency_field="customer_policy_currency_id",
        compute="_compute_annual_contract_amount",
        store=True,
        copy=False,
        help="Active agreements signed in the last 12 months, in the company "
        "currency: the amount the tier suggestion and the monthly re-grading use.",
    )
    tier_suggested_id = fields.Many2one(
        comodel_name="customer.tier",
        string="Suggested Tier",
        compute="_compute_tier_suggested_id",
        compute_sudo=True,
        help="The tier whose minimum annual contract amount the customer reaches.",
    )
    customer_tier_code = fields.Char(related="customer_tier_id.code")
    customer_tier_color = fields.Integer(related="customer_tier_id.color")
    customer_project_team_ids = fields.Many2many(
        comodel_name="res.users",
        relation="res_partner_customer_project_team_rel",
        column1="partner_id",
        column2="user_id",
        string="Project Team",
        domain=[("share", "=", False)],
        copy=False,
        help="The dedicated team serving the customer; tiers that require a project "
        "team need at least two members.",
    )
    tier_locked = fields.Boolean(
        string="Tier Pinned",
        copy=False,
        tracking=True,
        help="A Director pinned the tier by hand: the monthly re-grading leaves it.",
    )
    tier_downgrade_since = fields.Date(
        string="Below Tier Threshold Since",
        copy=False,
        readonly=True,
        help="First re-grading that found the contract amount below the tier's "
        "threshold; the downgrade waits for the grace period.",
    )
    tier_proposed_id = fields.Many2one(
        comodel_name="customer.tier",
        string="Proposed Tier",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="Tier the monthly re-grading proposed and that awaits approval.",
    )
    customer_tier_history_ids = fields.One2many(
        comodel_name="customer.tier.history",
        inverse_name="partner_id",
        string="Tier History",
        readonly=True,
    )

    @api.depends("company_id")
    def _compute_customer_policy_currency_id(self):
        for partner in self:
            partner.customer_policy_currency_id = (
                partner.company_id or self.env.company
            ).currency_id

    # Agreements add their dependencies here (and the 12-month window) once they
    # exist; until then every customer stands at 0.
    @api.depends()
    def _compute_annual_contract_amount(self):
        amounts = self._customer_policy_annual_amounts()
        for partner in self:
            partner.annual_contract_amount = amounts.get(partner.id, 0.0)

    def _customer_policy_annual_amounts(self):
        """{partner id: amount of active agreements signed in the last 12 months}."""
        if "customer.agreement" not in self.env:
            return {}
        return self.env["customer.agreement"]._customer_policy_annual_amounts(self)

    @api.depends(
        "annual_contract_amount", "company_id", "customer_policy_managed", "parent_id"
    )
    def _compute_tier_suggested_id(self):
        tiers = (
            self.env["customer.tier"]
            .search([("active", "=", True)])
            .sorted(lambda tier: (-tier.min_annual_amount, tier.sequence, tier.id))
        )
        for partner in self:
            partner.tier_suggested_id = False
            if not partner.customer_policy_managed or partner.parent_id:
                continue
            for tier in tiers:
                if tier.company_id and tier.company_id != partner.company_id:
                    continue
                if tier.min_annual_amount <= partner.annual_contract_amount:
                    partner.tier_suggested_id = tier
                    break

    # --- Tier rules ------------------------------------------------------------------
    def _customer_policy_tier_violations(self, tier=None):
        """The service rules of `tier` (default: each partner's own) they break.

        :return: {partner: message} for the partners breaking a rule
        """
        violations = {}
        for partner in self:
            target = tier if tier is not None else partner.customer_tier_id
            if not target:
                continue
            if (
                target.requires_project_team
                and len(partner.customer_project_team_ids) < 2
            ):
                violations[partner] = self.env._(
                    "%(customer)s cannot be a %(tier)s: this tier requires a project "
                    "team of at least 2 members.",
                    customer=partner.display_name,
                    tier=target.name,
                )
            elif target.requires_senior_owner:
                company = partner.company_id or self.env.company
                seniors = company.sudo().customer_senior_salesperson_ids
                if not partner.user_id:
                    violations[partner] = self.env._(
                        "%(customer)s cannot be a %(tier)s: this tier requires a "
                        "senior salesperson as owner, and the customer has no owner.",
                        customer=partner.display_name,
                        tier=target.name,
                    )
                elif partner.user_id not in seniors:
                    violations[partner] = self.env._(
                        "%(customer)s cannot be a %(tier)s: this tier requires a "
                        "senior salesperson as owner, and %(owner)s is not one "
                        "(Settings ▸ Customer Policy ▸ Senior salespeople).",
                        customer=partner.display_name,
                        tier=target.name,
                        owner=partner.user_id.name,
                    )
        return violations

    @api.constrains("customer_tier_id", "customer_project_team_ids", "user_id")
    def _check_customer_tier_rules(self):
        violations = self._customer_policy_tier_violations()
        if violations:
            raise ValidationError("\n".join(violations.values()))

    def _customer_policy_check_tier_rights(self, new_tier):
        """Refuse a tier change the current user may not make."""
        user = self.env.user
        if user.has_group("customer_policy.group_director"):
            return
        for partner in self:
            if partner.tier_locked:
                raise AccessError(
                    self.env._(
                        "The tier of %(customer)s is pinned by a Director: only a "
                        "Director can change it.",
                        customer=partner.display_name,
                    )
                )
            for tier in partner.customer_tier_id | new_tier:
                if tier.director_approval:
                    raise AccessError(
                        self.env._(
                            "Only a Director can move %(customer)s into or out of the "
                            "tier %(tier)s.",
                            customer=partner.display_name,
                            tier=tier.name,
                        )
                    )
            if not user.has_group("customer_policy.group_manager"):
                raise AccessError(
                    self.env._(
                        "Only a Manager or a Director can change the tier of "
                        "%(customer)s.",
                        customer=partner.display_name,
                    )
                )

    def _customer_policy_check_lock_rights(self):
        if not self.env.su and not self.env.user.has_group(
            "customer_policy.group_director"
        ):
            raise AccessError(
                self.env._("Only a Director can pin or unpin a customer's tier.")
            )

    def _customer_policy_tier_reason(self, partner):
        reason = self.env.context.get("customer_tier_change_reason")
        if isinstance(reason, dict):
            reason = reason.get(partner.id)
        return (reason or "").strip()

    def _customer_policy_log_tier_changes(self, old_tiers):
        """Write one history row per changed partner; close what the change settles."""
        change_type = self.env.context.get("customer_tier_change_type", "manual")
        default_reason = self.env._("Changed without a stated reason (system).")
        self.env["customer.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": partner.company_id.id,
                    "old_tier_id": old_tiers.get(partner.id, False),
                    "new_tier_id": partner.customer_tier_id.id,
                    "user_id": self.env.uid,
                    "reason": self._customer_policy_tier_reason(partner)
                    or default_reason,
                    "change_type": change_type,
                }
                for partner in self
            ]
        )
        settled = self.filtered(
            lambda partner: partner.tier_downgrade_since or partner.tier_proposed_id
        )
        if settled:
            proposed = settled.filtered("tier_proposed_id")
            super(ResPartner, settled.sudo()).write(
                {"tier_downgrade_since": False, "tier_proposed_id": False}
            )
            if proposed:
                proposed._customer_policy_tier_proposal_activities().sudo().unlink()
        return True

    def _customer_policy_tier_proposal_activities(self):
        activity_type = self.env.ref(
            "customer_policy.mail_activity_type_tier_proposal", raise_if_not_found=False
        )
        if not activity_type or not self:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        graded = partners.filtered("customer_tier_id")
        if not self.env.su:
            if partners.filtered("tier_locked"):
                partners._customer_policy_check_lock_rights()
            for partner in graded:
                partner._customer_policy_check_tier_rights(partner.customer_tier_id)
        if graded:
            if not self.env.context.get("customer_tier_change_reason"):
                graded = graded.with_context(
                    customer_tier_change_reason=self.env._("Tier given at creation.")
                )
            graded._customer_policy_log_tier_changes({})
        return partners

    def write(self, vals):
        if "tier_locked" in vals:
            self._customer_policy_check_lock_rights()
        if "customer_tier_id" not in vals:
            return super().write(vals)
        new_tier = self.env["customer.tier"].browse(vals["customer_tier_id"])
        changed = self.filtered(lambda partner: partner.customer_tier_id != new_tier)
        if changed and not self.env.su:
            changed._customer_policy_check_tier_rights(new_tier)
            for partner in changed:
                if not self._customer_policy_tier_reason(partner):
                    raise UserError(
                        self.env._(
                            "Give a reason to change the tier of %(customer)s (use "
                            "the Change Tier button).",
                            customer=partner.display_name,
                        )
                    )
        old_tiers = {partner.id: partner.customer_tier_id.id for partner in changed}
        result = super().write(vals)
        if changed:
            changed._customer_policy_log_tier_changes(old_tiers)
        return result

    def copy_data(self, default=None):
        # A copy starts ungraded: grading is a decision, not a duplicate.
        vals_list = super().copy_data(default=default)
        if not (default and "customer_tier_id" in default):
            for vals in vals_list:
                vals.pop("customer_tier_id", None)
        return vals_list

    # --- Actions ---------------------------------------------------------------------
    def action_change_tier(self, tier_id, reason):
        """Move the customers to a tier by hand, with a reason (wizard and RPC)."""
        tier = self.env["customer.tier"].browse(
            tier_id.id if isinstance(tier_id, models.BaseModel) else tier_id
        )
        if not tier.exists():
            raise UserError(self.env._("Choose an existing tier."))
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give a reason for the tier change."))
        for partner in self:
            if partner.parent_id or not partner.customer_policy_managed:
                raise UserError(
                    self.env._(
                        "%(partner)s is not a customer under the policy: only "
                        "customers (companies or individuals, not their contact "
                        "persons) are graded.",
                        partner=partner.display_name,
                    )
                )
        changed = self.filtered(lambda partner: partner.customer_tier_id != tier)
        if not changed:
            raise UserError(
                self.env._(
                    "The customer is already a %(tier)s.",
                    tier=tier.name,
                )
            )
        changed.with_context(
            customer_tier_change_reason=reason, customer_tier_change_type="manual"
        ).write({"customer_tier_id": tier.id})
        return True

    def action_open_tier_change_wizard(self):
        self.ensure_one()
        tier = self.tier_proposed_id or self.tier_suggested_id
        if self.env.context.get("customer_tier_apply_suggestion") and tier:
            reason = self.env._(
                "Suggestion applied: annual contract amount %(amount)s.",
                amount=format_amount(
                    self.env,
                    self.annual_contract_amount,
                    self.customer_policy_currency_id,
                ),
            )
        else:
            tier, reason = self.env["customer.tier"], False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Tier"),
            "res_model": "customer.tier.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_tier_id": tier.id,
                "default_reason": reason,
                "default_lock": self.tier_locked,
            },
        }

    def action_unlock_tier(self):
        self.write({"tier_locked": False})
        return True

    # --- Monthly re-grading ----------------------------------------------------------
    @api.model
    def _cron_regrade_customer_tiers(self, batch_size=REGRADE_BATCH_SIZE):
        """Re-grade unlocked customers from their annual contract amount.

        One SQL query finds, for every managed customer, the tier its amount
        reaches and keeps only those needing an action; the actions are then
        applied with one write per target tier: upgrades (proposals for tiers
        reserved to Directors or whose rules the customer does not meet yet),
        downgrades after the company's grace period, and the grace period's
        start and end. At most `batch_size` customers per call; the progress
        is reported to the cron, which calls again for the rest.
        """
        partners_model = self.sudo().with_context(tracking_disable=True)
        rows, total = partners_model._customer_policy_regrade_candidates(batch_size)
        if not rows:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        today = fields.Date.context_today(self)
        tiers = self.env["customer.tier"].sudo().with_context(active_test=False)
        partners = partners_model.browse([row["id"] for row in rows])
        companies = partners_model.env["res.company"].browse(
            {row["company_id"] for row in rows}
        )
        changes, proposals = {}, {}
        reasons, proposal_notes = {}, {}
        start_grace, reset_grace, withdraw = [], [], []
        for row, partner in zip(rows, partners, strict=True):
            target = tiers.browse(row["target_id"])
            current = tiers.browse(row["cur_id"])
            company = companies.browse(row["company_id"])
            since = row["since"]
            if row["proposed_id"] and row["proposed_id"] != target.id:
                withdraw.append(partner.id)
            if row["direction"] == "same":
                if since:
                    reset_grace.append(partner.id)
                continue
            grace = company.customer_tier_grace_days
            amount = format_amount(
                self.env, row["amount"], partner.customer_policy_currency_id
            )
            threshold = format_amount(
                self.env, target.min_annual_amount, partner.customer_policy_currency_id
            )
            if row["direction"] == "up":
                if since:
                    reset_grace.append(partner.id)
                reason = self.env._(
                    "Re-grading: the contract amount of the last 12 months, "
                    "%(amount)s, reaches the threshold of %(tier)s (%(threshold)s).",
                    amount=amount,
                    tier=target.name,
                    threshold=threshold,
                )
            else:
                due = grace == 0 or (since and since <= today - timedelta(days=grace))
                if not due:
                    if not since:
                        start_grace.append(partner.id)
                    continue
                reason = self.env._(
                    "Re-grading: the contract amount of the last 12 months, "
                    "%(amount)s, has been below the threshold of %(old_tier)s "
                    "since %(date)s (grace period %(days)s days).",
                    amount=amount,
                    old_tier=current.name,
                    date=format_date(self.env, since or today),
                    days=grace,
                )
            blocked = partner._customer_policy_tier_violations(target).get(partner)
            if target.director_approval or blocked:
                proposals.setdefault(target, []).append(partner.id)
                proposal_notes[partner.id] = (reason, blocked)
            else:
                changes.setdefault(target, []).append(partner.id)
                reasons[partner.id] = reason
        if withdraw:
            withdrawn = partners_model.browse(withdraw)
            withdrawn._customer_policy_tier_proposal_activities().unlink()
            withdrawn.write({"tier_proposed_id": False})
        if reset_grace:
            partners_model.browse(reset_grace).write({"tier_downgrade_since": False})
        if start_grace:
            partners_model.browse(start_grace).write({"tier_downgrade_since": today})
        regrade = partners_model.with_context(
            customer_tier_change_reason=reasons, customer_tier_change_type="regrade"
        )
        for target, partner_ids in changes.items():
            regrade.browse(partner_ids).write({"customer_tier_id": target.id})
        for target, partner_ids in proposals.items():
            proposed = partners_model.browse(partner_ids)
            proposed.write({"tier_proposed_id": target.id})
            proposed._customer_policy_schedule_tier_proposals(target, proposal_notes)
        self.env["ir.cron"]._notify_progress(
            done=len(rows), remaining=max(total - len(rows), 0)
        )

    def _customer_policy_regrade_candidates(self, limit):
        """Managed customers the re-grading must act on, and how many there are.

        :return: (rows, total): dicts with id, cur_id (current tier), target_id
            (the tier the amount reaches), direction ('up', 'down', 'same'),
            since, proposed_id, amount, company_id; total counts every candidate,
            `limit` at most are returned.
        """
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
        self.env.cr.execute(
            """
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
             LIMIT %(limit)s
            """,
            {
                "company_id": self.env.company.id,
                "today": fields.Date.context_today(self),
                "limit": limit,
            },
        )
        rows = self.env.cr.dictfetchall()
        return rows, (rows[0]["total"] if rows else 0)

    def _customer_policy_schedule_tier_proposals(self, tier, notes):
        """One proposal activity per customer for the person who approves it."""
        activity_type = self.env.ref("customer_policy.mail_activity_type_tier_proposal")
        res_model_id = self.env["ir.model"]._get_id("res.partner")
        directors = self.env.ref("customer_policy.group_director").sudo().users
        first_director = directors.filtered(lambda user: not user.share)[:1]
        vals_list = []
        for partner in self:
            company = partner.company_id or self.env.company
            approver = company.customer_tier_approver_id or first_director
            leader = partner.team_id.user_id
            reason, blocked = notes[partner.id]
            if not tier.director_approval and leader:
                approver = leader
            note = reason if not blocked else f"{reason}\n{blocked}"
            vals_list.append(
                {
                    "res_model_id": res_model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._("Tier proposal: %(tier)s", tier=tier.name),
                    "note": plaintext2html(note),
                    "user_id": approver.id,
                    "date_deadline": fields.Date.context_today(self)
                    + timedelta(days=activity_type.delay_count or 7),
                }
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)
