{
    "name": "Customer Policy: Expenses",
    "summary": "Customer expenses (hospitality, travel, gifts) reimbursed only for "
    "customers registered in time; expense figures per customer",
    "version": "18.0.1.0.1",
    "category": "Human Resources/Expenses",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy", "hr_expense"],
    "data": [
        "security/ir.model.access.csv",
        "security/customer_policy_expense_rules.xml",
        "data/product_data.xml",
        "wizards/customer_expense_override_views.xml",
        "views/hr_expense_views.xml",
        "views/product_views.xml",
        "views/res_partner_views.xml",
        "views/customer_expense_report_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_policy_expense/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
