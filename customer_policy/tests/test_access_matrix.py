"""Who may do what, per role, model and operation (客户信息安全).

The matrix is data: add a model's row to ``MATRIX`` (and its record factories to
``FACTORIES``) and every role is checked on it for read (``read``, ``search``,
``read_group``, ``name_search``, ``export_data``), write, create and unlink.
A letter in a cell allows the operation; every other operation must raise
AccessError (or, for searches, find nothing). ``BUSINESS_ERRORS`` lists the cells that
a business rule refuses with another error by design.
"""

import ast

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CustomerAccessCase

ROLES = (
    "owner",
    "same_dept_user",
    "other_dept_user",
    "manager",
    "other_manager",
    "director",
    "legal",
    "finance",
    "service",
    "portal",
    "public",
)

# model -> role -> allowed operations: r(ead) w(rite) c(reate) u(nlink)
MATRIX = {
    # A managed customer owned by "owner" in the department "manager" leads.
    # Create = add a contact person to it; write = change its phone.
    "res.partner": {
        "owner": "rwcu",
        "same_dept_user": "",
        "other_dept_user": "",
        "manager": "rwcu",
        "other_manager": "",
        "director": "rwcu",
        "legal": "",
        "finance": "",
        "service": "r",
        "portal": "",
        "public": "",
    },
    "customer.tier": {
        "owner": "r",
        "same_dept_user": "r",
        "other_dept_user": "r",
        "manager": "r",
        "other_manager": "r",
        "director": "rwcu",
        "legal": "r",
        "finance": "r",
        "service": "r",
        "portal": "",
        "public": "",
    },
    # A pending request of "other_dept_user" for the customer. Create = request
    # access to a customer of a third department.
    "customer.access.request": {
        "owner": "rc",
        "same_dept_user": "c",
        "other_dept_user": "rwc",
        "manager": "rc",
        "other_manager": "c",
        "director": "rw",
        "legal": "",
        "finance": "",
        "service": "",
        "portal": "",
        "public": "",
    },
    # An entry of the access log about the customer.
    "customer.access.log": {
        "owner": "",
        "same_dept_user": "",
        "other_dept_user": "",
        "manager": "",
        "other_manager": "",
        "director": "r",
        "legal": "",
        "finance": "",
        "service": "",
        "portal": "",
        "public": "",
    },
    # A planned visit of the owner to the customer. Create = plan one for it.
    "customer.visit": {
        "owner": "rwcu",
        "same_dept_user": "",
        "other_dept_user": "",
        "manager": "rwcu",
        "other_manager": "",
        "director": "rwcu",
        "legal": "",
        "finance": "",
        "service": "",
        "portal": "",
        "public": "",
    },
    # A return-visit schedule of the customer (its planned visits come with it).
    "customer.return.schedule": {
        "owner": "rwc",
        "same_dept_user": "",
        "other_dept_user": "",
        "manager": "rwcu",
        "other_manager": "",
        "director": "rwcu",
        "legal": "",
        "finance": "",
        "service": "",
        "portal": "",
        "public": "",
    },
}

# A Director already reads every customer: requesting access is refused as useless.
BUSINESS_ERRORS = {("customer.access.request", "director", "c"): UserError}


def _once(case, key, make):
    """The record a factory made for this test, made on first use."""
    attr = f"_matrix_{key}"
    if not getattr(case, attr, None):
        setattr(case, attr, make(case))
    return getattr(case, attr)


def _partner_record(case):
    return case.customer


def _partner_fresh(case):
    return case.env["res.partner"].create(
        {
            "name": "Fresh Customer Ltd",
            "is_company": True,
            "customer_policy_managed": True,
            "user_id": case.user_sales.id,
            "team_id": case.team.id,
        }
    )


def _partner_create(case, user):
    return (
        case.env["res.partner"]
        .with_user(user)
        .create({"name": "新联系人", "parent_id": case.customer.id})
    )


def _tier_record(case):
    return case.env.ref("customer_policy.customer_tier_key")


def _tier_fresh(case):
    code = f"matrix_{case.env['customer.tier'].search_count([]) + 1}"
    return case.env["customer.tier"].create({"name": "Matrix Tier", "code": code})


