/** @odoo-module */

import {registry} from "@web/core/registry";

/**
 * Replace the browser's geolocation: the position (or the refusal) is given when
 * the tour calls ``window.customerPolicyGeolocation.answer()``, so that the tour
 * sees the button wait for it.
 */
function stubGeolocation(answer) {
    const pending = [];
    window.customerPolicyGeolocation = {
        answer() {
            for (const [success, failure] of pending.splice(0)) {
                if (answer.coords) {
                    success({coords: answer.coords, timestamp: Date.now()});
                } else {
                    failure({code: answer.code, message: "stubbed"});
                }
            }
        },
    };
    Object.defineProperty(navigator, "geolocation", {
        configurable: true,
        value: {
            getCurrentPosition: (success, failure) => pending.push([success, failure]),
        },
    });
}

const card = (name) => `.o_kanban_record:contains(${name})`;

// A salesperson on a phone (400 px): the visit plan opens on its cards; Check In
// on the card asks the phone for the position and records it.
registry.category("web_tour.tours").add("customer_visit_check_in_phone_tour", {
    url: "/odoo/action-customer_policy.action_customer_visit_my_plan",
    steps: () => [
        {
            content: "The phone shows the visit plan as cards, Check In on each",
            trigger: `${card("签到测试甲有限公司")} button.o_customer_visit_check_in`,
            run() {
                stubGeolocation({coords: {latitude: 31.2304, longitude: 121.4737, accuracy: 12}});
            },
        },
        {
            trigger: `${card("签到测试甲有限公司")} button.o_customer_visit_check_in`,
            run: "click",
        },
        {
            content: "While the phone looks for the position, the button shows it waits",
            trigger: `${card("签到测试甲有限公司")} button.o_customer_visit_check_in:disabled .fa-spinner`,
            run() {
                window.customerPolicyGeolocation.answer();
            },
        },
        {
            content: "Checked in at the position",
            trigger:
                ".o_customer_visit_check_in_notification:has(.o_notification_bar.bg-success)",
        },
        {
            trigger: `${card("签到测试甲有限公司")}:not(:has(button.o_customer_visit_check_in)) .fa-map-marker`,
        },
        {
            trigger: ".o_customer_visit_check_in_notification .o_notification_close",
            run: "click",
        },
        {
            content: "The second visit: the visitor refuses to share the position",
            trigger: `body:not(:has(.o_notification)) ${card("签到测试乙有限公司")} button.o_customer_visit_check_in`,
            run() {
                stubGeolocation({code: 1});
            },
        },
        {
            trigger: `${card("签到测试乙有限公司")} button.o_customer_visit_check_in`,
            run: "click",
        },
        {
            trigger: `${card("签到测试乙有限公司")} button.o_customer_visit_check_in:disabled .fa-spinner`,
            run() {
                window.customerPolicyGeolocation.answer();
            },
        },
        {
            content: "The phone says clearly that the position was refused",
            trigger:
                ".o_customer_visit_check_in_notification:has(.o_notification_bar.bg-warning)",
            run() {
                document.querySelector(".o_customer_visit_check_in_notification .o_notification_close").click();
            },
        },
        {
            content: "Open the first visit",
            trigger: `${card("签到测试甲有限公司")} .fa-map-marker`,
            run: "click",
        },
        {
            content: "The form shows the position as a map link, read-only",
            trigger: '.o_form_view .o_field_widget[name="check_in_map_url"] a[href*="uri.amap.com"]',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="check_in_accuracy"]:contains(12)',
        },
    ],
});
