import logging
import time
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..tools.archive import normalize_name, normalize_phone
from .common import (
    LETTER_USCC,
    VALID_USCC,
    CustomerArchiveCase,
    CustomerPolicyCase,
    prepare_raw_insert,
)

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestCustomerRegistration(CustomerArchiveCase):
    def test_normalization(self):
        variants = [
            "上海星河科技有限公司",
            "上海 星河科技 有限公司",
            "上海星河科技(有限公司)",
            "上海星河科技（有限公司）",
            "上海星河科技股份有限公司",
            "ＳＨＡＮＧＨＡＩ星河科技有限公司".replace("ＳＨＡＮＧＨＡＩ", "上海"),
        ]
        self.assertEqual({normalize_name(name) for name in variants}, {"上海星河科技"})
        self.assertEqual(
            normalize_name("Xinghe Technology Co., Ltd."),
            normalize_name("XINGHE TECHNOLOGY CO LTD"),
        )
        self.assertNotEqual(normalize_name("上海星河科技"), normalize_name("上海星河"))
        self.assertEqual(normalize_phone("+86 21 6738 5035"), "2167385035")
        self.assertEqual(normalize_phone("021-67385035"), "2167385035")
        self.assertEqual(normalize_phone("0086 21 67385035"), "2167385035")

    def test_deadline_on_working_days(self):
        """Fri 2026-01-09 + 5 working days, holiday Tue 13th: Monday 2026-01-19."""
        calendar = self._working_calendar(
            "Mon-Fri", hours=((9, 17, "morning"),), holiday_calendar=False
        )
        self.env.company.write(
            {"resource_calendar_id": calendar.id, "customer_registration_days": 5}
        )
        partner = self.env["res.partner"].create(
            self._archive(
                name="宁波新客户有限公司", first_contact_date=date(2026, 1, 9)
            )
        )
        self.assertEqual(partner.registration_deadline, date(2026, 1, 19))
        # A longer deadline in Settings moves the drafts' deadlines.
        self.env.company.customer_registration_days = 6
        self.assertEqual(partner.registration_deadline, date(2026, 1, 20))
        with freeze_time("2026-01-20"):
            partner._customer_policy_refresh_late()
            self.assertFalse(partner.is_registration_late)
        with freeze_time("2026-01-21"):
            partner._customer_policy_refresh_late()
            self.assertTrue(partner.is_registration_late)
            partner.with_user(self.user_sales).action_register()
            self.assertEqual(partner.registration_date, date(2026, 1, 21))
            self.assertTrue(partner.is_registration_late)

    def test_register_letter_prefixed_uscc(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="农户合作社", vat=LETTER_USCC))
        )
        self.assertEqual(partner.registration_state, "draft")
        self.assertFalse(partner.customer_policy_managed)
        self.assertEqual(partner.first_contact_date, date.today())
        partner.action_register()
        self.assertEqual(partner.registration_state, "registered")
        self.assertTrue(partner.customer_policy_managed)
        self.assertEqual(partner.registration_date, date.today())
        self.assertEqual(partner.user_id, self.user_sales)
        self.assertEqual(partner.team_id, self.team)
        self.assertEqual(partner.customer_developer_id, self.user_sales)
        self.assertFalse(partner.is_registration_late)
        self.assertEqual(partner.archive_completeness, 100)

    def _assert_refused(self, partner, exception, *fragments):
        before = partner.read(
            ["registration_state", "customer_policy_managed", "registration_date"]
        )
        with self.assertRaises(exception) as caught:
            partner.action_register()
        message = str(caught.exception)
        for fragment in fragments:
            self.assertIn(fragment, message)
        partner.invalidate_recordset()
        self.assertEqual(
            partner.read(
                ["registration_state", "customer_policy_managed", "registration_date"]
            ),
            before,
        )
        return message

    def test_refuse_wrong_check_digit(self):
        wrong = VALID_USCC[:-1] + "A"
        partner = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="校验码错误公司", vat=wrong))
        )
        self._assert_refused(partner, ValidationError, wrong, "Unified Social Credit")
        for bad in ("9131011", "91310115MA1K4B5C3O", "913A0115MA1K4B5C3K"):
            self.assertFalse(partner._customer_policy_uscc_is_valid(bad), bad)
        self.assertTrue(partner._customer_policy_uscc_is_valid(VALID_USCC))
        self.assertTrue(partner._customer_policy_uscc_is_valid(LETTER_USCC.lower()))

    def test_refuse_missing_required_field(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="缺少法人公司", legal_representative=False))
        )
        self.assertLess(partner.archive_completeness, 100)
        self._assert_refused(partner, ValidationError, "Legal Representative")
        # What Settings require decides.
        self.env.company.customer_registration_required_fields -= self.env[
            "ir.model.fields"
        ]._get("res.partner", "legal_representative")
        self.assertEqual(partner.archive_completeness, 100)
        partner.action_register()
        self.assertEqual(partner.registration_state, "registered")

    def test_refuse_duplicates_of_other_department(self):
        self._registered(
            self.user_sales_2,
            self.other_team,
            name="上海星河科技有限公司",
            vat=VALID_USCC,
            phone="+86 21 6738 5035",
            email="info@xinghe-tech.cn",
        )
        Partner = self.env["res.partner"].with_user(self.user_sales)
        cases = [
            ("USCC", {"name": "完全不同公司", "vat": VALID_USCC}),
            ("name", {"name": "上海 星河科技 有限公司", "vat": LETTER_USCC}),
            ("name", {"name": "上海星河科技(有限公司)", "vat": LETTER_USCC}),
            ("name", {"name": "上海星河科技（有限公司）", "vat": LETTER_USCC}),
            (
                "phone",
                {"name": "另一家公司", "vat": LETTER_USCC, "phone": "021-67385035"},
            ),
            (
                "e-mail domain",
                {
                    "name": "又一家公司",
                    "vat": LETTER_USCC,
                    "email": "sales@xinghe-tech.cn",
                },
            ),
        ]
        for cause, values in cases:
            with self.subTest(cause=cause, name=values["name"]):
                partner = Partner.create(self._archive(**values))
                self.assertIn(
                    "上海星河科技有限公司", partner.customer_policy_duplicate_warning
                )
                message = self._assert_refused(
                    partner,
                    UserError,
                    "another department",
                    "上海星河科技有限公司",
                    "Sales User 2",
                    "Other Department",
                    f"same {cause}",
                )
                # Only name, owner and department: no archive detail leaks.
                self.assertNotIn("6738", message)
                self.assertNotIn("info@", message)

    def test_refuse_duplicate_of_same_department(self):
        self._registered(self.user_sales, self.team, name="杭州重复有限公司")
        partner = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="杭州重复公司", vat=LETTER_USCC, phone=False))
        )
        self.env.company.customer_registration_required_fields -= self.env[
            "ir.model.fields"
        ]._get("res.partner", "phone")
        self._assert_refused(partner, UserError, "already registered", "same name")

    def test_lookup_is_guarded(self):
        other = self._registered(
            self.user_sales_2, self.other_team, name="北京华夏数据技术有限公司"
        )
        Partner = self.env["res.partner"].with_user(self.user_sales)
        with self.assertRaises(AccessError):
            other.with_user(self.user_sales).read(["name"])
        result = Partner._customer_policy_lookup(name="北京 华夏数据技术 有限公司")
        self.assertEqual(len(result), 1)
        self.assertEqual(
            result[0],
            {
                "id": other.id,
                "name": "北京华夏数据技术有限公司",
                "user": "Sales User 2",
                "team": "Other Department",
                "match": ["name"],
            },
        )
        self.assertEqual(
            Partner._customer_policy_lookup(vat=VALID_USCC)[0]["id"], other.id
        )
        self.assertEqual(
            Partner._customer_policy_lookup(vat=VALID_USCC, exclude_ids=other.ids), []
        )
        self.assertEqual(Partner._customer_policy_lookup(), [])
        # Public mailboxes say nothing about the company.
        self.assertEqual(Partner._customer_policy_lookup(email="x@qq.com"), [])

    def test_developer_changes_only_through_transfer(self):
        partner = self._registered(self.user_sales, self.team, name="深圳开发者公司")
        with self.assertRaises(UserError):
            partner.with_user(
                self.user_director
            ).customer_developer_id = self.user_sales_2
        self.assertEqual(partner.customer_developer_id, self.user_sales)

    def test_only_companies_register_once(self):
        company = self._registered(self.user_sales, self.team, name="广州唯一公司")
        with self.assertRaises(UserError):
            company.with_user(self.user_sales).action_register()
        person = self.env["res.partner"].create({"name": "李四"})
        with self.assertRaises(UserError):
            person.with_user(self.user_sales).action_register()
        draft = self.env["res.partner"].create(self._archive(name="员工公司"))
        with self.assertRaises(AccessError):
            draft.with_user(self.user_internal).action_register()
        self.assertEqual(draft.registration_state, "draft")

    def _tracked_write(self, partner, vals):
        """Write ``vals`` on ``partner`` as the salesperson, in a transaction of
        its own as a user does, and return what the chatter got: the tracking
        values of the new messages, as (field, old, new), sorted."""
        # As if created in an earlier transaction: Odoo does not track the
        # changes of a record in the transaction that creates it.
        self.env.flush_all()
        self.env.cr.flush()
        messages = partner.message_ids
        partner.with_user(self.user_sales).with_context(tracking_disable=False).write(
            vals
        )
        self.env.flush_all()
        self.env.cr.flush()
        # Tracking values are for administrators' eyes in the ORM.
        tracked = (partner.message_ids - messages).sudo().tracking_value_ids
        self.assertEqual(
            (partner.message_ids - messages).author_id, self.user_sales.partner_id
        )
        return sorted(
            (
                value.field_id.name,
                value.old_value_char or value.old_value_text,
                value.new_value_char or value.new_value_text,
            )
            for value in tracked
        )

    def test_archive_changes_are_tracked(self):
        partner = self._registered(self.user_sales, self.team, name="跟踪变更公司")
        with freeze_time("2030-01-01 10:00:00"):
            tracked = self._tracked_write(
                partner,
                {
                    "legal_representative": "李四",
                    "business_needs": "ERP",
                    "company_registry": "310115000123456",
                    "industry_id": self.env.ref("base.res_partner_industry_C").id,
                },
            )
        self.assertEqual(partner.archive_write_date, datetime(2030, 1, 1, 10, 0))
        self.assertEqual(
            tracked,
            [
                ("business_needs", False, "ERP"),
                ("company_registry", False, "310115000123456"),
                ("industry_id", "IT/Communication", "Manufacturing"),
                ("legal_representative", "张三", "李四"),
            ],
        )

    def test_archive_tracking_is_odoo_for_odoo_fields(self):
        """An address change logs Odoo's one composite address line, and the
        fields mail already tracks one line each, as without the addon."""
        partner = self._registered(self.user_sales, self.team, name="地址变更公司")
        tracked = self._tracked_write(
            partner, {"street": "世纪大道 100 号", "city": "浦东新区"}
        )
        self.assertEqual(
            [name for name, _old, _new in tracked], ["contact_address_inline"]
        )
        _name, old, new = tracked[0]
        self.assertIn("张江路 1 号", old)
        self.assertIn("上海市", old)
        self.assertIn("世纪大道 100 号", new)
        self.assertIn("浦东新区", new)
        self.assertNotIn("上海市", new)
        tracked = self._tracked_write(
            partner,
            {
                "phone": "+86 21 5555 0202",
                "email": "info@dizhi.example.com",
                "vat": LETTER_USCC,
            },
        )
        self.assertEqual(
            tracked,
            [
                ("email", False, "info@dizhi.example.com"),
                ("phone", "+86 21 5555 0101", "+86 21 5555 0202"),
                ("vat", VALID_USCC, LETTER_USCC),
            ],
        )
        # Odoo's own order of its tracked fields is kept (mail: e-mail, phone,
        # tax ID), before the archive fields the addon tracks.
        fields = self.env["res.partner"]._fields
        self.assertEqual(
            [fields[name].tracking for name in ("email", "phone", "vat")], [1, 2, 5]
        )

    def test_form_shows_duplicate_warning(self):
        self._registered(
            self.user_sales_2, self.other_team, name="厦门鹭岛航运有限公司"
        )
        form = Form(self.env["res.partner"].with_user(self.user_sales))
        form.company_type = "company"
        form.name = "厦门 鹭岛航运"
        self.assertIn("厦门鹭岛航运有限公司", form.customer_policy_duplicate_warning)
        self.assertIn("Other Department", form.customer_policy_duplicate_warning)
        form.name = "完全不同"
        self.assertFalse(form.customer_policy_duplicate_warning)


