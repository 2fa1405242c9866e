from odoo import api, models

from ..tools.vals import check_input

# Texts that feed an index (Odoo's own, or the addon's normalised keys and
# pinyin): a 3,000-character name must be refused before it breaks one.
PARTNER_SIZES = {
    "name": 256,
    "vat": 64,
    "company_registry": 64,
    "phone": 64,
    "mobile": 64,
    "email": 256,
    # An individual's identity: normalised into indexed keys of their own.
    "resident_id_number": 64,
    "personal_mobile": 64,
}
OWN_PREFIXES = ("customer_", "registration_", "archive_")
CHECKED = {"parent_id", "user_id", "team_id", "company_id", "is_company"}


def _checked(name):
    return name in PARTNER_SIZES or name in CHECKED or name.startswith(OWN_PREFIXES)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Checked before every override of create and write (models/base.py): the
    # fields of the addons, and the texts that feed an index.
    _customer_policy_checks_input = True

    @api.model
    def _customer_policy_check_input(self, vals_list):
        check_input(self, vals_list, only=_checked, sizes=PARTNER_SIZES)
