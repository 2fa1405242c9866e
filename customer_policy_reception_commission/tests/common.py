from freezegun import freeze_time

from odoo.addons.customer_policy_commission.tests.common import CommissionCase


class ReceptionCommissionCase(CommissionCase):
    """The commission tests' key customer (owner and developer ``user_sales``) walks
    into the department's sales office, whose roster is ``user_sales_2`` then
    ``user_sales``: ``user_sales_2`` is next in line and receives the visitor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The credits' reasons are written in the reader's language: without one
        # in the context, Odoo formats dates in the company's (zh_CN in the demo)
        # but leaves the text in English.
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.team.member_ids = cls.user_sales | cls.user_sales_2
        cls.customer.phone = "+86 139 0000 0001"
        cls.desk = cls.env["customer.reception.desk"].create(
            {"name": "上海展厅", "team_id": cls.team.id}
        )
        cls.desk.member_ids = cls.user_sales_2 | cls.user_sales

    def _returning_walk_in(self, deal=True):
        """On Monday 5 January 2026 (10:00 in Shanghai) the customer's buyer walks
        in and says they came before: ``user_sales_2`` receives them and hands them
        to ``user_sales``, who served them before; the sale closes that day when
        ``deal``."""
        with freeze_time("2026-01-05 02:00:00"):
            visit = self.env["customer.reception.visit"].browse(
                self.desk.with_user(self.user_sales_2).register_walk_in(
                    "王经理", "13900000001", came_before=True
                )
            )
            if deal:
                visit.with_user(self.user_sales).action_deal_today()
        return visit
