from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Planned return visits start at this local hour of their day.
RETURN_VISIT_HOUR = 9
# Return visits are planned this many years ahead at most: an open-ended
# agreement (ending 9999-12-31) must not plan thousands of visits.
RETURN_VISIT_HORIZON_DAYS = 3653


def _add_months(day, months):
    """``day`` plus ``months``, or None past the last date Python knows."""
    try:
        return day + relativedelta(months=months)
    except (ValueError, OverflowError):
        return None


def return_visit_dates(delivery_date, end_date, first_months, first_step, later_step):
    """Dates of the return visits after a delivery (回访).

    Every ``first_step`` months during the first ``first_months`` months, then every
    ``later_step`` months until ``end_date`` (inclusive; without an end date only
    the first phase is planned). Each date is counted from the delivery date itself,
    so that the 31st stays at the end of shorter months instead of drifting.
    """
    dates = []
    if end_date:
        end_date = min(
            end_date,
            delivery_date
            + timedelta(
                days=min(RETURN_VISIT_HORIZON_DAYS, (date.max - delivery_date).days)
            ),
        )
    months = first_step
    while months <= first_months:
        day = _add_months(delivery_date, months)
        if not day or end_date and day > end_date:
            return dates
        dates.append(day)
        months += first_step
    if not end_date:
        return dates
    months = first_months + later_step
    while True:
        day = _add_months(delivery_date, months)
        if not day or day > end_date:
            return dates
        dates.append(day)
        months += later_step


class CustomerReturnSchedule(models.Model):
    _name = "customer.return.schedule"
    _description = "Customer Return-Visit Schedule"
    _inherit = ("customer.policy.customer.mixin", "mail.thread")
    _order = "delivery_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Delivery",
        required=True,
        tracking=True,
        help="What was delivered: project, product, installation.",
    )
    partner_id = fields.Many2one(
        check_company=True,
        domain="[('is_company', '=', True), ('customer_policy_managed', '=', True)]",
    )
    delivery_date = fields.Date(required=True, tracking=True)
    end_date = fields.Date(
        tracking=True,
        help="Last day of the quarterly return visits; empty: only the first year's.",
    )
    user_id = fields.Many2one(
        help="Who makes the return visits: by default the customer's owner."
    )
    active = fields.Boolean(default=True)
    visit_ids = fields.One2many(
        comodel_name="customer.visit",
        inverse_name="return_schedule_id",
        string="Return Visits",
    )
    visit_count = fields.Integer(compute="_compute_visit_counts")
    visit_done_count = fields.Integer(string="Done", compute="_compute_visit_counts")

    # === COMPUTE METHODS === #

    def _compute_visit_counts(self):
        groups = self.env["customer.visit"]._read_group(
            [("return_schedule_id", "in", self.ids)],
            groupby=["return_schedule_id", "state"],
            aggregates=["__count"],
        )
        total, done = {}, {}
        for schedule, state, count in groups:
            total[schedule] = total.get(schedule, 0) + count
            if state == "done":
                done[schedule] = count
        for schedule in self:
            schedule.visit_count = total.get(schedule, 0)
            schedule.visit_done_count = done.get(schedule, 0)

    # === CONSTRAINT METHODS === #

    @api.constrains("delivery_date", "end_date")
    def _check_dates(self):
        for schedule in self:
            if not schedule.delivery_date:
                raise ValidationError(
                    self.env._(
                        "Give the delivery date of %(name)s: its return visits "
                        "are counted from it.",
                        name=schedule.name,
                    )
                )
            if schedule.end_date and schedule.end_date < schedule.delivery_date:
                raise ValidationError(
                    self.env._(
                        "The return visits of %(name)s cannot end before the delivery.",
                        name=schedule.name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        schedules = super().create(vals_list)
        schedules._generate_return_visits()
        return schedules

    # === ACTION METHODS === #

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_policy.action_customer_visit"
        )
        action["domain"] = [("return_schedule_id", "=", self.id)]
        action["context"] = {
            "default_return_schedule_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_visit_type": "return_visit",
        }
        return action

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_handover_domain(self):
        return []

    def _return_visit_dates(self):
        self.ensure_one()
        company = self.company_id
        return return_visit_dates(
            self.delivery_date,
            self.end_date,
            company.customer_return_first_months,
            company.customer_return_first_interval,
            company.customer_return_later_interval,
        )

    def _generate_return_visits(self):
        """Plan the return visits of each schedule, in one batch.

        A delivery recorded late (or an agreement activated after its start) gets
        the return visits still ahead: a visit planned in the past would only be
        an overdue reminder of something nobody can do any more.
        """
        vals_list = []
        Visit = self.env["customer.visit"]
        today = fields.Date.context_today(self)
        for schedule in self:
            tz = schedule.user_id.tz or self.env.user.tz or "UTC"
            # The visitor reads the purpose: in their language, not the creator's.
            env = self.with_context(lang=schedule.user_id.lang or self.env.lang).env
            for day in schedule._return_visit_dates():
                if day < today:
                    continue
                vals_list.append(
                    {
                        "partner_id": schedule.partner_id.id,
                        "user_id": schedule.user_id.id,
                        "company_id": schedule.company_id.id,
                        "visit_type": "return_visit",
                        "return_schedule_id": schedule.id,
                        "planned_date": Visit._customer_policy_local_datetime(
                            day, RETURN_VISIT_HOUR, tz
                        ),
                        "purpose": env._(
                            "Return visit after the delivery of %(name)s",
                            name=schedule.name,
                        ),
                    }
                )
        return Visit.create(vals_list)
