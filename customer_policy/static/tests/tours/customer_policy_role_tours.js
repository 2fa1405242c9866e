/** @odoo-module */

import {browser} from "@web/core/browser/browser";
import {registry} from "@web/core/registry";

// Each role's main flow, started at /odoo as that role logs in: the app opens
// on its daily list. Selectors use names and values, not labels: the demo staff
// read Chinese.

const current = (state) =>
    `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="${state}"]`;
const menu = (xmlid, tag = "a") => `${tag}[data-menu-xmlid="customer_policy.${xmlid}"]`;

// Legal (法务) reviews an agreement and approves it.
registry.category("web_tour.tours").add("customer_policy_legal_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Legal starts on the agreements to review",
            trigger: '.o_list_view .o_data_row td[name="title"]:contains(售后服务外包协议)',
            run: "click",
        },
        {trigger: current("legal_review")},
        {
            content: "The terms and the payment schedule are there to review",
            trigger: '.o_field_widget[name="installment_ids"] .o_data_row',
        },
        {trigger: '.o_form_view button[name="action_legal_approve"]', run: "click"},
        {content: "Approved", trigger: current("approved")},
    ],
});

/**
 * Catch the workbook's download: the web client sends the browser to its URL
 * (an act_url); the tour fetches it instead and marks the page when it is an
 * Excel file.
 */
function catchDownload() {
    const location = window.location;
    // Location's own properties cannot be replaced: the proxy stands on a plain
    // object and forwards the rest.
    const proxy = new Proxy({}, {
        get(_target, property) {
            if (property === "assign") {
                return async (url) => {
                    Object.defineProperty(browser, "location", {
                        get: () => location,
                        configurable: true,
                    });
                    const response = await fetch(url);
                    const disposition = response.headers.get("Content-Disposition") || "";
                    const content = new Uint8Array(await response.arrayBuffer());
                    // An attachment named .xlsx, and a zip file ("PK") as .xlsx are.
                    if (
                        response.ok &&
                        disposition.startsWith("attachment") &&
                        disposition.includes(".xlsx") &&
                        content[0] === 0x50 &&
                        content[1] === 0x4b
                    ) {
                        document.body.classList.add("o_customer_policy_workbook_downloaded");
                    } else {
                        console.error(`Not a workbook: ${response.status} ${disposition}`);
                    }
                };
            }
            const value = location[property];
            return typeof value === "function" ? value.bind(location) : value;
        },
    });
    Object.defineProperty(browser, "location", {get: () => proxy, configurable: true});
}

// Finance (财务) records a payment received, then downloads the ledger workbook.
registry.category("web_tour.tours").add("customer_policy_finance_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Finance starts on the installments to collect",
            trigger: ".o_list_view .o_data_row",
        },
        {trigger: menu("menu_customer_policy_ledger", "button"), run: "click"},
        {trigger: menu("menu_customer_payment"), run: "click"},
        {trigger: ".o_list_button_add", run: "click"},
        {trigger: '.o_field_widget[name="partner_id"] input', run: "edit 上海星河"},
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(上海星河科技有限公司)",
            run: "click",
        },
        {trigger: '.o_field_widget[name="amount"] input', run: "edit 50000"},
        {trigger: '.o_field_widget[name="reference"] input', run: "edit 银行回单 TOUR-01"},
        {trigger: '.o_form_view button[name="action_post"]', run: "click"},
        {content: "Posted: it pays the oldest installments", trigger: current("posted")},
        {trigger: menu("menu_customer_policy_ledger", "button"), run: "click"},
        {trigger: menu("menu_customer_ledger_export"), run: "click"},
        {
            trigger: '.modal button[name="action_export_xlsx"]',
            run(helpers) {
                catchDownload();
                helpers.click();
            },
        },
        {
            content: "The workbook is downloaded",
            trigger: "body.o_customer_policy_workbook_downloaded",
        },
    ],
});

const intakeSteps = () => [
    {trigger: '.modal .o_field_widget[name="name"] input', run: "edit 杭州云帆电子商务有限公司"},
    {trigger: '.modal .o_field_widget[name="description"] .odoo-editor-editable', run: "editor 物流延误三天，客户要求赔偿。"},
    {trigger: '.modal button[name="action_search"]', run: "click"},
    {
        content: "Found: its name, owner and department only",
        trigger: '.modal .o_field_widget[name="line_ids"] .o_data_row:contains(杭州云帆电子商务有限公司)',
    },
    {trigger: '.modal .o_data_row button[name="action_record"]', run: "click"},
    {
        content: "The ticket is recorded, with the service desk as first responder",
        trigger: `body:not(:has(.modal)) ${current("new")}`,
    },
    {trigger: '.o_form_view .o_field_widget[name="partner_id"]:contains(杭州云帆电子商务有限公司)'},
];

// The service desk (客服) takes a call for a customer it may read but not edit.
registry.category("web_tour.tours").add("customer_policy_service_desk_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The service desk starts on the tickets",
            trigger: ".o_kanban_view .o_kanban_record",
        },
        {trigger: menu("menu_customer_complaint", "button"), run: "click"},
        {trigger: menu("menu_customer_complaint_intake"), run: "click"},
        ...intakeSteps(),
    ],
});

// The same call taken on a phone.
registry.category("web_tour.tours").add("customer_complaint_intake_phone_tour", {
    url: "/odoo/action-customer_policy.action_customer_complaint_intake",
    steps: intakeSteps,
});
