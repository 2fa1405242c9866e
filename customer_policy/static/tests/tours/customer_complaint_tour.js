/** @odoo-module */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("customer_complaint_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "customer_policy.menu_customer_policy_root",
            "Open the Customer Policy app"
        ),
        {
            content: "Wait for the app's landing view before using the menus",
            trigger: ".o_action_manager .o_view_controller",
        },
        {
            trigger: 'button[data-menu-xmlid="customer_policy.menu_customer_complaint"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="customer_policy.menu_customer_complaint_tickets"]',
            run: "click",
        },
        {
            content: "The kanban shows the ticket with its SLA badge (time left)",
            trigger:
                '.o_kanban_record:contains("TOUR-0001") .o_complaint_sla_badge.text-bg-success',
        },
        {
            content: "The overdue ticket shows a red badge",
            trigger:
                '.o_kanban_record:contains("TOUR-0002") .o_complaint_sla_badge.text-bg-danger',
        },
        {
            trigger: '.o_kanban_record:contains("TOUR-0001")',
            run: "click",
        },
        {
            trigger: 'button[name="action_contacted"]',
            run: "click",
        },
        {
            content: "The ticket moved to Contacted",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="contacted"]',
        },
    ],
});
