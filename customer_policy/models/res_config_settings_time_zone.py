from odoo import api, fields, models

# How many users the warning names; the others are counted.
_NAMED_USERS = 5


class ResConfigSettings(models.TransientModel):
    """The time zone of the company's working calendar against its staff's: the
    policy counts every deadline on the calendar, the staff read them in their
    own time zone."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    customer_policy_calendar_tz = fields.Selection(
        related="company_id.resource_calendar_id.tz", string="Calendar Time Zone"
    )
    customer_policy_tz_warning = fields.Char(
        string="Time Zone Warning", compute="_compute_customer_policy_tz_warning"
    )

    @api.depends("company_id.resource_calendar_id.tz")
    def _compute_customer_policy_tz_warning(self):
        for settings in self:
            settings.customer_policy_tz_warning = (
                settings.company_id._customer_policy_tz_mismatch_warning()
            )


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    def _customer_policy_tz_mismatch_warning(self):
        """A sentence naming the company's active users whose time zone is not
        its working calendar's, or False when they all match."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar or not calendar.tz:
            return False
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", False),
                    ("company_ids", "in", self.id),
                    "|",
                    ("tz", "!=", calendar.tz),
                    ("tz", "=", False),
                ],
                order="name",
            )
        )
        if not users:
            return False
        names = ", ".join(
            f"{user.name} ({user.tz or self.env._('no time zone')})"
            for user in users[:_NAMED_USERS]
        )
        if len(users) > _NAMED_USERS:
            names = self.env._(
                "%(names)s and %(count)s more",
                names=names,
                count=len(users) - _NAMED_USERS,
            )
        return self.env._(
            "The working calendar %(calendar)s counts deadlines in %(tz)s, but these "
            "users work in another time zone and will read them shifted: %(users)s. "
            "Set their time zone in their preferences, or the calendar's.",
            calendar=calendar.name,
            tz=calendar.tz,
            users=names,
        )