def _tier_create(case, user):
    return (
        case.env["customer.tier"]
        .with_user(user)
        .create({"name": "New Tier", "code": f"new_{user.id}"})
    )


def _request_record(case):
    return case.request


def _request_fresh(case):
    # A closed request: several may exist for the same user and customer.
    return case.env["customer.access.request"].create(
        {
            "partner_id": case.customer.id,
            "requester_id": case.user_same.id,
            "reason": "Fresh request",
            "state": "refused",
        }
    )


def _request_create(case, user):
    return (
        case.env["customer.access.request"]
        .with_user(user)
        .create({"partner_id": case.customer_far.id, "reason": "Joint project"})
    )


def _log_record(case):
    return case.log


def _log_fresh(case):
    return case.env["customer.access.log"]._customer_policy_log(case.customer, "read")


def _log_create(case, user):
    return (
        case.env["customer.access.log"]
        .with_user(user)
        .create(
            {
                "user_id": user.id,
                "partner_id": case.customer.id,
                "action": "read",
                "company_id": case.env.company.id,
            }
        )
    )


def _visit_fresh(case):
    return case.env["customer.visit"].create(
        {"partner_id": case.customer.id, "purpose": "Renewal talk"}
    )


def _visit_record(case):
    return _once(case, "visit", _visit_fresh)


def _visit_create(case, user):
    return (
        case.env["customer.visit"]
        .with_user(user)
        .create({"partner_id": case.customer.id, "purpose": "Planned by role"})
    )


def _schedule_vals(case):
    return {
        "partner_id": case.customer.id,
        "name": "ERP delivery",
        "delivery_date": "2026-01-10",
        "end_date": "2026-03-10",
    }


def _schedule_fresh(case):
    return case.env["customer.return.schedule"].create(_schedule_vals(case))


def _schedule_record(case):
    return _once(case, "schedule", _schedule_fresh)


def _schedule_create(case, user):
    return (
        case.env["customer.return.schedule"]
        .with_user(user)
        .create(_schedule_vals(case))
    )


