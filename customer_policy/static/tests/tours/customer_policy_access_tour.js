/** @odoo-module */

import {registry} from "@web/core/registry";

// A salesperson of another department finds a customer they may not open and asks
// to consult its archive.
// Started on the menu's action (Customer Policy ▸ Archive Access ▸ Find a Customer).
registry.category("web_tour.tours").add("customer_policy_access_request_tour", {
    url: "/odoo/action-customer_policy.action_customer_access_lookup",
    steps: () => [
        {
            trigger: '.modal div[name="query"] input',
            run: "edit 杭州云帆",
        },
        {
            trigger: '.modal button[name="action_search"]',
            run: "click",
        },
        {
            content: "Found: only name, owner and department are shown",
            trigger: '.modal div[name="line_ids"] .o_data_row:contains(杭州云帆电子商务有限公司)',
        },
        {
            trigger: '.modal div[name="reason"] textarea',
            run: "edit 客户来电投诉物流延误，需要查阅其联系人。",
        },
        {
            trigger: '.modal .o_data_row button[name="action_request_access"]',
            run: "click",
        },
        {
            content: "The request is pending, waiting for the approver",
            trigger:
                '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="pending"]',
        },
        {
            trigger: '.o_form_view div[name="partner_id"]:contains(杭州云帆电子商务有限公司)',
        },
    ],
});

// The general manager decides the request from the list of requests to decide.
// Started on Customer Policy ▸ Archive Access ▸ Access Requests.
registry.category("web_tour.tours").add("customer_policy_access_approve_tour", {
    url: "/odoo/action-customer_policy.action_customer_access_request",
    steps: () => [
        {
            trigger: '.o_list_view .o_data_row td[name="partner_id"]:contains(杭州云帆电子商务有限公司)',
            run: "click",
        },
        {
            trigger: '.o_form_view button[name="action_approve"]',
            run: "click",
        },
        {
            content: "Approved",
            trigger:
                '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="approved"]',
        },
    ],
});
