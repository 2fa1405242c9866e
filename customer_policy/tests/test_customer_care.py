"""Customer care: lunar and solar dates, the daily planning, executive contacts.

The expected solar dates are taken from the published Chinese calendar, not
from the library the addon uses: 中秋节 2026-09-25 and 2027-09-15, 春节
2026-02-17 and 2027-02-06; 2026 二月 has 29 days (三月初一 is 2026-04-17);
2025 has a 闰六月 (六月初一 2025-06-25, 闰六月初一 2025-07-25).
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerPolicyCase


class CustomerCareCase(CustomerPolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.tier_strategic | cls.tier_key).write(
            {"requires_project_team": False, "requires_senior_owner": False}
        )
        cls.company.write(
            {
                "customer_care_birthday_days": 7,
                "customer_care_anniversary_days": 14,
                "customer_care_new_year_tier_ids": [fields.Command.clear()],
            }
        )
        cls.mid_autumn = cls.env.ref("customer_policy.care_occasion_mid_autumn")
        cls.spring_festival = cls.env.ref(
            "customer_policy.care_occasion_spring_festival"
        )
        cls.Event = cls.env["customer.care.event"]

    @classmethod
    def _contact(cls, customer, name, **vals):
        return cls.env["res.partner"].create(
            {"name": name, "parent_id": customer.id, "type": "contact", **vals}
        )

    def _events(self, customers):
        return self.Event.search([("partner_id", "in", customers.ids)])


@tagged("post_install", "-at_install")
class TestCareCalendar(CustomerCareCase):
    def test_lunar_birthday_resolves_in_two_years(self):
        person = self.env["res.partner"].create(
            {
                "name": "李梅",
                "birthday_calendar": "lunar",
                "birthday_lunar_month": 8,
                "birthday_lunar_day": 15,
            }
        )
        with freeze_time("2026-06-15"):
            self.assertEqual(
                person._customer_policy_next_birthday(date(2026, 6, 15)),
                date(2026, 9, 25),
            )
        # The day after: next year's 中秋.
        self.assertEqual(
            person._customer_policy_next_birthday(date(2026, 9, 26)),
            date(2027, 9, 15),
        )
        # The stored date moves with the daily refresh.
        person.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET next_birthday = '2026-09-25' WHERE id = %s",
            [person.id],
        )
        person.invalidate_recordset()
        self.env["res.partner"]._customer_policy_refresh_birthdays(date(2026, 9, 26))
        self.assertEqual(person.next_birthday, date(2027, 9, 15))

    def test_spring_festival_in_two_years(self):
        self.assertEqual(self.spring_festival.date_in_year(2026), date(2026, 2, 17))
        self.assertEqual(self.spring_festival.date_in_year(2027), date(2027, 2, 6))
        self.assertEqual(self.mid_autumn.date_in_year(2026), date(2026, 9, 25))
        self.assertEqual(self.mid_autumn.date_in_year(2027), date(2027, 9, 15))
        national_day = self.env.ref("customer_policy.care_occasion_national_day")
        self.assertEqual(national_day.date_in_year(2027), date(2027, 10, 1))

    def test_day_30_and_leap_months(self):
        person = self.env["res.partner"].create(
            {
                "name": "三十生日",
                "birthday_calendar": "lunar",
                "birthday_lunar_month": 2,
                "birthday_lunar_day": 30,
            }
        )
        # 二月 of 2026 has 29 days: the birthday is kept on its last day.
        self.assertEqual(
            person._customer_policy_next_birthday(date(2026, 3, 1)), date(2026, 4, 16)
        )
        # 2025 has 六月 and 闰六月: 六月初十 once, in the ordinary month.
        person.write({"birthday_lunar_month": 6, "birthday_lunar_day": 10})
        self.assertEqual(
            person._customer_policy_next_birthday(date(2025, 6, 1)), date(2025, 7, 4)
        )
        self.assertEqual(
            person._customer_policy_next_birthday(date(2025, 7, 5)), date(2026, 7, 23)
        )

    def test_solar_birthday_of_29_february(self):
        person = self.env["res.partner"].create(
            {"name": "闰日生日", "birthday": "1988-02-29"}
        )
        self.assertEqual(
            person._customer_policy_next_birthday(date(2026, 1, 10)), date(2026, 2, 28)
        )
        self.assertEqual(
            person._customer_policy_next_birthday(date(2027, 3, 1)), date(2028, 2, 29)
        )

    def test_bad_lunar_dates_refused(self):
        person = self.env["res.partner"].create({"name": "错误生日"})
        with self.assertRefused(ValidationError, "month from 1 to 12"):
            person.write(
                {
                    "birthday_calendar": "lunar",
                    "birthday_lunar_month": 13,
                    "birthday_lunar_day": 1,
                }
            )
        with self.assertRefused(ValidationError, "day from 1 to 30"):
            person.write(
                {
                    "birthday_calendar": "lunar",
                    "birthday_lunar_month": 1,
                    "birthday_lunar_day": 31,
                }
            )
        with self.assertRefused(ValidationError, "not a day of the calendar"):
            self.env["customer.care.occasion"].create(
                {"name": "错误节日", "calendar": "solar", "month": 2, "day": 30}
            )


@tagged("post_install", "-at_install")
class TestCarePlanning(CustomerCareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Birthdays entered before the days the tests run on.
        with freeze_time("2026-09-01 02:00:00"):
            cls.customer = cls._customer("关怀客户有限公司", cls.tier_key)
            cls.wang = cls._contact(cls.customer, "王建国", birthday="1980-09-14")
            cls.li = cls._contact(
                cls.customer,
                "李梅",
                birthday_calendar="lunar",
                birthday_lunar_month=8,
                birthday_lunar_day=15,
            )
            cls.opted_out = cls._contact(
                cls.customer, "赵不扰", birthday="1975-09-12", care_opt_out=True
            )
            agreement = cls.env["customer.agreement"].create(
                {
                    "partner_id": cls.customer.id,
                    "title": "Supply",
                    "date_start": "2023-09-20",
                    "date_signed": "2023-09-18",
                }
            )
            agreement.write({"state": "active"})
            cls.archived = cls._customer("已归档客户有限公司", cls.tier_key)
            cls._contact(cls.archived, "归档联系人", birthday="1980-09-13")
            cls.archived.active = False
            cls.no_care = cls._customer(
                "不要关怀有限公司", cls.tier_key, care_opt_out=True
            )
            cls._contact(cls.no_care, "拒绝联系人", birthday="1980-09-13")
            cls.alone = cls._customer("无联系人有限公司", cls.tier_general)
            cls.env.flush_all()
        cls.customers = cls.customer | cls.archived | cls.no_care | cls.alone

    def _plan(self, day="2026-09-10 02:00:00"):
        with freeze_time(day):
            return self.Event._cron_plan_customer_care()

    def test_planned_once_never_for_opted_out(self):
        self._plan()
        events = self._events(self.customers)
        # 王建国's birthday (within 7 days), 中秋 for 王建国 and 李梅 (within 21
        # days), the third anniversary of the cooperation (within 14 days); 中秋
        # for the customer without contacts. Not 国庆 (7 days ahead), not 李梅's
        # birthday (9/25: beyond 7 days), nothing for 赵不扰, the archived
        # customer or the customer that opted out.
        self.assertEqual(
            sorted(
                (e.partner_id.name, e.contact_id.name or "", e.event_type, str(e.date))
                for e in events
            ),
            sorted(
                [
                    ("关怀客户有限公司", "王建国", "birthday", "2026-09-14"),
                    ("关怀客户有限公司", "王建国", "holiday", "2026-09-25"),
                    ("关怀客户有限公司", "李梅", "holiday", "2026-09-25"),
                    ("关怀客户有限公司", "", "anniversary", "2026-09-20"),
                    ("无联系人有限公司", "无联系人有限公司", "holiday", "2026-09-25"),
                ]
            ),
        )
        self.assertEqual(set(events.mapped("user_id")), {self.user_sales})
        self.assertEqual(set(events.mapped("team_id")), {self.team})
        self.assertEqual(set(events.mapped("state")), {"planned"})
        self.assertEqual(events.filtered("occasion_id").occasion_id, self.mid_autumn)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "customer.care.event"), ("res_id", "in", events.ids)]
        )
        self.assertEqual(len(activities), 5)
        self.assertEqual(set(activities.mapped("user_id")), {self.user_sales})
        birthday = events.filtered(lambda e: e.event_type == "birthday")
        self.assertEqual(birthday.activity_ids.date_deadline, date(2026, 9, 14))
        self.assertIn("王建国", birthday.activity_ids.summary)
        # Again the same day, the next day and closer to the day: nothing new.
        for day in ("2026-09-10 03:00:00", "2026-09-11 02:00:00", "2026-09-12 02:00"):
            self._plan(day)
        self.assertEqual(self._events(self.customers), events)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", "customer.care.event"),
                    ("res_id", "in", events.ids),
                ]
            ),
            5,
        )

    def test_next_year_again(self):
        self._plan()
        with freeze_time("2027-09-10 02:00:00"):
            self.Event._cron_plan_customer_care()
        birthdays = self._events(self.customer).filtered(
            lambda e: e.event_type == "birthday"
        )
        # 李梅's lunar birthday 2027-09-15 falls within 7 days this time.
        self.assertEqual(
            sorted((e.contact_id.name, str(e.date)) for e in birthdays),
            [
                ("李梅", "2027-09-15"),
                ("王建国", "2026-09-14"),
                ("王建国", "2027-09-14"),
            ],
        )

    def test_new_year_gift_and_needs(self):
        with freeze_time("2026-12-03 02:00:00"):
            self.Event._cron_plan_customer_care()
            self.Event._cron_plan_customer_care()
        gifts = self._events(self.customers).filtered(
            lambda e: e.event_type == "new_year"
        )
        self.assertEqual(gifts.partner_id, self.customer | self.alone)
        self.assertEqual(set(gifts.mapped("date")), {date(2026, 12, 20)})
        needs_type = self.env.ref("customer_policy.mail_activity_type_next_year_needs")
        needs = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", self.customers.ids),
                ("activity_type_id", "=", needs_type.id),
            ]
        )
        self.assertEqual(len(needs), 2)
        self.assertIn("2027", needs[0].summary)
        self.customer.next_year_needs = "二期扩容，预算约 200 万"
        # Only the tiers chosen in the settings.
        self.company.customer_care_new_year_tier_ids = self.tier_strategic
        with freeze_time("2027-12-03 02:00:00"):
            self.Event._cron_plan_customer_care()
        self.assertFalse(
            self._events(self.customers).filtered(
                lambda e: e.event_type == "new_year" and e.date.year == 2027
            )
        )

    def test_owner_marks_the_gift_done(self):
        self._plan()
        event = self._events(self.customer).filtered(
            lambda e: e.event_type == "holiday" and e.contact_id == self.li
        )
        event = event.with_user(self.user_sales)
        event.write({"gift_description": "月饼礼盒", "gift_amount": 268.0})
        event.action_done()
        self.assertEqual(event.state, "done")
        self.assertFalse(event.activity_ids)
        spend = self.Event._read_group(
            [("partner_id", "=", self.customer.id), ("state", "=", "done")],
            ["team_id"],
            ["gift_amount:sum"],
        )
        self.assertEqual(spend, [(self.team, 268.0)])

    def test_access_follows_the_customer(self):
        self._plan()
        events = self._events(self.customer)
        self.assertEqual(
            self.Event.with_user(self.user_sales).search(
                [("partner_id", "=", self.customer.id)]
            ),
            events,
        )
        self.assertFalse(
            self.Event.with_user(self.user_sales_2).search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        self.assertEqual(
            self.Event.with_user(self.user_manager).search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            len(events),
        )
        with self.assertRefused(ValidationError, "not a contact person"):
            self.Event.create(
                {
                    "partner_id": self.alone.id,
                    "contact_id": self.wang.id,
                    "event_type": "gift",
                    "date": "2026-09-30",
                }
            )


@tagged("post_install", "-at_install")
class TestCarePlanningQueries(CustomerCareCase):
    """The planning's queries do not grow with the customers: the worst case is
    the first run, every contact with a birthday and a holiday to plan."""

    def _customers(self, count, label):
        customers = self.env["res.partner"]
        for i in range(count):
            customer = self._customer(f"{label} {i}", self.tier_key)
            self._contact(customer, f"{label} 联系人 {i}", birthday="1980-09-14")
            customers |= customer
        return customers

    def _counted(self, customers, queries):
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time("2026-09-10 02:00:00"):
            if queries is None:
                self.Event._cron_plan_customer_care()
            else:
                with self.assertQueryCount(queries):
                    self.Event._cron_plan_customer_care()
        # A birthday and 中秋 per contact.
        self.assertEqual(len(self._events(customers)), 2 * len(customers))

    @freeze_time("2026-09-01 02:00:00")
    def test_query_count_worst_case(self):
        self._counted(self._customers(1, "预热"), None)
        # Four of them are the run's lock against two runs at once (savepoint,
        # lock, release, the progress written); the owner follows the customers
        # in one statement and the activities are one INSERT with every column
        # (29 through mail.activity.create(), which checked that the last owner
        # follows, 3 reads, and UPDATEd the computed columns).
        self._counted(self._customers(3, "三个"), 25)
        self._counted(self._customers(9, "九个"), 25)


@tagged("post_install", "-at_install")
class TestExecutiveContact(CustomerCareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strategic = cls._customer("战略关怀客户有限公司", cls.tier_strategic)

    def _visit(self, when, **vals):
        return self.env["customer.visit"].create(
            {
                "partner_id": self.strategic.id,
                "planned_date": when,
                "summary": "Annual review with the management",
                "customer_feedback": "Positive",
                "state": "done",
                "done_date": when,
                **vals,
            }
        )

    @freeze_time("2026-05-20 02:00:00")
    def test_one_executive_visit_a_quarter(self):
        self.env["res.partner"]._customer_policy_refresh_executive_contacts()
        self.assertTrue(self.strategic.executive_contact_missing)
        self.strategic.executive_sponsor_id = self.user_manager
        self.assertTrue(self.strategic.executive_contact_missing)
        # A visit of last quarter with the sponsor does not count for this one.
        self._visit(datetime(2026, 3, 20, 2, 0), companion_ids=[self.user_manager.id])
        self.assertTrue(self.strategic.executive_contact_missing)
        self.assertEqual(
            self.strategic.executive_contact_date, datetime(2026, 3, 20, 2)
        )
        # A visit of the owner alone is not an executive contact.
        self._visit(datetime(2026, 5, 5, 2, 0))
        self.assertTrue(self.strategic.executive_contact_missing)
        self._visit(datetime(2026, 5, 10, 2, 0), companion_ids=[self.user_manager.id])
        self.assertFalse(self.strategic.executive_contact_missing)
        self.assertEqual(
            self.strategic.executive_contact_date, datetime(2026, 5, 10, 2)
        )
        # The next quarter starts without one.
        with freeze_time("2026-07-02 02:00:00"):
            self.env["res.partner"]._cron_customer_visit_reminders()
        self.assertTrue(self.strategic.executive_contact_missing)

    @freeze_time("2026-05-20 02:00:00")
    def test_missing_in_the_digest(self):
        self.env["res.partner"]._customer_policy_refresh_executive_contacts()
        sections = self.env["res.partner"]._customer_policy_digest_sections(
            date(2026, 5, 20)
        )
        html = "".join(str(section) for section in sections[self.user_manager.id])
        self.assertIn("no executive contact this quarter", html)
        self.assertIn(self.strategic.name, html)
        self.assertIn("No sponsor", html)

    @freeze_time("2026-05-20 02:00:00")
    def test_missing_in_the_visit_compliance(self):
        """The visit compliance counts the strategic customers without an
        executive contact this quarter, once per customer (not per visit slot)."""
        general = self._customer("一般关怀客户有限公司", self.tier_general)
        self.strategic.executive_sponsor_id = self.user_manager
        self.env["res.partner"]._customer_policy_refresh_executive_contacts()
        Report = self.env["customer.visit.compliance.report"]
        customers = self.strategic | general

        def missing():
            self.env.flush_all()
            self.env.invalidate_all()
            return dict(
                Report._read_group(
                    [("partner_id", "in", customers.ids)],
                    ["partner_id"],
                    ["executive_contact_missing_count:sum"],
                )
            )

        self.assertEqual(missing(), {self.strategic: 1, general: 0})
        self._visit(datetime(2026, 5, 10, 2, 0), companion_ids=[self.user_manager.id])
        self.assertEqual(missing(), {self.strategic: 0, general: 0})

    def test_sponsor_is_a_manager_or_director(self):
        with self.assertRefused(ValidationError, "Director or a department manager"):
            self.strategic.executive_sponsor_id = self.user_sales
        self.strategic.executive_sponsor_id = self.user_director
        self.assertEqual(self.strategic.executive_sponsor_id, self.user_director)
