# ruff: noqa: F821
# pylint: skip-file
"""The benchmark's population at a large size, run by bench/generate inside
``odoo shell`` on a copy of a smaller population made by ``generate.py``
(``env`` is the superuser's environment): every customer of the base is copied
K - 1 times in SQL, so that the database holds K times the base.

What a copy holds, found from the catalogs rather than listed by hand:
- the customers (partners with a tier) and their contact persons (``res_partner``);
- the rows of every model that inherits ``customer.policy.customer.mixin``
  (visits, agreements, installments, payments, complaints, return schedules…);
- the rows of every other table with a foreign key to a copied row (tier history,
  payment allocations, commission lines and credits…) and the many2many relation
  tables between copied rows and shared ones, repeated until nothing is added.
  Chatter, system and wizard tables (``mail_*``, ``ir_*``, ``bus_*``, users,
  companies, discuss, transient models) are left out: the copies have no
  messages, followers or activities.

Copy k of a row gets the id ``id + k * max(id)`` of its table; a foreign key to a
copied row is moved by the same offset of the table it points to, one to a shared
row (users, teams, tiers, companies, calendars, currencies, the signed PDF) is
kept. What identifies a customer is rewritten in the copies: the company name
(another one of the same city, unique), the USCC and registry number, the e-mail,
the names shown (``complete_name``, ``commercial_company_name``), and the
normalised keys and pinyin by the addon's own functions; the numbers of the
agreements, complaints and payments continue their sequences. Every other value,
stored computes included, is the original's: a copy of a consistent customer is
consistent. ``check_clone.py`` recomputes a sample through the ORM to show it.

The shared rows whose stored computes add up copied rows (the commission
statements of each salesperson and month…) are found from the ORM's dependency
triggers and recomputed through the ORM.

The copies get salespeople of their own (see "The copies' own salespeople"
below): N customers have salespeople_for(N) salespeople, 300 at 100,000.
"""

import json
import os
import random
import re
import sys
import time

from odoo import Command
from odoo.tools import SQL

sys.path.insert(0, os.environ["BENCH_DIR"])
from population import CITIES, DEPARTMENTS, company_name, make_uscc, salespeople_for

from odoo.addons.customer_policy.tools.archive import (
    email_domain,
    normalize_name,
    normalize_vat,
)
from odoo.addons.customer_policy.tools.sql import update_from_unnest

N = int(os.environ["BENCH_SIZE"])
SEED = int(os.environ.get("BENCH_SEED", "23"))
MIXIN = "customer.policy.customer.mixin"
# Chatter, system and wizard tables: not a customer's data.
LEFT_OUT = ("mail_", "ir_", "bus_", "res_users", "res_company", "discuss_")
cr = env.cr
started = time.time()


def say(message):
    print(f"   [{time.time() - started:6.0f} s] {message}", flush=True)


def query(sql, *args):
    cr.execute(sql, args or None)
    return cr.fetchall()


# --- What is copied ------------------------------------------------------------------
customers = [
    row[0]
    for row in query(
        "SELECT id FROM res_partner WHERE customer_tier_id IS NOT NULL"
        " AND parent_id IS NULL ORDER BY id"
    )
]
BASE = len(customers)
if N % BASE:
    raise SystemExit(f"{N} customers is not a multiple of the base's {BASE}")
K = N // BASE
say(f"{BASE} customers copied {K - 1} times into {N}")

transient = {
    model._table for model in env.registry.values() if model._transient and model._auto
}
tables_of_mixin = {
    env[name]._table
    for name in env.registry[MIXIN]._inherit_children
    if not env[name]._abstract and env[name]._auto
}
foreign_keys = {}  # table -> [(column, table it points to)]
for table, column, target in query(
    """
    SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
      FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
    """
):
    foreign_keys.setdefault(table, []).append((column, target))
has_id = {
    row[0]
    for row in query(
        "SELECT table_name FROM information_schema.columns"
        " WHERE column_name = 'id' AND table_schema = 'public'"
    )
}


def left_out(table):
    return table.startswith(LEFT_OUT) or table in transient


# The tables and, in a temporary table _clone_<table>, the ids of their rows to copy.
selected = {}  # table with an id column -> number of rows
relations = []  # relation tables (no id) between a copied table and another


