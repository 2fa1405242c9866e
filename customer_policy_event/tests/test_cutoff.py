from datetime import date

from odoo.tests import tagged

from .common import JointEventCase, local


@tagged("post_install", "-at_install")
class TestEventCutoff(JointEventCase):
    def start_at(self, text):
        duration = self.event.date_end - self.event.date_begin
        self.event.write(
            {"date_begin": local(text), "date_end": local(text) + duration}
        )
        return self.event

    def test_event_day_cutoff_follows_the_start_in_shanghai(self):
        # 13:00 in Shanghai is 05:00 UTC: an afternoon event there, 10:00 cut-off.
        event = self.start_at("2026-03-10 13:00")
        self.assertEqual(event.event_period, "afternoon")
        self.assertEqual(event.event_day_cutoff, local("2026-03-10 10:00"))
        self.assertEqual(str(event.event_day_cutoff), "2026-03-10 02:00:00")
        event = self.start_at("2026-03-10 12:00")
        self.assertEqual(event.event_period, "afternoon")
        self.assertEqual(event.event_day_cutoff, local("2026-03-10 10:00"))
        # 18:00 and 19:30 in Shanghai are evening events: 16:00 cut-off.
        event = self.start_at("2026-03-10 18:00")
        self.assertEqual(event.event_period, "evening")
        self.assertEqual(str(event.event_day_cutoff), "2026-03-10 08:00:00")
        event = self.start_at("2026-03-10 19:30")
        self.assertEqual(event.event_day_cutoff, local("2026-03-10 16:00"))
        # A morning event leaves no time that day: the day before at 18:00.
        event = self.start_at("2026-03-10 09:00")
        self.assertEqual(event.event_period, "morning")
        self.assertEqual(event.event_day_cutoff, local("2026-03-09 18:00"))
        # 23:30 UTC on 9 March is 07:30 on 10 March in Shanghai: still a morning
        # event of 10 March.
        event = self.start_at("2026-03-10 07:30")
        self.assertEqual(str(event.event_day_cutoff), "2026-03-09 10:00:00")

    def test_invitation_period_and_list_deadlines(self):
        self.assertEqual(str(self.event.invitation_start_date), "2026-03-03")
        self.assertEqual(
            self.event._customer_policy_list_deadline(date(2026, 3, 5)),
            local("2026-03-05 18:00"),
        )
        # The event day's list is due by the event-day cut-off.
        self.assertEqual(
            self.event._customer_policy_list_deadline(date(2026, 3, 10)),
            local("2026-03-10 10:00"),
        )

    def test_counts_for_day(self):
        event = self.event

        def day(text):
            found = event._customer_policy_counts_for_day(local(text))
            return found and str(found)

        self.assertEqual(day("2026-03-05 17:59"), "2026-03-05")
        self.assertEqual(day("2026-03-05 18:00"), "2026-03-05")
        self.assertEqual(day("2026-03-05 18:01"), "2026-03-06")
        # After the cut-off the day before, it counts for the event day.
        self.assertEqual(day("2026-03-09 19:00"), "2026-03-10")
        self.assertEqual(day("2026-03-10 09:59"), "2026-03-10")
        self.assertIsNone(day("2026-03-10 10:01"))