@tagged("post_install", "-at_install")
class TestOwnershipClaim(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._registered(
            cls.user_sales_2, cls.other_team, name="南京金陵软件股份有限公司"
        )
        cls.draft = (
            cls.env["res.partner"]
            .with_user(cls.user_sales)
            .create(cls._archive(name="南京 金陵软件", vat=LETTER_USCC))
        )

    def _claim(self):
        return (
            self.env["customer.ownership.claim"]
            .with_user(self.user_sales)
            .create(
                {
                    "partner_id": self.draft.customer_policy_duplicate_id,
                    "draft_partner_id": self.draft.id,
                    "evidence": "首次接触在 2025 年 3 月的展会。",
                }
            )
        )

    def test_claim_from_refused_registration(self):
        with self.assertRaises(UserError):
            self.draft.with_user(self.user_sales).action_register()
        action = self.draft.with_user(self.user_sales).action_customer_policy_claim()
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        claim = self._claim()
        self.assertEqual(claim.state, "pending")
        self.assertEqual(claim.user_id, self.user_sales)
        self.assertEqual(claim.team_id, self.team)
        # The claimant sees the customer's name, owner and department only.
        self.assertEqual(claim.customer_name, "南京金陵软件股份有限公司")
        self.assertEqual(claim.current_user_id, self.user_sales_2)
        self.assertEqual(claim.current_team_id, self.other_team)
        data = claim.web_read(
            {"partner_id": {"fields": {"display_name": {}}}, "customer_name": {}}
        )
        self.assertEqual(data[0]["partner_id"]["id"], self.customer.id)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_sales).read(["vat"])
        # The current owner sees the claims on their customer, cannot edit them.
        self.assertTrue(claim.with_user(self.user_sales_2).read(["state"]))
        with self.assertRaises(AccessError):
            claim.with_user(self.user_sales_2).write({"evidence": "不是这样"})
        # Employees outside the policy have no access to claims at all.
        with self.assertRaises(AccessError):
            self.env["customer.ownership.claim"].with_user(self.user_internal).search(
                []
            )

    def test_only_directors_decide(self):
        claim = self._claim()
        for user in (self.user_sales, self.user_sales_2, self.user_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    claim.with_user(user).action_grant()
                with self.assertRaises(AccessError):
                    claim.with_user(user).action_refuse()
                with self.assertRaises(AccessError):
                    claim.with_user(user).sudo(False).write({"state": "granted"})
        with self.assertRaises(AccessError):
            self.env["customer.ownership.claim"].with_user(self.user_sales).create(
                {
                    "partner_id": self.customer.id,
                    "evidence": "x",
                    "state": "granted",
                }
            )
        self.assertEqual(claim.state, "pending")
        self.assertEqual(self.customer.user_id, self.user_sales_2)

    def test_director_grants(self):
        claim = self._claim()
        claim.with_user(self.user_director).write({"decision_note": "先接触者为准"})
        claim.with_user(self.user_director).action_grant()
        self.assertEqual(claim.state, "granted")
        self.assertEqual(claim.decision_user_id, self.user_director)
        self.assertEqual(self.customer.user_id, self.user_sales)
        self.assertEqual(self.customer.team_id, self.team)
        self.assertEqual(self.customer.customer_developer_id, self.user_sales)
        for partner in (self.customer, self.draft):
            bodies = partner.message_ids.mapped("body")
            self.assertTrue(
                any("granted" in body and "先接触者为准" in body for body in bodies),
                partner.name,
            )
        with self.assertRaises(UserError):
            claim.with_user(self.user_director).action_refuse()
        with self.assertRaises(UserError):
            claim.with_user(self.user_sales).write({"evidence": "changed"})

    def test_director_refuses(self):
        claim = self._claim()
        claim.with_user(self.user_director).action_refuse("对方先完成备案")
        self.assertEqual(claim.state, "refused")
        self.assertEqual(claim.decision_note, "对方先完成备案")
        self.assertEqual(self.customer.user_id, self.user_sales_2)
        self.assertEqual(self.customer.team_id, self.other_team)
        for partner in (self.customer, self.draft):
            self.assertTrue(
                any(
                    "refused" in body and "对方先完成备案" in body
                    for body in partner.message_ids.mapped("body")
                )
            )

    def test_refusing_asks_for_a_reason(self):
        claim = self._claim()
        Claim = claim.with_user(self.user_director)
        for reason in (None, "", "   "):
            with self.assertRefused(UserError, "reason"):
                Claim.action_refuse(reason)
        self.assertEqual(claim.state, "pending")
        # The button asks for it in a dialog.
        action = Claim.action_open_refuse_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_director)
            .with_context(**action["context"])
        )
        wizard.reason = "证据不足"
        wizard.save().action_refuse()
        self.assertEqual(claim.state, "refused")
        self.assertEqual(claim.decision_note, "证据不足")

    def test_claim_needs_a_registered_customer_of_another_department(self):
        Claim = self.env["customer.ownership.claim"].with_user(self.user_sales)
        with self.assertRaises(UserError):
            Claim.create({"partner_id": self.draft.id, "evidence": "x"})
        own = self._registered(
            self.user_sales,
            self.team,
            name="自己部门客户",
            vat="91110108MA01R2JX8R",
            phone="+86 10 1234 5678",
        )
        with self.assertRaises(UserError):
            Claim.create({"partner_id": own.id, "evidence": "x"})


