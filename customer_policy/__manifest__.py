{
    "name": "Customer Policy",
    "summary": "Customer management policy (客户管理制度): archive, grading, visits, "
    "complaints, agreements, payment ledger, access approvals",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "application": True,
    "depends": ["base", "mail", "contacts", "sales_team", "resource"],
    "data": [
        "security/customer_policy_security.xml",
        "security/ir.model.access.csv",
        "security/customer_policy_rules.xml",
        "data/customer_tier_data.xml",
        "views/customer_policy_menus.xml",
        "views/customer_tier_views.xml",
        "views/res_config_settings_views.xml",
        "data/customer_agreement_data.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/crm_team_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_policy/static/tests/tours/**/*",
        ],
    },
}
