import re

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import CustomerExpenseCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-05")
class TestReimbursement(CustomerExpenseCase):
    """对于没有备案的客户…财务部门一律不予报销."""

    def _as_read(self, user, day):
        return re.escape(format_date(self.env(user=user), day))

    def test_unregistered_customer_cannot_be_submitted(self):
        expense = self._expense(self.hospitality, self.prospect)
        self.assertIn("Not Registered", expense.customer_policy_refusal)
        sheet = self._report(expense)
        with self.assertRefused(
            UserError, r"is for 未备案潜在客户有限公司, which is Not Registered"
        ):
            self._submit(sheet)
        self.assertEqual(sheet.state, "draft")
        self.assertFalse(sheet.approval_state)
        self.assertIn("未备案潜在客户有限公司", sheet.customer_policy_refusal)

    def test_a_customer_category_names_its_customer(self):
        expense = self._expense(self.travel, name="Train to the customer")
        sheet = self._report(expense)
        with self.assertRefused(UserError, r"must name the customer it was for"):
            self._submit(sheet)
        # On screen the customer is required as soon as the category needs one.
        form = Form(self.env["hr.expense"].with_user(self.user_sales))
        form.name = "Taxi"
        form.product_id = self.travel
        form.total_amount_currency = 50.0
        with self.assertRaises(AssertionError):
            form.save()
        form.product_id = self.meals
        form.save()

    def test_registered_in_time_is_submitted_and_approved(self):
        expense = self._expense(self.hospitality, self.customer, date="2026-02-01")
        self.assertFalse(expense.customer_policy_refusal)
        sheet = self._report(expense)
        self._submit(sheet)
        self.assertEqual(sheet.state, "submit")
        self._approve(sheet)
        self.assertEqual(sheet.state, "approve")
        self.assertEqual(expense.state, "approved")

    def test_registered_after_the_expense_date(self):
        """Registered on 1 February: a dinner of 31 January is not reimbursed;
        and a report submitted before the registration date was corrected cannot
        be approved."""
        early = self._expense(self.hospitality, self.customer, date="2026-01-31")
        # The date as the user reads it (their language's date format).
        with self.assertRefused(
            UserError,
            r"registered \(备案\) only on "
            + self._as_read(self.user_sales, "2026-02-01"),
        ):
            self._submit(self._report(early))

        expense = self._expense(self.gift, self.customer, date="2026-02-20")
        sheet = self._report(expense)
        self._submit(sheet)
        # Found out later: the customer was in fact registered on 1 March.
        self.customer.registration_date = "2026-03-01"
        with self.assertRefused(
            UserError,
            r"招待测试客户有限公司, registered \(备案\) only on "
            + self._as_read(self.user_approver, "2026-03-01"),
        ):
            self._approve(sheet)
        self.assertEqual(sheet.state, "submit")
        self.assertEqual(expense.state, "submitted")
        self.assertFalse(sheet.account_move_ids)

    def test_director_overrides_with_a_reason_that_stays(self):
        expense = self._expense(self.hospitality, self.prospect)
        sheet = self._report(expense)
        for user in (self.user_sales, self.user_manager, self.user_approver):
            with self.assertRefused(AccessError, r"Override the Policy on Customer"):
                self._override(expense, "Important tender", user=user)
        with self.assertRefused(AccessError, r"Only a Director overrides"):
            expense.with_user(self.user_approver).write(
                {"customer_policy_override_reason": "Trust me"}
            )
        with self.assertRefused(UserError, r"Write down why"):
            self._override(expense, "   ")
        self.assertFalse(expense.customer_policy_override_reason)

        self._override(expense, "First meeting of the tender; registered next week.")
        self.assertRecordValues(
            expense,
            [
                {
                    "customer_policy_override_reason": "First meeting of the tender; "
                    "registered next week.",
                    "customer_policy_override_user_id": self.user_director.id,
                    "customer_policy_refusal": False,
                }
            ],
        )
        self.assertIn("First meeting of the tender", expense.message_ids[0].body)
        self.assertEqual(
            expense.message_ids[0].author_id, self.user_director.partner_id
        )
        self._submit(sheet)
        self._approve(sheet)
        self.assertEqual(sheet.state, "approve")
        self.assertEqual(
            expense.customer_policy_override_reason,
            "First meeting of the tender; registered next week.",
        )

    def test_override_is_for_the_expense_as_judged(self):
        """Another customer, date or category needs a new decision."""
        expense = self._expense(self.hospitality, self.prospect)
        self._override(expense, "Tender")
        expense.with_user(self.user_sales).write({"total_amount_currency": 900.0})
        self.assertEqual(expense.customer_policy_override_reason, "Tender")
        other = self.env["res.partner"].create(
            {"name": "另一未备案公司", "is_company": True}
        )
        expense.with_user(self.user_sales).customer_partner_id = other
        self.assertFalse(expense.customer_policy_override_reason)
        self.assertFalse(expense.customer_policy_override_user_id)
        self.assertIn("另一未备案公司", expense.customer_policy_refusal)

    def test_submitted_expense_cannot_be_moved_around_the_rule(self):
        expense = self._expense(self.hospitality, self.customer, date="2026-02-10")
        sheet = self._report(expense)
        self._submit(sheet)
        with self.assertRefused(UserError, r"未备案潜在客户有限公司"):
            expense.with_user(self.user_approver).customer_partner_id = self.prospect
        self.assertEqual(expense.customer_partner_id, self.customer)

    def test_other_categories_need_no_customer(self):
        expense = self._expense(self.meals, name="Lunch on a business trip")
        self.assertFalse(expense.customer_policy_refusal)
        sheet = self._report(expense)
        self._submit(sheet)
        self._approve(sheet)
        self.assertEqual(sheet.state, "approve")

    def test_a_contact_stands_for_its_company(self):
        expense = self._expense(self.hospitality, self.contact, date="2026-02-10")
        self.assertEqual(expense.customer_partner_id, self.customer)
        expense.with_user(self.user_sales).customer_partner_id = self.contact
        self.assertEqual(expense.customer_partner_id, self.customer)

    def test_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_policy", "customer_policy_expense"], ["zh_CN"], overwrite=True
        )
        expense = self._expense(self.hospitality, self.prospect)
        refusal = expense.with_context(lang="zh_CN").customer_policy_refusal
        self.assertIn("未备案", refusal)
        self.assertIn("未备案潜在客户有限公司", refusal)
        self.assertEqual(self.hospitality.with_context(lang="zh_CN").name, "客户招待")
