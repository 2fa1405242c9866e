import logging
import time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import CustomerPolicyCase, prepare_raw_insert

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPartnerAccess(CustomerPolicyCase):
    """Managed customers open only to their owner, department managers, directors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Other Department", "member_ids": [(6, 0, [cls.user_sales_2.id])]}
        )
        cls.customer_own = Partner.create(
            {
                "name": "上海星河科技有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_sales.id,
                "team_id": cls.team.id,
            }
        )
        cls.contact_own = Partner.create(
            {"name": "王建国", "parent_id": cls.customer_own.id}
        )
        cls.customer_other = Partner.create(
            {
                "name": "北京华夏数据技术有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_sales_2.id,
                "team_id": cls.other_team.id,
            }
        )
        cls.contact_other = Partner.create(
            {"name": "李丽华", "parent_id": cls.customer_other.id}
        )
        cls.vendor = Partner.create({"name": "Office Supplies Ltd", "is_company": True})

    def _visible(self, user):
        partners = (
            self.customer_own
            | self.contact_own
            | self.customer_other
            | self.contact_other
            | self.vendor
        )
        return partners.with_user(user)._filtered_access("read")

    def test_owner_sees_own_customers_only(self):
        visible = self._visible(self.user_sales)
        self.assertEqual(visible, self.customer_own | self.contact_own | self.vendor)
        found = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .search([("id", "in", (self.customer_own | self.customer_other).ids)])
        )
        self.assertEqual(found, self.customer_own)
        with self.assertRaises(AccessError):
            self.customer_other.with_user(self.user_sales).read(["name"])
        with self.assertRaises(AccessError):
            self.contact_other.with_user(self.user_sales).write({"phone": "123"})

    def test_manager_sees_departments_they_lead(self):
        self.assertEqual(
            self._visible(self.user_manager),
            self.customer_own | self.contact_own | self.vendor,
        )
        self.other_team.user_id = self.user_manager
        self.assertEqual(
            self._visible(self.user_manager),
            self.customer_own
            | self.contact_own
            | self.customer_other
            | self.contact_other
            | self.vendor,
        )

    def test_director_sees_all(self):
        self.assertEqual(len(self._visible(self.user_director)), 5)

    def test_employees_outside_the_policy_see_no_managed_customer(self):
        for user in (self.user_internal, self.user_legal, self.user_finance):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user), self.vendor)

    def test_unmanaged_partners_keep_odoo_behaviour(self):
        vendor = self.vendor.with_user(self.user_sales)
        vendor.write({"phone": "+86 21 5555 0000"})
        self.assertEqual(vendor.phone, "+86 21 5555 0000")
        created = (
            self.env["res.partner"]
            .with_user(self.user_internal)
            .create({"name": "New Supplier", "is_company": True})
        )
        self.assertTrue(created.exists())

    def test_user_cannot_put_a_customer_under_someone_else(self):
        prospect = (
            self.env["res.partner"]
            .with_user(self.user_sales)
            .create({"name": "杭州云帆电子商务有限公司", "is_company": True})
        )
        # Registering is the Register button's (and its checks'), whoever the
        # owner would be.
        for owner in (self.user_sales_2, self.user_sales):
            with self.assertRaises(UserError):
                prospect.write({"customer_policy_managed": True, "user_id": owner.id})
        self.assertFalse(prospect.customer_policy_managed)

    def test_contacts_follow_their_company(self):
        """Whoever sees a customer sees its contacts, down to a contact's own
        contacts, whatever changes the company: its owner, its department, its
        registration, or the contact's company."""
        assistant = self.env["res.partner"].create(
            {"name": "张秘书", "parent_id": self.contact_own.id}
        )
        own = self.customer_own | self.contact_own | assistant
        self.assertEqual(own.with_user(self.user_sales)._filtered_access("read"), own)
        self.assertFalse(own.with_user(self.user_sales_2)._filtered_access("read"))
        # The customer goes to a salesperson of the other department.
        self.customer_own.write({"user_id": self.user_sales_2.id})
        self.assertEqual(self.customer_own.team_id, self.other_team)
        self.assertFalse(own.with_user(self.user_sales)._filtered_access("read"))
        self.assertFalse(own.with_user(self.user_manager)._filtered_access("read"))
        self.assertEqual(own.with_user(self.user_sales_2)._filtered_access("read"), own)
        # A contact that moves to a supplier is no customer's contact any more.
        self.contact_other.parent_id = self.vendor
        self.assertEqual(
            self.contact_other.with_user(self.user_internal)._filtered_access("read"),
            self.contact_other,
        )
        # Registering the supplier makes it and its contacts confidential.
        self.vendor.write(
            {"customer_policy_managed": True, "user_id": self.user_sales.id}
        )
        supplier = self.vendor | self.contact_other
        self.assertFalse(
            supplier.with_user(self.user_internal)._filtered_access("read")
        )
        self.assertEqual(
            supplier.with_user(self.user_sales)._filtered_access("read"), supplier
        )

    def test_users_follow_their_partner(self):
        """res.users is read through the rules of its partner: the login of a
        customer's contact is seen by those who see the customer, the staff's by
        every employee."""
        portal = new_test_user(
            self.env, login="cp_portal_contact", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.customer_other
        Users = self.env["res.users"]
        staff = self.user_sales | self.user_sales_2 | self.user_manager
        everyone = staff | portal
        for user, expected in (
            (self.user_sales, staff),
            (self.user_internal, staff),
            (self.user_sales_2, everyone),
            (self.user_director, everyone),
        ):
            with self.subTest(user=user.login):
                self.assertEqual(
                    Users.with_user(user).search([("id", "in", everyone.ids)]),
                    expected,
                )
        with self.assertRaises(AccessError):
            portal.with_user(self.user_sales).read(["name", "email"])
        # An approved access request opens the contact's login with the customer,
        # until it expires; so does joining the customer's project team.
        grant = self.env["customer.access.request"].create(
            {
                "partner_id": self.customer_other.id,
                "requester_id": self.user_sales.id,
                "reason": "Joint bid",
                "state": "approved",
            }
        )
        self.assertEqual(
            Users.with_user(self.user_sales).search([("id", "in", everyone.ids)]),
            everyone,
        )
        grant.state = "expired"
        self.assertFalse(portal.with_user(self.user_sales)._filtered_access("read"))
        self.customer_other.customer_project_team_ids = [
            Command.set([self.user_sales.id, self.user_sales_2.id])
        ]
        self.assertEqual(
            Users.with_user(self.user_sales).search([("id", "in", everyone.ids)]),
            everyone,
        )


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestUserSearchVolume(CustomerPolicyCase):
    """res.users is filtered by the record rules of its partner (its _inherits
    parent). With 100,000 customers and 100 salespeople, a salesperson searches
    and reads users with the queries and the plan Odoo gives without the policy's
    partner rules, within twice its time."""

    CUSTOMERS = 100_000
    STAFF = 100

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.env["res.users"].create(
            [
                {
                    "name": f"Staff Member {i:03d}",
                    "login": f"cp_staff_{i:03d}",
                    "groups_id": [
                        Command.set([cls.env.ref("customer_policy.group_user").id])
                    ],
                }
                for i in range(cls.STAFF)
            ]
        )
        started = time.monotonic()
        cls._seed_customers()
        _logger.info(
            "%s customers seeded in %.1fs", cls.CUSTOMERS, time.monotonic() - started
        )
        cls.policy_rules = (
            cls.env["ir.model.data"]
            .search([("module", "=", "customer_policy"), ("model", "=", "ir.rule")])
            .mapped(lambda data: cls.env["ir.rule"].browse(data.res_id))
            .filtered(lambda rule: rule.model_id.model == "res.partner")
        )

    @classmethod
    def _seed_customers(cls):
        """Registered customers owned in turn by the staff, straight in SQL as an
        import would, with the columns the rules read."""
        cls.env.flush_all()
        prepare_raw_insert(cls.env, "res.partner")
        cr = cls.env.cr
        cr.execute(
            """
            INSERT INTO res_partner (
                name, complete_name, active, type, is_company, lang,
                customer_policy_managed, registration_state, user_id, team_id,
                customer_policy_commercial_managed, customer_policy_owner_id,
                customer_policy_team_id, create_date, write_date
            )
            SELECT 'Volume Customer ' || i, 'Volume Customer ' || i, TRUE,
                   'contact', TRUE, 'en_US', TRUE, 'registered',
                   (%(staff)s::int[])[1 + i %% %(size)s], %(team)s,
                   TRUE, (%(staff)s::int[])[1 + i %% %(size)s], %(team)s,
                   now(), now()
              FROM generate_series(1, %(count)s) AS i
            """,
            {
                "staff": cls.staff.ids,
                "size": len(cls.staff),
                "team": cls.team.id,
                "count": cls.CUSTOMERS,
            },
        )
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE commercial_partner_id IS NULL"
        )
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE res_users")
        cls.env.invalidate_all()

    def _queries(self, operation):
        """The queries ``operation`` costs the salesperson, caches warm."""
        users = self.env["res.users"].with_user(self.user_sales)
        operation(users)  # the rules and the registry caches are warm
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = operation(users)
        return self.cr.sql_log_count - before, result

    def _best_times(self, operations, rounds=10, runs=3):
        """{(operation, with the policy's rules): best time in seconds}. The two
        sides alternate round by round, so that the load of a shared machine
        weighs on both alike; each side keeps its best run."""
        users = self.env["res.users"].with_user(self.user_sales)
        best = {}
        for _round in range(rounds):
            for active in (True, False):
                self.policy_rules.active = active
                self.env.flush_all()
                for name, operation in operations.items():
                    operation(users)  # the rules' domains compiled again
                    for _run in range(runs):
                        self.env.invalidate_all()
                        started = time.perf_counter()
                        operation(users)
                        elapsed = time.perf_counter() - started
                        key = (name, active)
                        best[key] = min(best.get(key, elapsed), elapsed)
        self.policy_rules.active = True
        return best

    def _partner_scans(self):
        """How PostgreSQL plans to reach res_partner when the salesperson looks
        users up by name: (node type, index) of each res_partner scan."""
        users = self.env["res.users"].with_user(self.user_sales)
        query = users._search(
            [("name", "ilike", "Staff Member")], limit=8, order=users._order
        )
        self.env.flush_all()
        self.cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", query.select()))
        nodes = [self.cr.fetchone()[0][0]["Plan"]]
        scans = []
        while nodes:
            node = nodes.pop()
            nodes.extend(node.get("Plans", []))
            if node.get("Relation Name") == "res_partner":
                scans.append((node["Node Type"], node.get("Index Name")))
        return sorted(scans)

    def test_user_search_does_not_pay_for_customer_rules(self):
        staff_ids = self.staff[:20].ids
        operations = {
            "search the staff": lambda users: users.search([("share", "=", False)]),
            "find a user by name": lambda users: users.name_search(
                "Staff Member", limit=8
            ),
            "read 20 users": lambda users: users.browse(staff_ids).read(
                ["name", "login", "email"]
            ),
        }
        # The queries and PostgreSQL's plan with the policy's partner rules, then
        # with Odoo's own rules only; the times of both, alternating.
        with_rules = {name: self._queries(op) for name, op in operations.items()}
        scans_with_rules = self._partner_scans()
        self.policy_rules.active = False
        without = {name: self._queries(op) for name, op in operations.items()}
        scans_without = self._partner_scans()
        best = self._best_times(operations)
        for name in operations:
            (queries, result), (base_queries, base_result) = (
                with_rules[name],
                without[name],
            )
            seconds, base_seconds = best[name, True], best[name, False]
            _logger.info(
                "%s at %s customers, as a salesperson: %s queries, %.2f ms; "
                "without the policy's partner rules: %s queries, %.2f ms (x%.2f)",
                name,
                self.CUSTOMERS,
                queries,
                seconds * 1000,
                base_queries,
                base_seconds * 1000,
                seconds / base_seconds,
            )
            with self.subTest(operation=name):
                # The staff are no customer's contacts: the rules hide none.
                self.assertEqual(result, base_result)
                self.assertEqual(queries, base_queries)
                self.assertLessEqual(seconds, 2 * base_seconds)
        # The salesperson's partner rules are read on the user's own partner row:
        # PostgreSQL reaches res_partner exactly as without them.
        self.assertEqual(scans_with_rules, scans_without)
        self.assertFalse(
            {"Seq Scan", "Parallel Seq Scan"}
            & {node for node, _index in scans_with_rules}
        )
