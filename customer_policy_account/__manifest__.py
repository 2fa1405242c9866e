{
    "name": "Customer Policy: Invoicing",
    "summary": "Installments invoiced in Odoo Invoicing; the payment ledger follows "
    "the invoices' reconciliations",
    "version": "18.0.1.0.1",
    "category": "Accounting/Accounting",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy", "account"],
    "data": [
        "security/customer_policy_account_rules.xml",
        "data/ir_cron.xml",
        "views/account_move_views.xml",
        "views/customer_agreement_views.xml",
        "views/customer_ledger_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_policy_account/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
