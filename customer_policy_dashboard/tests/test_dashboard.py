import json

from odoo.tests import HttpCase, tagged

from .common import DashboardCase


@tagged("post_install", "-at_install")
class TestDashboard(DashboardCase):
    def _data(self):
        return json.loads(self.dashboard.sudo().spreadsheet_data)

    def test_installed_for_the_policy_users(self):
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            self.dashboard.group_ids, self.env.ref("customer_policy.group_user")
        )
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.user_sales).search([]))
        self.assertNotIn(
            self.dashboard, Dashboard.with_user(self.user_internal).search([])
        )

    def test_amounts_shown_in_the_company_currency(self):
        """A cell showing a monetary measure carries no number format of its
        own: the spreadsheet then formats it in the company's currency (¥),
        where a fixed format would show a bare number."""
        data = self._data()
        pivots = data["pivots"]
        sheet = data["sheets"][0]
        monetary = []
        for cell, value in sheet["cells"].items():
            content = value.get("content", "")
            if not content.startswith("=PIVOT.VALUE("):
                continue
            pivot_id, measure = content[len("=PIVOT.VALUE(") :].split(",")[:2]
            model = self.env[pivots[pivot_id]["model"]]
            field = model._fields.get(measure.strip('")'))
            if field and field.type == "monetary":
                monetary.append(cell)
        self.assertGreaterEqual(len(monetary), 16, "the aging and overdue tables")
        self.assertFalse(set(monetary) & set(sheet.get("formats", {})))

    def test_pivots_read_the_models_as_the_user(self):
        """Every pivot of the dashboard is a grouped read of a model of the policy
        with its measures, made as the user who opens it: a salesperson's
        figures are their own, a manager's their departments'."""
        pivots = self._data()["pivots"]
        self.assertEqual(
            {pivot["model"] for pivot in pivots.values()},
            {
                "customer.kpi.report",
                "customer.complaint",
                "customer.agreement.installment",
                "res.partner",
            },
        )
        for user in (self.user_sales, self.user_manager, self.user_director):
            for pivot in pivots.values():
                Model = self.env[pivot["model"]].with_user(user)
                measures = [
                    measure["fieldName"]
                    if measure["fieldName"] == "__count"
                    else f"{measure['fieldName']}:"
                    f"{Model._fields[measure['fieldName']].aggregator}"
                    for measure in pivot["measures"]
                ]
                rows = [row["fieldName"] for row in pivot["rows"]]
                Model._read_group(pivot["domain"], rows, measures)
        # The KPI figures of January: user_sales's own, the manager's department,
        # all for a Director (new customers 2, 2 and 3).
        kpi = pivots["1"]
        january = [*kpi["domain"], ("month", "=", "2026-01-01")]
        for user, expected in (
            (self.user_sales, 2),
            (self.user_manager, 2),
            (self.user_manager_2, 1),
        ):
            [(new,)] = (
                self.env[kpi["model"]]
                .with_user(user)
                ._read_group(
                    [
                        *january,
                        ("user_id", "in", (self.user_sales | self.user_sales_2).ids),
                    ],
                    [],
                    ["new_customers:sum"],
                )
            )
            self.assertEqual(new, expected, user.name)
        # Top overdue customers: user_sales sees their customer, not another's.
        top = pivots["6"]
        groups = (
            self.env[top["model"]]
            .with_user(self.user_sales)
            ._read_group(top["domain"], ["partner_id"], ["amount_residual:sum"])
        )
        self.assertEqual(groups, [(self.customer_a1, 90000.0)])


@tagged("post_install", "-at_install")
class TestDashboardUi(HttpCase):
    def test_dashboard_tour(self):
        """A Director opens the Dashboards app on the customer management
        dashboard, its figures load and one opens the records behind it."""
        self.start_tour("/odoo", "customer_policy_dashboard_tour", login="admin")
