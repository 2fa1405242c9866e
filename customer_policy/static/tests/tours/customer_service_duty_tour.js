/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_service_duty_tour", {
    url: "/odoo/action-customer_policy.action_customer_service_duty?view_type=list",
    steps: () => [
        {
            content: "Plan a holiday duty",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_selected_row .o_field_widget[name="user_id"] input',
            run: "edit 国庆值班",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(国庆值班员)",
            run: "click",
        },
        {
            trigger: '.o_selected_row .o_field_widget[name="date_start"] input',
            run: "edit 10/03/2026 09:00:00",
        },
        {
            trigger: '.o_selected_row .o_field_widget[name="date_end"] input',
            run: "edit 10/04/2026 09:00:00",
        },
        {
            trigger: '.o_selected_row .o_field_widget[name="note"] input',
            run: "edit 138 0000 0000",
        },
        {
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The duty is planned",
            trigger: ".o_data_row:not(.o_selected_row) .o_data_cell:contains(138 0000 0000)",
        },
    ],
});