def select_rows(table, condition):
    cr.execute(
        SQL(
            "CREATE TEMP TABLE %s AS SELECT id FROM %s t WHERE %s",
            SQL.identifier(f"_clone_{table}"),
            SQL.identifier(table),
            condition,
        )
    )
    count = cr.rowcount
    cr.execute(
        SQL("ALTER TABLE %s ADD PRIMARY KEY (id)", SQL.identifier(f"_clone_{table}"))
    )
    selected[table] = count


def points_to_copied(table):
    return SQL(" OR ").join(
        SQL(
            "t.%s IN (SELECT id FROM %s)",
            SQL.identifier(column),
            SQL.identifier(f"_clone_{target}"),
        )
        for column, target in foreign_keys.get(table, ())
        if target in selected
    )


select_rows(
    "res_partner",
    SQL(
        "t.customer_tier_id IS NOT NULL AND t.parent_id IS NULL"
        " OR t.parent_id IN (SELECT id FROM res_partner"
        "  WHERE customer_tier_id IS NOT NULL AND parent_id IS NULL)"
    ),
)
for table in sorted(tables_of_mixin):
    select_rows(table, points_to_copied(table))
while True:
    added = False
    for table in sorted(foreign_keys):
        if table in selected or table in relations or left_out(table):
            continue
        targets = {target for _column, target in foreign_keys[table]}
        if not targets & set(selected):
            continue
        if table not in has_id:
            if not any(left_out(target) for target in targets):
                relations.append(table)
            continue
        cr.execute(
            SQL(
                "SELECT EXISTS (SELECT 1 FROM %s t WHERE %s)",
                SQL.identifier(table),
                points_to_copied(table),
            )
        )
        if cr.fetchone()[0]:
            select_rows(table, points_to_copied(table))
            added = True
    if not added:
        break
say(
    "tables copied: "
    + ", ".join(f"{table} {count}" for table, count in sorted(selected.items()))
)
say("relation tables copied: " + ", ".join(sorted(relations)))

# --- The copies ----------------------------------------------------------------------
models_of = {
    env[name]._table: name
    for name in env.registry
    if not env[name]._abstract and env[name]._auto
}
# Tables numbered by a sequence (agreements, complaints, payments): the copies'
# numbers are marked "#k" while they are inserted, then renumbered below.
numbered = {
    table: models_of[table]
    for table in selected
    if table in models_of
    and "name" in env[models_of[table]]._fields
    and env["ir.sequence"].search_count([("code", "=", models_of[table])])
}
offset = {
    table: query(SQL("SELECT max(id) FROM %s", SQL.identifier(table)))[0][0]
    for table in selected
}


def columns_of(table):
    return [
        row[0]
        for row in query(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass"
            " AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            table,
        )
    ]


def copy_table(table):
    """Insert the K - 1 copies of the selected rows of ``table`` in one statement:
    its id and its foreign keys to copied rows moved by their tables' offsets."""
    moved = {
        column: target
        for column, target in foreign_keys.get(table, ())
        if target in selected
    }
    values, joins, keep = [], [], []
    for column in columns_of(table):
        name = SQL.identifier(column)
        if column == "id" and table in selected:
            values.append(SQL("t.id + k.k * %s", offset[table]))
        elif column == "name" and table in numbered:
            values.append(SQL("t.name || '#' || k.k"))
        elif column in moved:
            alias = SQL.identifier(f"_j_{column}")
            joins.append(
                SQL(
                    "LEFT JOIN %s %s ON %s.id = t.%s",
                    SQL.identifier(f"_clone_{moved[column]}"),
                    alias,
                    alias,
                    name,
                )
            )
            values.append(
                SQL(
                    "CASE WHEN %s.id IS NULL THEN t.%s ELSE t.%s + k.k * %s END",
                    alias,
                    name,
                    name,
                    offset[moved[column]],
                )
            )
            keep.append(SQL("%s.id IS NOT NULL", alias))
        else:
            values.append(SQL("t.%s", name))
    if table in selected:
        source = SQL(
            "%s t JOIN %s s ON s.id = t.id",
            SQL.identifier(table),
            SQL.identifier(f"_clone_{table}"),
        )
        where = SQL("TRUE")
    else:
        source = SQL("%s t", SQL.identifier(table))
        where = SQL(" OR ").join(keep)
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s"
            " CROSS JOIN generate_series(1, %s) AS k(k) %s WHERE %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in columns_of(table)),
            SQL(", ").join(values),
            source,
            K - 1,
            SQL(" ").join(joins),
            where,
        )
    )
    return cr.rowcount


