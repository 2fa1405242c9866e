/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_development_plan_tour", {
    url: "/odoo/action-customer_policy.action_customer_development_plan",
    steps: () => [
        {
            content: "Draw up the year's plan",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="year"] input',
            run: "edit 2027",
        },
        {
            trigger: '.o_field_widget[name="target_new_customers"] input',
            run: "edit 12",
        },
        {
            trigger: '.o_field_widget[name="target_visits"] input',
            run: "edit 48",
        },
        {
            trigger: '.o_field_widget[name="target_contract_amount"] input',
            run: "edit 1200000",
        },
        {
            trigger: '.o_field_widget[name="target_payment_amount"] input',
            run: "edit 1000000",
        },
        {
            trigger: '.o_notebook_headers a[name="focus"]',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="focus"] textarea',
            run: "edit 浦东新区制造业客户，每月两次拜访重点客户",
        },
        {
            trigger: '.o_notebook_headers a[name="lines"]',
            run: "click",
        },
        {
            content: "Split the year evenly into quarters and months",
            trigger: 'button[name="action_split_evenly"]',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:nth-child(16)',
        },
        {
            content: "Submit it to the department manager",
            trigger: 'button[name="action_submit"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Submitted")',
        },
    ],
});
