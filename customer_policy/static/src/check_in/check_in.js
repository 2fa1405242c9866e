/** @odoo-module */

import {Component, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";

// A phone outdoors needs a while for a GPS fix; longer than this and the visitor
// is left staring at the button: the check-in is then recorded without a position.
const POSITION_TIMEOUT_MS = 20000;

// navigator.geolocation's error codes, as the server names them.
const POSITION_ERRORS = {1: "refused", 2: "unavailable", 3: "timeout"};

/**
 * Ask the browser for the position: ``{coords}`` or ``{error}``. Browsers give it
 * only to pages served over HTTPS (or localhost) and only with the visitor's
 * permission.
 */
export function getPosition() {
    return new Promise((resolve) => {
        if (!window.isSecureContext || !navigator.geolocation) {
            resolve({error: "unavailable"});
            return;
        }
        navigator.geolocation.getCurrentPosition(
            (position) => resolve({coords: position.coords}),
            (error) => resolve({error: POSITION_ERRORS[error.code] || "unavailable"}),
            {enableHighAccuracy: true, timeout: POSITION_TIMEOUT_MS, maximumAge: 60000}
        );
    });
}

/**
 * The Check In button of a planned visit, on its form and on its kanban card.
 * It sits in the sheet and on the card, never in the header: on a phone the
 * header's buttons fold into a menu that closes (and destroys them) while the
 * position is awaited.
 */
export class CustomerVisitCheckIn extends Component {
    static template = "customer_policy.CustomerVisitCheckIn";
    static props = {...standardWidgetProps};

    setup() {
        this.state = useState({locating: false});
        // The services themselves, not useService's wrappers: the check-in must
        // complete even if the card re-renders while the position is awaited.
        this.orm = this.env.services.orm;
        this.notification = this.env.services.notification;
    }

    get messages() {
        return {
            refused: _t(
                "Checked in without your position: you refused to share it. To record it next time, allow location access for this site in your browser's settings."
            ),
            unavailable: _t(
                "Checked in without your position: your device gave none (location turned off, no signal, or a page not opened over HTTPS)."
            ),
            timeout: _t(
                "Checked in without your position: your device gave none in time. Try again outdoors or near a window next time."
            ),
        };
    }

    async onClick() {
        if (this.state.locating) {
            return;
        }
        const record = this.props.record;
        if (record.isDirty && !(await record.save())) {
            return;
        }
        this.state.locating = true;
        try {
            const {coords, error} = await getPosition();
            const kwargs = coords
                ? {
                      latitude: coords.latitude,
                      longitude: coords.longitude,
                      accuracy: coords.accuracy,
                  }
                : {error};
            const result = await this.orm.call(
                "customer.visit",
                "action_check_in",
                [[record.resId]],
                kwargs
            );
            if (result.position_state === "recorded") {
                this.notification.add(
                    _t("Checked in at your position (within %s m).", Math.round(result.accuracy)),
                    {type: "success", className: "o_customer_visit_check_in_notification"}
                );
            } else {
                this.notification.add(this.messages[result.position_state], {
                    type: "warning",
                    sticky: true,
                    className: "o_customer_visit_check_in_notification",
                });
            }
            await record.load();
        } finally {
            if (this.__owl__.status !== 3 /* destroyed */) {
                this.state.locating = false;
            }
        }
    }
}

registry.category("view_widgets").add("customer_visit_check_in", {
    component: CustomerVisitCheckIn,
});