# The foreign keys are checked by triggers, which this role skips: the tables are
# copied in any order, every key pointing at a row that exists once all are done.
cr.execute("SET session_replication_role = replica")
for table in [*sorted(selected), *sorted(relations)]:
    tick = time.time()
    count = copy_table(table)
    say(f"  {table}: {count} rows ({time.time() - tick:.0f} s)")
cr.execute("SET session_replication_role = DEFAULT")
for table in selected:
    cr.execute(
        SQL(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM %s))",
            table,
            SQL.identifier(table),
        )
    )
cr.commit()

# The shared rows whose stored fields are computed from copied rows (a
# commission statement sums its lines), from the ORM's dependency triggers.
copied_models = {models_of[table] for table in selected if table in models_of}
dependents = {}
for name in sorted(copied_models):
    tree = env.registry.get_trigger_tree(list(env[name]._fields.values()))
    stack = [tree]
    while stack:
        node = stack.pop()
        for field in node.root or ():
            model = env[field.model_name]
            if (
                field.store
                and field.model_name not in copied_models
                and not model._transient
                and model._auto
                and not model._table.startswith(LEFT_OUT)
            ):
                dependents.setdefault(field.model_name, set()).add(field.name)
        stack.extend(node.values())

# --- The copies' own salespeople -----------------------------------------------------
# The base's salespeople are kept by its customers; the copies get salespeople of
# their own, created through the ORM as generate.py creates them, up to the
# number a population of N customers has (salespeople_for), each in department
# ``index % DEPARTMENTS`` as there. In copy k every reference to a salesperson u
# of the base (the customer's owner, its developer, the visits' visitor, the
# agreements' and commission lines' salesperson, the mixin's copy of the
# owner…) becomes the salesperson m_k(u) of u's department: each copy is the
# base with its salespeople renamed, so that what was consistent stays so. With
# fewer salespeople than copies × base salespeople, some play u in two copies.
# The per-salesperson rows the copies point to without copying them (a
# commission statement of a salesperson and month) are found or made for m_k(u).
SALESPEOPLE = int(os.environ.get("BENCH_CLONE_SALESPEOPLE") or salespeople_for(N))
Users = env["res.users"].with_context(
    no_reset_password=True, tracking_disable=True, mail_create_nolog=True
)
base_sales = Users.search([("login", "=like", "sales%")], order="login")
teams = env["crm.team"].search([("user_id.login", "=like", "manager%")], order="id")
if len(teams) != DEPARTMENTS:
    raise SystemExit(f"{len(teams)} departments in the base, {DEPARTMENTS} expected")
