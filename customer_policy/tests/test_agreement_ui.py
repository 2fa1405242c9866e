from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAgreementUi(HttpCase):
    def test_agreement_tour(self):
        """A salesperson drafts an agreement with its schedule and submits it."""
        salesperson = new_test_user(
            self.env,
            login="cp_tour_sales",
            groups="customer_policy.group_user",
            tz="Asia/Shanghai",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "巡检协议客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": salesperson.id,
            }
        )
        self.start_tour(
            "/odoo", "customer_policy_agreement_tour", login="cp_tour_sales"
        )
        agreement = self.env["customer.agreement"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(agreement.title, "年度维保服务合同")
        self.assertEqual(agreement.state, "legal_review")
        self.assertEqual(agreement.user_id, salesperson)
        self.assertEqual(agreement.installment_ids.mapped("amount"), [5000.0])
        self.assertEqual(str(agreement.installment_ids.due_date), "2027-01-31")
