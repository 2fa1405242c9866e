"""Fixtures of the dashboard's tests: the policy's roles, two departments."""

from odoo.addons.customer_policy.tests.common import CustomerKpiCase


class DashboardCase(CustomerKpiCase):
    """The KPI fixture of customer_policy (two salespeople, two departments,
    January and February 2026) and the dashboard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(
            "customer_policy_dashboard.spreadsheet_dashboard_customer_policy"
        )
