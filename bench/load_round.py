"""Locust scenario of bench/load: salespeople and managers doing their daily
round through the JSON-RPC the web client uses.

Each simulated user logs in as one of the staff listed in BENCH_LOAD_USERS (a
JSON file of {"login", "password", "role"}, written by bench/load) and repeats,
with a few seconds of thinking between steps, what that role does in a day:

- a salesperson opens My Visit Plan, the customer list (80 rows) and a
  customer's form, records a visit at one of their own registered customers
  (saved, then marked done with its summary), files a complaint, and opens the
  ledger of installments (Odoo's list export needs its "Access to export
  feature" group, which the policy's staff do not get: the export of the round
  is the manager's);
- a manager opens the department's customers and a form, the complaints, the
  visit plan, the ledger, and exports the month's ledger workbook (the
  addon's own XLSX export).

Each list or form open is what the web client sends when a menu is clicked:
/web/action/load, get_views the first time (the client caches views), then
web_search_read with the action's domain, the search view's default filters
(search_default_* of the action's context) and the fields of the list view;
a form is web_read with the fields of the form view. Locust reports each
request by the name of the step, so that the latency of "Customers (list)" is
the latency a user waits for that screen's data.
"""

import datetime
import itertools
import json
import os
import random
import time
import xml.etree.ElementTree as ET

from dateutil.relativedelta import relativedelta
from locust import HttpUser, between, task

DB = os.environ["BENCH_LOAD_DB"]
with open(os.environ["BENCH_LOAD_USERS"], encoding="utf-8") as users_file:
    STAFF = json.load(users_file)
ACCOUNTS = {
    role: itertools.cycle([user for user in STAFF if user["role"] == role])
    for role in ("salesperson", "manager")
}


class RpcError(Exception):
    pass


def one_term(domain):
    """The domain as one term of a prefix expression (Odoo's normalize_domain):
    the implicit '&' of its top-level terms made explicit."""
    result, expected = [], 1
    for token in domain:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if isinstance(token, (list, tuple)):
            expected -= 1
        else:
            expected += {"!": 1, "&": 2, "|": 2}.get(token, 0) - 1
        result.append(token)
    return result


def combine(operator, domains):
    """domains joined by operator ('&' or '|'), each as one term."""
    domains = [one_term(domain) for domain in domains if domain]
    result = [operator] * (len(domains) - 1)
    for domain in domains:
        result += domain
    return result


def py_eval(expression, uid):
    """A domain or context of a view or action, as the web client evaluates it."""
    if not isinstance(expression, str):
        return expression
    today = datetime.date.today()
    namespace = {
        "uid": uid,
        "user": None,
        "context_today": lambda: today,
        "datetime": datetime,
        "relativedelta": relativedelta,
        "time": time,
        "context": {},
        "true": True,
        "false": False,
    }
    return eval(expression, namespace)  # pylint: disable=eval-used


class OdooUser(HttpUser):
    abstract = True
    role = None
    wait_time = between(1, 3)

    # --- the web client's calls ------------------------------------------------

    def rpc(self, path, params, name):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        with self.client.post(path, json=payload, name=name, catch_response=True) as r:
            try:
                data = r.json()
            except ValueError:
                r.failure(f"HTTP {r.status_code}: not JSON")
                raise RpcError(name) from None
            if "error" in data:
                message = data["error"].get("data", {}).get("message") or data["error"]
                r.failure(str(message)[:300])
                raise RpcError(name)
            return data["result"]

    def call(self, model, method, args, name, **kwargs):
        kwargs.setdefault("context", self.user_context)
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return self.rpc(f"/web/dataset/call_kw/{model}/{method}", params, name)

    def on_start(self):
        self.account = next(ACCOUNTS[self.role])
        result = self.rpc(
            "/web/session/authenticate",
            {
                "db": DB,
                "login": self.account["login"],
                "password": self.account["password"],
            },
            "login",
        )
        self.uid = result["uid"]
        self.user_context = dict(result["user_context"])
        self.user_context["allowed_company_ids"] = [
            result.get("user_companies", {}).get("current_company")
            or result.get("company_id")
        ]
        self.client.get("/odoo", name="login: web client page")
        self.views = {}
        self.customer_ids = []
        self.own_customer_ids = []

    # --- screens ---------------------------------------------------------------

    def get_views(self, model, action_name):
        """The list, form and search views of a model (once: the client caches
        them)."""
        if model not in self.views:
            result = self.call(
                model,
                "get_views",
                [],
                f"{action_name} (views, first time)",
                views=[[False, "list"], [False, "form"], [False, "search"]],
                options={"load_filters": True, "toolbar": True},
            )
            fields = result["models"][model]["fields"]
            self.views[model] = {
                kind: (ET.fromstring(view["arch"]), fields)
                for kind, view in result["views"].items()
            }
        return self.views[model]

    @staticmethod
    def specification(arch, fields):
        """What the view shows: its fields, related records by their name."""
        spec = {}

        def visit(node):
            for child in node:
                if child.tag == "field":
                    name = child.get("name")
                    kind = fields.get(name, {}).get("type")
                    if kind in ("many2one", "many2many", "one2many"):
                        spec[name] = {"fields": {"display_name": {}}}
                        if kind != "many2one":
                            spec[name]["limit"] = 40
                    elif kind:
                        spec[name] = {}
                else:  # a field's own subviews are not the view's fields
                    visit(child)

        visit(arch)
        return spec

    def default_filters(self, search_arch, context):
        """The domain of the search view's filters the action turns on."""
        groups, group = [], []
        for node in search_arch.iter():
            if node.tag == "separator" or node.tag == "group":
                groups.append(group)
                group = []
            if node.tag not in ("filter", "field"):
                continue
            value = context.get(f"search_default_{node.get('name')}")
            if not value:
                continue
            if node.tag == "filter" and node.get("domain"):
                group.append(py_eval(node.get("domain"), self.uid))
            elif node.tag == "field":
                group.append([(node.get("name"), "=", value)])
        groups.append(group)
        return combine("&", [combine("|", group) for group in groups])

    def open_list(self, xmlid, name, limit=80):
        """A menu clicked: the action, its views, its first page of records."""
        action = self.rpc("/web/action/load", {"action_id": xmlid}, f"{name} (action)")
        model = action["res_model"]
        views = self.get_views(model, name)
        context = py_eval(action.get("context") or "{}", self.uid)
        domain = list(py_eval(action.get("domain") or "[]", self.uid))
        if "search" in views:
            filters = self.default_filters(views["search"][0], context)
            domain = combine("&", [domain, filters])
        arch, fields = views["list"]
        result = self.call(
            model,
            "web_search_read",
            [],
            f"{name} (list)",
            domain=domain,
            specification=self.specification(arch, fields),
            offset=0,
            limit=limit,
            order="",
            count_limit=10001,
            context=dict(
                self.user_context,
                **{
                    k: v
                    for k, v in context.items()
                    if not k.startswith("search_default_")
                },
            ),
        )
        return model, domain, [record["id"] for record in result["records"]]

    def open_form(self, model, record_id, name):
        arch, fields = self.get_views(model, name)["form"]
        return self.call(
            model,
            "web_read",
            [[record_id]],
            f"{name} (form)",
            specification=self.specification(arch, fields),
        )

    def open_customers(self):
        model, domain, ids = self.open_list(
            "customer_policy.action_customer_policy_customer", "Customers"
        )
        if ids:
            self.customer_ids = ids
            self.open_form(model, random.choice(ids), "Customer")
        return model, domain, ids

    def customer(self):
        """A customer of this user's own, registered (the policy lets only the
        owner record visits of an unregistered one)."""
        if not self.own_customer_ids:
            records = self.call(
                "res.partner",
                "search_read",
                [],
                "Own customers (lookup, once)",
                domain=[
                    ("user_id", "=", self.uid),
                    ("customer_policy_managed", "=", True),
                    ("parent_id", "=", False),
                    ("registration_state", "=", "registered"),
                ],
                fields=["id"],
                limit=200,
            )
            self.own_customer_ids = [record["id"] for record in records]
        return random.choice(self.own_customer_ids) if self.own_customer_ids else None


