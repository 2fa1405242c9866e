"""Shared fixtures of the addon's tests.

``CustomerPolicyCase`` holds what every test uses: a user per role, a department,
the shipped tiers, and helpers that make a managed customer, a working calendar
and a posted payment. The cases below it add the fixtures of one area (access,
archive, tiers, ledger, visits, complaints).
"""

import base64
from contextlib import contextmanager
from datetime import datetime, timedelta

from hypothesis import HealthCheck, settings

from odoo import fields
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase
from odoo.tools import SQL

VALID_USCC = "91310115MA1K4B5C3K"
# Registration authority Y: a letter, which stdnum's validator rejects.
LETTER_USCC = "Y2310115MA1K4B5C3T"

# Mon-Fri, 08:00-12:00 and 13:00-17:00.
SHANGHAI_OFFICE_HOURS = ((8, 12, "morning"), (13, 17, "afternoon"))
# Tuesday 2026-01-13, all day in Shanghai (UTC+8).
PUBLIC_HOLIDAY = (datetime(2026, 1, 12, 16, 0), datetime(2026, 1, 13, 15, 59, 59))


def hostile_settings(max_examples):
    """Hypothesis' settings for the fuzz tests: the same examples on every run
    (derandomized, no example database) so that CI is reproducible, no time
    limit per example (an example creates and writes records), and no health
    check (the strategies draw from records the test set up)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def hostile_roles(case):
    """The users the fuzz tests act as: each role of the policy, and an
    administrator."""
    return [
        case.user_sales,
        case.user_manager,
        case.user_director,
        case.user_legal,
        case.user_finance,
        case.user_admin,
    ]


def prepare_raw_insert(env, model_name):
    """Give the required columns of ``model_name``'s table that have no default in
    the database their ORM default there, for the current transaction only.

    Volume tests insert rows straight in SQL, naming the columns the policy uses;
    another installed addon may add a required column (``account`` adds
    ``res_partner.autopost_bills``) that such an INSERT would leave NULL."""
    Model = env[model_name]
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = %s
           AND is_nullable = 'NO' AND column_default IS NULL
        """,
        [Model._table],
    )
    columns = [name for (name,) in env.cr.fetchall() if name in Model._fields]
    for name, value in Model.default_get(columns).items():
        value = Model._fields[name].convert_to_column(value, Model)
        env.cr.execute(
            SQL(
                "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
                SQL.identifier(Model._table),
                SQL.identifier(name),
                value,
            )
        )


def cron_progress(env, xmlid):
    """The environment Odoo's cron runner gives the method of the cron ``xmlid``
    on each call, and the progress record it reports to: with it the method does
    one chunk and reports what remains, as it does when scheduled."""
    progress = env["ir.cron.progress"].create(
        {"cron_id": env.ref(xmlid).id, "done": 0, "remaining": 0}
    )
    return env(context=dict(env.context, ir_cron_progress_id=progress.id)), progress


# What the addons installed beside the core may add to one chunk of a cron
# (e.g. the commission bridge recomputing its figures of the agreements and
# customers written): queries per write, never per record.
BRIDGE_QUERIES_PER_CHUNK = 10


@contextmanager
def counted_queries(env):
    """Count the queries of the block, flushed as ``assertQueryCount`` does:
    ``with counted_queries(env) as counted: …`` then ``counted[0]``."""
    env.flush_all()
    env.cr.flush()
    start = env.cr.sql_log_count
    counted = [0]
    yield counted
    env.flush_all()
    env.cr.flush()
    counted[0] = env.cr.sql_log_count - start


