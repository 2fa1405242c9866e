/** @odoo-module */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("customer_policy_customer_archive_tour", {
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
            trigger: 'button[data-menu-xmlid="customer_policy.menu_customer_policy_customers"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="customer_policy.menu_customer_policy_customer"]',
            run: "click",
        },
        {
            content: "Wait for the customers list: the landing view has a New button too",
            trigger: ".o_last_breadcrumb_item:contains(Customers)",
        },
        {
            content: "Create a customer",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] :is(textarea, input)",
            run: "edit 上海 星河科技 (有限公司)",
        },
        {
            trigger: ".o_field_widget[name=phone] input",
            run: "click",
        },
        {
            content: "The registered customer of another department is named, nothing more",
            trigger:
                'div[name="customer_policy_duplicate_alert"]:contains(上海星河科技有限公司):contains(Tour Other Department)',
        },
        {
            trigger: ".o_field_widget[name=name] :is(textarea, input)",
            run: "edit 苏州新客户科技有限公司",
        },
        {
            trigger: ".o_field_widget[name=vat] input",
            run: "edit Y2310115MA1K4B5C3T",
        },
        {
            content: "A new name: no more duplicate warning",
            trigger: '.o_form_view:not(:has(div[name="customer_policy_duplicate_alert"]:visible))',
        },
        {
            trigger: ".o_notebook a[name=customer_archive]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=legal_representative] input",
            run: "edit 周明",
        },
        {
            trigger: ".o_field_widget[name=company_scale] select",
            run: 'select "medium"',
        },
        {
            content: "Register the customer",
            trigger: "button[name=action_register]",
            run: "click",
        },
        {
            content: "Registered: the button is gone, the status moved",
            trigger:
                ".o_form_view:not(:has(button[name=action_register])) .o_statusbar_status",
        },
    ],
});
