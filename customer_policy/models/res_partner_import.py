from odoo import models
from odoo.exceptions import UserError

from ..tools.trust import IMPORT, is_trusted, trusted


class _RegisterRowByRow(Exception):
    """A registration of the batch failed: ``load()`` then loads each row on its
    own and reports each refused row on a line of its own. Not a ``UserError``,
    which ``load()`` would also report once more, on the batch's first row."""


class ResPartner(models.Model):
    """Importing customers (Import records, ``load``): a row that registers the
    customer (Managed Customer set, or Registration "Registered") is registered
    with the checks of the Register button, as the importing user."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def load(self, fields, data):
        # Data files and demo data call _load_records() without load(): only a
        # real import is marked.
        return super(ResPartner, trusted(self, IMPORT)).load(fields, data)

    def _load_records(self, data_list, update=False, ignore_duplicates=False):
        if not is_trusted(self.env, IMPORT):
            return super()._load_records(
                data_list, update=update, ignore_duplicates=ignore_duplicates
            )
        # On copies: when the batch fails, load() retries each row with the
        # values it gave first.
        data_list = [dict(data, values=dict(data["values"])) for data in data_list]
        wanted = [
            self._customer_policy_pop_registration(data["values"]) for data in data_list
        ]
        records = super()._load_records(
            data_list, update=update, ignore_duplicates=ignore_duplicates
        )
        to_register = self.browse(
            [record.id for record, want in zip(records, wanted, strict=True) if want]
        ).filtered(lambda partner: partner.registration_state != "registered")
        try:
            to_register.action_register()
        except UserError as error:
            if len(data_list) > 1:
                raise _RegisterRowByRow(str(error)) from error
            raise
        return records

    @staticmethod
    def _customer_policy_pop_registration(vals):
        """Take the registration out of a row's values: whether the row asks for
        it. The registration date is the day of the import, as with Register."""
        wanted = bool(
            vals.get("customer_policy_managed")
            or vals.get("registration_state") == "registered"
        )
        if wanted:
            for name in ("customer_policy_managed", "registration_state"):
                vals.pop(name, None)
            vals.pop("registration_date", None)
        return wanted