class CustomerPolicyCase(TransactionCase):
    """One user per group of the addon, a department, the shipped tiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_sales = new_test_user(
            cls.env,
            login="cp_sales",
            name="Sales User",
            groups="customer_policy.group_user",
        )
        cls.user_sales_2 = new_test_user(
            cls.env,
            login="cp_sales_2",
            name="Sales User 2",
            groups="customer_policy.group_user",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="cp_manager",
            name="Department Manager",
            groups="customer_policy.group_manager",
        )
        cls.user_director = new_test_user(
            cls.env,
            login="cp_director",
            name="General Manager",
            groups="customer_policy.group_director",
        )
        cls.user_legal = new_test_user(
            cls.env,
            login="cp_legal",
            name="Legal",
            groups="customer_policy.group_legal",
        )
        cls.user_finance = new_test_user(
            cls.env,
            login="cp_finance",
            name="Finance",
            groups="customer_policy.group_finance",
        )
        cls.user_internal = new_test_user(
            cls.env,
            login="cp_internal",
            name="Internal",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.user_admin = cls.env.ref("base.user_admin")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Test Department",
                "user_id": cls.user_manager.id,
                "member_ids": [(6, 0, [cls.user_sales.id])],
            }
        )
        cls.tier_strategic = cls.env.ref("customer_policy.customer_tier_strategic")
        cls.tier_key = cls.env.ref("customer_policy.customer_tier_key")
        cls.tier_general = cls.env.ref("customer_policy.customer_tier_general")
        cls.tier_potential = cls.env.ref("customer_policy.customer_tier_potential")

    @classmethod
    def _customer(cls, name, tier=None, user=None, **vals):
        """A managed customer company owned by ``user`` (``user_sales``) of
        ``team``, in ``tier``."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": (user or cls.user_sales).id,
                "team_id": cls.team.id,
                "customer_tier_id": tier.id if tier else False,
                **vals,
            }
        )

    @classmethod
    def _working_calendar(
        cls, name, hours=SHANGHAI_OFFICE_HOURS, holiday_calendar=True
    ):
        """A Shanghai calendar working ``hours`` Monday to Friday, with the public
        holiday on Tuesday 2026-01-13: its own leave, or a global one when
        ``holiday_calendar`` is false."""
        calendar = cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for start, stop, period in hours
                ],
            }
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": calendar.id if holiday_calendar else False,
                "date_from": PUBLIC_HOLIDAY[0],
                "date_to": PUBLIC_HOLIDAY[1],
            }
        )
        return calendar

    def _pay(
        self, amount, agreement=None, partner=None, date="2026-02-01", company=None
    ):
        """A payment Finance records and posts (in ``company`` when given)."""
        Payment = self.env["customer.payment"].with_user(self.user_finance)
        vals = {
            "partner_id": (
                partner or (agreement and agreement.partner_id) or self.customer
            ).id,
            "agreement_id": agreement.id if agreement else False,
            "amount": amount,
            "date": date,
        }
        if company:
            Payment = Payment.with_company(company)
            vals["company_id"] = company.id
        payment = Payment.create(vals)
        payment.action_post()
        return payment

    @contextmanager
    def assertRefused(self, exception, regex):
        """The error names the cause, and the savepoint undoes what was written."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)


class CustomerAccessCase(CustomerPolicyCase):
    """Two departments, one customer each, and a user for every role of the matrix.

    - ``team`` (led by ``user_manager``): ``user_sales`` owns ``customer``,
      ``user_same`` is a colleague of the same department;
    - ``other_team`` (led by ``user_other_manager``): ``user_sales_2`` owns
      ``customer_other``;
    - ``far_team`` (led by ``user_far_manager``): ``user_far`` owns ``customer_far``,
      a customer nobody of the two departments sees.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_same = new_test_user(
            cls.env,
            login="cp_same",
            name="Same Department User",
            groups="customer_policy.group_user",
        )
        cls.user_other_manager = new_test_user(
            cls.env,
            login="cp_other_manager",
            name="Other Department Manager",
            groups="customer_policy.group_manager",
        )
        cls.user_far = new_test_user(
            cls.env,
            login="cp_far",
            name="Far User",
            groups="customer_policy.group_user",
        )
        cls.user_far_manager = new_test_user(
            cls.env,
            login="cp_far_manager",
            name="Far Manager",
            groups="customer_policy.group_manager",
        )
        cls.user_service = new_test_user(
            cls.env,
            login="cp_service",
            name="Service Desk",
            groups="customer_policy.group_service",
        )
        cls.user_portal = new_test_user(
            cls.env, login="cp_portal", name="Portal", groups="base.group_portal"
        )
        cls.user_public = cls.env.ref("base.public_user")
        # Exporting needs Odoo's export right: give it to every role so that the
        # record rules are what decides.
        export_group = cls.env.ref("base.group_allow_export")
        export_group.users = [
            (4, user.id)
            for user in (
                cls.user_sales,
                cls.user_sales_2,
                cls.user_same,
                cls.user_manager,
                cls.user_other_manager,
                cls.user_director,
                cls.user_legal,
                cls.user_finance,
                cls.user_service,
                cls.user_portal,
                cls.user_public,
            )
        ]
        cls.team.member_ids = [(4, cls.user_same.id)]
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Other Department",
                "user_id": cls.user_other_manager.id,
                "member_ids": [(6, 0, [cls.user_sales_2.id])],
            }
        )
        cls.far_team = cls.env["crm.team"].create(
            {
                "name": "Far Department",
                "user_id": cls.user_far_manager.id,
                "member_ids": [(6, 0, [cls.user_far.id])],
            }
        )
        cls.customer = cls._customer(
            "上海测试云帆信息技术有限公司",
            phone="+86 21 5912 4478",
            vat="91310115MA1K4TEST7",
            email="info@cloudsail-test.cn",
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "王建国",
                "parent_id": cls.customer.id,
                "email": "wangjianguo@cloudsail-test.cn",
            }
        )
        cls.customer_other = cls._customer(
            "北京华夏数据技术有限公司", user=cls.user_sales_2, team_id=cls.other_team.id
        )
        cls.customer_far = cls._customer(
            "广州南方物流集团有限公司",
            user=cls.user_far,
            team_id=cls.far_team.id,
            phone="+86 20 3888 1234",
        )
        cls.roles = {
            "owner": cls.user_sales,
            "same_dept_user": cls.user_same,
            "other_dept_user": cls.user_sales_2,
            "manager": cls.user_manager,
            "other_manager": cls.user_other_manager,
            "director": cls.user_director,
            "legal": cls.user_legal,
            "finance": cls.user_finance,
            "service": cls.user_service,
            "portal": cls.user_portal,
            "public": cls.user_public,
        }

    @classmethod
    def _request(cls, requester, partner, **vals):
        """A pending request, created as the requester would."""
        return (
            cls.env["customer.access.request"]
            .with_user(requester)
            .create(
                {"partner_id": partner.id, "reason": "Customer called about renewal"}
                | vals
            )
            .with_user(cls.env.user)
        )