# model -> (existing record, fresh record to delete, create as user,
#           field to read/export, values to write)
FACTORIES = {
    "res.partner": (
        _partner_record,
        _partner_fresh,
        _partner_create,
        "name",
        {"phone": "+86 21 0000 0000"},
    ),
    "customer.tier": (
        _tier_record,
        _tier_fresh,
        _tier_create,
        "name",
        {"visit_min_count": 3},
    ),
    "customer.access.request": (
        _request_record,
        _request_fresh,
        _request_create,
        "reason",
        {"reason": "Updated reason"},
    ),
    "customer.access.log": (
        _log_record,
        _log_fresh,
        _log_create,
        "partner_name",
        {"detail": "tampered"},
    ),
    "customer.visit": (
        _visit_record,
        _visit_fresh,
        _visit_create,
        "purpose",
        {"purpose": "Updated purpose"},
    ),
    "customer.return.schedule": (
        _schedule_record,
        _schedule_fresh,
        _schedule_create,
        "name",
        {"name": "Updated delivery"},
    ),
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(CustomerAccessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._request(cls.user_sales_2, cls.customer)
        cls.log = cls.env["customer.access.log"]._customer_policy_log(
            cls.customer.with_user(cls.user_sales), "read"
        )

    def _hidden(self, func):
        """A forbidden search finds nothing, or is refused outright."""
        try:
            return not func()
        except AccessError:
            return True

    def _check_read(self, model, role, record, field, allowed):
        user = self.roles[role]
        Model = self.env[model].with_user(user)
        mine = record.with_user(user)
        domain = [("id", "=", record.id)]
        if allowed:
            self.assertTrue(mine.read([field])[0][field])
            self.assertEqual(Model.search(domain), mine)
            groups = Model.read_group(domain, ["__count"], [])
            self.assertEqual(groups[0]["__count"], 1)
            self.assertIn(record.id, [i for i, _n in Model.name_search("", domain)])
            self.assertTrue(mine.export_data([field])["datas"])
            return
        with self.assertRaises(AccessError):
            mine.read([field])
        with self.assertRaises(AccessError):
            mine.export_data([field])
        self.assertTrue(self._hidden(lambda: Model.search(domain)))
        self.assertTrue(
            self._hidden(
                lambda: Model.read_group(domain, ["__count"], [])[0]["__count"]
            )
        )
        self.assertTrue(self._hidden(lambda: Model.name_search("", domain)))

    def _check_write(self, model, role, record, vals, allowed):
        mine = record.with_user(self.roles[role])
        if allowed:
            mine.write(vals)
            for name, value in vals.items():
                self.assertEqual(record[name], value)
        else:
            with self.assertRaises(
                BUSINESS_ERRORS.get((model, role, "w")) or AccessError
            ):
                mine.write(vals)

    def _check_create(self, model, role, create, allowed):
        user = self.roles[role]
        business = BUSINESS_ERRORS.get((model, role, "c"))
        if allowed:
            self.assertTrue(create(self, user).exists())
        else:
            with self.assertRaises(business or AccessError):
                create(self, user)

    def _check_unlink(self, model, role, fresh, allowed):
        record = fresh(self)
        mine = record.with_user(self.roles[role])
        if allowed:
            mine.unlink()
            self.assertFalse(record.exists())
        else:
            with self.assertRaises(AccessError):
                mine.unlink()
            self.assertTrue(record.exists())

    def test_matrix_is_complete(self):
        self.assertEqual(set(MATRIX), set(FACTORIES))
        for model, cells in MATRIX.items():
            self.assertEqual(set(cells), set(ROLES), model)
            self.assertEqual(set(self.roles), set(ROLES))

    def test_matrix(self):
        for model, cells in MATRIX.items():
            record_of, fresh, create, field, vals = FACTORIES[model]
            for role in ROLES:
                allowed = cells[role]
                with self.subTest(model=model, role=role, op="read"):
                    self._check_read(
                        model, role, record_of(self), field, "r" in allowed
                    )
                with self.subTest(model=model, role=role, op="write"):
                    self._check_write(
                        model, role, record_of(self), vals, "w" in allowed
                    )
                with self.subTest(model=model, role=role, op="create"):
                    self._check_create(model, role, create, "c" in allowed)
                with self.subTest(model=model, role=role, op="unlink"):
                    self._check_unlink(model, role, fresh, "u" in allowed)

    def test_contacts_follow_their_customer(self):
        for role in ROLES:
            with self.subTest(role=role):
                self._check_read(
                    "res.partner",
                    role,
                    self.contact,
                    "name",
                    "r" in MATRIX["res.partner"][role],
                )

    def test_service_desk_reads_but_never_writes(self):
        customer = self.customer.with_user(self.user_service)
        self.assertEqual(customer.phone, "+86 21 5912 4478")
        self.assertEqual(customer.user_id, self.user_sales)
        self.assertEqual(customer.team_id, self.team)
        for vals in ({"phone": "1"}, {"user_id": self.user_service.id}):
            with self.assertRaises(AccessError):
                customer.write(vals)
        with self.assertRaises(AccessError):
            self.contact.with_user(self.user_service).write({"email": "x@example.com"})
        # Nor the other models of the archive.
        with self.assertRaises(AccessError):
            self.request.with_user(self.user_service).read(["reason"])

    def test_confidential_archive_fields(self):
        """Budget, decision process and the like stay with the policy's ranks: the
        service desk, which reads every customer, reads its identity only."""
        confidential = (
            "budget_amount",
            "decision_process",
            "purchase_preferences",
            "business_needs",
            "legal_representative",
            "registered_capital",
        )
        self.customer.sudo().write(
            {"budget_amount": 500000, "decision_process": "总经理决策"}
        )
        customer = self.customer.with_user(self.user_service)
        for name in confidential:
            with self.subTest(field=name), self.assertRaises(AccessError):
                customer.read([name])
        with self.assertRaises(AccessError):
            customer.export_data(["name", "budget_amount"])
        with self.assertRaises(AccessError):
            customer.search([("budget_amount", ">", 0)])
        # The service desk still reads who the customer is.
        values = self.customer.with_user(self.user_service).read(["name", "phone"])
        self.assertEqual(values[0]["phone"], "+86 21 5912 4478")
        # The owner reads its archive in full.
        values = self.customer.with_user(self.user_sales).read(list(confidential))
        self.assertEqual(values[0]["budget_amount"], 500000)
        self.assertEqual(values[0]["decision_process"], "总经理决策")

    def test_related_paths_open_nothing(self):
        """A record one may read does not open the customer it points to."""
        request = self.request.with_user(self.user_sales_2)
        # The name (and owner, department) of the customer show on the request...
        values = request.read(["partner_id", "user_id", "team_id"])[0]
        self.assertEqual(values["partner_id"][1], self.customer.display_name)
        self.assertEqual(values["user_id"][0], self.user_sales.id)
        # ... but nothing else of it opens, by field access, export or search.
        with self.assertRaises(AccessError):
            self.assertTrue(request.partner_id.phone)
        with self.assertRaises(AccessError):
            request.export_data(["partner_id/phone"])
        Request = self.env["customer.access.request"].with_user(self.user_sales_2)
        self.assertFalse(
            Request.search([("partner_id.phone", "=", self.customer.phone)])
        )
        Partner = self.env["res.partner"].with_user(self.user_same)
        self.assertFalse(Partner.search([("child_ids.name", "=", self.contact.name)]))
        self.assertFalse(Partner.search([("parent_id.vat", "=", self.customer.vat)]))
        groups = Partner.read_group(
            [("customer_policy_managed", "=", True)], ["__count"], ["user_id"]
        )
        owners = {g["user_id"][0] for g in groups if g["user_id"]}
        self.assertNotIn(self.user_sales.id, owners)

    def test_service_desk_is_not_a_salesperson(self):
        """The service desk reads every customer: combined with the User rank it
        would open the confidential archive of all of them."""
        group_user = self.env.ref("customer_policy.group_user")
        with self.assertRaises(ValidationError):
            self.user_service.groups_id = [(4, group_user.id)]
        with self.assertRaises(ValidationError):
            new_test_user(
                self.env,
                login="cp_both",
                groups="customer_policy.group_manager,customer_policy.group_service",
            )
        # A Director reads everything anyway.
        self.user_director.groups_id = [
            (4, self.env.ref("customer_policy.group_service").id)
        ]
        self.assertTrue(self.user_director.has_group("customer_policy.group_service"))

    def test_other_companies_stay_closed(self):
        other_company = self.env["res.company"].create({"name": "深圳分公司"})
        customer = self.env["res.partner"].create(
            {
                "name": "深圳客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "company_id": other_company.id,
            }
        )
        request = self.env["customer.access.request"].create(
            {
                "partner_id": customer.id,
                "requester_id": self.user_same.id,
                "reason": "Other company",
            }
        )
        log = self.env["customer.access.log"]._customer_policy_log(customer, "read")
        self.assertEqual(request.company_id, other_company)
        self.assertEqual(log.company_id, other_company)
        for record in (customer, request, log):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.user_director).read(["display_name"])
        self.user_director.company_ids = [(4, other_company.id)]
        director = self.user_director
        for record in (customer, request, log):
            with self.subTest(model=record._name):
                mine = record.with_user(director).with_context(
                    allowed_company_ids=[self.env.company.id, other_company.id]
                )
                self.assertTrue(mine.read(["display_name"]))


# --- Complaints (issue 5) ------------------------------------------------------
# A complaint about the customer, received and handled by the administrator.
# Create = any employee records a complaint for a customer it cannot read (首问负责制);
# the service desk reads every complaint.
MATRIX["customer.complaint"] = {
    "owner": "rwc",
    "same_dept_user": "c",
    "other_dept_user": "c",
    "manager": "rwc",
    "other_manager": "c",
    "director": "rwcu",
    "legal": "c",
    "finance": "c",
    "service": "rc",
    "portal": "",
    "public": "",
}


def _complaint_record(case):
    if not getattr(case, "_matrix_complaint", None):
        case._matrix_complaint = case.env["customer.complaint"].create(
            {
                "partner_id": case.customer.id,
                "first_responder_id": case.user_admin.id,
                "user_id": case.user_admin.id,
                "description": "<p>Matrix complaint</p>",
            }
        )
    return case._matrix_complaint


def _complaint_fresh(case):
    return case.env["customer.complaint"].create(
        {
            "partner_id": case.customer.id,
            "first_responder_id": case.user_admin.id,
            "user_id": case.user_admin.id,
        }
    )


def _complaint_create(case, user):
    return (
        case.env["customer.complaint"]
        .with_user(user)
        .create({"partner_id": case.customer_far.id, "severity": "major"})
    )


FACTORIES["customer.complaint"] = (
    _complaint_record,
    _complaint_fresh,
    _complaint_create,
    "name",
    {"solution": "更换主板"},
)


# --- Agreements and the payment ledger (issue 6) -------------------------------
# A draft agreement of the owner with the customer, its installments, a posted
# payment of Finance with its allocation, and a collection action of the owner.
# Legal reviews agreements and Finance keeps the ledger: both read, neither drafts
# agreements; only Finance records payments; allocations are written by posting.
_LEDGER_READERS = {"owner": "r", "manager": "r", "director": "r", "finance": "r"}
MATRIX["customer.agreement"] = dict.fromkeys(ROLES, "") | {
    "owner": "rwcu",
    "manager": "rwcu",
    "director": "rwcu",
    "legal": "r",
    "finance": "r",
}
MATRIX["customer.agreement.installment"] = dict(MATRIX["customer.agreement"])
MATRIX["customer.payment"] = (
    dict.fromkeys(ROLES, "") | _LEDGER_READERS | {"finance": "rwcu"}
)
MATRIX["customer.payment.allocation"] = dict.fromkeys(ROLES, "") | _LEDGER_READERS
MATRIX["customer.collection.action"] = dict.fromkeys(ROLES, "") | {
    "owner": "rwc",
    "manager": "rwc",
    "director": "rwcu",
    "finance": "rwc",
}


def _agreement_vals(case, **vals):
    return {
        "partner_id": case.customer.id,
        "title": "Annual maintenance",
        "amount_total": 1000.0,
        "date_start": "2026-01-01",
        "date_end": "2026-12-31",
        **vals,
    }


def _agreement_fresh(case):
    return case.env["customer.agreement"].create(_agreement_vals(case))


def _agreement_record(case):
    return _once(case, "agreement", _agreement_fresh)


def _agreement_create(case, user):
    return (
        case.env["customer.agreement"]
        .with_user(user)
        .create(_agreement_vals(case, title="Drafted by role"))
    )


def _installment_vals(case):
    return {
        "agreement_id": _agreement_record(case).id,
        "due_date": "2026-06-30",
        "amount": 500.0,
    }


def _installment_fresh(case):
    return case.env["customer.agreement.installment"].create(_installment_vals(case))


def _installment_record(case):
    return _once(case, "installment", _installment_fresh)


def _installment_create(case, user):
    return (
        case.env["customer.agreement.installment"]
        .with_user(user)
        .create(_installment_vals(case))
    )


def _active_installment(case):
    """An installment of an active agreement, that payments are allocated to."""
    if not getattr(case, "_matrix_active_installment", None):
        agreement = case.env["customer.agreement"].create(
            _agreement_vals(
                case,
                installment_ids=[
                    Command.create({"due_date": "2026-03-31", "amount": 1000.0})
                ],
            )
        )
        # Reviewed and signed: the workflow itself is tested in test_agreement.
        agreement.write({"state": "active", "name": "HT-MATRIX"})
        case._matrix_active_installment = agreement.installment_ids
    return case._matrix_active_installment


def _payment_vals(case):
    installment = _active_installment(case)
    return {
        "partner_id": case.customer.id,
        "agreement_id": installment.agreement_id.id,
        "amount": 10.0,
        "date": "2026-02-01",
    }


def _payment_fresh(case):
    return case.env["customer.payment"].create(_payment_vals(case))


def _payment_record(case):
    if not getattr(case, "_matrix_payment", None):
        case._matrix_payment = _payment_fresh(case)
        case._matrix_payment.action_post()
    return case._matrix_payment


def _payment_create(case, user):
    return case.env["customer.payment"].with_user(user).create(_payment_vals(case))


def _allocation_fresh(case):
    payment = _payment_fresh(case)
    payment.action_post()
    return payment.allocation_ids


def _allocation_record(case):
    return _payment_record(case).allocation_ids


def _allocation_create(case, user):
    return (
        case.env["customer.payment.allocation"]
        .with_user(user)
        .create(
            {
                "payment_id": _payment_record(case).id,
                "installment_id": _active_installment(case).id,
                "amount": 1.0,
            }
        )
    )


def _collection_vals(case, **vals):
    return {
        "installment_id": _active_installment(case).id,
        "action_type": "call",
        "customer_reason": "Waiting for the budget",
        **vals,
    }


def _collection_fresh(case):
    return case.env["customer.collection.action"].create(
        _collection_vals(case, user_id=case.user_sales.id)
    )


def _collection_record(case):
    return _once(case, "collection", _collection_fresh)


def _collection_create(case, user):
    # Naming oneself as the one who called must not open the customer's ledger.
    return (
        case.env["customer.collection.action"]
        .with_user(user)
        .create(_collection_vals(case, user_id=user.id))
    )


FACTORIES.update(
    {
        "customer.agreement": (
            _agreement_record,
            _agreement_fresh,
            _agreement_create,
            "title",
            {"scope": "Spare parts and on-site support"},
        ),
        "customer.agreement.installment": (
            _installment_record,
            _installment_fresh,
            _installment_create,
            "amount",
            {"amount": 400.0},
        ),
        "customer.payment": (
            _payment_record,
            _payment_fresh,
            _payment_create,
            "amount",
            {"reference": "BANK-0042"},
        ),
        "customer.payment.allocation": (
            _allocation_record,
            _allocation_fresh,
            _allocation_create,
            "amount",
            {"amount": 1.0},
        ),
        "customer.collection.action": (
            _collection_record,
            _collection_fresh,
            _collection_create,
            "customer_reason",
            {"result": "Promised to pay next week"},
        ),
    }
)


@tagged("post_install", "-at_install")
class TestLandingAction(CustomerAccessCase):
    def test_app_opens_on_each_roles_daily_work(self):
        landing = self.env.ref("customer_policy.action_customer_policy_landing")
        internal = new_test_user(self.env, login="cp_landing_employee")
        expected = {
            self.user_sales: "action_customer_visit_my_plan",
            self.user_manager: "action_customer_visit_team_plan",
            self.user_director: "action_customer_visit_team_plan",
            self.user_service: "action_customer_complaint",
            self.user_legal: "action_customer_agreement_review",
            self.user_finance: "action_customer_agreement_installment",
            internal: "action_customer_complaint",
        }
        for user, xmlid in expected.items():
            with self.subTest(user=user.login):
                action = landing.with_user(user).run()
                self.assertEqual(
                    action["id"], self.env.ref(f"customer_policy.{xmlid}").id
                )
                # The user can open what the app lands on.
                self.env[action["res_model"]].with_user(user).search([], limit=1)
        with self.assertRaises(AccessError):
            landing.with_user(self.user_portal).run()

    def test_managers_land_on_their_departments_plan(self):
        """A manager starts the day on the week's visits of the departments they
        lead, by visitor; a Director on everyone's. Not on their own plan, which
        is empty: managers seldom visit."""
        landing = self.env.ref("customer_policy.action_customer_policy_landing")
        Visit = self.env["customer.visit"]
        visits = {
            customer: Visit.create(
                {
                    "partner_id": customer.id,
                    "planned_date": "2026-12-02 02:00:00",
                    "visit_type": "visit",
                }
            )
            for customer in (self.customer, self.customer_other, self.customer_far)
        }
        expected = {
            self.user_manager: visits[self.customer],
            self.user_other_manager: visits[self.customer_other],
            self.user_director: Visit.union(*visits.values()),
        }
        for user, seen in expected.items():
            with self.subTest(user=user.login):
                action = landing.with_user(user).run()
                context = ast.literal_eval(action["context"])
                found = Visit.with_user(user).search(ast.literal_eval(action["domain"]))
                self.assertEqual(found & Visit.union(*visits.values()), seen)
                # The default filters and grouping exist in the search view.
                arch = Visit.with_user(user).get_views([(False, "search")])["views"][
                    "search"
                ]["arch"]
                for key in context:
                    self.assertIn(f'name="{key.removeprefix("search_default_")}"', arch)
                self.assertIn("search_default_group_user", context)


# --- Tier history (issue 3) and root causes (issue 5) --------------------------
# A row of the customer's tier history: read like the customer, never changed (an
# audit trail: writing is refused with a UserError by design), never created or
# deleted by hand.
MATRIX["customer.tier.history"] = dict.fromkeys(ROLES, "") | {
    "owner": "r",
    "manager": "r",
    "director": "r",
}
for _role in ROLES:
    BUSINESS_ERRORS[("customer.tier.history", _role, "w")] = UserError
# Root-cause categories: every employee picks one, Directors keep the list.
MATRIX["customer.complaint.root.cause"] = dict.fromkeys(ROLES, "r") | {
    "director": "rwcu",
    "portal": "",
    "public": "",
}


def _history_fresh(case):
    return case.env["customer.tier.history"].create(
        {
            "partner_id": case.customer.id,
            "new_tier_id": case.env.ref("customer_policy.customer_tier_general").id,
            "reason": "Graded at the annual review",
        }
    )


def _history_record(case):
    return _once(case, "history", _history_fresh)


def _history_create(case, user):
    return (
        case.env["customer.tier.history"]
        .with_user(user)
        .create(
            {
                "partner_id": case.customer.id,
                "new_tier_id": case.env.ref("customer_policy.customer_tier_key").id,
                "reason": "Forged",
            }
        )
    )


def _root_cause_fresh(case):
    return case.env["customer.complaint.root.cause"].create({"name": "Fresh cause"})


def _root_cause_record(case):
    return _once(case, "root_cause", _root_cause_fresh)


def _root_cause_create(case, user):
    return (
        case.env["customer.complaint.root.cause"]
        .with_user(user)
        .create({"name": "Packaging"})
    )


FACTORIES.update(
    {
        "customer.tier.history": (
            _history_record,
            _history_fresh,
            _history_create,
            "reason",
            {"reason": "Rewritten"},
        ),
        "customer.complaint.root.cause": (
            _root_cause_record,
            _root_cause_fresh,
            _root_cause_create,
            "name",
            {"description": "Late delivery by the carrier"},
        ),
    }
)


# --- Ownership claims (issue 8) -------------------------------------------------
# A pending claim of "other_dept_user" (Other Department) on the customer. The
# claimant edits it while pending; the owner and the managers of both departments
# read it; only a Director decides or deletes it. Create = claim the customer of a
# third department for one's own department.
MATRIX["customer.ownership.claim"] = dict.fromkeys(ROLES, "") | {
    "owner": "rc",
    "same_dept_user": "c",
    "other_dept_user": "rwc",
    "manager": "rc",
    "other_manager": "rc",
    "director": "rwcu",
}


def _claim_fresh(case):
    return (
        case.env["customer.ownership.claim"]
        .with_user(case.user_sales_2)
        .create(
            {
                "partner_id": case.customer.id,
                "team_id": case.other_team.id,
                "evidence": "首次接触在 2025 年 3 月的展会。",
            }
        )
        .with_user(case.env.user)
    )


def _claim_record(case):
    return _once(case, "claim", _claim_fresh)


def _claim_create(case, user):
    return (
        case.env["customer.ownership.claim"]
        .with_user(user)
        .create(
            {
                "partner_id": case.customer_far.id,
                "team_id": (user.sale_team_id or case.team).id,
                "evidence": "We quoted them first.",
            }
        )
    )


FACTORIES["customer.ownership.claim"] = (
    _claim_record,
    _claim_fresh,
    _claim_create,
    "evidence",
    {"evidence": "Visited twice before their registration."},
)
