{
    "name": "Customer Policy: Walk-in Reception Commission",
    "summary": "A same-day deal of a walk-in credits the agreement signed from it: "
    "50/50 between the receiver and the colleague who served the visitor before",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy_reception", "customer_policy_commission"],
    "auto_install": True,
    "data": [
        "views/customer_agreement_views.xml",
        "views/customer_reception_visit_views.xml",
    ],
}
