/** @odoo-module */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A department manager hands in the day's invitation list.
registry.category("web_tour.tours").add("customer_event_invitation_list_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "customer_policy.menu_customer_policy_root",
            "Open the Customer Policy app"
        ),
        {
            content: "Joint events are a section of the Visits menu",
            trigger: 'button[data-menu-xmlid="customer_policy.menu_customer_policy_visits"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="customer_policy_event.menu_customer_event_invitation_list"]',
            run: "click",
        },
        {
            content: "Today's list is still to hand in",
            trigger: ".o_data_row td:contains('巡演联合推介会')",
            run: "click",
        },
        {
            content: "The customers the department confirmed today",
            trigger: ".o_form_view div[name='pending_invitation_ids'] .o_data_row:contains('名单测试客户有限公司')",
        },
        {
            trigger: ".o_form_view .o_invitation_list_submit",
            run: "click",
        },
        {
            content: "Handed in: the customer is on the list",
            trigger: ".o_form_view div[name='invitation_ids'] .o_data_row:contains('Submitted')",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Handed In')",
        },
    ],
});
