from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.customer_return_schedule import return_visit_dates
from ..tools.visit import visit_requirement
from .common import CustomerVisitCase


@tagged("post_install", "-at_install")
class TestVisitCompliance(CustomerVisitCase):
    def _refresh(self, today, *partners):
        partners = self.env["res.partner"].concat(*partners)
        partners._customer_policy_refresh_visits(today=today)
        return partners

    def test_no_visit_refreshes_no_customer(self):
        """Creating, changing or deleting no visit (the return-visit cron on a
        day with nothing to plan) recomputes no customer's visit fields: it
        recomputed every customer's, ten seconds at 100,000."""
        customer = self._refresh(date(2026, 3, 2), self.customer_general)
        right = customer.visit_compliance
        wrong = "overdue" if right != "overdue" else "ok"
        self.env.cr.execute(
            "UPDATE res_partner SET visit_compliance = %s, "
            "executive_contact_missing = NOT COALESCE(executive_contact_missing, "
            "FALSE) WHERE id = %s RETURNING executive_contact_missing",
            [wrong, customer.id],
        )
        stale_missing = self.env.cr.fetchone()[0]
        self.env.invalidate_all()
        Visit = self.env["customer.visit"]
        with freeze_time("2026-03-02 08:00:00"):
            Visit.create([])
            Visit.browse().write({"state": "done"})
            Visit.browse().unlink()
            self.env["res.partner"].browse().write({"executive_sponsor_id": False})
            self.env["customer.return.schedule"]._cron_extend_return_visits()
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(customer.visit_compliance, wrong)
        self.assertEqual(customer.executive_contact_missing, stale_missing)
        # The customer's own refresh puts it right.
        self._refresh(date(2026, 3, 2), customer)
        self.assertEqual(customer.visit_compliance, right)

    def test_rule_month_spread_and_leap_february(self):
        # Strategic: 2 a month. In a leap February (29 days) the first visit is due
        # on the 15th, the second on the 29th; in a common one on the 14th / 28th.
        self.assertEqual(
            visit_requirement(date(2028, 2, 1), 2, "month", 0, 7),
            (date(2028, 2, 15), "ok"),
        )
        self.assertEqual(
            visit_requirement(date(2028, 2, 16), 2, "month", 0, 7),
            (date(2028, 2, 15), "overdue"),
        )
        self.assertEqual(
            visit_requirement(date(2028, 2, 22), 2, "month", 1, 7),
            (date(2028, 2, 29), "due_soon"),
        )
        self.assertEqual(
            visit_requirement(date(2028, 2, 29), 2, "month", 1, 7),
            (date(2028, 2, 29), "due_soon"),
        )
        self.assertEqual(
            visit_requirement(date(2027, 2, 28), 2, "month", 1, 0),
            (date(2027, 2, 28), "due_soon"),
        )
        self.assertEqual(
            visit_requirement(date(2027, 2, 14), 2, "month", 0, 0),
            (date(2027, 2, 14), "due_soon"),
        )
        # Met: the next is the first of next month's, 16 March (31 days).
        self.assertEqual(
            visit_requirement(date(2028, 2, 29), 2, "month", 2, 7),
            (date(2028, 3, 16), "ok"),
        )

    def test_rule_quarter_boundaries(self):
        # General: 1 a quarter, due on the quarter's last day.
        self.assertEqual(
            visit_requirement(date(2026, 3, 31), 1, "quarter", 0, 7),
            (date(2026, 3, 31), "due_soon"),
        )
        self.assertEqual(
            visit_requirement(date(2026, 4, 1), 1, "quarter", 0, 7),
            (date(2026, 6, 30), "ok"),
        )
        self.assertEqual(
            visit_requirement(date(2026, 12, 31), 1, "quarter", 1, 7),
            (date(2027, 3, 31), "ok"),
        )
        self.assertEqual(
            visit_requirement(date(2026, 5, 5), 0, "quarter", 0, 7), (False, "ok")
        )

    @freeze_time("2028-02-29 10:00:00")
    def test_partner_fields_leap_day(self):
        strategic, general = self.customer_strategic, self.customer_general
        self._visit(strategic, when="2028-02-03 02:00:00")
        # Last month's, a cancelled and a planned visit do not count; a call is
        # contact, not a visit.
        self._visit(strategic, when="2028-01-31 23:00:00")
        self._visit(strategic, state="cancelled", when="2028-02-20 02:00:00")
        self._visit(strategic, state="planned", when="2028-02-29 08:00:00")
        self._visit(strategic, when="2028-02-28 02:00:00", visit_type="phone")
        self.assertEqual(strategic.visits_done_this_period, 1)
        self.assertEqual(strategic.next_visit_due_date, date(2028, 2, 29))
        self.assertEqual(strategic.visit_compliance, "due_soon")
        self.assertEqual(str(strategic.last_visit_date), "2028-02-03 02:00:00")
        self.assertEqual(str(strategic.last_contact_date), "2028-02-28 02:00:00")
        # General: one visit in Q1 (January) meets the quarter.
        self._visit(general, when="2028-01-10 02:00:00")
        self.assertEqual(general.visits_done_this_period, 1)
        self.assertEqual(general.next_visit_due_date, date(2028, 6, 30))
        self.assertEqual(general.visit_compliance, "ok")
        # Without a tier there is no visit requirement (contact reminders still run).
        self._refresh(date(2028, 2, 29), self.customer_untiered)
        self.assertFalse(self.customer_untiered.next_visit_due_date)
        self.assertEqual(self.customer_untiered.visit_compliance, "ok")

    def test_period_rollover_by_cron_refresh(self):
        strategic = self.customer_strategic
        self._visit(strategic, when="2026-01-05 02:00:00")
        self._visit(strategic, when="2026-01-20 02:00:00")
        self._refresh(date(2026, 1, 31), strategic)
        self.assertEqual(strategic.visits_done_this_period, 2)
        self.assertEqual(strategic.visit_compliance, "ok")
        self.assertEqual(strategic.next_visit_due_date, date(2026, 2, 14))
        # 1 March: the month starts over, the first visit due on the 16th.
        self._refresh(date(2026, 3, 1), strategic)
        self.assertEqual(strategic.visits_done_this_period, 0)
        self.assertEqual(strategic.next_visit_due_date, date(2026, 3, 16))
        self.assertEqual(strategic.visit_compliance, "ok")
        self._refresh(date(2026, 3, 17), strategic)
        self.assertEqual(strategic.visit_compliance, "overdue")
        # Quarter end for a general customer: 31 March, last day.
        self._refresh(date(2026, 3, 31), self.customer_general)
        self.assertEqual(self.customer_general.next_visit_due_date, date(2026, 3, 31))
        self.assertEqual(self.customer_general.visit_compliance, "due_soon")
        self._refresh(date(2026, 4, 1), self.customer_general)
        self.assertEqual(self.customer_general.next_visit_due_date, date(2026, 6, 30))
        self.assertEqual(self.customer_general.visit_compliance, "ok")


