from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# What the browser may answer instead of a position (navigator.geolocation).
POSITION_ERRORS = ("refused", "unavailable", "timeout")
# The check-in is evidence of the visit: only the Check In button writes it.
CHECK_IN_FIELDS = (
    "check_in_date",
    "check_in_latitude",
    "check_in_longitude",
    "check_in_accuracy",
    "check_in_position_state",
)


class CustomerVisit(models.Model):
    """Check-in on site (现场签到): the visitor taps Check In on the phone; the
    visit keeps the moment and, when the browser gives it, the position with its
    accuracy, shown as a link to a map. The visitor never types either."""

    _inherit = "customer.visit"  # pylint: disable=consider-merging-classes-inherited

    check_in_date = fields.Datetime(copy=False, readonly=True)
    check_in_latitude = fields.Float(digits=(10, 7), copy=False, readonly=True)
    check_in_longitude = fields.Float(digits=(10, 7), copy=False, readonly=True)
    check_in_accuracy = fields.Float(
        string="Check-in Accuracy (m)",
        digits=(10, 1),
        copy=False,
        readonly=True,
        help="How far from the recorded position the visitor may have been, as "
        "the phone reported it, in meters.",
    )
    check_in_position_state = fields.Selection(
        selection=[
            ("recorded", "Position Recorded"),
            ("refused", "Location Refused"),
            ("unavailable", "No Position Available"),
            ("timeout", "No Position in Time"),
        ],
        string="Check-in Position",
        copy=False,
        readonly=True,
        help="Whether the browser gave the visitor's position when checking in, "
        "and if not, why.",
    )
    check_in_map_url = fields.Char(
        string="Check-in Map", compute="_compute_check_in_map_url"
    )

    @api.depends("check_in_latitude", "check_in_longitude", "check_in_position_state")
    def _compute_check_in_map_url(self):
        for visit in self:
            visit.check_in_map_url = (
                visit._customer_policy_map_url()
                if visit.check_in_position_state == "recorded"
                else False
            )

    @api.constrains("check_in_latitude", "check_in_longitude", "check_in_accuracy")
    def _check_coordinates(self):
        for visit in self:
            if (
                abs(visit.check_in_latitude) > 90
                or abs(visit.check_in_longitude) > 180
                or visit.check_in_accuracy < 0
            ):
                raise ValidationError(
                    self.env._("The check-in position is not a valid location.")
                )

    def write(self, vals):
        if (
            set(CHECK_IN_FIELDS) & set(vals)
            and not self.env.su
            and not self.env.context.get("customer_policy_check_in")
        ):
            raise UserError(
                self.env._(
                    "The check-in time and position are recorded by the Check In "
                    "button only."
                )
            )
        return super().write(vals)

    def action_check_in(self, latitude=None, longitude=None, accuracy=None, error=None):
        """The visitor arrives: note the time and the position the browser gave.

        :param float latitude: WGS-84 latitude from ``navigator.geolocation``
        :param float longitude: WGS-84 longitude
        :param float accuracy: radius of the position's uncertainty, in meters
        :param str error: why there is no position: ``refused`` (the visitor or
            the browser refused to share it), ``unavailable`` (no fix, location
            off, or a browser that gives none) or ``timeout``
        :return: the check-in as the screen shows it: ``{"position_state",
            "map_url", "accuracy"}``
        """
        for visit in self:
            if visit.state != "planned":
                raise UserError(
                    self.env._(
                        "Only a planned visit can be checked in: %(visit)s is not.",
                        visit=visit.display_name,
                    )
                )
            if visit.check_in_date:
                raise UserError(
                    self.env._(
                        "%(visit)s is already checked in.", visit=visit.display_name
                    )
                )
        vals = {"check_in_date": fields.Datetime.now()}
        if latitude is not None and longitude is not None:
            vals.update(
                check_in_latitude=latitude,
                check_in_longitude=longitude,
                check_in_accuracy=accuracy or 0.0,
                check_in_position_state="recorded",
            )
        else:
            vals["check_in_position_state"] = (
                error if error in POSITION_ERRORS else "unavailable"
            )
        self.with_context(customer_policy_check_in=True).write(vals)
        return {
            "position_state": self[:1].check_in_position_state,
            "map_url": self[:1].check_in_map_url,
            "accuracy": self[:1].check_in_accuracy,
        }

    def _customer_policy_map_url(self):
        """A map of the check-in position. Phones give WGS-84 (GPS) coordinates;
        the Amap (高德) marker URL takes them as such and opens in the map app."""
        self.ensure_one()
        position = f"{self.check_in_longitude:.6f},{self.check_in_latitude:.6f}"
        return (
            f"https://uri.amap.com/marker?position={position}"
            "&coordinate=wgs84&callnative=1"
        )
