{
    "name": "Customer Policy: Walk-in Reception",
    "summary": "Walk-in reception rotation (接待轮值): visitor register, "
    "make-up turns, same-day deal split, violations",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy"],
    "data": [
        "security/ir.model.access.csv",
        "security/customer_reception_rules.xml",
        "data/customer_reception_cron.xml",
        "views/customer_reception_desk_views.xml",
        "views/customer_reception_visit_views.xml",
        "views/customer_reception_violation_views.xml",
        "views/customer_reception_menus.xml",
    ],
    "demo": [
        "demo/customer_reception_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "customer_policy_reception/static/src/**/*",
        ],
        "web.assets_tests": [
            "customer_policy_reception/static/tests/tours/**/*",
        ],
    },
}
