/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_policy_care_tour", {
    url: "/odoo/customer-care",
    steps: () => [
        {
            content: "The care calendar shows this month's greeting",
            trigger: ".o_calendar_view .fc-event:contains(导览联系人)",
        },
        {
            content: "The same events as a list, by month",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header",
            run: "click",
        },
        {
            trigger: ".o_data_row td:contains(导览关怀客户有限公司)",
            run: "click",
        },
        {
            trigger: '.o_form_view div[name="gift_description"] input',
            run: "edit 月饼礼盒",
        },
        {
            trigger: '.o_form_view div[name="gift_amount"] input',
            run: "edit 268",
        },
        {
            trigger: 'button[name="action_done"]',
            run: "click",
        },
        {
            content: "The greeting is done",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="done"]',
        },
    ],
});

registry.category("web_tour.tours").add("customer_policy_at_risk_tour", {
    url: "/odoo/customers-at-risk",
    steps: () => [
        {
            content: "The customers at high risk, with the reasons",
            trigger: '.o_kanban_record:contains(导览风险客户有限公司):contains("No Contact")',
        },
        {
            trigger: ".o_kanban_record:contains(导览风险客户有限公司)",
            run: "click",
        },
        {
            trigger: 'a.nav-link:contains("Relationship Health")',
            run: "click",
        },
        {
            content: "The health and its factors",
            trigger: '.o_field_widget[name="churn_risk"]:contains("High Risk")',
        },
        {
            trigger: '.o_notebook button[name="action_view_customer_health_trend"]',
            run: "click",
        },
        {
            content: "The trend of the customer's health",
            trigger: ".o_graph_view",
        },
    ],
});