if SALESPEOPLE > len(base_sales):
    group = env.ref("customer_policy.group_user")
    new_sales = Users.create(
        [
            {
                "login": f"sales{s:03d}",
                "name": f"销售 {s:03d}号",
                "email": f"sales{s:03d}@bench.example.cn",
                "lang": "zh_CN",
                "tz": "Asia/Shanghai",
                "groups_id": [Command.set([group.id])],
            }
            for s in range(len(base_sales), SALESPEOPLE)
        ]
    )
    env["crm.team.member"].create(
        [
            {
                "crm_team_id": teams[(len(base_sales) + i) % DEPARTMENTS].id,
                "user_id": u.id,
            }
            for i, u in enumerate(new_sales)
        ]
    )
    env.flush_all()
    department_of = {
        member.user_id.id: member.crm_team_id.id
        for member in env["crm.team.member"].search(
            [("user_id", "in", (base_sales | new_sales).ids)]
        )
    }
    # m_k(u): slot k * (u's department's base salespeople) + u's rank among them,
    # over the department's salespeople, the base's first (copy 0 is the base).
    mapping = []  # (k, u, m_k(u))
    for team in teams:
        old = [u.id for u in base_sales if department_of.get(u.id) == team.id]
        every = old + [u.id for u in new_sales if department_of[u.id] == team.id]
        for k in range(1, K):
            for rank, user_id in enumerate(old):
                new_id = every[(k * len(old) + rank) % len(every)]
                if new_id != user_id:
                    mapping.append((k, user_id, new_id))
    cr.execute(
        "CREATE TEMP TABLE _clone_sales (k int, old_id int, new_id int,"
        " PRIMARY KEY (k, old_id))"
    )
    cr.execute(
        "INSERT INTO _clone_sales"
        " SELECT * FROM unnest(%s::int[], %s::int[], %s::int[])",
        [list(column) for column in zip(*mapping, strict=True)],
    )

    def copy_of(table, column):
        """SQL: the copy (k) of the row of ``table``, from its ``column`` pointing
        to a copied table (or its id)."""
        target = table if column == "id" else dict(foreign_keys[table])[column]
        return SQL("(t.%s - 1) / %s", SQL.identifier(column), offset[target])

    def copy_column(table):
        """The column telling a row's copy: its id, or for a relation table its
        key to a copied table."""
        if table in selected:
            return "id"
        return next(c for c, target in foreign_keys[table] if target in selected)

    renamed = 0
    for table in [*sorted(selected), *sorted(relations)]:
        key = copy_column(table)
        for column, target in foreign_keys.get(table, ()):
            if target != "res_users" or column in ("create_uid", "write_uid"):
                continue
            cr.execute(
                SQL(
                    "UPDATE %s t SET %s = m.new_id FROM _clone_sales m"
                    " WHERE m.k = %s AND m.old_id = t.%s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    copy_of(table, key),
                    SQL.identifier(column),
                )
            )
            if cr.rowcount:
                say(
                    f"  {table}.{column}: {cr.rowcount} rows to the copies' salespeople"
                )
            renamed += cr.rowcount
    # Rows of a salesperson that copied rows point to without being copied.
    for table in [*sorted(selected), *sorted(relations)]:
        key = copy_column(table)
        for column, shared in foreign_keys.get(table, ()):
            if shared in selected or left_out(shared) or shared not in has_id:
                continue
            # Only the rows that add up copied rows (see below): the others a
            # copy shares with its original (the department, the employee).
            if models_of.get(shared) not in dependents:
                continue
            if ("user_id", "res_users") not in foreign_keys.get(shared, ()):
                continue
            cr.execute(
                SQL(
                    "SELECT EXISTS (SELECT 1 FROM %s t JOIN %s r ON r.id = t.%s"
                    " JOIN _clone_sales m ON m.k = %s AND m.old_id = r.user_id)",
                    SQL.identifier(table),
                    SQL.identifier(shared),
                    SQL.identifier(column),
                    copy_of(table, key),
                )
            )
            if not cr.fetchone()[0]:
                continue
            # What identifies a row of the salesperson: the columns of its unique
            # indexes beside user_id (a statement: company and month).
            shared_columns = columns_of(shared)
            unique = {
                name
                for (definition,) in query(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = %s"
                    " AND indexdef LIKE 'CREATE UNIQUE%%'"
                    " AND indexdef LIKE '%%user_id%%'",
                    shared,
                )
                for name in re.findall(r"\w+", definition.split("(", 1)[1])
                if name in shared_columns and name != "user_id"
            }
            if not unique:
                raise SystemExit(
                    f"{table}.{column} points to rows of a salesperson ({shared})"
                    " without a unique key to find the copies' ones by"
                )
            others = [c for c in shared_columns if c not in ("id", "user_id")]
            cr.execute(
                SQL(
                    """
                    INSERT INTO %(shared)s (user_id, %(others)s)
                    SELECT DISTINCT m.new_id, %(r_others)s
                      FROM %(table)s t
                      JOIN %(shared)s r ON r.id = t.%(column)s
                      JOIN _clone_sales m ON m.k = %(copy)s AND m.old_id = r.user_id
                    ON CONFLICT DO NOTHING
                    """,
                    shared=SQL.identifier(shared),
                    others=SQL(", ").join(SQL.identifier(c) for c in others),
                    r_others=SQL(", ").join(
                        SQL("r.%s", SQL.identifier(c)) for c in others
                    ),
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                    copy=copy_of(table, key),
                )
            )
            made = cr.rowcount
            cr.execute(
                SQL(
                    """
                    UPDATE %(table)s t SET %(column)s = n.id
                      FROM %(shared)s r, _clone_sales m, %(shared)s n
                     WHERE r.id = t.%(column)s AND m.k = %(copy)s
                       AND m.old_id = r.user_id AND n.user_id = m.new_id AND %(same)s
                    """,
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                    shared=SQL.identifier(shared),
                    copy=copy_of(table, key),
                    same=SQL(" AND ").join(
                        SQL(
                            "n.%s IS NOT DISTINCT FROM r.%s",
                            SQL.identifier(c),
                            SQL.identifier(c),
                        )
                        for c in sorted(unique)
                    ),
                )
            )
            say(
                f"  {table}.{column}: {cr.rowcount} rows to their salesperson's"
                f" {shared} ({made} made)"
            )
    cr.commit()
    say(
        f"{len(new_sales)} salespeople added ({SALESPEOPLE} in all),"
        f" {renamed} references moved to them"
    )

