from odoo import models

from ..tools.trust import REGISTRATION, TRANSFER, trusted


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Merging a registered customer with its duplicates keeps it registered.

    The registration comes from the customer registered first among those merged,
    which passed the Register checks: its date, who developed it, and its owner and
    department (the first registration keeps the customer, 谁开发,谁管理; Odoo's
    merge does not carry computed fields such as the owner). Merging only drafts
    registers nothing.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        registered = partners.filtered(
            lambda partner: partner.registration_state == "registered"
        ).sorted(lambda partner: (partner.registration_date, partner.id))
        if not registered:
            return super()._merge(partner_ids, dst_partner, extra_checks)
        first = registered[0]
        registration = {
            "customer_policy_managed": True,
            "registration_state": "registered",
            "registration_date": first.registration_date,
            "user_id": first.user_id.id,
            "team_id": first.team_id.id,
        }
        if first.customer_developer_id:
            registration["customer_developer_id"] = first.customer_developer_id.id
        wizard = trusted(self, REGISTRATION, TRANSFER)
        if dst_partner:
            dst_partner = dst_partner.with_env(wizard.env)
        result = super(BasePartnerMergeAutomaticWizard, wizard)._merge(
            partner_ids, dst_partner, extra_checks
        )
        survivor = partners.exists().with_env(wizard.env)
        if survivor:
            survivor.write(registration)
        return result
