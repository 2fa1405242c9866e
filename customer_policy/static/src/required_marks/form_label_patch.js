/** @odoo-module */

import {FormLabel} from "@web/views/form/form_label";
import {patch} from "@web/core/utils/patch";

/**
 * Mark the fields the company requires before a customer is registered (备案):
 * the partner form loads their names in ``customer_policy_required_fields``.
 * They are marked, not required: a draft customer is saved incomplete and
 * completed before the registration deadline.
 */
patch(FormLabel.prototype, {
    get className() {
        const className = super.className;
        const required = this.props.record.data.customer_policy_required_fields;
        if (
            this.props.record.resModel === "res.partner" &&
            typeof required === "string" &&
            required.split(",").includes(this.props.fieldName)
        ) {
            return `${className} o_customer_policy_required`;
        }
        return className;
    },
});
