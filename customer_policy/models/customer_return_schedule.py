from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.cron import run_exclusive
from ..tools.sql import update_from_unnest

# Planned return visits start at this local hour of their day.
RETURN_VISIT_HOUR = 9
# Return visits are planned this many months ahead; the daily cron moves the
# horizon on for as long as the project is in service.
RETURN_VISIT_HORIZON_MONTHS = 12
# Schedules whose horizon one call of the daily cron moves on.
RETURN_CRON_BATCH_SIZE = 1000


def _add_months(day, months):
    """``day`` plus ``months``, or None past the last date Python knows
    (a delivery recorded on 9999-06-01)."""
    try:
        return day + relativedelta(months=months)
    except (ValueError, OverflowError):
        return None


def return_visit_dates(delivery_date, until, first_months, first_step, later_step):
    """Dates of the return visits after a delivery (回访), up to ``until``.

    Every ``first_step`` months during the first ``first_months`` months, then every
    ``later_step`` months for as long as the project is in service: ``until``
    (inclusive) is the end of service or the planning horizon, whichever comes
    first. Each date is counted from the delivery date itself, so that the 31st
    stays at the end of shorter months instead of drifting.
    """
    dates = []
    months = first_step
    while months <= first_months:
        day = _add_months(delivery_date, months)
        if not day or day > until:
            return dates
        dates.append(day)
        months += first_step
    months = first_months + later_step
    while True:
        day = _add_months(delivery_date, months)
        if not day or day > until:
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
        domain="[('parent_id', '=', False), ('customer_policy_managed', '=', True)]",
    )
    delivery_date = fields.Date(required=True, tracking=True)
    end_date = fields.Date(
        string="End of Service",
        tracking=True,
        help="Last day the project is in service: no return visit after it. Empty: "
        "return visits go on (quarterly after the first year) until the schedule is "
        "closed. The agreement ending does not end the service.",
    )
    user_id = fields.Many2one(
        help="Who makes the return visits: by default the customer's owner."
    )
    agreement_id = fields.Many2one(
        comodel_name="customer.agreement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The agreement whose delivery the return visits follow.",
    )
    state = fields.Selection(
        selection=[("in_service", "In Service"), ("closed", "Closed")],
        default="in_service",
        required=True,
        copy=False,
        tracking=True,
        help="A closed schedule plans no more return visits and cancels those "
        "still ahead.",
    )
    planned_until = fields.Date(
        string="Planned Up To",
        readonly=True,
        copy=False,
        help="Return visits are planned up to this day; every day the horizon moves "
        "on by one day, as long as the project is in service.",
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

    def write(self, vals):
        result = super().write(vals)
        if "end_date" in vals:
            ended = self.filtered("end_date")
            ended._customer_policy_cancel_visits_after(
                {schedule: schedule.end_date for schedule in ended},
                self.env._("The service ends on the schedule's end date."),
            )
            # Longer (or no longer any) end of service: plan what now falls
            # within the horizon.
            self.filtered(lambda s: s.state == "in_service")._generate_return_visits()
        return result

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

    def action_close(self):
        """The project is out of service: no more return visits."""
        if self.filtered(lambda s: s.state != "in_service"):
            raise UserError(self.env._("Only a schedule in service can be closed."))
        self.write({"state": "closed"})
        today = fields.Date.context_today(self)
        self._customer_policy_cancel_visits_after(
            dict.fromkeys(self, today - timedelta(days=1)),
            self.env._("The project's service was closed."),
        )
        return True

    def action_reopen(self):
        """Back in service: plan the return visits ahead again from today."""
        if self.filtered(lambda s: s.state != "closed"):
            raise UserError(self.env._("Only a closed schedule can be reopened."))
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        self.write({"state": "in_service", "planned_until": yesterday})
        self._generate_return_visits()
        return True

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_handover_domain(self):
        # A closed schedule is history: it keeps who made its visits.
        return [("state", "=", "in_service")]

    @api.model
    def _customer_policy_horizon(self, today):
        """Last day the return visits are planned to, seen from ``today``."""
        return today + relativedelta(months=RETURN_VISIT_HORIZON_MONTHS)

    def _return_visit_dates(self, until):
        self.ensure_one()
        company = self.company_id
        return return_visit_dates(
            self.delivery_date,
            until,
            company.customer_return_first_months,
            company.customer_return_first_interval,
            company.customer_return_later_interval,
        )

    def _generate_return_visits(self):
        """Plan the return visits of each schedule up to its horizon, in one batch.

        Only what lies after the schedule's ``planned_until`` is planned, so a
        second call plans nothing twice. A delivery recorded late (or an agreement
        activated after its start) gets the return visits still ahead: a visit
        planned in the past would only be an overdue reminder of something nobody
        can do any more.
        """
        Visit = self.env["customer.visit"]
        today = fields.Date.context_today(self)
        horizon = self._customer_policy_horizon(today)
        schedules = self.filtered(lambda s: s.state == "in_service" and s.active)
        last_planned = schedules._customer_policy_last_planned()
        vals_list = []
        planned_until = []
        for schedule in schedules:
            until = min(horizon, schedule.end_date or horizon)
            after = (
                schedule.planned_until
                or last_planned.get(schedule.id)
                or schedule.delivery_date
            )
            if until <= after:
                if not schedule.planned_until:
                    planned_until.append((schedule.id, after))
                continue
            planned_until.append((schedule.id, until))
            tz = schedule.user_id.tz or self.env.user.tz or "UTC"
            # The visitor reads the purpose: in their language, not the creator's.
            env = self.with_context(lang=schedule.user_id.lang or self.env.lang).env
            purpose = env._(
                "Return visit after the delivery of %(name)s", name=schedule.name
            )
            for day in schedule._return_visit_dates(until):
                if day <= after or day < today:
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
                        "purpose": purpose,
                    }
                )
        if planned_until:
            self.flush_recordset(["planned_until"])
            update_from_unnest(
                self.env.cr,
                self._table,
                "id",
                [("planned_until", "date")],
                planned_until,
            )
            self.invalidate_recordset(["planned_until"])
        return Visit.sudo().create(vals_list)

    def _customer_policy_last_planned(self):
        """{schedule id: day of its last return visit} of the schedules that do
        not know how far they were planned (made before the horizon existed)."""
        unknown = self.filtered(lambda s: not s.planned_until)
        if not unknown:
            return {}
        return {
            schedule.id: planned.date()
            for schedule, planned in self.env["customer.visit"]
            .sudo()
            ._read_group(
                [("return_schedule_id", "in", unknown.ids)],
                ["return_schedule_id"],
                ["planned_date:max"],
            )
        }

    def _customer_policy_cancel_visits_after(self, last_day_of, reason):
        """Cancel the planned return visits of each schedule after its last day
        (``{schedule: date}``), and plan no further than that."""
        Visit = self.env["customer.visit"].sudo()
        cancelled = Visit
        for schedule, last_day in last_day_of.items():
            start = datetime.combine(last_day + timedelta(days=1), time())
            cancelled |= Visit.search(
                [
                    ("return_schedule_id", "=", schedule.id),
                    ("state", "=", "planned"),
                    ("planned_date", ">=", start),
                ]
            )
            if not schedule.planned_until or schedule.planned_until > last_day:
                schedule.sudo().planned_until = last_day
        if cancelled:
            cancelled.write({"cancel_reason": reason})
            cancelled.action_cancel()
        return cancelled

    # === CRON METHODS === #

    @api.model
    def _cron_extend_return_visits(self, batch_size=RETURN_CRON_BATCH_SIZE):
        """Daily: move the planning horizon of the schedules in service on, so
        that a project gets its return visits for as long as it is in service
        (quarterly after the first year), until its end of service or until the
        schedule is closed. ``batch_size`` schedules per call; the cron is called
        again for the rest."""
        # Two runs at once would plan the same visits twice: one at a time.
        return (
            run_exclusive(
                self.env,
                "customer_policy.return_visits",
                lambda: self._customer_policy_extend_return_visits(batch_size),
            )
            or self.env["customer.visit"]
        )

    @api.model
    def _customer_policy_extend_return_visits(self, batch_size):
        today = fields.Date.context_today(self)
        ids, total = self._customer_policy_schedules_to_extend(today, batch_size)
        created = self.sudo().browse(ids)._generate_return_visits()
        self.env["ir.cron"]._notify_progress(
            done=len(ids), remaining=max(total - len(ids), 0)
        )
        return created

    @api.model
    def _customer_policy_schedules_to_extend(self, today, limit):
        """Ids of the schedules in service not planned up to today's horizon nor
        to their end of service (``limit`` at most), and how many there are."""
        self.flush_model(["active", "state", "planned_until", "end_date"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, COUNT(*) OVER ()
                  FROM customer_return_schedule
                 WHERE active AND state = 'in_service'
                   AND (planned_until IS NULL
                        OR (planned_until < %s
                            AND (end_date IS NULL OR end_date > planned_until)))
                 ORDER BY id
                 LIMIT %s
                """,
                self._customer_policy_horizon(today),
                limit,
            )
        )
        return [row[0] for row in rows], (rows[0][1] if rows else 0)
