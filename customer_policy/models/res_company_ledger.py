from itertools import pairwise

from odoo import api, fields, models


def _increasing(values):
    return all(low < high for low, high in pairwise(values))


class ResCompany(models.Model):
    """Settings of agreements and the payment ledger (合作协议与合作款项台账)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    customer_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (days)",
        default=60,
        help="Days before an agreement ends when its owner is reminded to discuss "
        "the renewal (default of new agreements).",
    )
    customer_collection_owner_days = fields.Integer(
        string="Collection: Owner After (days)",
        default=1,
        help="Days overdue after which the owner gets a collection activity.",
    )
    customer_collection_manager_days = fields.Integer(
        string="Collection: Manager After (days)",
        default=30,
        help="Days overdue after which the department manager gets one.",
    )
    customer_collection_director_days = fields.Integer(
        string="Collection: Director and Legal After (days)",
        default=60,
        help="Days overdue after which a Director and Legal get one.",
    )

    @api.constrains(
        "customer_renewal_reminder_days",
        "customer_collection_owner_days",
        "customer_collection_manager_days",
        "customer_collection_director_days",
    )
    def _check_customer_ledger_days(self):
        self._customer_policy_check_settings(
            lambda company: (
                company.customer_renewal_reminder_days >= 0
                and min(company._customer_policy_collection_days()) >= 1
            ),
            lambda company: self.env._(
                "%(company)s: the collection escalation needs at least one "
                "day overdue per level, and the renewal reminder cannot be "
                "negative.",
                company=company.name,
            ),
        )
        self._customer_policy_check_settings(
            lambda company: _increasing(company._customer_policy_collection_days()),
            lambda company: self.env._(
                "%(company)s: the collection escalation must go owner, then "
                "manager, then Director and Legal, each after more days "
                "overdue than the one before.",
                company=company.name,
            ),
        )

    def _customer_policy_collection_days(self):
        """Days overdue of the escalation levels: owner, manager, Director."""
        self.ensure_one()
        return (
            self.customer_collection_owner_days,
            self.customer_collection_manager_days,
            self.customer_collection_director_days,
        )
