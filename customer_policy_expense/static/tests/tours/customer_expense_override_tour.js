/** @odoo-module */

import {registry} from "@web/core/registry";

// A Director reads why the policy refuses an expense and overrides it in writing.
registry.category("web_tour.tours").add("customer_expense_override_tour", {
    steps: () => [
        {
            content: "The expense says why the policy does not reimburse it",
            trigger: '.alert-danger:contains("未备案导览客户有限公司")',
        },
        {
            content: "Override the policy",
            trigger: 'button[name="action_customer_policy_override"]',
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="reason"] textarea',
            run: "edit First meeting of the tender; registered next week.",
        },
        {
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The decision stays on the expense",
            trigger: '.alert-info:contains("First meeting of the tender")',
        },
        {
            trigger: "body:not(:has(.alert-danger))",
        },
    ],
});
