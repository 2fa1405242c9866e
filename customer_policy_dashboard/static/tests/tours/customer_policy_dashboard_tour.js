/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_policy_dashboard_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            // Its name in the user's language: the demo's staff read Chinese.
            content: "Open the customer management dashboard",
            trigger:
                '.o_search_panel li[data-name="Customer Management"], .o_search_panel li[data-name="客户管理"]',
            run: "click",
        },
        {
            trigger:
                '.o_search_panel li.active[data-name="Customer Management"], .o_search_panel li.active[data-name="客户管理"]',
        },
        {
            content: "Its figures are loaded: the cells of the pivots can be clicked",
            trigger: ".o_renderer .o-dashboard-clickable-cell",
        },
        {
            content: "No loading error",
            trigger:
                ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
        {
            content: "The period filter of the month is shown",
            trigger: ".o_control_panel_actions .o_datetime_input, .o_control_panel_actions input",
        },
        {
            content: "A figure opens the records behind it",
            trigger: ".o_renderer .o-dashboard-clickable-cell",
            run: "click",
        },
        {
            trigger: ".o_action_manager .o_view_controller",
        },
    ],
});