class CustomerArchiveCase(CustomerPolicyCase):
    """The company requires the default archive fields; the demo customers are
    archived, as they would be duplicates of the names the policy's examples use."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.china = cls.env.ref("base.cn")
        cls.industry = cls.env.ref("base.res_partner_industry_J")
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Other Department", "member_ids": [(6, 0, [cls.user_sales_2.id])]}
        )
        cls.env["res.partner"].search(
            [("customer_policy_managed", "=", True)]
        ).active = False
        cls.env.company.customer_registration_required_fields = cls.env[
            "res.company"
        ]._customer_policy_default_required_fields()

    @classmethod
    def _archive(cls, **values):
        vals = {
            "is_company": True,
            "vat": VALID_USCC,
            "legal_representative": "张三",
            "industry_id": cls.industry.id,
            "phone": "+86 21 5555 0101",
            "street": "张江路 1 号",
            "city": "上海市",
            "country_id": cls.china.id,
            "company_scale": "medium",
        }
        vals.update(values)
        return vals

    @classmethod
    def _registered(cls, user, team, **values):
        """A customer registered by `user` of `team`."""
        partner = (
            cls.env["res.partner"]
            .with_user(user)
            .create(cls._archive(user_id=user.id, team_id=team.id, **values))
        )
        partner.action_register()
        return partner.sudo()


class CustomerTierCase(CustomerPolicyCase):
    """The shipped tiers with their thresholds restated, ``user_sales`` a senior
    salesperson, ``user_director`` the approver of proposals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The shipped thresholds, restated so that a test reads on its own.
        cls.tier_strategic.min_annual_amount = 5_000_000
        cls.tier_key.min_annual_amount = 1_000_000
        cls.tier_general.min_annual_amount = 1
        cls.tier_potential.min_annual_amount = 0
        cls.company.customer_senior_salesperson_ids = [(6, 0, [cls.user_sales.id])]
        cls.company.customer_tier_approver_id = cls.user_director
        cls.company.customer_tier_grace_days = 90
        cls.customer = cls._customer("上海星河科技有限公司", cls.tier_potential)

    def _history(self, partner):
        return self.env["customer.tier.history"].search(
            [("partner_id", "=", partner.id)], order="id"
        )

    def _set_amount(self, partners, amount):
        # The amount comes from agreements (another feature): seed it directly.
        partners.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET annual_contract_amount = %s WHERE id IN %s",
            (amount, tuple(partners.ids)),
        )
        partners.invalidate_recordset(["annual_contract_amount"])


