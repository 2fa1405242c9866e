from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.care_calendar import next_date
from ..tools.sql import update_from_unnest


class ResPartner(models.Model):
    """Customer care (客户关怀): the contact persons' birthdays on the solar or the
    lunar calendar, who does not want greetings, the care events of the
    customer and its needs of next year."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    birthday_calendar = fields.Selection(
        selection=[("solar", "Solar (Gregorian)"), ("lunar", "Lunar (Chinese)")],
        default="solar",
        help="Many people keep their lunar birthday (农历生日): choose lunar and give "
        "the lunar month and day.",
    )
    birthday = fields.Date(help="Date of birth, for a solar birthday.")
    birthday_lunar_month = fields.Integer(
        string="Lunar Birthday Month", help="1 to 12 (正月 to 腊月)."
    )
    birthday_lunar_day = fields.Integer(
        string="Lunar Birthday Day", help="1 to 30 (初一 to 三十)."
    )
    next_birthday = fields.Date(
        compute="_compute_next_birthday",
        store=True,
        copy=False,
        help="Solar date of the next birthday from today (a lunar birthday "
        "converted); refreshed every day by the care planning.",
    )
    care_opt_out = fields.Boolean(
        string="No Greetings",
        tracking=True,
        help="The person does not want greetings, gifts or surveys; on a customer "
        "company, none of its contacts receives them.",
    )
    next_year_needs = fields.Text(
        string="Needs of Next Year",
        tracking=True,
        help="What the customer plans to buy next year, asked with the New-Year "
        "gift in December.",
    )
    customer_care_event_ids = fields.One2many(
        comodel_name="customer.care.event",
        inverse_name="partner_id",
        string="Care Events",
    )
    customer_care_event_count = fields.Integer(
        string="Care Event Count", compute="_compute_customer_policy_counts"
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "birthday_calendar", "birthday", "birthday_lunar_month", "birthday_lunar_day"
    )
    def _compute_next_birthday(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.next_birthday = partner._customer_policy_next_birthday(today)

    def _customer_policy_count_fields(self):
        return {
            **super()._customer_policy_count_fields(),
            "customer_care_event_count": "customer.care.event",
        }

    # === CONSTRAINT METHODS === #

    @api.constrains("birthday_calendar", "birthday_lunar_month", "birthday_lunar_day")
    def _check_lunar_birthday(self):
        for partner in self:
            month, day = partner.birthday_lunar_month, partner.birthday_lunar_day
            if partner.birthday_calendar != "lunar" and not (month or day):
                continue
            if not (1 <= month <= 12 and 1 <= day <= 30):
                raise ValidationError(
                    self.env._(
                        "%(person)s: a lunar birthday needs a month from 1 to 12 "
                        "and a day from 1 to 30.",
                        person=partner.display_name,
                    )
                )

    # === ACTION METHODS === #

    def action_view_customer_care_events(self):
        return self._customer_policy_records_action(
            "customer_policy.action_customer_care_event"
        )

    # === BUSINESS METHODS === #

    def _customer_policy_next_birthday(self, today):
        """The solar date of the next birthday from ``today``, or False."""
        self.ensure_one()
        if self.birthday_calendar == "lunar":
            month, day = self.birthday_lunar_month, self.birthday_lunar_day
            if not (1 <= month <= 12 and 1 <= day <= 30):
                return False
            return next_date("lunar", month, day, today) or False
        if not self.birthday:
            return False
        return next_date("solar", self.birthday.month, self.birthday.day, today)

    @api.model
    def _customer_policy_refresh_birthdays(self, today):
        """Move the birthdays that passed to their next date, in one grouped
        update: the stored date cannot depend on the calendar day."""
        self.flush_model(
            [
                "birthday_calendar",
                "birthday",
                "birthday_lunar_month",
                "birthday_lunar_day",
                "next_birthday",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT id, birthday_calendar, birthday, birthday_lunar_month,
                       birthday_lunar_day
                  FROM res_partner
                 WHERE next_birthday < %s
                    OR (next_birthday IS NULL
                        AND (birthday IS NOT NULL OR birthday_lunar_month > 0))
                """,
                today,
            )
        )
        rows = []
        for partner_id, calendar, birthday, month, day in self.env.cr.fetchall():
            if calendar == "lunar":
                date = next_date("lunar", month, day, today)
            else:
                date = birthday and next_date(
                    "solar", birthday.month, birthday.day, today
                )
            rows.append((partner_id, date or None))
        update_from_unnest(
            self.env.cr, "res_partner", "id", [("next_birthday", "date")], rows
        )
        self.invalidate_model(["next_birthday"])
        return len(rows)