# --- What identifies a customer, rewritten in the copies -----------------------------
say("names, USCCs, e-mails, keys and pinyin of the copied customers")
Partner = env["res.partner"]
rng = random.Random(SEED)
rows = query(
    "SELECT id, name, city, email FROM res_partner WHERE id = ANY(%s) ORDER BY id",
    customers,
)
taken = {name for _id, name, _city, _email in rows}
city_index = {city: index for index, (city, _province) in enumerate(CITIES)}
partner_offset = offset["res_partner"]
columns = [
    ("name", "varchar"),
    ("complete_name", "varchar"),
    ("commercial_company_name", "varchar"),
    ("vat", "varchar"),
    ("company_registry", "varchar"),
    ("email", "varchar"),
    ("email_normalized", "varchar"),
    ("customer_policy_name_key", "varchar"),
    ("customer_policy_vat_key", "varchar"),
    ("customer_policy_email_domain", "varchar"),
    ("customer_policy_pinyin", "varchar"),
    ("customer_policy_pinyin_initials", "varchar"),
]
for k in range(1, K):
    values = []
    for i, (partner_id, _name, city, email) in enumerate(rows):
        index = k * BASE + i
        name = company_name(rng, city, taken)
        vat = make_uscc(index, city_index.get(city, index))
        if email and email.startswith("contact"):
            email = f"contact{index}@kehu{index}.example.cn"
        values.append(
            (
                partner_id + k * partner_offset,
                name,
                name,
                name,
                vat,
                vat[2:17],
                email,
                email and email.lower(),
                normalize_name(name) or None,
                normalize_vat(vat) or None,
                email_domain(email) or None,
                *Partner._customer_policy_pinyin_of(name),
            )
        )
    for start in range(0, len(values), 5000):
        update_from_unnest(
            cr, "res_partner", "id", columns, values[start : start + 5000]
        )
    say(f"  copy {k}: {len(values)} customers renamed")
# The contact persons show their company's name.
cr.execute(
    """
    UPDATE res_partner c
       SET complete_name = p.name || ', ' || c.name,
           commercial_company_name = p.name
      FROM res_partner p
     WHERE c.parent_id = p.id AND c.id > %s
    """,
    [partner_offset],
)
say(f"  {cr.rowcount} contact persons")
cr.commit()
# Stored names of other copied rows that show their customer's (a visit's
# name): the original's name replaced by the copy's, through the many2one to the
# partner the compute depends on.
for table in sorted(selected):
    model = models_of.get(table)
    if not model or model == "res.partner":
        continue
    Model = env[model]
    for field in Model._fields.values():
        if not (field.store and field.compute and field.type in ("char", "text")):
            continue
        paths = field.get_depends(Model)[0]
        for column in sorted({path.split(".")[0] for path in paths}):
            link = Model._fields.get(column)
            if not (
                link and link.type == "many2one" and link.comodel_name == "res.partner"
            ):
                continue
            cr.execute(
                SQL(
                    """
                    UPDATE %(table)s t
                       SET %(field)s = replace(t.%(field)s, o.name, p.name)
                      FROM res_partner p, res_partner o
                     WHERE t.id > %(offset)s AND p.id = t.%(column)s
                       AND p.id > %(partners)s
                       AND o.id = p.id - (p.id - 1) / %(partners)s * %(partners)s
                       AND strpos(t.%(field)s, o.name) > 0
                    """,
                    table=SQL.identifier(table),
                    field=SQL.identifier(field.name),
                    column=SQL.identifier(column),
                    offset=offset[table],
                    partners=partner_offset,
                )
            )
            say(f"  {model}.{field.name}: {cr.rowcount} names of {column} replaced")
cr.commit()