class CustomerLedgerCase(CustomerPolicyCase):
    """A managed customer of user_sales with helpers to run an agreement's life."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("协议测试客户有限公司")
        cls.other_customer = cls._customer(
            "另一客户有限公司", user=cls.user_sales_2, team_id=False
        )
        cls.currency = cls.env.company.currency_id
        cls.signed_original = cls.env["ir.attachment"].create(
            {"name": "signed.pdf", "datas": base64.b64encode(b"%PDF-1.4 signed")}
        )

    def _agreement(
        self,
        parts=((("2026-01-31"), 600.0), ("2026-04-30", 400.0)),
        total=None,
        partner=None,
        user=None,
        **vals,
    ):
        total = sum(amount for __, amount in parts) if total is None else total
        Agreement = self.env["customer.agreement"]
        if user:
            Agreement = Agreement.with_user(user)
        return Agreement.create(
            {
                "partner_id": (partner or self.customer).id,
                "title": "Supply of spare parts",
                "amount_total": total,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "installment_ids": [
                    fields.Command.create({"due_date": due, "amount": amount})
                    for due, amount in parts
                ],
                **vals,
            }
        )

    def _activate(self, agreement, signed="2026-01-05"):
        owner = agreement.user_id
        agreement.with_user(owner).action_submit_legal()
        agreement.with_user(self.user_legal).action_legal_approve()
        agreement.with_user(owner).write(
            {
                "date_signed": signed,
                "attachment_ids": [fields.Command.link(self.signed_original.id)],
            }
        )
        agreement.with_user(owner).action_activate()
        return agreement


class CustomerVisitCase(CustomerPolicyCase):
    """A customer of each tier owned by ``user_sales`` (department ``team``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The tiers' staffing rules are not what these tests are about.
        (cls.tier_strategic | cls.tier_key).write(
            {"requires_project_team": False, "requires_senior_owner": False}
        )
        cls.customer_strategic = cls._customer("战略客户有限公司", cls.tier_strategic)
        cls.customer_general = cls._customer("一般客户有限公司", cls.tier_general)
        cls.customer_untiered = cls._customer("未分级客户有限公司")

    def _visit(self, customer, state="done", when="2026-01-05 02:00:00", **vals):
        values = {
            "partner_id": customer.id,
            "planned_date": when,
            "visit_type": "visit",
            "summary": "Discussed the renewal",
            "customer_feedback": "Satisfied",
        } | vals
        if state == "done":
            values.update(state="done", done_date=values.get("done_date", when))
        elif state == "cancelled":
            values.update(state="cancelled", cancel_reason="Customer busy")
        return self.env["customer.visit"].create(values)


class ComplaintCase(CustomerPolicyCase):
    """A Shanghai calendar (08-12, 13-17, Mon-Fri) with a holiday on Tue 2026-01-13,
    and a managed customer owned by ``user_sales`` in ``team``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._working_calendar("Shanghai office")
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "complaint_major_hours": 2,
                "complaint_normal_hours": 24,
                "complaint_contact_days": 1,
                "complaint_reopen_days": 30,
                # The deadlines of these tests count working hours; the 24x7
                # default is tested on its own.
                "complaint_response_clock": "working",
                "complaint_major_resolution_days": 3,
                "complaint_normal_resolution_days": 5,
                "complaint_repeat_days": 14,
            }
        )
        cls.customer = cls._customer(
            "上海投诉测试有限公司",
            phone="+86 21 6000 0001",
            email="service@tousu-test.cn",
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "李明",
                "parent_id": cls.customer.id,
                "email": "liming@tousu-test.cn",
            }
        )
        cls.Complaint = cls.env["customer.complaint"]

    def _ticket(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "severity": "normal",
            "received_at": datetime(2026, 1, 26, 2, 0),
            "description": "<p>设备故障</p>",
        } | vals
        Complaint = self.Complaint.with_user(user) if user else self.Complaint
        return Complaint.create(values)


class CustomerKpiCase(CustomerPolicyCase):
    """January and February 2026 of two salespeople in two departments, on a
    Shanghai calendar (months in China's time), every fact the KPI report counts
    recorded once, so that the tests can add the figures up by hand:

    - ``user_sales`` (department ``team``, manager ``user_manager``) develops
      ``customer_a1`` (registered on time on 6 January, a tier asking 2 visits a
      month) and ``customer_a2`` (first contact 1 December, registered late on
      20 January, although reminded twice; its tier falls to potential on 10
      February: lost); visits
      ``customer_a1`` on 10 January, on 1 February 01:00 in Shanghai (31 January
      in UTC) and on 15 February, phones it on 12 January (a contact, not a
      visit), and visits ``customer_b1`` of the other department on 25 January;
      handles two tickets received in January (answered after 3 and 1 hours,
      both resolved, the first rated 4) and one received in February (not
      answered); signs 100,000 on 15 January and 50,000 on 10 February (a repeat
      purchase); the first agreement's 60,000 due 31 January is paid on 5
      February, the second's 50,000 due 20 February is overdue; an approved plan
      of 12 customers, 24 visits and 1,200,000 of contracts and payments for
      2026, split evenly;
    - ``user_sales_2`` (department ``other_team``, manager ``user_manager_2``)
      develops ``customer_b1`` (registered on time on 8 January) and visits it on
      20 January; nothing in February.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._working_calendar("Shanghai office (KPI)")
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "complaint_response_clock": "clock",
                "customer_registration_days": 5,
            }
        )
        cls.user_manager_2 = new_test_user(
            cls.env,
            login="cp_kpi_manager_2",
            name="Other Department Manager",
            groups="customer_policy.group_manager",
        )
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "KPI Other Department",
                "user_id": cls.user_manager_2.id,
                "member_ids": [(6, 0, [cls.user_sales_2.id])],
            }
        )
        cls.tier_monthly = cls.env["customer.tier"].create(
            {
                "name": "Twice a Month",
                "code": "kpi_monthly",
                "sequence": 35,
                "min_annual_amount": 999999999,
                "visit_min_count": 2,
                "visit_period": "month",
            }
        )
        cls.customer_a1 = cls._registered_on(
            "甲一科技有限公司",
            cls.user_sales,
            cls.team,
            "2026-01-05",
            "2026-01-06",
            customer_tier_id=cls.tier_monthly.id,
        )
        cls.customer_a2 = cls._registered_on(
            "甲二贸易有限公司",
            cls.user_sales,
            cls.team,
            "2025-12-01",
            "2026-01-20",
            customer_tier_id=cls.tier_general.id,
        )
        # What the daily registration reminders counted before it was registered.
        cls.customer_a2.registration_reminder_count = 2
        cls.customer_b1 = cls._registered_on(
            "乙一物流有限公司",
            cls.user_sales_2,
            cls.other_team,
            "2026-01-07",
            "2026-01-08",
        )
        cls.env["customer.tier.history"].create(
            {
                "partner_id": cls.customer_a2.id,
                "company_id": cls.company.id,
                "old_tier_id": cls.tier_general.id,
                "new_tier_id": cls.tier_potential.id,
                "date": "2026-02-10 02:00:00",
                "reason": "No order for a year",
            }
        )
        Visit = cls.env["customer.visit"]
        for customer, user, when, kind in (
            (cls.customer_a1, cls.user_sales, "2026-01-10 02:00:00", "visit"),
            (cls.customer_a1, cls.user_sales, "2026-01-31 17:00:00", "visit"),
            (cls.customer_a1, cls.user_sales, "2026-02-15 03:00:00", "return_visit"),
            (cls.customer_a1, cls.user_sales, "2026-01-12 03:00:00", "phone"),
            (cls.customer_b1, cls.user_sales, "2026-01-25 03:00:00", "online"),
            (cls.customer_b1, cls.user_sales_2, "2026-01-20 03:00:00", "visit"),
        ):
            Visit.create(
                {
                    "partner_id": customer.id,
                    "user_id": user.id,
                    "visit_type": kind,
                    "planned_date": when,
                    "state": "done",
                    "done_date": when,
                    "summary": "Discussed the year's needs",
                    "customer_feedback": "Interested",
                }
            )
        # Neither counts: a cancelled visit and a planned one.
        Visit.create(
            {
                "partner_id": cls.customer_a1.id,
                "user_id": cls.user_sales.id,
                "planned_date": "2026-01-20 02:00:00",
                "state": "cancelled",
                "cancel_reason": "Customer busy",
            }
        )
        Visit.create(
            {
                "partner_id": cls.customer_a1.id,
                "user_id": cls.user_sales.id,
                "planned_date": "2026-02-25 02:00:00",
            }
        )
        cls._ticket_of(cls.customer_a1, datetime(2026, 1, 12, 2), 3, rated="4")
        cls._ticket_of(cls.customer_a1, datetime(2026, 1, 20, 2), 1)
        cls._ticket_of(cls.customer_a2, datetime(2026, 2, 3, 2), None)
        cls.agreement_1 = cls._signed_agreement(
            cls.customer_a1,
            "2026-01-15",
            (("2026-01-31", 60000), ("2026-03-31", 40000)),
        )
        cls.agreement_2 = cls._signed_agreement(
            cls.customer_a1, "2026-02-10", (("2026-02-20", 50000),)
        )
        payment = (
            cls.env["customer.payment"]
            .with_user(cls.user_finance)
            .create(
                {
                    "partner_id": cls.customer_a1.id,
                    "agreement_id": cls.agreement_1.id,
                    "amount": 60000,
                    "date": "2026-02-05",
                }
            )
        )
        payment.action_post()
        cls.plan = cls.env["customer.development.plan"].create(
            {
                "user_id": cls.user_sales.id,
                "year": 2026,
                "target_new_customers": 12,
                "target_visits": 24,
                "target_contract_amount": 1200000,
                "target_payment_amount": 1200000,
            }
        )
        cls.plan.action_split_evenly()
        cls.plan.with_user(cls.user_sales).action_submit()
        cls.plan.with_user(cls.user_manager).action_approve()
        cls.env.flush_all()

    @classmethod
    def _registered_on(cls, name, user, team, first_contact, registered, **vals):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": user.id,
                "customer_developer_id": user.id,
                "team_id": team.id,
                "first_contact_date": first_contact,
                "registration_date": registered,
                **vals,
            }
        )

    @classmethod
    def _ticket_of(cls, customer, received, hours, rated=None):
        ticket = cls.env["customer.complaint"].create(
            {
                "partner_id": customer.id,
                "user_id": cls.user_sales.id,
                "received_at": received,
                "description": "<p>设备故障</p>",
            }
        )
        if hours is None:
            return ticket
        ticket.write(
            {
                "first_response_at": received + timedelta(hours=hours),
                "state": "contacted",
            }
        )
        ticket.write(
            {
                "root_cause": "Worn part",
                "solution": "Replaced it",
                "state": "resolved",
                "satisfaction": rated or False,
            }
        )
        return ticket

    @classmethod
    def _signed_agreement(cls, customer, signed, parts):
        agreement = cls.env["customer.agreement"].create(
            {
                "partner_id": customer.id,
                "title": "Supply",
                "amount_total": sum(amount for _due, amount in parts),
                "date_start": signed,
                "date_end": "2026-12-31",
                "installment_ids": [
                    fields.Command.create({"due_date": due, "amount": amount})
                    for due, amount in parts
                ],
            }
        )
        agreement.with_user(customer.user_id).action_submit_legal()
        agreement.with_user(cls.user_legal).action_legal_approve()
        agreement.write({"date_signed": signed})
        return agreement

    def _rows(self, users=None, months=("2026-01-01", "2026-02-01"), user=None):
        """{(user, department, month): row} of the KPI report, read as ``user``."""
        Report = self.env["customer.kpi.report"]
        # A view's rows are numbered anew by each query: forget the last ones.
        Report.invalidate_model()
        if user:
            Report = Report.with_user(user)
        domain = [("month", "in", list(months))]
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        return {
            (row.user_id, row.team_id, fields.Date.to_string(row.month)): row
            for row in Report.search(domain)
        }
