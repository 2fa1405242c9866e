import csv

from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common import CustomerPolicyCase

ACCESS_FILE = "customer_policy/security/ir.model.access.csv"
# Groups that must never receive access to the addon's models by accident: what an
# internal user, a portal user or a visitor needs is granted through the addon's own
# groups.
FORBIDDEN_GROUPS = ("base.group_user", "base.group_portal", "base.group_public")


@tagged("post_install", "-at_install")
class TestAccessCsv(CustomerPolicyCase):
    def _own_models(self):
        names = (
            self.env["ir.model.data"]
            .search([("module", "=", "customer_policy"), ("model", "=", "ir.model")])
            .mapped(lambda data: self.env["ir.model"].browse(data.res_id).model)
        )
        # An abstract model (the customer mixin) has no records to grant access to.
        return sorted(
            name
            for name in names
            if name in self.env
            and self.env[name]._original_module == "customer_policy"
            and not self.env[name]._abstract
        )

    def _csv_rows(self):
        try:
            with file_open(ACCESS_FILE, "r") as handle:
                return list(csv.DictReader(handle))
        except FileNotFoundError:
            return []

    def test_every_line_names_existing_model_and_group(self):
        for row in self._csv_rows():
            with self.subTest(access=row["id"]):
                model_ref = row["model_id:id"]
                if "." not in model_ref:
                    model_ref = f"customer_policy.{model_ref}"
                model = self.env.ref(model_ref, raise_if_not_found=False)
                self.assertTrue(model, f"{row['id']}: model {model_ref} does not exist")
                self.assertEqual(model._name, "ir.model")
                group_ref = row["group_id:id"]
                if "." not in group_ref:
                    group_ref = f"customer_policy.{group_ref}"
                group = self.env.ref(group_ref, raise_if_not_found=False)
                self.assertTrue(group, f"{row['id']}: group {group_ref} does not exist")
                self.assertEqual(group._name, "res.groups")
                self.assertNotIn(group_ref, FORBIDDEN_GROUPS)
                access = self.env.ref(f"customer_policy.{row['id']}")
                self.assertEqual(access.model_id, model)
                self.assertEqual(access.group_id, group)

    def test_every_model_of_the_addon_has_access_lines(self):
        accesses = self.env["ir.model.access"].search([])
        covered = set(accesses.mapped("model_id.model"))
        for model in self._own_models():
            with self.subTest(model=model):
                self.assertIn(model, covered, f"{model} has no ir.model.access line")
                lines = accesses.filtered(lambda a, m=model: a.model_id.model == m)
                self.assertTrue(
                    all(lines.mapped("group_id")), f"{model}: access without a group"
                )
                groups = set(lines.group_id.get_external_id().values())
                self.assertFalse(
                    groups & set(FORBIDDEN_GROUPS), f"{model}: too wide access"
                )