class DataQualityCase(CustomerArchiveCase):
    """Registered customers with each kind of archive problem, and a good one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.customer_archive_stale_months = 12
        Partner = cls.env["res.partner"]
        base = {
            "customer_policy_managed": True,
            "user_id": cls.user_sales.id,
            "team_id": cls.team.id,
        }
        cls.good = Partner.create(
            [
                cls._archive(
                    name=f"优质客户{index}有限公司",
                    vat=vat,
                    phone=f"+86 21 6000 100{index}",
                    email=f"info@good{index}.cn",
                    **base,
                )
                for index, vat in enumerate(
                    [VALID_USCC, LETTER_USCC, "91110108MA01R2JX8R"]
                )
            ]
        )
        cls.missing = Partner.create(
            cls._archive(
                name="缺字段客户",
                vat="N2330106MA2CF8G67J",
                phone="+86 21 6000 2001",
                legal_representative=False,
                **base,
            )
        )
        cls.invalid = Partner.create(
            cls._archive(
                name="错误代码客户",
                vat="91310115MA1K4B5C3A",
                phone="+86 21 6000 2002",
                **base,
            )
        )
        cls.stale = Partner.create(
            cls._archive(
                name="陈旧档案客户",
                vat="91310000MA1FL8TQ0W",
                phone="+86 21 6000 2003",
                **base,
            )
        )
        cls.stale.archive_write_date = datetime(2020, 1, 1)
        cls.duplicates = Partner.create(
            [
                cls._archive(
                    name=name,
                    vat=vat,
                    phone=f"+86 21 6000 300{index}",
                    **base,
                )
                for index, (name, vat) in enumerate(
                    [
                        ("上海星河科技有限公司", "91310000MA1FL2XX1T"),
                        ("上海星河科技(有限公司)", "91310000MA1FL3XX12"),
                    ]
                )
            ]
        )
        # Not registered: the nightly check leaves drafts alone.
        cls.draft = Partner.create(
            cls._archive(name="未备案客户", vat="91310115MA1K4B5C3A")
        )


@tagged("post_install", "-at_install")
class TestDataQuality(DataQualityCase):
    def test_flags_exactly_the_bad_records(self):
        for vat in self.stale.vat, *self.duplicates.mapped("vat"):
            self.assertTrue(self.stale._customer_policy_uscc_is_valid(vat), vat)
        self.env["res.partner"]._cron_customer_data_quality()
        flagged = self.env["res.partner"].search([("data_quality_issue", "=", True)])
        self.assertEqual(
            flagged, self.missing | self.invalid | self.stale | self.duplicates
        )
        self.assertEqual(
            self.env["res.partner"].search([("data_quality_missing", "=", True)]),
            self.missing,
        )
        self.assertEqual(
            self.env["res.partner"].search([("data_quality_invalid_uscc", "=", True)]),
            self.invalid,
        )
        self.assertEqual(
            self.env["res.partner"].search([("data_quality_stale", "=", True)]),
            self.stale,
        )
        self.assertEqual(
            self.env["res.partner"].search([("data_quality_duplicate", "=", True)]),
            self.duplicates,
        )
        self.assertFalse(self.draft.data_quality_issue)
        # Fixed records lose their flag the next night.
        self.missing.legal_representative = "王五"
        self.duplicates[1].name = "杭州另一家科技公司"
        self.env["res.partner"]._cron_customer_data_quality()
        self.assertEqual(
            self.env["res.partner"].search([("data_quality_issue", "=", True)]),
            self.invalid | self.stale,
        )
        # The scheduled action runs the same check.
        self.missing.legal_representative = False
        self.env.ref(
            "customer_policy.ir_cron_customer_data_quality"
        ).sudo().method_direct_trigger()
        self.assertTrue(self.missing.data_quality_missing)
        self.assertTrue(self.missing.data_quality_issue)
        # A duplicate is resolved with Odoo's merge wizard.
        action = self.stale.with_user(self.user_director).action_customer_policy_merge()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestDataQualityVolume(DataQualityCase):
    """The nightly check's queries do not grow with the customers (100,000)."""

    def _seed(self, count, offset):
        """Insert registered customers straight in SQL, as an import would."""
        self.env.flush_all()
        prepare_raw_insert(self.env, "res.partner")
        self.env.cr.execute(
            """
            INSERT INTO res_partner (
                name, complete_name, active, type, is_company, lang,
                customer_policy_managed, registration_state, registration_date,
                first_contact_date, vat, country_id, legal_representative,
                industry_id, phone, street, city, company_scale,
                customer_policy_name_key, customer_policy_vat_key,
                customer_policy_phone_key, archive_write_date, archive_completeness,
                create_date, write_date
            )
            SELECT 'Perf ' || i, 'Perf ' || i, TRUE, 'contact', TRUE, 'en_US',
                   TRUE, 'registered', CURRENT_DATE, CURRENT_DATE,
                   CASE WHEN i %% 7 = 0 THEN '91310115MA1K4B5C3A' ELSE %s END,
                   %s, CASE WHEN i %% 5 = 0 THEN NULL ELSE '代表' END,
                   %s, '+86 21 ' || (10000000 + i), 'Road', 'City', 'small',
                   'perf' || i, %s || i, '21' || (10000000 + i),
                   CASE WHEN i %% 3 = 0 THEN now() - interval '5 years' ELSE now() END,
                   100, now(), now()
            FROM generate_series(%s, %s) AS i
            """,
            (
                VALID_USCC,
                self.china.id,
                self.industry.id,
                VALID_USCC,
                offset + 1,
                offset + count,
            ),
        )
        self.env.cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE commercial_partner_id IS NULL"
        )
        self.env.invalidate_all()

    def _count_cron_queries(self):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        flagged = self.env["res.partner"]._cron_customer_data_quality()
        return self.env.cr.sql_log_count - before, flagged

    def test_bounded_queries_on_100000_customers(self):
        self._seed(100, 0)
        self._count_cron_queries()  # warm the registry caches
        small, flagged_small = self._count_cron_queries()
        started = time.monotonic()
        self._seed(100_000, 100)
        seeded = time.monotonic()
        large, flagged_large = self._count_cron_queries()
        _logger.info(
            "data-quality cron: %s queries for 100 and %s for 100,100 customers; "
            "seeding 100,000 took %.1fs, the cron %.1fs",
            small,
            large,
            seeded - started,
            time.monotonic() - seeded,
        )
        self.assertEqual(large, small, "the query count grows with the customers")
        self.assertGreater(flagged_large, flagged_small + 50_000)
        self.env.cr.execute(
            "SELECT count(*) FROM res_partner WHERE name LIKE 'Perf %%' "
            "AND data_quality_missing"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 100_100 // 5)
        self.env.cr.execute(
            "SELECT count(*) FROM res_partner WHERE name LIKE 'Perf %%' "
            "AND data_quality_invalid_uscc"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 100_100 // 7)


@tagged("post_install", "-at_install")
class TestArchiveSettings(CustomerArchiveCase):
    def test_settings_choose_required_fields_and_stale_months(self):
        new_company = self.env["res.company"].create({"name": "New Branch"})
        self.assertEqual(
            set(new_company.customer_registration_required_fields.mapped("name")),
            {
                "vat",
                "legal_representative",
                "industry_id",
                "phone",
                "street",
                "city",
                "country_id",
                "company_scale",
            },
        )
        self.assertEqual(new_company.customer_archive_stale_months, 12)
        budget = self.env["ir.model.fields"]._get("res.partner", "budget_amount")
        with Form(
            self.env["res.config.settings"].with_user(self.user_admin)
        ) as settings:
            settings.customer_registration_required_fields.add(budget)
            settings.customer_archive_stale_months = 6
        settings.save().execute()
        self.assertIn(budget, self.company.customer_registration_required_fields)
        self.assertEqual(self.company.customer_archive_stale_months, 6)
        partner = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="预算未填公司"))
        )
        self.assertEqual(partner.archive_completeness, 89)
        with self.assertRaises(ValidationError) as caught:
            partner.action_register()
        self.assertIn("Budget", str(caught.exception))
        with self.assertRaises(ValidationError):
            self.company.customer_archive_stale_months = -1


