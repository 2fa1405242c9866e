/** @odoo-module */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("customer_policy_settings_tour", {
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
            trigger: 'button[data-menu-xmlid="customer_policy.menu_customer_policy_configuration"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="customer_policy.menu_customer_policy_settings"]',
            run: "click",
        },
        {
            content: "The policy's section is shown",
            trigger: '.app_settings_block[data-key="customer_policy"]',
        },
        {
            trigger: 'div[name="customer_registration_days"] input',
            run: "edit 8",
        },
        {
            trigger: "button.o_form_button_save",
            run(helpers) {
                // Saving reloads the page: the mark tells the next step apart from
                // the page before the reload.
                document.body.classList.add("o_customer_policy_before_save");
                helpers.click();
            },
        },
        {
            content: "Saved: the page reloads with the new value",
            trigger:
                'body:not(.o_customer_policy_before_save) div[name="customer_registration_days"] input:value(8)',
        },
    ],
});
