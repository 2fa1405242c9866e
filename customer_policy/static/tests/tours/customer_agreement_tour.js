/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_policy_agreement_tour", {
    url: "/odoo/action-customer_policy.action_customer_agreement",
    steps: () => [
        {
            content: "Record a new agreement",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="title"] input',
            run: "edit 年度维保服务合同",
        },
        {
            trigger: '.o_field_widget[name="partner_id"] input',
            run: "edit 巡检协议客户",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(巡检协议客户有限公司)",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="amount_total"] input',
            run: "edit 5000",
        },
        {
            content: "Add the payment schedule",
            trigger: '.o_field_widget[name="installment_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            trigger: '.o_selected_row .o_field_widget[name="due_date"] input',
            run: "edit 01/31/2027",
        },
        {
            trigger: '.o_selected_row .o_field_widget[name="amount"] input',
            run: "edit 5000",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Submit it to Legal",
            trigger: 'button[name="action_submit_legal"]',
            run: "click",
        },
        {
            content: "It waits for Legal's review",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Legal Review")',
        },
    ],
});
