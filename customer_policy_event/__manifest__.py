{
    "name": "Customer Policy: Joint Event Invitations",
    "summary": "Joint-event invitations between departments (联合会议邀约): "
    "daily lists, cut-offs, first confirmed and handed in wins, fines, disputes",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-policy/customer_policy",
    "author": "customer_policy developers",
    "license": "LGPL-3",
    "depends": ["customer_policy", "event"],
    "auto_install": True,
    "data": [
        "security/customer_event_security.xml",
        "security/ir.model.access.csv",
        "security/customer_event_rules.xml",
        "data/customer_event_cron.xml",
        "views/event_event_views.xml",
        "views/customer_event_invitation_views.xml",
        "views/customer_event_dispute_views.xml",
        "views/customer_event_menus.xml",
    ],
    "demo": [
        "demo/customer_event_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_policy_event/static/tests/tours/**/*",
        ],
    },
}
