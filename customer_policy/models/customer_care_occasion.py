from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.care_calendar import dates_in_year, lunar_to_solar, solar_in_year


class CustomerCareOccasion(models.Model):
    """A holiday on which the company greets its customers (节日关怀): 春节,
    中秋节, 国庆节 … on the solar or the lunar calendar."""

    _name = "customer.care.occasion"
    _description = "Customer Care Occasion"
    _order = "sequence, id"
    _sql_constraints = (
        (
            "days_ahead_positive",
            "CHECK(days_ahead >= 0)",
            "An occasion cannot be planned a negative number of days ahead.",
        ),
    )

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    calendar = fields.Selection(
        selection=[("solar", "Solar (Gregorian)"), ("lunar", "Lunar (Chinese)")],
        required=True,
        default="solar",
    )
    month = fields.Integer(required=True, default=1)
    day = fields.Integer(required=True, default=1)
    days_ahead = fields.Integer(
        string="Plan Days Ahead",
        default=14,
        help="The owners get the greeting to prepare this many days before.",
    )
    tier_ids = fields.Many2many(
        comodel_name="customer.tier",
        relation="customer_care_occasion_tier_rel",
        column1="occasion_id",
        column2="tier_id",
        string="Tiers",
        help="Customers of these tiers are greeted; empty: every managed customer.",
    )
    gift_planned = fields.Boolean(
        help="A gift goes with the greeting: the owner records it on the event."
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to greet the customers of every company.",
    )
    next_date = fields.Date(
        compute="_compute_next_date",
        help="The next day of the occasion, from today.",
    )

    @api.depends("calendar", "month", "day")
    def _compute_next_date(self):
        today = fields.Date.context_today(self)
        for occasion in self:
            dates = [
                date
                for year in (today.year, today.year + 1)
                for date in occasion.date_in_year(year, all_dates=True)
                if date >= today
            ]
            occasion.next_date = dates[0] if dates else False

    @api.constrains("calendar", "month", "day")
    def _check_date(self):
        for occasion in self:
            try:
                if occasion.calendar == "lunar":
                    # A lunar day 30 exists in some years only: 1-30 is valid.
                    lunar_to_solar(2000, occasion.month, occasion.day)
                else:
                    solar_in_year(2000, occasion.month, occasion.day)
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "%(occasion)s: %(month)s/%(day)s is not a day of the calendar.",
                        occasion=occasion.name,
                        month=occasion.month,
                        day=occasion.day,
                    )
                ) from error

    def date_in_year(self, year, all_dates=False):
        """The solar date of the occasion in solar ``year``.

        A lunar occasion resolves through lunar-python (see
        ``tools/care_calendar.py`` for a day 30 in a 29-day month and leap
        months). A lunar day of the twelfth month may fall twice in one solar
        year (January and December): the first is returned, or both with
        ``all_dates``.
        """
        self.ensure_one()
        dates = dates_in_year(self.calendar, self.month, self.day, year)
        if all_dates:
            return dates
        return dates[0] if dates else None

    def _customer_policy_applies_to(self, tier_id, company_id):
        """Whether customers of ``tier_id`` in ``company_id`` are greeted."""
        self.ensure_one()
        if self.company_id and self.company_id.id != company_id:
            return False
        return not self.tier_ids or tier_id in self.tier_ids.ids
