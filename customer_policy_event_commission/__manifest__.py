{
    "name": "Customer Policy: Joint Event Commission",
    "summary": "A sale made at a joint event credits the commission of the agreement "
    "signed there to the colleague who invited the customer",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy_event", "customer_policy_commission"],
    "auto_install": True,
    "data": [
        "views/customer_agreement_views.xml",
        "views/customer_event_invitation_views.xml",
    ],
}
