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

    # Loaded after every other res.partner file of the addon, so it runs first.
    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list, only=_checked, sizes=PARTNER_SIZES)
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals], only=_checked, sizes=PARTNER_SIZES)
        return super().write(vals)
