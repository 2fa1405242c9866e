import logging

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CustomerPolicyCase, prepare_raw_insert
from .web_client import view_spec

_logger = logging.getLogger(__name__)

# The customers list as the menu opens it (action_customer_policy_customer).
CUSTOMERS_DOMAIN = [
    ("parent_id", "=", False),
    ("customer_policy_company_ids", "=", False),
    ("user_ids", "=", False),
    "|",
    ("customer_policy_managed", "=", True),
    ("first_contact_date", "!=", False),
]


def web_client_spec(Model, view_type, view_id=None):
    """The specification the web client sends to open ``view_type``."""
    view = Model.get_views([(view_id, view_type)])["views"][view_type]
    return view_spec(Model, view["arch"])


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestRecordRuleVolume(CustomerPolicyCase):
    """The record rules of the policy are answered from the indexes of the rows
    they filter. A salesperson's customer list, the form of a busy customer (500
    visits, 50 agreements) and the lists of visits and agreements cost the same
    queries with 3,000 customers as with 15,000, the customer list at most 3
    more than Odoo's contacts list without the policy's rules, and no rule of a
    customer's records reads ``res_partner``."""

    # Large enough that each screen shows a full page at both sizes (the staff
    # share the customers: a salesperson owns one in 30).
    SMALL = 3_000
    LARGE = 15_000
    seeded = 0
    STAFF = 30
    BUSY_VISITS = 500
    BUSY_AGREEMENTS = 50

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.user_sales | cls.env["res.users"].create(
            [
                {
                    "name": f"Rule Staff {i:02d}",
                    "login": f"cp_rule_staff_{i:02d}",
                    "groups_id": [
                        Command.set([cls.env.ref("customer_policy.group_user").id])
                    ],
                }
                for i in range(cls.STAFF - 1)
            ]
        )
        cls.busy = cls._customer("Busy Customer")
        cls.env["res.partner"].create(
            {"name": "Busy Contact", "parent_id": cls.busy.id, "type": "contact"}
        )
        cls.env.flush_all()
        for model in ("res.partner", "customer.visit", "customer.agreement"):
            prepare_raw_insert(cls.env, model)
        cls._seed_visits_and_agreements(
            cls.busy.ids, cls.BUSY_VISITS, cls.BUSY_AGREEMENTS
        )
        cls.policy_rules = (
            cls.env["ir.model.data"]
            .search([("module", "=", "customer_policy"), ("model", "=", "ir.rule")])
            .mapped(lambda data: cls.env["ir.rule"].browse(data.res_id))
            .filtered(lambda rule: rule.model_id.model == "res.partner")
        )

    def _seed_customers(self, total):
        """Registered customers (one contact each second one, 3 visits each, an
        agreement each second one) owned in turn by the staff, straight in SQL
        with the columns the rules read, up to ``total``; and as many partners
        outside the policy. Each test starts from none (its rows are rolled back
        with it)."""
        cr = self.env.cr
        cr.execute("SELECT max(id) FROM res_partner")
        first_id = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO res_partner (
                name, complete_name, active, type, is_company, lang,
                customer_policy_managed, registration_state, user_id, team_id,
                customer_policy_commercial_managed, customer_policy_owner_id,
                customer_policy_team_id, company_id, create_date, write_date
            )
            SELECT 'Rule Customer ' || i, 'Rule Customer ' || i, TRUE, 'contact',
                   TRUE, 'en_US', TRUE, 'registered',
                   (%(staff)s::int[])[1 + i %% %(size)s], %(team)s, TRUE,
                   (%(staff)s::int[])[1 + i %% %(size)s], %(team)s, %(company)s,
                   now(), now()
              FROM generate_series(%(start)s, %(stop)s) AS i;
            INSERT INTO res_partner (
                name, complete_name, active, type, is_company, lang,
                customer_policy_managed, customer_policy_commercial_managed,
                create_date, write_date
            )
            SELECT 'Rule Supplier ' || i, 'Rule Supplier ' || i, TRUE, 'contact',
                   TRUE, 'en_US', FALSE, FALSE, now(), now()
              FROM generate_series(%(start)s, %(stop)s) AS i;
            UPDATE res_partner SET commercial_partner_id = id
             WHERE commercial_partner_id IS NULL;
            INSERT INTO res_partner (
                name, complete_name, active, type, is_company, lang, parent_id,
                commercial_partner_id, customer_policy_managed, user_id, team_id,
                customer_policy_commercial_managed, customer_policy_owner_id,
                customer_policy_team_id, company_id, create_date, write_date
            )
            SELECT 'Contact of ' || p.name, p.name || ', Contact', TRUE, 'contact',
                   FALSE, 'en_US', p.id, p.id, FALSE, p.user_id, p.team_id, TRUE,
                   p.user_id, p.team_id, p.company_id, now(), now()
              FROM res_partner p
             WHERE p.name LIKE 'Rule Customer %%' AND p.id %% 2 = 0
               AND NOT EXISTS (SELECT 1 FROM res_partner c WHERE c.parent_id = p.id)
            """,
            {
                "staff": self.staff.ids,
                "size": len(self.staff),
                "team": self.team.id,
                "company": self.company.id,
                "start": self.seeded + 1,
                "stop": total,
            },
        )
        cr.execute(
            "SELECT id FROM res_partner WHERE name LIKE 'Rule Customer %%' "
            "AND parent_id IS NULL AND id > %s",
            [first_id],
        )
        self._seed_visits_and_agreements([row[0] for row in cr.fetchall()], 3, 1)
        self.seeded = total
        cr.execute("ANALYZE")
        self.env.invalidate_all()

    @classmethod
    def _seed_visits_and_agreements(cls, partner_ids, visits, agreements):
        """``visits`` done visits and ``agreements`` draft agreements (one each
        second customer when 1) for each of ``partner_ids``, with the owner the
        rules read."""
        cls.env.cr.execute(
            """
            INSERT INTO customer_visit (
                partner_id, commercial_partner_id, user_id, customer_owner_id,
                team_id, company_id, visit_type, state, planned_date,
                create_date, write_date
            )
            SELECT p.id, p.id, p.user_id, p.user_id, p.team_id,
                   COALESCE(p.company_id, %(company)s),
                   'onsite', 'done', now() - g * interval '1 hour', now(), now()
              FROM res_partner p, generate_series(1, %(visits)s) AS g
             WHERE p.id = ANY(%(ids)s);
            INSERT INTO customer_agreement (
                partner_id, commercial_partner_id, user_id, customer_owner_id,
                team_id, company_id, currency_id, title, state, create_date,
                write_date
            )
            SELECT p.id, p.id, p.user_id, p.user_id, p.team_id,
                   COALESCE(p.company_id, %(company)s),
                   %(currency)s, 'Agreement ' || g, 'draft', now(), now()
              FROM res_partner p, generate_series(1, %(agreements)s) AS g
             WHERE p.id = ANY(%(ids)s) AND (%(agreements)s > 1 OR p.id %% 2 = 1)
            """,
            {
                "ids": list(partner_ids),
                "visits": visits,
                "agreements": agreements,
                "currency": cls.company.currency_id.id,
                "company": cls.company.id,
            },
        )

    def _queries(self, operation):
        """The queries ``operation`` costs, caches warm (rules, views, registry)."""
        operation()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        operation()
        return self.cr.sql_log_count - before

    def _screens(self):
        """{screen: queries} of the salesperson's screens."""
        Partner = self.env["res.partner"].with_user(self.user_sales)
        Visit = self.env["customer.visit"].with_user(self.user_sales)
        Agreement = self.env["customer.agreement"].with_user(self.user_sales)
        list_view = self.env.ref("customer_policy.view_partner_list_customer_archive")
        list_spec = web_client_spec(Partner, "list", list_view.id)
        form_spec = web_client_spec(Partner, "form")
        visit_spec = web_client_spec(Visit, "list")
        agreement_spec = web_client_spec(Agreement, "list")
        busy = self.busy.with_user(self.user_sales)
        screens = {
            "customer list": lambda: Partner.web_search_read(
                CUSTOMERS_DOMAIN, list_spec, limit=80
            ),
            "busy customer form": lambda: busy.web_read(form_spec),
            "find a customer": lambda: Partner.name_search("Rule Customer 1", limit=8),
            "visit list": lambda: Visit.web_search_read([], visit_spec, limit=80),
            "agreement list": lambda: Agreement.web_search_read(
                [], agreement_spec, limit=80
            ),
        }
        return {name: self._queries(screen) for name, screen in screens.items()}

    def _contacts_list_queries(self):
        """The queries of Odoo's contacts list (80 rows) without the policy's
        partner rules: what the salesperson's list costs with only contacts."""
        Partner = self.env["res.partner"].with_user(self.user_sales)
        spec = web_client_spec(
            Partner, "list", self.env.ref("base.view_partner_tree").id
        )
        self.policy_rules.active = False
        self.env.flush_all()
        try:
            return self._queries(lambda: Partner.web_search_read([], spec, limit=80))
        finally:
            self.policy_rules.active = True
            self.env.flush_all()

    def _partner_scans(self, Model, domain):
        """(node type, index) of each scan of res_partner in PostgreSQL's plan of
        the salesperson's search of ``domain`` on ``Model`` (80 rows)."""
        records = Model.with_user(self.user_sales)
        query = records._search(domain, limit=80, order=records._order)
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

    def test_screens_at_volume(self):
        """The same queries at 3,000 customers as at 15,000, and plans that do not
        reach res_partner through the rules of visits and agreements."""
        self._seed_customers(self.SMALL)
        small = self._screens()
        self._seed_customers(self.LARGE)
        large = self._screens()
        contacts_list = self._contacts_list_queries()
        for screen, queries in large.items():
            _logger.info(
                "%s as a salesperson: %s queries at %s customers, %s at %s",
                screen,
                small[screen],
                self.SMALL,
                queries,
                self.LARGE,
            )
            with self.subTest(screen=screen):
                self.assertEqual(queries, small[screen])
        # Odoo's contacts list reads fewer columns: the policy's list may add the
        # rules' arrays, its tier and its owner, not a query per row or per rule.
        self.assertLessEqual(large["customer list"], contacts_list + 3)
        # PostgreSQL's plans of the lists (seeding once costs the most here).
        for model in ("customer.visit", "customer.agreement"):
            with self.subTest(model=model):
                self.assertEqual(self._partner_scans(self.env[model], []), [])
        # The customer list reaches res_partner as it does without the policy's
        # rules: they add no scan and no other path.
        with_rules = self._partner_scans(self.env["res.partner"], CUSTOMERS_DOMAIN)
        self.policy_rules.active = False
        self.env.flush_all()
        without = self._partner_scans(self.env["res.partner"], CUSTOMERS_DOMAIN)
        self.policy_rules.active = True
        self.assertEqual(with_rules, without)

    def test_rules_of_customer_records_read_no_partner(self):
        """The salesperson's rules on the records of a customer compare columns of
        the record itself (and arrays of the user's few customers): their SQL holds
        no sub-select over res_partner that PostgreSQL would run for every row."""
        models = self.env["customer.policy.customer.mixin"]._inherit_children
        self.assertIn("customer.visit", models)
        for name in sorted(models):
            Model = self.env[name].with_user(self.user_sales)
            with self.subTest(model=name):
                try:
                    where = Model._search([]).where_clause
                except AccessError:
                    continue
                self.assertNotIn('"res_partner"', where.code)
        Partner = self.env["res.partner"].with_user(self.user_sales)
        where = Partner._search([]).where_clause
        self.assertIn("customer_policy_owner_id", where.code)
        self.assertNotIn('FROM "res_partner"', where.code)
