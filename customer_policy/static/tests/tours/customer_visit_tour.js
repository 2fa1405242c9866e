/** @odoo-module */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("customer_visit_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "customer_policy.menu_customer_policy_root",
            "Open the Customer Policy app"
        ),
        {
            content: "A salesperson's app opens on the visit plan",
            trigger: ".o_breadcrumb:contains('My Visit Plan')",
        },
        {
            trigger: 'button[data-menu-xmlid="customer_policy.menu_customer_policy_visits"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="customer_policy.menu_customer_visit_my_plan"]',
            run: "click",
        },
        {
            content: "The week's planned visit is listed",
            trigger: ".o_data_row td:contains('巡访测试客户有限公司')",
            run: "click",
        },
        {
            content: "Check in on site (the position is optional)",
            trigger: ".o_form_view button.o_customer_visit_check_in",
            run: "click",
        },
        {
            content: "Checked in",
            trigger: ".o_form_view div[name='check_in_date']:not(:empty)",
        },
        {
            trigger: ".o_field_widget[name='summary'] textarea",
            run: "edit 讨论了续约",
        },
        {
            trigger: ".o_field_widget[name='customer_feedback'] textarea",
            run: "edit 满意",
        },
        {
            trigger: "button[name='action_done']",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