@tagged("post_install", "-at_install")
class TestVisitRules(CustomerVisitCase):
    def test_done_requires_summary_and_feedback(self):
        Visit = self.env["customer.visit"].with_user(self.user_sales)
        visit = Visit.create(
            {"partner_id": self.customer_strategic.id, "purpose": "Renewal"}
        )
        self.assertEqual(visit.user_id, self.user_sales)
        with self.assertRaisesRegex(UserError, "summary and the customer's feedback"):
            visit.action_done()
        visit.summary = "Renewal discussed"
        with self.assertRaisesRegex(UserError, "feedback"):
            visit.action_done()
        self.assertEqual(visit.state, "planned")
        self.assertFalse(visit.done_date)
        visit.customer_feedback = "Wants a discount"
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.done_date)
        self.assertEqual(self.customer_strategic.visits_done_this_period, 1)

    def test_done_visit_locked_for_users(self):
        visit = self._visit(self.customer_strategic).with_user(self.user_sales)
        with self.assertRaisesRegex(UserError, "only a Manager can change it"):
            visit.write({"summary": "Rewritten"})
        with self.assertRaisesRegex(UserError, "only a Manager"):
            visit.unlink()
        self.assertEqual(visit.summary, "Discussed the renewal")
        # The department's manager may correct the record.
        visit.with_user(self.user_manager).write({"summary": "Corrected"})
        self.assertEqual(visit.summary, "Corrected")

    def test_cancel_requires_reason(self):
        visit = self._visit(self.customer_strategic, state="planned").with_user(
            self.user_sales
        )
        with self.assertRaisesRegex(UserError, "reason"):
            visit.action_cancel()
        self.assertEqual(visit.state, "planned")
        visit.action_cancel(reason="Customer postponed")
        self.assertEqual(visit.state, "cancelled")
        self.assertEqual(visit.cancel_reason, "Customer postponed")

    def test_no_visit_for_hidden_customer(self):
        other = self._customer("别人的客户", self.tier_key, user=self.user_sales_2)
        other.team_id = False
        Visit = self.env["customer.visit"].with_user(self.user_sales)
        count = self.env["customer.visit"].search_count([])
        with self.assertRaisesRegex(AccessError, "do not have access to this customer"):
            Visit.create({"partner_id": other.id, "user_id": self.user_sales.id})
        self.assertEqual(self.env["customer.visit"].search_count([]), count)
        # Nor can a visit be moved to that customer.
        visit = Visit.create({"partner_id": self.customer_strategic.id})
        with self.assertRaises(AccessError):
            visit.write({"partner_id": other.id})
        self.assertEqual(visit.partner_id, self.customer_strategic)

    def test_visitor_and_companion_see_the_visit(self):
        visit = self._visit(self.customer_strategic, state="planned")
        Visit = self.env["customer.visit"]
        self.assertFalse(
            Visit.with_user(self.user_sales_2).search([("id", "=", visit.id)])
        )
        visit.companion_ids = self.user_sales_2
        self.assertEqual(
            Visit.with_user(self.user_sales_2).search([("id", "=", visit.id)]), visit
        )
        # The project team of the customer sees its visits.
        visit.companion_ids = False
        self.customer_strategic.customer_project_team_ids = self.user_sales_2
        self.assertEqual(
            Visit.with_user(self.user_sales_2).search([("id", "=", visit.id)]), visit
        )

    def test_unmanaged_partner_refused(self):
        """Before registration only whoever entered the prospect logs visits."""
        partner = (
            self.env["res.partner"]
            .with_user(self.user_sales_2)
            .create({"name": "Walk-in", "is_company": True})
        )
        with self.assertRaises(ValidationError):
            self.env["customer.visit"].with_user(self.user_sales).create(
                {"partner_id": partner.id}
            )


