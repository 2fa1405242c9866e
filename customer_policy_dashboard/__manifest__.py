{
    "name": "Customer Policy Dashboard",
    "summary": "Customer policy dashboard (客户管理看板) in Odoo's Dashboards app: new "
    "customers, plan achievement, visits, complaints, receivables, tiers",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy", "spreadsheet_dashboard"],
    "data": [
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_policy_dashboard/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
