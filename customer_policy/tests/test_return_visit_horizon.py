from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import CustomerLedgerCase


@tagged("post_install", "-at_install")
class TestReturnVisitHorizon(CustomerLedgerCase):
    """Item 3: return visits go on after the first year and after the agreement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Schedule = cls.env["customer.return.schedule"]
        cls.company.write(
            {
                "customer_return_first_months": 12,
                "customer_return_first_interval": 1,
                "customer_return_later_interval": 3,
            }
        )

    def _delivered(self, day="2025-01-10", end="2025-12-31"):
        with freeze_time(f"{day} 08:00:00"):
            agreement = self._activate(
                self._agreement(
                    parts=(("2025-06-30", 1000.0),),
                    date_start=day,
                    date_end=end,
                ),
                signed=day,
            )
        return agreement, self.Schedule.search([("agreement_id", "=", agreement.id)])

    def _days(self, visits):
        return [visit.planned_date.date() for visit in visits.sorted("planned_date")]

    def _daily(self, day):
        with freeze_time(f"{day} 08:00:00"):
            self.env["customer.agreement"]._cron_agreement_daily()
            self.Schedule._cron_extend_return_visits()

    def test_fourteen_months_after_delivery(self):
        """Delivered 2025-01-10, agreement ended 2025-12-31: on 2026-03-10 the
        twelve monthly visits of year one are planned, the quarterly ones after
        them up to the horizon of 2027-03-10, and the project is still in
        service."""
        agreement, schedule = self._delivered()
        self.assertEqual(len(schedule), 1)
        self.assertFalse(schedule.end_date)
        monthly = [date(2025, month, 10) for month in range(2, 13)] + [
            date(2026, 1, 10)
        ]
        self.assertEqual(self._days(schedule.visit_ids), monthly)
        # The cron runs every day; once a month is enough to see the horizon move.
        for year, month in [(2025, m) for m in range(2, 13)] + [
            (2026, 1),
            (2026, 2),
            (2026, 3),
        ]:
            self._daily(f"{year}-{month:02d}-10")
            if (year, month) == (2025, 6):
                # A second run the same day plans nothing twice.
                count = len(schedule.visit_ids)
                self._daily("2025-06-10")
                self.assertEqual(len(schedule.visit_ids), count)
        self.assertEqual(agreement.state, "expired")
        quarterly = [
            date(2026, 4, 10),
            date(2026, 7, 10),
            date(2026, 10, 10),
            date(2027, 1, 10),
        ]
        self.assertEqual(self._days(schedule.visit_ids), monthly + quarterly)
        self.assertEqual(schedule.planned_until, date(2027, 3, 10))
        self.assertEqual(schedule.state, "in_service")
        ahead = schedule.visit_ids.filtered(
            lambda v: (
                v.state == "planned" and v.planned_date.date() > agreement.date_end
            )
        )
        self.assertEqual(self._days(ahead), [date(2026, 1, 10), *quarterly])

    def test_end_of_service_and_closing(self):
        """The user says when the service ends: an end date cancels what lies
        after it, closing cancels what lies ahead, and the cron plans no more."""
        _agreement, schedule = self._delivered()
        with freeze_time("2025-03-01 08:00:00"):
            schedule.end_date = "2025-06-30"
            planned = schedule.visit_ids.filtered(lambda v: v.state == "planned")
            self.assertEqual(
                self._days(planned),
                [date(2025, month, 10) for month in range(2, 7)],
            )
            cancelled = schedule.visit_ids - planned
            self.assertEqual(len(cancelled), 7)
            self.assertEqual(
                set(cancelled.mapped("cancel_reason")),
                {"The service ends on the schedule's end date."},
            )
            # A longer service plans again up to it.
            schedule.end_date = "2025-08-31"
            planned = schedule.visit_ids.filtered(lambda v: v.state == "planned")
            self.assertEqual(
                self._days(planned)[-2:], [date(2025, 7, 10), date(2025, 8, 10)]
            )
            schedule.end_date = False
        with freeze_time("2025-04-15 08:00:00"):
            schedule.action_close()
            self.assertEqual(schedule.state, "closed")
            ahead = schedule.visit_ids.filtered(
                lambda v: (
                    v.state == "planned" and v.planned_date.date() >= date(2025, 4, 15)
                )
            )
            self.assertFalse(ahead)
            self.Schedule._cron_extend_return_visits()
            self.assertFalse(
                schedule.visit_ids.filtered(
                    lambda v: (
                        v.state == "planned"
                        and v.planned_date.date() >= date(2025, 4, 15)
                    )
                )
            )
            schedule.action_reopen()
            self.assertEqual(
                self._days(
                    schedule.visit_ids.filtered(
                        lambda v: (
                            v.state == "planned"
                            and v.planned_date.date() >= date(2025, 4, 15)
                        )
                    )
                )[0],
                date(2025, 5, 10),
            )

    def test_termination_ends_the_service_only_when_asked(self):
        agreement, schedule = self._delivered()
        other, other_schedule = self._delivered(day="2025-02-01")
        with freeze_time("2025-05-15 08:00:00"):
            for record, end in ((agreement, False), (other, True)):
                wizard = Form(
                    self.env["customer.agreement.reason.wizard"]
                    .with_user(self.user_sales)
                    .with_context(
                        default_agreement_id=record.id, default_action="terminate"
                    )
                )
                wizard.reason = "The customer stops the cooperation"
                wizard.end_return_visits = end
                wizard.save().action_confirm()
        self.assertEqual((agreement.state, other.state), ("terminated", "terminated"))
        self.assertEqual(schedule.state, "in_service")
        self.assertEqual(other_schedule.state, "closed")
        self.assertFalse(
            other_schedule.visit_ids.filtered(
                lambda v: (
                    v.state == "planned" and v.planned_date.date() >= date(2025, 5, 15)
                )
            )
        )

    def test_schedule_from_before_the_horizon(self):
        """A schedule that does not know how far it was planned continues after
        its last planned visit."""
        _agreement, schedule = self._delivered()
        schedule.planned_until = False
        with freeze_time("2025-04-10 08:00:00"):
            self.Schedule._cron_extend_return_visits()
        self.assertEqual(
            self._days(schedule.visit_ids)[-2:], [date(2026, 1, 10), date(2026, 4, 10)]
        )
        self.assertEqual(schedule.planned_until, date(2026, 4, 10))
