"""Shared fixtures of the expense bridge's tests.

``CustomerExpenseCase`` adds to ``customer_policy``'s role users:

- ``employee_sales``, the employee of ``user_sales``, who claims expenses;
- ``user_approver``, an expense officer who approves every report (but is no
  Director);
- ``customer``, registered (备案) on 1 February 2026, of ``user_sales``'s
  department; ``prospect``, a company never registered;
- the categories: the policy's three (hospitality, travel, gifts) and Odoo's
  meals, which need no customer.
"""

from odoo.tests import new_test_user

from odoo.addons.customer_policy.tests.common import CustomerPolicyCase


class CustomerExpenseCase(CustomerPolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee_sales = cls._employee(cls.user_sales)
        cls.user_approver = new_test_user(
            cls.env,
            login="cp_expense_approver",
            name="Expense Officer",
            groups="hr_expense.group_hr_expense_user",
        )
        cls.customer = cls._registered_on("招待测试客户有限公司", "2026-02-01")
        cls.contact = cls.env["res.partner"].create(
            {"name": "赵经理", "parent_id": cls.customer.id}
        )
        cls.prospect = cls.env["res.partner"].create(
            {"name": "未备案潜在客户有限公司", "is_company": True}
        )
        cls.hospitality = cls.env.ref(
            "customer_policy_expense.product_expense_customer_hospitality"
        )
        cls.travel = cls.env.ref(
            "customer_policy_expense.product_expense_customer_travel"
        )
        cls.gift = cls.env.ref("customer_policy_expense.product_expense_customer_gift")
        cls.meals = cls.env.ref("hr_expense.expense_product_meal")

    @classmethod
    def _registered_on(cls, name, date, **vals):
        """A customer of ``user_sales`` registered (备案) on ``date``."""
        customer = cls._customer(name, **vals)
        customer.registration_date = date
        return customer

    @classmethod
    def _employee(cls, user):
        return cls.env["hr.employee"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "work_email": f"{user.login}@example.com",
            }
        )

    def _expense(self, product, customer=None, date="2026-03-02", amount=800.0, **vals):
        """An expense the employee enters."""
        return (
            self.env["hr.expense"]
            .with_user(self.user_sales)
            .create(
                {
                    "name": vals.pop("name", "Dinner with the customer"),
                    "product_id": product.id,
                    "customer_partner_id": customer.id if customer else False,
                    "date": date,
                    "total_amount_currency": amount,
                    "employee_id": self.employee_sales.id,
                    **vals,
                }
            )
        )

    def _report(self, expenses):
        """The employee puts the expenses into a report (not submitted yet)."""
        action = expenses.with_user(self.user_sales).action_submit_expenses()
        return self.env["hr.expense.sheet"].browse(action["res_id"])

    def _submit(self, sheet):
        sheet.with_user(self.user_sales).action_submit_sheet()

    def _approve(self, sheet, user=None):
        return sheet.with_user(
            user or self.user_approver
        ).action_approve_expense_sheets()

    def _override(self, expenses, reason, user=None):
        """A Director overrides the policy on the expenses, with a reason."""
        wizard = (
            self.env["customer.expense.override"]
            .with_user(user or self.user_director)
            .with_context(default_expense_ids=expenses.ids)
            .create({"reason": reason})
        )
        return wizard.action_confirm()
