/** @odoo-module */

import {Component} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";
import {useService} from "@web/core/utils/hooks";

// Waiting longer than this for a GPS fix would leave the visitor staring at the
// button: the check-in is then recorded without a position.
const POSITION_TIMEOUT_MS = 10000;

export class CustomerVisitCheckIn extends Component {
    static template = "customer_policy.CustomerVisitCheckIn";
    static props = {...standardWidgetProps};

    setup() {
        this.orm = useService("orm");
    }

    getPosition() {
        return new Promise((resolve) => {
            if (!navigator.geolocation) {
                resolve(null);
                return;
            }
            navigator.geolocation.getCurrentPosition(
                (position) => resolve(position.coords),
                () => resolve(null),
                {enableHighAccuracy: true, timeout: POSITION_TIMEOUT_MS}
            );
        });
    }

    async onClick() {
        const record = this.props.record;
        if (!(await record.save())) {
            return;
        }
        const coords = await this.getPosition();
        const kwargs = coords
            ? {latitude: coords.latitude, longitude: coords.longitude}
            : {};
        await this.orm.call("customer.visit", "action_check_in", [[record.resId]], kwargs);
        await record.load();
    }
}

registry.category("view_widgets").add("customer_visit_check_in", {
    component: CustomerVisitCheckIn,
});
