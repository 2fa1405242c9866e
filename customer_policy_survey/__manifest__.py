{
    "name": "Customer Policy: Satisfaction Surveys",
    "summary": "Periodic satisfaction surveys of customers (满意度调查) on Odoo's "
    "Surveys: per tier and after return visits, answers feed relationship health",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy", "survey"],
    "auto_install": True,
    "data": [
        "security/ir.model.access.csv",
        "security/customer_survey_rules.xml",
        "data/customer_survey_data.xml",
        "data/customer_survey_mail_template.xml",
        "data/customer_survey_cron.xml",
        "data/customer_tier_data.xml",
        "views/customer_survey_invitation_views.xml",
        "views/customer_tier_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
}
