from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount

from ..tools.sql import update_from_unnest

# Customers whose annual contract amount one call of the nightly refresh writes;
# the cron framework calls again (and commits in between) while some remain.
ANNUAL_AMOUNT_BATCH_SIZE = 5000


class ResPartner(models.Model):
    """Customer grading (客户分级): the tier, its service rules, who may change it
    and the history of every change. The monthly re-grading is in
    ``res_partner_tier_regrade.py``."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_tier_id = fields.Many2one(
        comodel_name="customer.tier",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The customer's grade under the policy; its service rules apply.",
    )
    annual_contract_amount = fields.Monetary(
        currency_field="customer_policy_currency_id",
        compute="_compute_annual_contract_amount",
        store=True,
        copy=False,
        help="Agreements signed in the last 12 months that passed Legal's review "
        "(approved, active, expired, renewed or terminated since), in the company "
        "currency: the amount the tier suggestion and the monthly re-grading use. "
        "Refreshed every night as the 12 months move on.",
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

    # === COMPUTE METHODS === #

    @api.depends(
        "customer_agreement_ids.state",
        "customer_agreement_ids.amount_total",
        "customer_agreement_ids.date_signed",
        "customer_agreement_ids.currency_id",
    )
    def _compute_annual_contract_amount(self):
        # The 12-month window moves without any write: the nightly refresh
        # (_cron_refresh_annual_contract_amounts) rewrites what it changes.
        amounts = self.env["customer.agreement"]._customer_policy_annual_amounts(self)
        for partner in self:
            partner.annual_contract_amount = amounts.get(partner.id, 0.0)

    @api.depends(
        "annual_contract_amount", "company_id", "customer_policy_managed", "parent_id"
    )
    def _compute_tier_suggested_id(self):
        # One query: the form of every customer computes it, and then shows its
        # tier and this one by name and color (read here with them).
        tiers = (
            self.env["customer.tier"]
            .search_fetch(
                [("active", "=", True)],
                [
                    "name",
                    "code",
                    "color",
                    "min_annual_amount",
                    "sequence",
                    "company_id",
                ],
            )
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

    # === CONSTRAINT METHODS === #

    @api.constrains("customer_tier_id", "customer_project_team_ids", "user_id")
    def _check_customer_tier_rules(self):
        violations = self._customer_policy_tier_violations()
        if violations:
            raise ValidationError("\n".join(violations.values()))

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._customer_policy_check_and_log_initial_tiers()
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

    # === ACTION METHODS === #

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
        self._customer_policy_check_lock_rights()
        # Odoo refuses a change to an employee's contact by whoever may not
        # change users, once written: refused before anything is.
        if any(
            user._is_internal() and user != self.env.user
            for user in self.sudo().user_ids
        ):
            self.env["res.users"].check_access("write")
        self.write({"tier_locked": False})
        return True

    # === BUSINESS METHODS === #

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

    def _customer_policy_check_and_log_initial_tiers(self):
        """Check the rights on and log the tiers given at creation."""
        graded = self.filtered("customer_tier_id")
        if not self.env.su:
            if self.filtered("tier_locked"):
                self._customer_policy_check_lock_rights()
            for partner in graded:
                partner._customer_policy_check_tier_rights(partner.customer_tier_id)
        if graded:
            if not self.env.context.get("customer_tier_change_reason"):
                graded = graded.with_context(
                    customer_tier_change_reason=self.env._("Tier given at creation.")
                )
            graded._customer_policy_log_tier_changes({})

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
            settled.sudo().write(
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

    # === CRON METHODS === #

    @api.model
    def _cron_refresh_annual_contract_amounts(
        self, batch_size=ANNUAL_AMOUNT_BATCH_SIZE
    ):
        """Nightly: the 12 months move on without any agreement changing, so the
        stored amounts are recomputed for every customer that has one or has
        agreements in the window, and those that changed are written,
        ``batch_size`` at a time, in one UPDATE each; the cron is called again
        for the rest. A second run the same day writes nothing."""
        changes = self._customer_policy_annual_amount_changes()
        batch = changes[:batch_size]
        update_from_unnest(
            self.env.cr,
            "res_partner",
            "id",
            [("annual_contract_amount", "numeric")],
            batch,
        )
        partners = self.browse([partner_id for partner_id, _amount in batch])
        partners.invalidate_recordset(["annual_contract_amount"])
        partners.modified(["annual_contract_amount"])
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=len(changes) - len(batch)
        )
        return len(batch)

    @api.model
    def _customer_policy_annual_amount_changes(self, today=None):
        """``[(partner id, new amount)]`` of the customers whose stored amount
        differs from what their agreements give today, by id."""
        fresh = self.env["customer.agreement"]._customer_policy_annual_amounts(
            today=today
        )
        self.flush_model(["annual_contract_amount", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, COALESCE(p.annual_contract_amount, 0),
                       COALESCE(p.company_id, %s)
                  FROM res_partner p
                 WHERE p.annual_contract_amount != 0 OR p.id = ANY(%s)
                 ORDER BY p.id
                """,
                self.env.company.id,
                list(fresh),
            )
        )
        currencies = {
            company.id: company.currency_id
            for company in self.env["res.company"].sudo().search([])
        }
        changes = []
        for partner_id, stored, company_id in rows:
            currency = currencies[company_id]
            amount = currency.round(fresh.get(partner_id, 0.0))
            if currency.compare_amounts(amount, float(stored)):
                changes.append((partner_id, amount))
        return changes
