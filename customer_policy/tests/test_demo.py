import re
from datetime import date

from stdnum.cn import uscc

from odoo.tests import TransactionCase, tagged
from odoo.tools import html2plaintext

# A word of English (two lowercase letters at least): acronyms such as ERP pass.
ENGLISH_WORD = re.compile(r"\b[A-Za-z]*[a-z]{2,}[A-Za-z]*\b")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo company tells a believable story: departments, staff, customers."""

    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "customer_policy")])
        if not module.demo:
            self.skipTest("database installed without demo data")

    def _demo_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "customer_policy"), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id"))

    def test_departments_with_leaders(self):
        teams = self._demo_records("crm.team")
        self.assertEqual(len(teams), 3)
        for team in teams:
            self.assertTrue(team.user_id, f"{team.name} has no leader")
            self.assertTrue(team.user_id.has_group("customer_policy.group_manager"))
            self.assertIn(team.user_id, team.member_ids)

    def test_salespeople(self):
        users = self._demo_records("res.users").filtered(
            lambda user: (
                user.has_group("customer_policy.group_user")
                and not user.has_group("customer_policy.group_director")
            )
        )
        self.assertEqual(len(users), 8)
        for user in users:
            self.assertTrue(user.has_group("customer_policy.group_user"))
            self.assertEqual(user.tz, "Asia/Shanghai")
        teams = self._demo_records("crm.team")
        self.assertEqual(set(teams.member_ids.ids), set(users.ids))

    def test_customers_and_contacts(self):
        partners = self._demo_records("res.partner").filtered(lambda p: not p.user_ids)
        companies = partners.filtered("is_company")
        contacts = partners - companies
        self.assertEqual(len(companies), 30)
        self.assertEqual(len(contacts), 40)
        self.assertEqual(set(contacts.parent_id.ids), set(companies.ids))
        self.assertEqual(len(set(companies.mapped("vat"))), 30)
        for company in companies:
            self.assertEqual(len(company.vat), 18)
            self.assertTrue(
                uscc.is_valid(company.vat), f"{company.name}: {company.vat}"
            )
            self.assertEqual(company.country_id, self.env.ref("base.cn"))
            self.assertEqual(company.lang, "zh_CN")
            self.assertTrue(company.state_id and company.city and company.street)
            self.assertTrue(company.user_id and company.team_id)
            self.assertIn(company.user_id, company.team_id.member_ids)

    def test_visits_and_return_visits(self):
        visits = self._demo_records("customer.visit")
        self.assertEqual(set(visits.mapped("state")), {"done", "planned", "cancelled"})
        for visit in visits.filtered(lambda v: v.state == "done"):
            self.assertTrue(visit.summary and visit.customer_feedback)
        schedule = self.env.ref("customer_policy.customer_return_schedule_demo_01")
        self.assertTrue(schedule.visit_ids)
        # The visits done show on the customer after the demo ran the cron.
        customer = self.env.ref("customer_policy.res_partner_company_01")
        self.assertTrue(customer.last_visit_date)
        self.assertTrue(customer.visit_compliance)

    def test_tickets_say_what_they_are_about(self):
        tickets = self._demo_records("customer.complaint")
        self.assertTrue(tickets)
        for ticket in tickets:
            with self.subTest(ticket=ticket.name):
                self.assertTrue(ticket.subject and ticket.description)

    def test_every_role_has_a_demo_user(self):
        """总经理, 经理, 销售, 法务, 财务, 客服: each logs in with its login as
        password."""
        for xmlid, group in (
            ("user_zheng_guohua", "group_director"),
            ("user_wang_fang", "group_manager"),
            ("user_liu_yang", "group_user"),
            ("user_sun_li", "group_legal"),
            ("user_zhou_qing", "group_finance"),
            ("user_wu_ting", "group_service"),
        ):
            user = self.env.ref(f"customer_policy.{xmlid}")
            with self.subTest(user=user.login):
                self.assertTrue(user.has_group(f"customer_policy.{group}"))

    def test_staff_read_chinese_in_shanghai_time(self):
        users = self._demo_records("res.users") | self.env.ref("base.user_admin")
        for user in users:
            with self.subTest(user=user.login):
                self.assertEqual(user.lang, "zh_CN")
                self.assertEqual(user.tz, "Asia/Shanghai")

    def test_main_company_is_a_shanghai_company(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_SH"))
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.currency_id.symbol, "¥")
        self.assertTrue(uscc.is_valid(company.vat))
        calendar = company.resource_calendar_id
        self.assertEqual(calendar.tz, "Asia/Shanghai")
        # 09:00-12:00 and 13:00-18:00, Monday to Friday.
        # The weekly hours (the make-up working days are dated exceptions).
        hours = {
            (int(a.dayofweek), a.hour_from, a.hour_to)
            for a in calendar.attendance_ids
            if not a.date_from
        }
        self.assertEqual(
            hours,
            {
                (day, start, stop)
                for day in range(5)
                for start, stop in ((9, 12), (13, 18))
            },
        )
        # China's holidays of 2026 are imported: National Day is off.
        self.assertEqual(calendar.china_holidays_year, 2026)
        national_day = calendar.leave_ids.filtered(
            lambda leave: (
                leave.date_from.date() <= date(2026, 10, 1) <= leave.date_to.date()
            )
        )
        self.assertTrue(national_day)

    def test_no_english_in_the_demo(self):
        """What the demo company's staff read is Chinese: the records, their
        names, the messages and the activities the demo wrote."""
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        # Identifiers, not words: logins, addresses, codes, file names.
        technical = {
            "login",
            "password",
            "email",
            "email_normalized",
            "website",
            "vat",
            "phone",
            "mobile",
            "zip",
            "ref",
            "code",
            "tz",
            "lang",
            "mimetype",
            "customer_policy_name_key",
            "customer_policy_vat_key",
            "customer_policy_phone_key",
            "customer_policy_email_domain",
            "customer_policy_pinyin",
            "customer_policy_pinyin_initials",
            "customer_policy_required_fields",
            "check_in_map_url",
            "signup_type",
            "color",
            "web_icon",
            "icon",
            "alias_name",
            "alias_email",
            "alias_full_name",
            "email_formatted",
            "x_studio_notes",
        }
        models = (
            "res.users",
            "res.partner",
            "res.company",
            "crm.team",
            "resource.calendar",
            "customer.agreement",
            "customer.agreement.installment",
            "customer.payment",
            "customer.collection.action",
            "customer.visit",
            "customer.return.schedule",
            "customer.complaint",
            "customer.access.request",
        )
        found = []
        records_by_model = {}
        for model in models:
            data = env["ir.model.data"].search(
                [("module", "=", "customer_policy"), ("model", "=", model)]
            )
            records = env[model].browse(data.mapped("res_id")).exists()
            if model == "res.company":
                records |= env.ref("base.main_company")
            records_by_model[model] = records
            fields_ = [
                name
                for name, field in records._fields.items()
                if field.type in ("char", "text", "html")
                and field.store
                and name not in technical
                and not name.startswith(("message_", "activity_", "website_"))
            ] + ["display_name"]
            for record in records:
                for name in fields_:
                    value = record[name]
                    if isinstance(value, str) and ENGLISH_WORD.search(
                        html2plaintext(value) if "<" in value else value
                    ):
                        found.append(f"{model},{record.id} {name}: {value[:80]!r}")
        for model, records in records_by_model.items():
            if not records or model in (
                "res.users",
                "res.company",
                "resource.calendar",
            ):
                continue
            messages = env["mail.message"].search(
                [("model", "=", model), ("res_id", "in", records.ids)]
            )
            for message in messages:
                text = html2plaintext(message.body or "")
                if ENGLISH_WORD.search(text):
                    found.append(f"message on {model},{message.res_id}: {text[:80]!r}")
            activities = env["mail.activity"].search(
                [("res_model", "=", model), ("res_id", "in", records.ids)]
            )
            for activity in activities:
                if ENGLISH_WORD.search(activity.summary or ""):
                    found.append(f"activity on {model}: {activity.summary!r}")
        self.assertFalse(found, "\n".join(found))
