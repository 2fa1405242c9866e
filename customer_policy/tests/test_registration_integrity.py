import json

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import LETTER_USCC, VALID_USCC, CustomerArchiveCase

# Valid Unified Social Credit Codes (GB 32100-2015), check characters worked out
# beforehand; VALID_USCC is the registered customer's.
GOOD_USCCS = ("91310104MA1FR0AA1J", "91310106MA1FY0BB20", "91320500MA1MX0CC3K")
# 91440300MA5EX0DD4 has check character Q, not A.
WRONG_USCC = "91440300MA5EX0DD4A"

REGISTERED = ("customer_policy_managed", "registration_state", "registration_date")


def _registration(partner):
    partner.invalidate_recordset()
    return partner.read(list(REGISTERED))[0]


@tagged("post_install", "-at_install")
class TestRegistrationGuard(CustomerArchiveCase):
    """Item 1: nobody below Director registers a customer but through Register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registered = cls._registered(
            cls.user_sales_2,
            cls.other_team,
            name="上海星河科技有限公司",
            vat=VALID_USCC,
            phone="+86 21 6738 5035",
        )

    def _assert_guarded(self, catcher):
        self.assertIn("Register button", str(catcher.exception))
        self.assertIn("only a Director", str(catcher.exception))

    def test_create_registered_refused_below_director(self):
        """A second 上海星河科技有限公司 cannot appear by RPC create."""
        Partner = self.env["res.partner"]
        for user in (self.user_sales, self.user_manager):
            for vals in (
                {"customer_policy_managed": True},
                {"registration_state": "registered"},
                {"registration_date": "2026-01-05"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRefused(UserError, "Register button") as catcher,
                ):
                    Partner.with_user(user).create(
                        self._archive(name="上海星河科技有限公司", **vals)
                    )
                self._assert_guarded(catcher)
        self.assertEqual(
            Partner.search_count([("name", "=", "上海星河科技有限公司")]), 1
        )

    def test_write_registration_refused_below_director(self):
        draft = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create(self._archive(name="上海 星河科技"))
        )
        before = _registration(draft)
        for vals in (
            {"customer_policy_managed": True},
            {"registration_state": "registered"},
            {"registration_date": "2026-01-05"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRefused(UserError, "Register button"),
            ):
                draft.write(vals)
            self.assertEqual(_registration(draft), before)
        # Writing the values it already has changes nothing and is allowed: the
        # web client sends them back when it saves a form.
        draft.write({"customer_policy_managed": False, "registration_state": "draft"})
        # Nor can a registered customer be taken out of the archive.
        mine = self._registered(
            self.user_sales,
            self.team,
            name="杭州本部门有限公司",
            vat=GOOD_USCCS[2],
            phone="+86 571 8888 0001",
        )
        before = _registration(mine)
        with self.assertRefused(UserError, "Register button"):
            mine.with_user(self.user_manager).write({"customer_policy_managed": False})
        self.assertEqual(_registration(mine), before)

    def test_client_context_cannot_switch_the_check_off(self):
        """The flags of the checked paths are not ``True``: a context from the
        client cannot raise them."""
        Partner = self.env["res.partner"].with_user(self.user_sales)
        forged = {
            "customer_policy_registration": True,
            "customer_policy_transfer": True,
            "customer_policy_import": True,
        }
        with self.assertRefused(UserError, "Register button"):
            Partner.with_context(**forged).create(
                self._archive(name="伪造上下文有限公司", customer_policy_managed=True)
            )
        draft = Partner.create(self._archive(name="伪造上下文有限公司"))
        with self.assertRefused(UserError, "ownership transfer"):
            draft.with_context(**forged).write(
                {"customer_developer_id": self.user_sales_2.id}
            )
        with self.assertRefused(UserError, "ownership transfer"):
            Partner.with_context(**forged).create(
                self._archive(
                    name="开发者伪造有限公司", customer_developer_id=self.user_sales.id
                )
            )
        self.assertFalse(draft.customer_developer_id)
        self.assertEqual(draft.registration_state, "draft")

    def test_director_changes_directly_and_visibly(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.user_director)
            .create(self._archive(name="总经理直接登记有限公司", vat=GOOD_USCCS[0]))
        )
        partner.with_user(self.user_director).write({"customer_policy_managed": True})
        self.assertEqual(partner.registration_state, "registered")
        logs = partner.message_ids.filtered(lambda m: "changed directly" in m.body)
        self.assertEqual(len(logs), 1)
        self.assertEqual(logs.author_id, self.user_director.partner_id)
        self.assertIn("General Manager", logs.body)
        self.assertIn("Registered", logs.body)
        self.assertTrue(logs.date)
        created = (
            self.env["res.partner"]
            .with_user(self.user_director)
            .create(
                self._archive(
                    name="总经理新建客户有限公司",
                    vat=GOOD_USCCS[1],
                    customer_policy_managed=True,
                )
            )
        )
        self.assertEqual(created.registration_state, "registered")
        self.assertEqual(
            created.message_ids.filtered(
                lambda m: "changed directly" in m.body
            ).author_id,
            self.user_director.partner_id,
        )
        # The Register button leaves no such trace: it ran the checks.
        checked = self._registered(
            self.user_sales,
            self.team,
            name="按钮登记有限公司",
            vat=LETTER_USCC,
            phone="+86 571 8888 0002",
        )
        self.assertFalse(
            checked.message_ids.filtered(lambda m: "changed directly" in m.body)
        )

    def test_system_paths_keep_working(self):
        """Data files, crons and code running as superuser are not a person."""
        partner = self.env["res.partner"].create(
            self._archive(name="系统写入有限公司", customer_policy_managed=True)
        )
        self.assertEqual(partner.registration_state, "registered")
        self.assertFalse(
            partner.message_ids.filtered(lambda m: "changed directly" in m.body)
        )

    def _new_from(self, action, user):
        """What *New* opens in a window action, as ``user``."""
        context = action.get("context") or {}
        if isinstance(context, str):
            context = safe_eval(context, {"uid": user.id})
        self.assertNotIn("default_customer_policy_managed", context)
        return Form(self.env["res.partner"].with_user(user).with_context(**context))

    def test_new_from_customer_screens_opens_a_draft(self):
        """Customers by Tier, a tier's Customers button and Customers without Owner
        open a draft with the Register button; registering it runs the checks."""
        screens = {
            "by tier": self.env.ref(
                "customer_policy.action_customer_policy_customer_by_tier"
            ).read(["context"])[0],
            "tier button": self.tier_key.with_user(
                self.user_sales
            ).action_view_partners(),
            "without owner": self.env.ref(
                "customer_policy.action_customer_without_owner"
            ).read(["context"])[0],
        }
        view = self.env["res.partner"].get_view(view_type="form")["arch"]
        self.assertIn('name="action_register"', view)
        for screen, action in screens.items():
            user = self.user_manager if screen == "without owner" else self.user_sales
            with self.subTest(screen=screen):
                form = self._new_from(action, user)
                self.assertTrue(form.is_company)
                self.assertEqual(form.registration_state, "draft")
                self.assertFalse(form.customer_policy_managed)
                form.name = "上海星河科技有限公司"
                for name, value in self._archive(vat=VALID_USCC).items():
                    if name not in ("is_company", "industry_id", "country_id"):
                        setattr(form, name, value)
                form.industry_id = self.industry
                form.country_id = self.china
                partner = form.save()
                self.assertEqual(partner.registration_state, "draft")
                self.assertFalse(partner.customer_policy_managed)
                with self.assertRefused(UserError, "another department"):
                    partner.action_register()
                self.assertEqual(partner.registration_state, "draft")
        form = self._new_from(screens["tier button"], self.user_sales)
        form.name = "南通新客户有限公司"
        for name, value in self._archive(vat=GOOD_USCCS[2]).items():
            if name not in ("is_company", "industry_id", "country_id"):
                setattr(form, name, value)
        form.industry_id = self.industry
        form.country_id = self.china
        form.phone = "+86 513 8888 0001"
        partner = form.save()
        partner.action_register()
        self.assertEqual(partner.registration_state, "registered")
        self.assertEqual(partner.customer_developer_id, self.user_sales)

    def test_old_screen_context_is_refused(self):
        """A client still sending the old default gets told, and nothing is
        saved."""
        form = Form(
            self.env["res.partner"]
            .with_user(self.user_sales)
            .with_context(default_is_company=True, default_customer_policy_managed=True)
        )
        form.name = "旧上下文有限公司"
        with self.assertRefused(UserError, "Register button"):
            form.save()
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "旧上下文有限公司")])
        )

    def test_merge_keeps_the_registration_of_the_first(self):
        """Merging a draft duplicate into the registered customer registers the
        survivor as the first registration was: the merge path runs no bypass."""
        draft = (
            self.env["res.partner"]
            .with_user(self.user_sales_2)
            .create(self._archive(name="上海 星河科技", vat=VALID_USCC))
        )
        self.registered.registration_date = "2025-06-01"
        registered_on = self.registered.registration_date
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.user_director)
            .create(
                {
                    "partner_ids": [(6, 0, (draft | self.registered).ids)],
                    "dst_partner_id": draft.id,
                }
            )
        )
        wizard.action_merge()
        self.assertFalse(self.registered.exists())
        draft = draft.sudo()
        self.assertEqual(draft.user_id, self.user_sales_2)
        self.assertEqual(draft.registration_state, "registered")
        self.assertTrue(draft.customer_policy_managed)
        self.assertEqual(draft.registration_date, registered_on)
        self.assertEqual(draft.customer_developer_id, self.user_sales_2)


@tagged("post_install", "-at_install")
class TestRegistrationImport(CustomerArchiveCase):
    """Importing customers registers each row through the Register checks."""

    FIELDS = (
        "name",
        "is_company",
        "vat",
        "legal_representative",
        "industry_id/id",
        "phone",
        "street",
        "city",
        "country_id/id",
        "company_scale",
        "customer_policy_managed",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registered = cls._registered(
            cls.user_sales_2, cls.other_team, name="上海星河科技有限公司"
        )

    def _row(self, name, vat, phone):
        return [
            name,
            "1",
            vat,
            "张三",
            "base.res_partner_industry_J",
            phone,
            "张江路 1 号",
            "上海市",
            "base.cn",
            "medium",
            "1",
        ]

    def _rows(self):
        good = [
            self._row("导入一号有限公司", GOOD_USCCS[0], "+86 21 5555 0001"),
            self._row("导入二号有限公司", GOOD_USCCS[1], "+86 21 5555 0002"),
            self._row("导入三号有限公司", GOOD_USCCS[2], "+86 21 5555 0003"),
        ]
        bad = [
            self._row("校验码错误有限公司", WRONG_USCC, "+86 21 5555 0004"),
            self._row("上海星河科技有限公司", VALID_USCC, "+86 21 5555 0005"),
        ]
        return good, bad

    def _names(self, rows):
        return self.env["res.partner"].search([("name", "in", [r[0] for r in rows])])

    def _assert_refused_rows(self, messages):
        errors = [m for m in messages if m["type"] == "error"]
        self.assertEqual(len(errors), 2, messages)
        self.assertEqual([m["rows"]["from"] for m in errors], [3, 4])
        self.assertIn(WRONG_USCC, errors[0]["message"])
        self.assertIn("Unified Social Credit Code", errors[0]["message"])
        self.assertIn("already registered by another department", errors[1]["message"])
        self.assertIn("Sales User 2", errors[1]["message"])

    def test_load_three_good_two_bad_rows(self):
        good, bad = self._rows()
        Partner = self.env["res.partner"].with_user(self.user_sales)
        result = Partner.load(list(self.FIELDS), good + bad)
        self.assertFalse(result["ids"])
        self._assert_refused_rows(result["messages"])
        # Nothing imported: the refused rows, and with them the batch.
        self.assertFalse(self._names(good + bad) - self.registered)
        # The good rows alone are registered, as the importing user.
        result = Partner.load(list(self.FIELDS), good)
        self.assertEqual(result["messages"], [])
        imported = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(len(imported), 3)
        self.assertEqual(set(imported.mapped("registration_state")), {"registered"})
        self.assertEqual(imported.customer_developer_id, self.user_sales)
        self.assertEqual(imported.user_id, self.user_sales)
        self.assertFalse(
            imported.message_ids.filtered(lambda m: "changed directly" in m.body)
        )

    def test_import_records_screen(self):
        if "base_import.import" not in self.env:
            self.skipTest("base_import is not installed")
        good, bad = self._rows()
        headers = [
            "Name",
            "Is a Company",
            "Tax ID",
            "Legal Representative",
            "Industry",
            "Phone",
            "Street",
            "City",
            "Country",
            "Company Scale",
            "Managed Customer",
        ]
        lines = [headers, *good, *bad]
        content = "\n".join(",".join(f'"{cell}"' for cell in line) for line in lines)
        wizard = (
            self.env["base_import.import"]
            .with_user(self.user_sales)
            .create(
                {
                    "res_model": "res.partner",
                    "file": content.encode(),
                    "file_name": "customers.csv",
                    "file_type": "text/csv",
                }
            )
        )
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "encoding": "utf-8",
        }
        result = wizard.execute_import(list(self.FIELDS), headers, options)
        self._assert_refused_rows(result["messages"])
        self.assertFalse(self._names(good + bad) - self.registered)

    def test_rows_without_registration_stay_drafts(self):
        fields = list(self.FIELDS[:-1])
        rows = [row[:-1] for row in self._rows()[0]]
        result = self.env["res.partner"].with_user(self.user_sales).load(fields, rows)
        imported = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(set(imported.mapped("registration_state")), {"draft"})
        self.assertFalse(imported.customer_developer_id)


@tagged("post_install", "-at_install")
class TestRegistrationRpc(HttpCase):
    """What a script or integration sends over JSON-RPC."""

    def test_rpc_create_and_write(self):
        user = new_test_user(
            self.env,
            login="cp_rpc_sales",
            password="cp_rpc_sales",
            groups="customer_policy.group_user",
        )
        self.authenticate("cp_rpc_sales", "cp_rpc_sales")

        def call(method, args, context=None):
            response = self.url_open(
                f"/web/dataset/call_kw/res.partner/{method}",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "res.partner",
                            "method": method,
                            "args": args,
                            "kwargs": {"context": context or {}},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            response.raise_for_status()
            return response.json()

        forged = {
            "customer_policy_registration": True,
            "customer_policy_transfer": "1",
        }
        vals = {"name": "远程登记有限公司", "is_company": True}
        for context in ({}, forged):
            error = call(
                "create", [[{**vals, "customer_policy_managed": True}]], context
            )
            self.assertEqual(
                error["error"]["data"]["name"], "odoo.exceptions.UserError"
            )
            self.assertIn("Register button", error["error"]["data"]["message"])
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "远程登记有限公司")])
        )
        partner_id = call("create", [[vals]])["result"][0]
        for context in ({}, forged):
            error = call(
                "write",
                [[partner_id], {"registration_state": "registered"}],
                context,
            )
            self.assertIn("Register button", error["error"]["data"]["message"])
            error = call(
                "write", [[partner_id], {"customer_developer_id": user.id}], context
            )
            self.assertIn("ownership transfer", error["error"]["data"]["message"])
        partner = self.env["res.partner"].browse(partner_id)
        self.assertEqual(partner.registration_state, "draft")
        self.assertFalse(partner.customer_policy_managed)
        self.assertFalse(partner.customer_developer_id)
