"""What a caller gets for values the screens never send (RPC, imports, scripts):
a clear error and nothing written, never a server error."""

import base64
from datetime import date

from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.customer_return_schedule import return_visit_dates
from .common import CustomerLedgerCase, hostile_roles, hostile_settings

# Values of the wrong kind for a many2one, as JSON and XML-RPC carry them.
RAW_MANY2ONE = ([1, 2], {"id": 1}, True, "abc", 3.5)


@tagged("post_install", "-at_install")
class TestHostileValues(CustomerLedgerCase):
    def _count(self, model):
        return self.env[model].sudo().search_count([])

    def assertRefusedUnwritten(self, model, method, *args):
        before = self._count(model)
        with self.assertRaises(ValidationError):
            method(*args)
        self.assertEqual(self._count(model), before)

    def test_raw_many2one_values_refused(self):
        installment = self._agreement().installment_ids[0]
        cases = (
            ("customer.agreement", "partner_id", {"title": "Spare parts"}),
            ("customer.visit", "partner_id", {"planned_date": "2026-03-01 09:00"}),
            ("customer.collection.action", "installment_id", {}),
            ("customer.access.request", "partner_id", {"reason": "Need it"}),
            (
                "customer.agreement.installment",
                "agreement_id",
                {"due_date": "2026-05-01", "amount": 10.0},
            ),
            # Their overrides read the customer or the plan before the values
            # reach the ORM: the check comes before every override.
            ("customer.return.schedule", "partner_id", {}),
            ("customer.development.plan.line", "plan_id", {}),
            ("customer.care.event", "partner_id", {}),
        )
        for model, field, vals in cases:
            Model = self.env[model].with_user(self.user_sales)
            for value in RAW_MANY2ONE:
                with self.subTest(model=model, value=value):
                    self.assertRefusedUnwritten(
                        model, Model.create, {**vals, field: value}
                    )
        visit = (
            self.env["customer.visit"]
            .with_user(self.user_sales)
            .create(
                {"partner_id": self.customer.id, "planned_date": "2026-03-01 09:00"}
            )
        )
        for value in RAW_MANY2ONE:
            with self.subTest(value=value):
                with self.assertRaises(ValidationError):
                    visit.write({"partner_id": value})
                with self.assertRaises(ValidationError):
                    self.customer.write({"customer_tier_id": value})
                with self.assertRaises(ValidationError):
                    installment.write({"agreement_id": value})
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(installment.amount, 600.0)

    def test_malformed_commands_refused(self):
        request = self.env["customer.access.request"].create(
            {
                "partner_id": self.customer.id,
                "requester_id": self.user_sales_2.id,
                "reason": "Cover a colleague",
            }
        )
        Wizard = self.env["customer.access.refuse.wizard"]
        for commands in ([(0, 0, "x")], [(6, 0, "x")], [(9, 1)], "x", [("a",)]):
            with self.subTest(commands=commands):
                self.assertRefusedUnwritten(
                    Wizard._name,
                    Wizard.create,
                    {"request_ids": commands, "reason": "No"},
                )
        self.assertEqual(request.state, "pending")

    def test_unknown_complaint_state(self):
        complaint = self.env["customer.complaint"].create(
            {"partner_id": self.customer.id, "description": "Late delivery"}
        )
        with self.assertRaises(ValidationError):
            complaint.write({"state": "exploded"})
        # Reached from code, the transition check names the step instead of failing.
        with self.assertRaises(UserError):
            complaint._customer_policy_check_transition({"state": "exploded"})
        self.assertEqual(complaint.state, "new")

    @freeze_time("2026-01-01 08:00:00")
    def test_return_schedule_ends_on_the_last_date(self):
        schedule = self.env["customer.return.schedule"].create(
            {
                "partner_id": self.customer.id,
                "name": "Open-ended supply",
                "delivery_date": "2026-01-15",
                "end_date": "9999-12-31",
            }
        )
        visits = self.env["customer.visit"].search(
            [("return_schedule_id", "=", schedule.id)]
        )
        # Twelve months ahead (to 2027-01-01): monthly from 2026-02-15 to
        # 2026-12-15, eleven visits; the cron moves the horizon on.
        self.assertEqual(len(visits), 11)
        self.assertEqual(max(visits.mapped("planned_date")).date(), date(2026, 12, 15))
        # A delivery at the end of the calendar plans what the calendar holds.
        self.assertEqual(
            return_visit_dates(date(9999, 6, 1), date(9999, 12, 31), 12, 1, 3),
            [date(9999, month, 1) for month in range(7, 13)],
        )
        with self.assertRaises(ValidationError):
            schedule.delivery_date = False
        with self.assertRaises(ValidationError):
            schedule.write({"end_date": "10000-01-01"})

    def test_action_on_missing_record(self):
        with self.assertRaises(MissingError):
            self.env["customer.agreement"].browse([0]).action_submit_legal()

    def test_file_not_in_base64_refused(self):
        """A file stored as an attachment comes in base64, as the web client
        sends it: anything else gets a clear error, and nothing is saved."""
        Export = self.env["customer.policy.xlsx.export"]
        wizard = Export.create({"report": "kpi"})
        for value in ("not base64!", "A", "QUJ"):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError) as catcher:
                    wizard.write({"xlsx_file": value})
                self.assertIn(
                    Export._fields["xlsx_file"].string, str(catcher.exception)
                )
                before = self._count("customer.policy.xlsx.export")
                with self.assertRaises(ValidationError):
                    Export.create({"report": "kpi", "xlsx_file": value})
                self.assertEqual(self._count("customer.policy.xlsx.export"), before)
        self.assertFalse(wizard.xlsx_file)
        # A file in base64 is saved and read back.
        wizard.write({"xlsx_file": base64.b64encode(b"PK workbook")})
        self.assertEqual(base64.b64decode(wizard.xlsx_file), b"PK workbook")

    def test_overlong_texts_refused(self):
        Partner = self.env["res.partner"].with_user(self.user_sales)
        for vals in (
            {"name": "客" * 3000},
            {"name": "Long Phone Ltd", "phone": "1" * 3000},
            {"name": "Long Mobile Ltd", "mobile": "1" * 3000},
            {"name": "Long Tax Ltd", "vat": "9" * 3000},
            {"name": "Long USCC Ltd", "company_registry": "9" * 3000},
            {"name": "Long Mail Ltd", "email": "a@" + "b" * 3000 + ".cn"},
            # An individual's identity feeds indexed keys of its own.
            {"name": "张三", "is_company": False, "resident_id_number": "1" * 3000},
            {"name": "李四", "is_company": False, "personal_mobile": "1" * 3000},
        ):
            field = list(vals)[-1]
            with self.subTest(field=field):
                before = self._count("res.partner")
                with self.assertRaises(ValidationError) as catcher:
                    Partner.create({"is_company": True, **vals})
                # The message names the field and its limit, in words.
                self.assertIn(
                    Partner._fields[field].string,
                    str(catcher.exception),
                )
                self.assertIn("at most", str(catcher.exception))
                self.assertEqual(self._count("res.partner"), before)
        for field, value in (
            ("name", "x" * 3000),
            ("vat", "9" * 3000),
            ("company_registry", "9" * 3000),
            ("phone", "1" * 3000),
        ):
            with self.subTest(write=field), self.assertRaises(ValidationError):
                self.customer.with_user(self.user_sales).write({field: value})
        self.assertEqual(self.customer.name, "协议测试客户有限公司")
        self.assertFalse(self.customer.vat)

    def test_required_field_not_emptied(self):
        """Emptying a required field gets a message naming it, before the
        constraints that read it (the ledger's period) run on nothing."""
        report = self.env["customer.ledger.report"].with_user(self.user_finance)
        report = report.create({})
        for field in ("date_from", "date_to", "company_id"):
            for value in (None, False):
                with self.subTest(field=field, value=value):
                    with self.assertRaises(ValidationError) as catcher:
                        report.write({field: value})
                    self.assertIn("cannot be left empty", str(catcher.exception))
        self.assertTrue(report.date_from and report.date_to and report.company_id)
        with self.assertRaises(ValidationError):
            report.create({"date_to": None})

    def test_checked_without_the_check_on_top(self):
        """Odoo's automation rules take every patched create and write away when
        one is edited, ours too: the check at the bottom of the chain then
        still refuses what the overrides above it do not read."""
        for model, vals in (
            ("res.partner", {"name": "客" * 3000, "is_company": True}),
            (
                "customer.agreement",
                {"partner_id": self.customer.id, "title": "x" * 5000},
            ),
        ):
            cls = self.env.registry[model]
            for name in ("create", "write"):
                top = cls.__dict__[name]
                self.assertTrue(top._customer_policy_checked, f"{model}.{name}")
                delattr(cls, name)
                self.addCleanup(setattr, cls, name, top)
            with self.subTest(model=model):
                self.assertRefusedUnwritten(
                    model, self.env[model].with_user(self.user_sales).create, vals
                )


