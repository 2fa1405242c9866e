import base64

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import setup_key_rules


@tagged("post_install", "-at_install")
class TestCommissionUi(HttpCase):
    def test_statement_tour(self):
        """The department manager opens last month's statement of a salesperson
        (100,000 collected of a key customer: 100,000 × 3 % × 90 % = 2,700) and
        confirms it."""
        manager = new_test_user(
            self.env,
            login="cp_tour_manager",
            groups="customer_policy.group_manager",
            tz="Asia/Shanghai",
        )
        salesperson = new_test_user(
            self.env,
            login="cp_tour_salesperson",
            name="Tour Salesperson",
            groups="customer_policy.group_user",
        )
        legal = new_test_user(
            self.env, login="cp_tour_legal", groups="customer_policy.group_legal"
        )
        finance = new_test_user(
            self.env, login="cp_tour_finance", groups="customer_policy.group_finance"
        )
        self.env["crm.team"].create(
            {
                "name": "巡检销售部",
                "user_id": manager.id,
                "member_ids": [Command.set(salesperson.ids)],
            }
        )
        company = self.env.company
        company.commission_date_start = False
        company.customer_senior_salesperson_ids = [Command.link(salesperson.id)]
        setup_key_rules(self.env)
        customer = self.env["res.partner"].create(
            {
                "name": "巡检提成客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": salesperson.id,
                "customer_tier_id": self.env.ref(
                    "customer_policy.customer_tier_key"
                ).id,
            }
        )
        customer.customer_developer_id = salesperson
        last_month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        agreement = self.env["customer.agreement"].create(
            {
                "partner_id": customer.id,
                "title": "年度维保服务合同",
                "amount_total": 100000.0,
                "date_start": last_month,
                "date_end": last_month + relativedelta(years=1, days=-1),
                "installment_ids": [
                    Command.create({"due_date": last_month, "amount": 100000.0})
                ],
            }
        )
        agreement.with_user(salesperson).action_submit_legal()
        agreement.with_user(legal).action_legal_approve()
        agreement.write(
            {
                "date_signed": last_month,
                "attachment_ids": [
                    Command.create(
                        {"name": "signed.pdf", "datas": base64.b64encode(b"%PDF")}
                    )
                ],
            }
        )
        agreement.action_activate()
        payment = (
            self.env["customer.payment"]
            .with_user(finance)
            .create(
                {
                    "partner_id": customer.id,
                    "agreement_id": agreement.id,
                    "amount": 100000.0,
                    "date": last_month + relativedelta(days=4),
                }
            )
        )
        payment.action_post()
        statement = agreement.commission_line_ids.statement_id.filtered("user_id")
        self.assertEqual(statement.amount_total, 2700.0)
        self.start_tour(
            "/odoo",
            "customer_policy_commission_statement_tour",
            login="cp_tour_manager",
        )
        self.assertEqual(statement.state, "confirmed")
        self.assertEqual(statement.confirmed_uid, manager)
