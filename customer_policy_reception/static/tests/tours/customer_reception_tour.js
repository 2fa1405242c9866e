/** @odoo-module */

import {registry} from "@web/core/registry";

// The reception screen on a phone: mark a colleague out, record a walk-in.
registry.category("web_tour.tours").add("customer_reception_tour", {
    steps: () => [
        {
            content: "A is next in line, B on standby",
            trigger: ".o_reception_screen .o_reception_next:contains('Tour Salesperson A')",
        },
        {
            trigger: ".o_reception_screen .o_reception_standby:contains('Tour Salesperson B')",
        },
        {
            content: "A goes out to see a customer",
            trigger: ".o_reception_turn:contains('Tour Salesperson A') .o_reception_away",
            run: "click",
        },
        {
            content: "B is now next",
            trigger: ".o_reception_screen .o_reception_next:contains('Tour Salesperson B')",
        },
        {
            trigger: ".o_reception_screen .o_reception_new_walk_in",
            run: "click",
        },
        {
            trigger: ".o_dialog div[name='visitor_name'] input",
            run: "edit 王先生",
        },
        {
            trigger: ".o_dialog div[name='mobile'] input",
            run: "edit 13812345678",
        },
        {
            content: "A first visit: nobody to ask for",
            trigger: ".o_dialog .o_reception_assign",
            run: "click",
        },
        {
            content: "The visitor goes to B",
            trigger: ".o_form_view .o_reception_visit_user:contains('Tour Salesperson B')",
        },
        {
            trigger: ".o_form_view div[name='visit_kind']:contains('First Visit')",
        },
    ],
});

// The department manager's view of the register and the violations.
registry.category("web_tour.tours").add("customer_reception_register_tour", {
    steps: () => [
        {
            content: "Today's register lists the walk-in",
            trigger: ".o_list_view .o_data_row td:contains('李女士')",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_open_override']",
            run: "click",
        },
        {
            trigger: ".o_dialog div[name='user_id'] input",
            run: "edit Tour Salesperson B",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('Tour Salesperson B')",
            run: "click",
        },
        {
            trigger: ".o_dialog div[name='reason'] textarea",
            run: "edit 客户指定要B接待",
        },
        {
            trigger: ".o_dialog button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The re-assignment is logged as a possible violation",
            trigger: ".o_form_view div[name='violation_ids'] .o_data_row:contains('Grabbing')",
        },
    ],
});
