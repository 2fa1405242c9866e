{
    "name": "Customer Policy: Commission",
    "summary": "Commission (提成) by customer tier and renewal, credit splits, "
    "monthly statements for payroll",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/customer_commission_rules.xml",
        "data/customer_commission_rule_data.xml",
        "data/customer_commission_data.xml",
        "views/customer_commission_menus.xml",
        "views/customer_commission_rule_views.xml",
        "views/customer_commission_statement_views.xml",
        "views/customer_commission_line_views.xml",
        "views/customer_agreement_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/customer_commission_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_policy_commission/static/tests/tours/**/*",
        ],
    },
}
