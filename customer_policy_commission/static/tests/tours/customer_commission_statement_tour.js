/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_policy_commission_statement_tour", {
    url: "/odoo/action-customer_policy_commission.action_customer_commission_statement",
    steps: () => [
        {
            content: "Filter the statements to confirm",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .dropdown-item:contains(To Confirm)",
            run: "click",
        },
        {
            content: "Open last month's statement of the salesperson",
            trigger: ".o_data_row:contains(Tour Salesperson) td[name=amount_total]",
            run: "click",
        },
        {
            content: "Its total is the sum of its lines",
            trigger: '.o_field_widget[name="amount_total"]:contains("2,700.00")',
        },
        {
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:contains("巡检提成客户有限公司")',
        },
        {
            content: "Confirm it",
            trigger: 'button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "It is frozen: confirmed",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Confirmed")',
        },
        {
            trigger: ".alert-info:contains(frozen)",
        },
    ],
});
