from . import customer_expense_override
