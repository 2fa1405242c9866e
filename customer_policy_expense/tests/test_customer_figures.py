from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import CustomerExpenseCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-20")
class TestCustomerFigures(CustomerExpenseCase):
    """What was spent on each customer, seen by each role as far as it may."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee_2 = cls._employee(cls.user_sales_2)
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Other Department",
                "user_id": cls.user_sales_2.id,
                "member_ids": [(6, 0, [cls.user_sales_2.id])],
            }
        )
        cls.customer_key = cls._registered_on(
            "一般客户有限公司", "2026-01-05", tier=cls.tier_general
        )
        cls.customer_far = cls._registered_on(
            "远方客户有限公司",
            "2026-01-05",
            tier=cls.tier_potential,
            user=cls.user_sales_2,
            team_id=cls.other_team.id,
        )

    def _claimed(self, product, customer, date, amount, employee=None, user=None):
        expense = (
            self.env["hr.expense"]
            .with_user(user or self.user_sales)
            .create(
                {
                    "name": f"{product.name} {date}",
                    "product_id": product.id,
                    "customer_partner_id": customer.id,
                    "date": date,
                    "total_amount_currency": amount,
                    "employee_id": (employee or self.employee_sales).id,
                }
            )
        )
        action = expense.with_user(user or self.user_sales).action_submit_expenses()
        sheet = self.env["hr.expense.sheet"].browse(action["res_id"])
        sheet.with_user(user or self.user_sales).action_submit_sheet()
        return expense

    def test_regrade_moves_the_expense_tier_without_a_message(self):
        """An expense shows its customer's current tier; the re-grading's change
        is told by the customer's tier history, not the expense's chatter."""
        self.tier_general.min_annual_amount = 1
        self.tier_potential.min_annual_amount = 0
        (self.tier_key | self.tier_strategic).min_annual_amount = 10_000_000
        expense = self._claimed(
            self.hospitality, self.customer_far, "2026-03-06", 300.0
        )
        self.assertEqual(expense.customer_tier_id, self.tier_potential)
        self.env.flush_all()
        messages = expense.message_ids
        self.env.cr.execute(
            "UPDATE res_partner SET annual_contract_amount = 500 WHERE id = %s",
            [self.customer_far.id],
        )
        self.env.invalidate_all()
        self.env["res.partner"].with_context(
            tracking_disable=False
        )._cron_regrade_customer_tiers()
        self.env.invalidate_all()
        self.assertEqual(self.customer_far.customer_tier_id, self.tier_general)
        self.assertEqual(expense.customer_tier_id, self.tier_general)
        self.assertEqual(expense.message_ids, messages)
        self.assertNotIn("customer_tier_id", self.env["hr.expense"]._track_get_fields())

    def test_smart_button_and_pivot(self):
        self._claimed(self.hospitality, self.customer_key, "2026-02-10", 800.0)
        self._claimed(self.gift, self.customer_key, "2026-03-02", 1200.0)
        # The colleague of another department travelled to the same customer.
        self._claimed(
            self.travel,
            self.customer_key,
            "2026-03-05",
            500.0,
            employee=self.employee_2,
            user=self.user_sales_2,
        )
        self._claimed(
            self.hospitality,
            self.customer_far,
            "2026-03-06",
            300.0,
            employee=self.employee_2,
            user=self.user_sales_2,
        )
        # A draft is no claim yet.
        self._expense(self.gift, self.customer_key, date="2026-03-10", amount=999.0)

        def figures(user, customer):
            partner = customer.with_user(user)
            return partner.customer_expense_count, partner.customer_expense_total

        # The Director: every claim for the customer.
        self.assertEqual(figures(self.user_director, self.customer_key), (3, 2500.0))
        # The manager of the customer's department too, whoever spent it.
        self.assertEqual(figures(self.user_manager, self.customer_key), (3, 2500.0))
        # A salesperson: their own claims.
        self.assertEqual(figures(self.user_sales, self.customer_key), (2, 2000.0))
        # From a contact person: its company's figures.
        contact = self.env["res.partner"].create(
            {"name": "钱主任", "parent_id": self.customer_key.id}
        )
        self.assertEqual(figures(self.user_director, contact), (3, 2500.0))

        action = self.customer_key.with_user(
            self.user_manager
        ).action_view_customer_expenses()
        listed = (
            self.env["hr.expense"]
            .with_user(self.user_manager)
            .search(
                action["domain"] + [("state", "in", ("submitted", "approved", "done"))]
            )
        )
        self.assertEqual(len(listed), 3)
        self.assertEqual(
            action["context"]["default_customer_partner_id"], self.customer_key.id
        )

        # The pivot: by the customer's department, tier and month.
        groups = (
            self.env["hr.expense"]
            .with_user(self.user_director)
            ._read_group(
                [
                    ("customer_partner_id", "!=", False),
                    ("state", "in", ("submitted", "approved", "done")),
                ],
                ["customer_team_id", "customer_tier_id", "date:month"],
                ["total_amount:sum"],
            )
        )
        by_key = {
            (team.name, tier.name, month.strftime("%Y-%m")): total
            for team, tier, month, total in groups
        }
        self.assertEqual(
            by_key,
            {
                ("Test Department", self.tier_general.name, "2026-02"): 800.0,
                ("Test Department", self.tier_general.name, "2026-03"): 1700.0,
                ("Other Department", self.tier_potential.name, "2026-03"): 300.0,
            },
        )
        # The colleague: their own claim.
        self.assertEqual(figures(self.user_sales_2, self.customer_far), (1, 300.0))
        # Finance reads every customer expense, to apply the reimbursement rule.
        customers = self.customer_key | self.customer_far
        self.assertEqual(
            self.env["hr.expense"]
            .with_user(self.user_finance)
            .search_count(
                [
                    ("customer_partner_id", "in", customers.ids),
                    ("state", "in", ("submitted", "approved", "done")),
                ]
            ),
            4,
        )

    def test_manager_of_another_department(self):
        """A department manager reads the claims for the customers of the
        departments they lead, not those of another department's customers."""
        self._claimed(self.hospitality, self.customer_key, "2026-02-10", 800.0)
        self._claimed(
            self.gift,
            self.customer_far,
            "2026-03-06",
            300.0,
            employee=self.employee_2,
            user=self.user_sales_2,
        )
        other_manager = new_test_user(
            self.env,
            login="cp_expense_other_manager",
            groups="customer_policy.group_manager",
        )
        self.other_team.user_id = other_manager
        Expense = self.env["hr.expense"].with_user(other_manager)
        self.assertEqual(
            Expense.search([("customer_partner_id", "!=", False)]).customer_partner_id,
            self.customer_far,
        )
        partner = self.customer_far.with_user(other_manager)
        self.assertEqual(partner.customer_expense_count, 1)
        self.assertEqual(partner.customer_expense_total, 300.0)

    def test_new_expense_from_the_customer(self):
        """The customer's expenses open on a new expense for it: the entry
        point a care event's gift uses too."""
        defaults = self.env["hr.expense"]._customer_policy_expense_defaults(
            self.contact, self.gift
        )
        expense = (
            self.env["hr.expense"]
            .with_user(self.user_sales)
            .with_context(**defaults)
            .create({"name": "Mid-Autumn mooncakes", "total_amount_currency": 600.0})
        )
        self.assertEqual(expense.customer_partner_id, self.customer)
        self.assertEqual(expense.product_id, self.gift)
        self.assertFalse(expense.customer_policy_refusal)