@tagged("post_install", "-at_install")
class TestArchiveDemo(CustomerPolicyCase):
    """The demo tells the archive's story: mostly registered, a few exceptions."""

    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "customer_policy")])
        if not module.demo:
            self.skipTest("database installed without demo data")

    def test_demo_archive(self):
        def company(number):
            return self.env.ref(f"customer_policy.res_partner_company_{number:02d}")

        registered = [company(number) for number in range(1, 29)]
        for partner in registered:
            self.assertEqual(partner.registration_state, "registered", partner.name)
            self.assertEqual(partner.customer_developer_id, partner.user_id)
            self.assertLessEqual(partner.first_contact_date, partner.registration_date)
        self.assertEqual(
            [partner for partner in registered if partner.is_registration_late],
            [company(5)],
        )
        self.assertEqual(company(29).registration_state, "draft")
        self.assertFalse(company(29).is_registration_late)
        self.assertEqual(company(30).registration_state, "draft")
        self.assertTrue(company(30).is_registration_late)
        self.assertTrue(company(12).data_quality_missing)
        self.assertTrue(company(20).data_quality_stale)
        claim = self.env.ref("customer_policy.customer_ownership_claim_demo_01")
        self.assertEqual(claim.state, "pending")
        self.assertEqual(claim.partner_id, company(1))