# --- Numbers of the agreements, complaints, payments: their sequences continue ------
for table, model in sorted(numbered.items()):
    sequences = env["ir.sequence"].search([("code", "=", model)])
    # The copies' numbers follow the highest number of the same prefix.
    cr.execute(
        SQL(
            r"""
            WITH copies AS (
                SELECT id, substring(original FROM '^(.*\D)\d+$') AS prefix,
                       substring(original FROM '(\d+)$') AS number
                  FROM (SELECT id, split_part(name, '#', 1) AS original
                          FROM %(table)s WHERE id > %(offset)s) c
                 WHERE original ~ '\D\d+$'
            ), top AS (
                SELECT substring(name FROM '^(.*\D)\d+$') AS prefix,
                       max(substring(name FROM '(\d+)$')::bigint) AS number
                  FROM %(table)s WHERE id <= %(offset)s AND name ~ '\D\d+$'
                 GROUP BY 1
            ), renumbered AS (
                SELECT c.id, c.prefix, coalesce(top.number, 0)
                       + row_number() OVER (PARTITION BY c.prefix ORDER BY c.id)
                       AS number, length(c.number) AS width
                  FROM copies c LEFT JOIN top USING (prefix)
            )
            UPDATE %(table)s t
               SET name = r.prefix || lpad(
                       r.number::text, greatest(r.width, length(r.number::text)), '0')
              FROM renumbered r
             WHERE t.id = r.id
            """,
            table=SQL.identifier(table),
            offset=offset[table],
        )
    )
    renamed = cr.rowcount
    # Drafts without a number yet ("New"): their name as it was.
    cr.execute(
        SQL(
            "UPDATE %s SET name = split_part(name, '#', 1)"
            " WHERE id > %s AND strpos(name, '#') > 0",
            SQL.identifier(table),
            offset[table],
        )
    )
    top = dict(
        query(
            SQL(
                r"SELECT substring(name FROM '^(.*\D)\d+$'),"
                r" max(substring(name FROM '(\d+)$')::bigint)"
                r" FROM %s WHERE name ~ '\D\d+$' GROUP BY 1",
                SQL.identifier(table),
            )
        )
    )
    for sequence in sequences:
        for date_range in sequence.date_range_ids:
            prefix, _suffix = sequence._get_prefix_suffix(
                date=date_range.date_from, date_range=date_range.date_from
            )
            if top.get(prefix, 0) >= date_range.number_next_actual:
                date_range.number_next_actual = top[prefix] + 1
        prefix, _suffix = sequence._get_prefix_suffix()
        if top.get(prefix, 0) >= sequence.number_next_actual:
            sequence.number_next_actual = top[prefix] + 1
    say(f"  {table}: {renamed} copies numbered after the originals ({model})")
env.flush_all()
cr.commit()

# --- Shared rows that add up copied rows --------------------------------------------
# The ORM's dependency triggers name the stored fields of other models computed
# from the copied models' fields (a commission statement sums its lines): those
# are recomputed by the ORM on every record of those models.
for name, field_names in sorted(dependents.items()):
    Model = env[name].with_context(active_test=False)
    records = Model.search([])
    if not records:
        continue
    field_names = sorted(field_names)
    before = records.read(field_names, load=None)
    env.invalidate_all()
    for field_name in field_names:
        env.add_to_compute(Model._fields[field_name], records)
    env.flush_all()
    env.invalidate_all()
    after = records.read(field_names, load=None)
    changed = sum(
        1
        for old, new in zip(before, after, strict=True)
        for field_name in field_names
        if old[field_name] != new[field_name]
    )
    say(
        f"  {name}: {len(records)} records, {len(field_names)} stored fields"
        f" recomputed, {changed} values changed"
    )
    cr.commit()

cr.execute("ANALYZE")
population = env["ir.config_parameter"].get_param("customer_policy_bench.population")
# check_clone.py tells the copies (id above the offset) from the originals.
env["ir.config_parameter"].set_param(
    "customer_policy_bench.clone_offsets",
    json.dumps(
        {models_of[table]: offset[table] for table in selected if table in models_of}
    ),
)
env["ir.config_parameter"].set_param(
    "customer_policy_bench.population",
    f"size={N} seed={SEED} cloned {K}x from [{population}]",
)
cr.commit()
say(
    "done: "
    + ", ".join(
        f"{table} {query(SQL('SELECT count(*) FROM %s', SQL.identifier(table)))[0][0]}"
        for table in sorted(selected)
    )
)