def _hostile_values():
    return st.one_of(
        st.lists(st.integers(-3, 3), max_size=3),
        st.dictionaries(st.sampled_from(["id", "x"]), st.integers(-1, 2), max_size=2),
        st.booleans(),
        st.none(),
        st.text(max_size=12),
        st.sampled_from(
            [
                "x" * 3000,
                "客" * 3000,
                "9999-12-31",
                "10000-01-01",
                "0000-00-00",
                [(0, 0, "x")],
                [(6, 0, "x")],
                [(1, 0, {})],
                [(4, "x")],
            ]
        ),
        st.floats(),
        st.integers(min_value=-(2**70), max_value=2**70),
    )


@tagged("post_install", "-at_install")
class TestHostileProperty(CustomerLedgerCase):
    """Any model of any customer_policy addon, any stored field, a hostile value,
    any role: create or write gives only a clear refusal. A database constraint
    (NOT NULL, foreign key, unique) counts as one: Odoo's RPC layer turns it into
    a ValidationError before the user sees it."""

    ALLOWED = (UserError, AccessError, MissingError, IntegrityError)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles = hostile_roles(cls)
        # A record of each model to write on.
        agreement = cls._agreement(cls)
        cls.env["customer.visit"].create(
            {"partner_id": cls.customer.id, "planned_date": "2026-03-01 09:00"}
        )
        cls.env["customer.complaint"].create(
            {"partner_id": cls.customer.id, "description": "Late delivery"}
        )
        cls.env["customer.collection.action"].create(
            {"installment_id": agreement.installment_ids[0].id}
        )
        cls.targets = []
        for name, model in cls.env.registry.items():
            if (
                model._abstract
                or not model._auto
                or not (model._original_module or "").startswith("customer_policy")
            ):
                continue
            names = [
                fname
                for fname, field in model._fields.items()
                if field.store and fname not in models_magic(model)
            ]
            cls.targets.append((name, sorted(names)))
        cls.targets.sort()

    def _refused(self, call):
        """Run ``call``; True when it was refused with an allowed error."""
        try:
            # A refusal by a database constraint is logged by the cursor.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                call()
        except self.ALLOWED:
            return True
        finally:
            self.env.invalidate_all()
        return False

    @hostile_settings(max_examples=250)
    @given(data=st.data())
    def test_hostile_create_and_write(self, data):
        name, field_names = data.draw(st.sampled_from(self.targets), label="model")
        fname = data.draw(st.sampled_from(field_names), label="field")
        value = data.draw(_hostile_values(), label="value")
        user = data.draw(st.sampled_from(self.roles), label="role")
        Model = self.env[name].with_user(user)
        before = self.env[name].sudo().search_count([])
        if self._refused(lambda: Model.create({fname: value})):
            self.assertEqual(self.env[name].sudo().search_count([]), before)
        record = self.env[name].sudo().search([], limit=1)
        if not record:
            return
        before = record.read([fname])
        if self._refused(lambda: record.with_user(user).write({fname: value})):
            self.assertEqual(record.read([fname]), before)


def models_magic(model):
    return set(MAGIC_COLUMNS) | {"display_name"}
