from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.sql import update_from_unnest
from ..tools.visit import VISIT_TYPES_COUNTED, visit_period_bounds

# The tier whose customers need an executive sponsor (高层对接).
EXECUTIVE_TIER_CODE = "strategic"


class ResPartner(models.Model):
    """Executive contact with strategic customers (高层定期沟通): a Director or a
    manager sponsors the customer and takes part in at least one visit a
    quarter; missing it shows with the visits and in the manager's digest."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    executive_sponsor_id = fields.Many2one(
        comodel_name="res.users",
        tracking=True,
        index="btree_not_null",
        domain=lambda self: self._customer_policy_executive_domain(),
        help="The Director or manager who keeps in touch with a strategic "
        "customer: at least one visit with them a quarter.",
    )
    executive_contact_date = fields.Datetime(
        string="Last Executive Contact",
        readonly=True,
        copy=False,
        help="Last visit done in which the executive sponsor took part.",
    )
    executive_contact_missing = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="A strategic customer without a sponsor, or whose sponsor took part "
        "in no visit this quarter.",
    )

    @api.model
    def _customer_policy_executive_domain(self):
        managers = self.env.ref("customer_policy.group_manager", False)
        return [("share", "=", False)] + (
            [("groups_id", "in", managers.ids)] if managers else []
        )

    @api.constrains("executive_sponsor_id")
    def _check_executive_sponsor_id(self):
        for partner in self:
            sponsor = partner.executive_sponsor_id
            if sponsor and not sponsor.has_group("customer_policy.group_manager"):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot sponsor %(customer)s: the executive sponsor "
                        "is a Director or a department manager.",
                        user=sponsor.name,
                        customer=partner.display_name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        # Refreshed on an empty recordset, every customer would be.
        if self and {"executive_sponsor_id", "customer_tier_id"} & set(vals):
            self._customer_policy_refresh_executive_contacts()
        return result

    def _customer_policy_refresh_visits(self, today=None):
        # The executive contacts are visits too: kept by the same refresh.
        result = super()._customer_policy_refresh_visits(today=today)
        if self:
            self._customer_policy_refresh_executive_contacts(today=today)
        return result

    def _customer_policy_refresh_executive_contacts(self, today=None):
        """Recompute the executive contact of ``self`` (of every managed customer
        when empty) in two queries: the last visit of each sponsor, one UPDATE
        of the rows that changed."""
        today = today or fields.Date.context_today(self)
        self.flush_model(
            [
                "executive_sponsor_id",
                "customer_tier_id",
                "executive_contact_date",
                "executive_contact_missing",
            ]
        )
        self.env["customer.visit"].flush_model(
            ["commercial_partner_id", "state", "done_date", "visit_type", "user_id"]
        )
        scope = SQL("")
        if self:
            scope = SQL("AND p.id = ANY(%s)", self.commercial_partner_id.ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.executive_contact_date, p.executive_contact_missing,
                       t.code = %(code)s, p.executive_sponsor_id IS NOT NULL,
                       (SELECT MAX(v.done_date) FROM customer_visit v
                         WHERE v.commercial_partner_id = p.id AND v.state = 'done'
                           AND v.visit_type = ANY(%(counted)s)
                           AND (v.user_id = p.executive_sponsor_id
                                OR EXISTS (SELECT 1 FROM customer_visit_companion_rel c
                                            WHERE c.visit_id = v.id
                                              AND c.user_id = p.executive_sponsor_id)))
                  FROM res_partner p
             LEFT JOIN customer_tier t ON t.id = p.customer_tier_id
                 WHERE p.customer_policy_managed AND p.parent_id IS NULL %(scope)s
                   AND (p.executive_sponsor_id IS NOT NULL OR t.code = %(code)s
                        OR p.executive_contact_date IS NOT NULL
                        OR p.executive_contact_missing)
                """,
                code=EXECUTIVE_TIER_CODE,
                counted=list(VISIT_TYPES_COUNTED),
                scope=scope,
            )
        )
        quarter_start = visit_period_bounds(today, "quarter")[0]
        changed = []
        for (
            pid,
            old_date,
            old_missing,
            strategic,
            sponsored,
            last,
        ) in self.env.cr.fetchall():
            missing = bool(strategic) and (
                not sponsored or not last or last.date() < quarter_start
            )
            if (last, missing) != (old_date, bool(old_missing)):
                changed.append((pid, last, missing))
        if changed:
            update_from_unnest(
                self.env.cr,
                "res_partner",
                "id",
                [
                    ("executive_contact_date", "timestamp"),
                    ("executive_contact_missing", "bool"),
                ],
                changed,
            )
            self.invalidate_model(
                ["executive_contact_date", "executive_contact_missing"]
            )
        return len(changed)

    @api.model
    def _customer_policy_digest_sections(self, today):
        """The managers' digest lists the strategic customers of their departments
        still waiting for this quarter's executive contact."""
        return self._customer_policy_digest_add(
            super()._customer_policy_digest_sections(today),
            SQL("p.executive_contact_missing"),
            SQL("p.executive_contact_date NULLS FIRST, p.id"),
            "customer_policy.customer_digest_executive_contact",
            "customer_policy.action_customer_executive_contact",
        )
