import json
from contextlib import suppress
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import format_date

from ..tools.formats import format_day, format_money
from .common import CustomerPolicyCase


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestActivityInsert(CustomerPolicyCase):
    """The policy's activities are inserted in SQL: the rows, followers, caches
    and notifications must be those ``mail.activity.create()`` gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.user_sales.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.user_sales_2.write({"lang": "en_US", "tz": "Europe/Paris"})
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.customer = cls._customer("上海星河贸易有限公司")
        cls.other = cls._customer("Hangzhou Lake Tea", user=cls.user_sales_2)
        cls.model_id = cls.env["ir.model"]._get_id("res.partner")

    def _items(self):
        """Two assignees, two activities of one of them on the same customer,
        one due, one late, one later, one with a note to sanitize."""
        return [
            (self.customer, self.user_sales, date(2026, 3, 2), "<p>Call</p>"),
            (self.customer, self.user_sales, date(2026, 2, 20), False),
            (
                self.other,
                self.user_sales_2,
                date(2026, 3, 9),
                '<p onclick="x()">Visit <b>them</b></p><script>alert(1)</script>',
            ),
        ]

    def _orm_path(self):
        """As Odoo's own code schedules a to-do for someone else (the activity
        widget, one at a time: a batch giving a user two activities on one
        record fails in create() on the followers' unique index), in the
        assignee's language, with sudo as the crons."""
        vals_list = []
        for record, user, deadline, note in self._items():
            vals = {
                "res_model_id": self.model_id,
                "res_id": record.id,
                "activity_type_id": self.todo_type.id,
                "user_id": user.id,
                "date_deadline": deadline,
                "summary": f"Visit ({user.lang})",
                "automated": True,
            }
            if note:
                vals["note"] = note
            vals_list.append(vals)
        Activity = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
        )
        return Activity.concat(*(Activity.create(vals) for vals in vals_list))

    def _policy_path(self):
        return self.env["mail.activity"]._customer_policy_schedule(
            "res.partner",
            [
                {
                    "res_id": record.id,
                    "activity_type": self.todo_type,
                    "user": user,
                    "date_deadline": deadline,
                    "summary": lambda env: f"Visit ({env.lang})",
                    "note": note,
                }
                for record, user, deadline, note in self._items()
            ],
        )

    def _read_as_users(self):
        """What the assignees' screens read of the customers, from the cache
        as it is (no invalidation)."""
        result = {}
        for user in (self.user_sales, self.user_sales_2):
            for partner in (self.customer, self.other):
                record = partner.with_user(user).sudo()
                result[user.login, partner.id] = (
                    record.activity_state,
                    record.activity_ids.mapped(
                        lambda act: (act.summary, act.date_deadline, act.user_id.id)
                    ),
                    record.activity_ids.mapped("state"),
                    record.my_activity_date_deadline,
                    record.activity_date_deadline,
                    record.activity_user_id.id,
                    record.activity_summary,
                    record.activity_type_id.id,
                    sorted(record.message_partner_ids.ids),
                )
        return result

    def _result_of(self, path):
        """Rows, followers, screens and bus messages of ``path``, rolled back."""
        cr = self.env.cr
        # Cached before, as in a cron that read the customers first.
        self._read_as_users()
        bus_before = len(cr.precommit.data.get("bus.bus.values", []))
        outcome = {}
        # The two paths write the same rows: each is rolled back after reading.
        with suppress(_Rollback), cr.savepoint():
            activities = path()
            outcome["screens"] = self._read_as_users()
            bus = cr.precommit.data.get("bus.bus.values", [])[bus_before:]
            outcome["bus"] = sorted((msg["channel"], msg["message"]) for msg in bus)
            del cr.precommit.data.get("bus.bus.values", [])[bus_before:]
            outcome["returned"] = activities.mapped(
                lambda act: (act.res_id, act.user_id.id, act.date_deadline)
            )
            self.env.flush_all()
            cr.execute(
                "SELECT * FROM mail_activity WHERE id = ANY(%s) ORDER BY id",
                [activities.ids],
            )
            outcome["rows"] = [
                {k: v for k, v in row.items() if k != "id"} for row in cr.dictfetchall()
            ]
            cr.execute(
                """SELECT f.res_model, f.res_id, f.partner_id,
                              array_agg(r.mail_message_subtype_id
                                        ORDER BY r.mail_message_subtype_id)
                         FROM mail_followers f
                         LEFT JOIN mail_followers_mail_message_subtype_rel r
                           ON r.mail_followers_id = f.id
                        WHERE f.res_model = 'res.partner' AND f.res_id = ANY(%s)
                        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
                [[self.customer.id, self.other.id]],
            )
            outcome["followers"] = cr.fetchall()
            self.env.invalidate_all()
            outcome["fresh"] = self._read_as_users()
            raise _Rollback
        self.env.invalidate_all()
        return outcome

    @freeze_time("2026-03-02 02:00:00")
    def test_same_as_create(self):
        orm = self._result_of(self._orm_path)
        policy = self._result_of(self._policy_path)
        self.assertEqual(len(orm["rows"]), 3)
        for key in ("rows", "followers", "returned", "fresh"):
            self.assertEqual(policy[key], orm[key], key)
        self.assertEqual(policy["screens"], orm["screens"])
        # By hand: each assignee in their language, the note sanitized.
        rows = policy["rows"]
        self.assertEqual(
            [(row["summary"], row["user_tz"]) for row in rows],
            [
                ("Visit (zh_CN)", "Asia/Shanghai"),
                ("Visit (zh_CN)", "Asia/Shanghai"),
                ("Visit (en_US)", "Europe/Paris"),
            ],
        )
        self.assertEqual(rows[0]["res_name"], "上海星河贸易有限公司")
        self.assertEqual(rows[2]["note"], "<p>Visit <b>them</b></p>")
        self.assertTrue(all(row["automated"] and row["active"] for row in rows))
        self.assertEqual(rows[0]["res_model"], "res.partner")
        self.assertFalse(rows[0]["date_done"])
        self.assertEqual(rows[0]["create_uid"], self.env.uid)
        # The customer's screen, read again: the late activity first.
        screen = policy["fresh"][self.user_sales.login, self.customer.id]
        self.assertEqual(screen[0], "overdue")
        self.assertEqual(screen[3], date(2026, 2, 20))
        self.assertEqual(
            screen[1],
            [
                ("Visit (zh_CN)", date(2026, 2, 20), self.user_sales.id),
                ("Visit (zh_CN)", date(2026, 3, 2), self.user_sales.id),
            ],
        )
        self.assertEqual(
            policy["fresh"][self.user_sales.login, self.other.id][3], False
        )
        self.assertEqual(
            policy["screens"][self.user_sales.login, self.customer.id][0], "overdue"
        )
        self.assertIn(self.user_sales.partner_id.id, screen[8])
        # Odoo notifies the assignee of each create() with something due (of
        # its last activity: the loop variable left over); the policy each
        # assignee with something due, once.
        self.assertEqual(len(orm["bus"]), 2)
        self.assertEqual(set(orm["bus"]), set(policy["bus"]))
        self.assertEqual(len(policy["bus"]), 1)
        channel, message = (json.loads(part) for part in policy["bus"][0])
        self.assertEqual(channel[1:], ["res.partner", self.user_sales.partner_id.id])
        self.assertEqual(
            message,
            {"type": "mail.activity/updated", "payload": {"activity_created": True}},
        )

    @freeze_time("2026-03-02 02:00:00")
    def test_one_insert_whatever_the_number(self):
        """The queries do not grow with the activities: 3 or 30 customers."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Customer {i}",
                    "is_company": True,
                    "user_id": self.user_sales.id,
                }
                for i in range(30)
            ]
        )

        def schedule(partners):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.env["mail.activity"]._customer_policy_schedule(
                "res.partner",
                [
                    {
                        "res_id": partner.id,
                        "activity_type": self.todo_type,
                        "user": self.user_sales if i % 2 else self.user_sales_2,
                        "date_deadline": date(2026, 3, 2),
                        "summary": lambda env: "Visit",
                    }
                    for i, partner in enumerate(partners)
                ],
            )
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        schedule(customers[:1])  # the registry's caches, as a running server
        few = schedule(customers[1:4])
        many = schedule(customers[4:])
        self.assertEqual(few, many)
        # ir.model id, the names, the users (lang, tz, partners), the
        # subtypes, the followers' statement, the insert.
        self.assertLessEqual(many, 9)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", customers.ids)]
            ),
            30,
        )

    def test_create_kept_where_sql_could_differ(self):
        Activity = self.env["mail.activity"]
        vals = [
            {
                "res_model_id": self.model_id,
                "res_id": self.customer.id,
                "activity_type_id": self.todo_type.id,
                "user_id": self.user_sales.id,
                "date_deadline": date(2026, 3, 2),
                "summary": "Visit",
                "automated": True,
            }
        ]
        self.assertIsNotNone(Activity.sudo()._customer_policy_insertable(vals))
        # Not superuser: create() and its access checks.
        self.assertIsNone(
            Activity.with_user(self.user_sales)._customer_policy_insertable(vals)
        )
        # A value the SQL path does not write.
        self.assertIsNone(
            Activity.sudo()._customer_policy_insertable(
                [dict(vals[0], request_partner_id=self.customer.id)]
            )
        )
        # A default archiving them (date_done computed from it).
        self.assertIsNone(
            Activity.sudo()
            .with_context(default_active=False)
            ._customer_policy_insertable(vals)
        )
        # A default of a field written as is.
        defaults = (
            Activity.sudo()
            .with_context(default_request_partner_id=self.other.id)
            ._customer_policy_insertable(vals)
        )
        self.assertEqual(defaults.get("request_partner_id"), self.other.id)

    def test_format_day_as_format_date(self):
        """The crons' dates read as Odoo's format_date writes them, in each
        language, the same day twice or not."""
        days = [date(2026, 2, 20), date(2026, 2, 20), date(2026, 12, 31)]
        for lang, expected in (
            ("zh_CN", ["2026年02月20日", "2026年02月20日", "2026年12月31日"]),
            ("en_US", ["02/20/2026", "02/20/2026", "12/31/2026"]),
        ):
            env = self.env(context=dict(self.env.context, lang=lang))
            self.assertEqual([format_day(env, day) for day in days], expected)
            self.assertEqual(
                [format_day(env, day) for day in days],
                [format_date(env, day) for day in days],
            )
        # Not a date: as format_date.
        self.assertEqual(format_day(self.env, False), "")

    def test_format_money_as_currency_format(self):
        cny = self.env.ref("base.CNY").with_context(lang="en_US")
        for amount in (1234.5, 1234.5, 0.0, -20.0):
            self.assertEqual(format_money(cny, amount), cny.format(amount))
        self.assertEqual(format_money(cny, 1234.5), "¥\xa01,234.50")
