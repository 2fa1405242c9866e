/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_policy_tier_tour", {
    url: "/odoo/action-customer_policy.action_customer_policy_customer_by_tier",
    steps: () => [
        {
            content: "Customers are grouped by tier: open the potential customers",
            trigger: ".o_group_header:contains(Potential Customer)",
            run: "click",
        },
        {
            trigger: ".o_data_row td:contains(巡检测试客户有限公司)",
            run: "click",
        },
        {
            content: "The tier badge shows in the header, with the suggestion beside it",
            trigger: 'div[name="customer_tier_badges"]:contains(Potential Customer):contains(General Customer)',
        },
        {
            trigger: 'button[name="action_open_tier_change_wizard"].btn-primary',
            run: "click",
        },
        {
            content: "The wizard proposes the suggested tier",
            trigger: '.modal div[name="tier_id"] input:value(General Customer)',
        },
        {
            trigger: '.modal div[name="reason"] textarea',
            run: "edit First order signed in March",
        },
        {
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The badge shows the new tier",
            trigger: 'body:not(:has(.modal)) div[name="customer_tier_badges"] .badge:contains(General Customer)',
        },
        {
            trigger: 'a.nav-link:contains("Tier")',
            run: "click",
        },
        {
            content: "The change is in the history tab",
            trigger: '.o_field_one2many[name="customer_tier_history_ids"] .o_data_row:contains(First order signed in March)',
        },
    ],
});
