/** @odoo-module */

import {registry} from "@web/core/registry";

// Finance invoices an agreement's next installment and posts the invoice.
registry.category("web_tour.tours").add("customer_installment_invoice_tour", {
    steps: () => [
        {
            content: "The payment schedule shows the installment not invoiced yet",
            trigger: '.o_field_widget[name="installment_ids"] .o_data_row',
        },
        {
            content: "Invoice the next installment",
            trigger: 'button[name="action_create_invoice"]:contains("Invoice Next Installment")',
            run: "click",
        },
        {
            content: "A draft invoice with the agreement number as reference",
            trigger: '.o_breadcrumb:contains("Draft Invoice (HT-TOUR-0001)")',
        },
        {
            content: "for the installment's amount, due when it is",
            trigger: '.o_field_widget[name="invoice_date_due"] input:value("01/31/2027")',
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Draft")',
        },
        {
            content: "Finance posts it",
            trigger: 'button[name="action_post"]:not(.d-none)',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Posted")',
        },
    ],
});