@tagged("post_install", "-at_install")
class TestReturnSchedule(CustomerVisitCase):
    def test_dates_twelve_monthly_then_quarterly(self):
        dates = return_visit_dates(date(2026, 1, 31), date(2028, 1, 31), 12, 1, 3)
        self.assertEqual(
            dates,
            [
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30),
                date(2026, 5, 31),
                date(2026, 6, 30),
                date(2026, 7, 31),
                date(2026, 8, 31),
                date(2026, 9, 30),
                date(2026, 10, 31),
                date(2026, 11, 30),
                date(2026, 12, 31),
                date(2027, 1, 31),
                date(2027, 4, 30),
                date(2027, 7, 31),
                date(2027, 10, 31),
                date(2028, 1, 31),
            ],
        )
        # An end within the first year stops the monthly phase; a horizon of a
        # year plans the twelve monthly ones.
        self.assertEqual(
            return_visit_dates(date(2026, 1, 15), date(2026, 3, 20), 12, 1, 3),
            [date(2026, 2, 15), date(2026, 3, 15)],
        )
        self.assertEqual(
            len(return_visit_dates(date(2026, 1, 15), date(2027, 1, 15), 12, 1, 3)),
            12,
        )

    def test_create_plans_return_visits(self):
        """Planned a year ahead at creation, then the daily cron moves the horizon
        on up to the end of service: 12 monthly, then every 6 months."""
        self.company.customer_return_later_interval = 6
        Schedule = self.env["customer.return.schedule"]
        with freeze_time("2026-03-01 08:00:00"):
            schedule = Schedule.create(
                {
                    "partner_id": self.customer_general.id,
                    "name": "ERP 一期交付",
                    "delivery_date": "2026-03-10",
                    "end_date": "2028-03-10",
                    "user_id": self.user_sales.id,
                    "company_id": self.company.id,
                }
            )
        visits = schedule.visit_ids.sorted("planned_date")
        # 2026-04-10 to 2027-02-10: 2027-03-10 lies beyond 2027-03-01.
        self.assertEqual(len(visits), 11)
        self.assertEqual(schedule.planned_until, date(2027, 3, 1))
        self.assertEqual(set(visits.mapped("visit_type")), {"return_visit"})
        self.assertEqual(set(visits.mapped("state")), {"planned"})
        self.assertEqual(visits.user_id, self.user_sales)
        for day in ("2026-03-10", "2026-09-10", "2027-03-10", "2027-09-10"):
            with freeze_time(f"{day} 08:00:00"):
                Schedule._cron_extend_return_visits()
        visits = schedule.visit_ids.sorted("planned_date")
        self.assertEqual(len(visits), 12 + 2)
        self.assertEqual(
            [v.planned_date.date() for v in visits[-3:]],
            [date(2027, 3, 10), date(2027, 9, 10), date(2028, 3, 10)],
        )
        self.assertEqual(schedule.visit_count, 14)
        self.assertEqual(schedule.planned_until, date(2028, 3, 10))
        with self.assertRaises(ValidationError):
            self.env["customer.return.schedule"].create(
                {
                    "partner_id": self.customer_general.id,
                    "name": "Wrong",
                    "delivery_date": "2026-03-10",
                    "end_date": "2026-01-10",
                }
            )

    @freeze_time("2026-06-20 08:00:00")
    def test_late_delivery_plans_only_the_visits_ahead(self):
        """Recorded in June for a March delivery: no visit planned in the past, and
        the purpose is written in the visitor's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_policy"], ["zh_CN"], overwrite=True
        )
        self.user_sales.lang = "zh_CN"
        schedule = self.env["customer.return.schedule"].create(
            {
                "partner_id": self.customer_general.id,
                "name": "ERP 一期交付",
                "delivery_date": "2026-03-10",
                "user_id": self.user_sales.id,
                "company_id": self.company.id,
            }
        )
        visits = schedule.visit_ids.sorted("planned_date")
        self.assertEqual(
            [v.planned_date.date() for v in visits[:2]],
            [date(2026, 7, 10), date(2026, 8, 10)],
        )
        # April to June are gone; the first year ends with March 2027 and the
        # horizon (2027-06-20) takes in the first quarterly one, 2027-06-10.
        self.assertEqual(len(visits), 10)
        self.assertEqual(visits[-1].planned_date.date(), date(2027, 6, 10))
        self.assertNotIn("Return visit", visits[0].purpose)
        self.assertIn("ERP 一期交付", visits[0].purpose)

    def test_settings_validated(self):
        with self.assertRaises(ValidationError):
            self.company.customer_return_first_interval = 0


@tagged("post_install", "-at_install")
class TestVisitHandover(CustomerVisitCase):
    @freeze_time("2026-01-12 08:00:00")
    def test_planned_visits_follow_the_customer(self):
        planned = self._visit(self.customer_general, state="planned")
        done = self._visit(self.customer_general)
        schedule = self.env["customer.return.schedule"].create(
            {
                "partner_id": self.customer_general.id,
                "name": "Delivery",
                "delivery_date": "2026-01-10",
            }
        )
        # Nothing read the visitors yet: they must be set at creation, not
        # computed later from the customer's new owner.
        self.customer_general._customer_policy_handover_records(
            {self.customer_general.id: self.user_sales_2}, self.user_sales
        )
        self.assertEqual(planned.user_id, self.user_sales_2)
        self.assertEqual(schedule.user_id, self.user_sales_2)
        self.assertEqual(set(schedule.visit_ids.mapped("user_id")), {self.user_sales_2})
        # A done visit is the record of who went: it stays.
        self.assertEqual(done.user_id, self.user_sales)