class Salesperson(OdooUser):
    """A salesperson's day: the plan, the customers, a visit, a complaint."""

    role = "salesperson"
    weight = 4

    @task(3)
    def visit_plan(self):
        self.open_list("customer_policy.action_customer_visit_my_plan", "My Visit Plan")

    @task(3)
    def customers(self):
        self.open_customers()

    @task(2)
    def record_visit(self):
        partner_id = self.customer()
        if not partner_id:
            return
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None, microsecond=0
        )
        saved = self.call(
            "customer.visit",
            "web_save",
            [
                [],
                {
                    "partner_id": partner_id,
                    "visit_type": "visit",
                    "planned_date": str(now - datetime.timedelta(hours=1)),
                    "purpose": "季度回访",
                    "summary": "了解客户本季度需求",
                    "customer_feedback": "满意",
                },
            ],
            "Visit (save)",
            specification={"display_name": {}, "state": {}},
        )
        self.call(
            "customer.visit", "action_done", [[saved[0]["id"]]], "Visit (mark done)"
        )

    @task(1)
    def complaint(self):
        partner_id = self.customer()
        if not partner_id:
            return
        self.call(
            "customer.complaint",
            "web_save",
            [
                [],
                {
                    "partner_id": partner_id,
                    "request_type": "complaint",
                    "channel": "phone",
                    "severity": "normal",
                    "description": "<p>送货延迟</p>",
                },
            ],
            "Complaint (save)",
            specification={"display_name": {}, "state": {}},
        )

    @task(1)
    def ledger(self):
        self.open_list(
            "customer_policy.action_customer_agreement_installment", "Ledger"
        )


class Manager(OdooUser):
    """A department manager's day: the team's customers, complaints, visits,
    the ledger and its monthly workbook."""

    role = "manager"
    weight = 1

    @task(3)
    def customers(self):
        self.open_customers()

    @task(2)
    def complaints(self):
        model, _domain, ids = self.open_list(
            "customer_policy.action_customer_complaint", "Complaints"
        )
        if ids:
            self.open_form(model, random.choice(ids), "Complaint")

    @task(2)
    def visits(self):
        self.open_list("customer_policy.action_customer_visit", "Visits")

    @task(2)
    def ledger(self):
        self.open_list(
            "customer_policy.action_customer_agreement_installment", "Ledger"
        )

    @task(1)
    def export_ledger(self):
        today = datetime.date.today()
        first = today.replace(day=1)
        saved = self.call(
            "customer.ledger.report",
            "web_save",
            [
                [],
                {
                    "date_from": str(first - relativedelta(months=1)),
                    "date_to": str(first - datetime.timedelta(days=1)),
                },
            ],
            "Ledger workbook (wizard)",
            specification={"display_name": {}},
        )
        action = self.call(
            "customer.ledger.report",
            "action_export_xlsx",
            [[saved[0]["id"]]],
            "Ledger workbook (build)",
        )
        with self.client.get(
            action["url"], name="Ledger workbook (download)", catch_response=True
        ) as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"HTTP {r.status_code}: no workbook")
