"""Uninstall every addon of the repository, one at a time, and check each time
that it left nothing behind and that what remains still works.

Fed to `odoo shell -d DB` on its standard input (the shell gives it `env`) on a
database with every addon of the repository installed, with:

    UNINSTALL_ADDONS      the repository's addons (a,b,...): each installed one is
                          uninstalled, those no other installed addon depends on
                          first, so the core goes last
    UNINSTALL_SMOKE_TAGS  --test-tags of the tests to run after each uninstall
                          while their addon is still installed (e.g.
                          /customer_policy:TestDemoData,/base:TestPartner)

For each addon, before its uninstall, it notes what the addon alone owns (the
records of its external ids that no other module claims: models, fields,
views, menus, record rules, access rights, groups, actions, crons, data) and
the tables, columns and many2many tables behind its models and fields; after
it, it checks that:

- the addon is uninstalled and no other addon went with it;
- none of those records that make the addon (ir.* records: models, fields,
  views, menus, rules, access, actions; groups), tables or columns is left, nor
  an external id of them; the data it brought that Odoo kept because other
  records use it (a demo customer with visits of its own, the working calendar
  a company now uses) is listed;
- every partner, user and company that the addon did not create is still there
  (Odoo's own data, and the data of the other addons);
- the rest still works: every model the addon extended that is still there
  reads its records with all their fields and gives its list, form and search
  views, and the smoke tests of the addons still installed pass.

It prints one line per addon and each problem, and exits non-zero on any.
"""

import os
import sys
import threading
import time

import odoo

# As in `odoo --test-enable`, set before Odoo's test framework is imported (and
# only while the smoke tests run: the registry an uninstall reloads would run
# every addon's at_install tests).
odoo.tools.config["test_enable"] = True

# pylint: disable=wrong-import-position
from odoo.modules.registry import Registry
from odoo.tests import loader
from odoo.tests.result import OdooTestResult
from odoo.tests.suite import OdooSuite
from odoo.tests.tag_selector import TagsSelector

# Odoo's own data that an uninstall must not touch beyond the addon's records.
KEPT_TABLES = ("res_partner", "res_users", "res_company", "res_groups", "crm_team")


def new_env(cr):
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def installed(cr, names):
    cr.execute(
        "SELECT name FROM ir_module_module"
        " WHERE state = 'installed' AND name = ANY(%s)",
        [list(names)],
    )
    return {row[0] for row in cr.fetchall()}


def next_leaf(cr, names):
    """An installed addon of `names` that no other installed addon depends on."""
    cr.execute(
        """SELECT m.name FROM ir_module_module m
            WHERE m.state = 'installed' AND m.name = ANY(%s)
              AND NOT EXISTS (
                  SELECT 1 FROM ir_module_module_dependency d
                  JOIN ir_module_module o ON o.id = d.module_id
                  WHERE d.name = m.name AND o.state = 'installed')
            ORDER BY m.name""",
        [list(names)],
    )
    rows = cr.fetchall()
    return rows[0][0] if rows else None


def relation_exists(cr, name):
    cr.execute("SELECT 1 FROM pg_class WHERE relname = %s", [name])
    return bool(cr.rowcount)


def column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.rowcount)


def owned_alone(cr, module):
    """{model: [ids]} of the records whose every external id is the module's."""
    cr.execute(
        """SELECT d.model, array_agg(DISTINCT d.res_id) FROM ir_model_data d
            WHERE d.module = %s AND d.res_id IS NOT NULL
              AND NOT EXISTS (
                  SELECT 1 FROM ir_model_data o
                  WHERE o.model = d.model AND o.res_id = d.res_id
                    AND o.module NOT IN (%s, '__export__', '__cloc_exclude__'))
            GROUP BY d.model""",
        [module, module],
    )
    return dict(cr.fetchall())


def snapshot(env, module):
    """What the module alone owns, and Odoo's rows it must leave."""
    cr = env.cr
    owned = owned_alone(cr, module)
    tables, columns = [], []
    if owned.get("ir.model"):
        for model in env["ir.model"].browse(owned["ir.model"]):
            records = env.get(model.model)
            if records is not None and not records._abstract:
                table = records._table
                if relation_exists(cr, table):
                    tables.append(table)
    if owned.get("ir.model.fields"):
        for field in env["ir.model.fields"].browse(owned["ir.model.fields"]):
            records = env.get(field.model)
            if records is None or records._abstract or not field.store:
                continue
            if field.ttype == "many2many" and field.relation_table:
                if relation_exists(cr, field.relation_table):
                    tables.append(field.relation_table)
            elif (
                field.ttype != "one2many"
                and records._table not in tables
                and column_exists(cr, records._table, field.name)
            ):
                columns.append((records._table, field.name))
    cr.execute(
        """SELECT r.name FROM ir_model_relation r
            JOIN ir_module_module m ON m.id = r.module WHERE m.name = %s""",
        [module],
    )
    tables += [name for (name,) in cr.fetchall() if relation_exists(cr, name)]
    # The models it extended (or defined): what stays of them must still work.
    cr.execute(
        """SELECT m.model FROM ir_model m
            JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
            WHERE d.module = %s""",
        [module],
    )
    touched = sorted({row[0] for row in cr.fetchall()} | {"res.partner", "res.users"})
    kept = {}
    for table in KEPT_TABLES:
        model = table.replace("_", ".", 1)
        cr.execute(f"SELECT id FROM {table}")  # pylint: disable=sql-injection
        kept[table] = {row[0] for row in cr.fetchall()} - set(owned.get(model, ()))
    return {
        "owned": owned,
        "tables": sorted(set(tables)),
        "columns": columns,
        "kept": kept,
        "touched": touched,
    }


def structural(model):
    """Records that make the addon (models, fields, views, menus, rules, access,
    actions, crons, groups), as opposed to the data it brought (demo customers,
    a working calendar a company now uses), which Odoo keeps when other records
    still point to them."""
    return model.startswith("ir.") or model == "res.groups"


def leftovers(env, module, before, others):
    """(problems, notes) the module's uninstall left: problems fail the check;
    notes say which of its data records Odoo kept."""
    cr = env.cr
    problems, notes = [], []
    cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
    state = cr.fetchone()[0]
    if state != "uninstalled":
        problems.append(f"{module} is {state}, not uninstalled")
    if gone := sorted(others - installed(cr, others)):
        problems.append(f"uninstalled with it: {', '.join(gone)}")
    cr.execute(
        "SELECT model, count(*) FROM ir_model_data WHERE module = %s GROUP BY model",
        [module],
    )
    for model, count in cr.fetchall():
        (problems if structural(model) else notes).append(
            f"{count} external id(s) of {module} left on {model}"
        )
    for model, ids in sorted(before["owned"].items()):
        if model not in env:
            continue
        table = env[model]._table
        if not relation_exists(cr, table):
            continue
        cr.execute(f"SELECT id FROM {table} WHERE id = ANY(%s)", [ids])  # pylint: disable=sql-injection
        if left := sorted(row[0] for row in cr.fetchall()):
            (problems if structural(model) else notes).append(
                f"{len(left)} {model} record(s) of {module} left: ids {left[:10]}"
            )
    for table in before["tables"]:
        if relation_exists(cr, table):
            problems.append(f"table {table} left")
    for table, column in before["columns"]:
        if column_exists(cr, table, column):
            problems.append(f"column {table}.{column} left")
    for table, ids in before["kept"].items():
        cr.execute(f"SELECT id FROM {table}")  # pylint: disable=sql-injection
        lost = ids - {row[0] for row in cr.fetchall()}
        if lost:
            ids = sorted(lost)[:10]
            problems.append(f"{len(lost)} {table} row(s) not of {module} gone: {ids}")
    return problems, notes


def smoke(env, models):
    """The models an uninstalled addon extended, as the addons still installed
    make them: they read their records with every field and give their views
    (a column dropped that a field still needs, a view still naming a field
    gone, fail here)."""
    problems = []
    cr = env.cr
    for name in models:
        records = env.get(name)
        if records is None or records._abstract:
            continue
        try:
            with cr.savepoint():
                records.search([], limit=5).read(list(records._fields))
                records.get_views([(False, "list"), (False, "form"), (False, "search")])
        # Whatever breaks is what the check is for: reported, not raised.
        except Exception as error:  # noqa: BLE001  # pylint: disable=broad-except
            problems.append(f"{name} does not read or show: {error!r:.300}")
    return problems


def run_tests(env, tags):
    """The tests that `tags` names among the installed addons: (run, failed)."""
    specs = [spec for spec in tags.split(",") if spec.strip()]
    modules = {TagsSelector.filter_spec_re.match(spec).group(3) for spec in specs}
    modules = installed(env.cr, modules)
    specs = [
        s for s in specs if TagsSelector.filter_spec_re.match(s).group(3) in modules
    ]
    if not specs:
        return 0, 0
    selector = TagsSelector(",".join(specs))
    tests = [
        test
        for module in sorted(modules)
        for test_module in loader.get_test_modules(module)
        for test in loader.get_module_test_cases(test_module)
        if selector.check(test)
    ]
    env.cr.rollback()
    odoo.tools.config["test_enable"] = True
    result = OdooTestResult()
    odoo.modules.module.current_test = True
    threading.current_thread().testing = True
    try:
        OdooSuite(sorted(tests, key=lambda test: test.test_sequence))(result)
    finally:
        threading.current_thread().testing = False
        odoo.modules.module.current_test = False
    return result.testsRun, result.failures_count + result.errors_count


def main(shell_cr, addons, smoke_tags):
    # The shell's own transaction read res.users: ended, so that no uninstall
    # waits for its locks (an ALTER TABLE on res_users would wait forever).
    shell_cr.rollback()
    dbname = shell_cr.dbname
    failed = False
    with Registry(dbname).cursor() as cr:
        todo = installed(cr, addons)
    if not todo:
        sys.exit(f"uninstall: none of {', '.join(sorted(addons))} is installed")
    while todo:
        start = time.time()
        with Registry(dbname).cursor() as cr:
            env = new_env(cr)
            module = next_leaf(cr, todo)
            if module is None:
                sys.exit(f"uninstall: {', '.join(sorted(todo))} depend on each other")
            before = snapshot(env, module)
            odoo.tools.config["test_enable"] = False
            env["ir.module.module"].search(
                [("name", "=", module)]
            ).button_immediate_uninstall()
        todo.discard(module)
        with Registry(dbname).cursor() as cr:
            env = new_env(cr)
            problems, notes = leftovers(env, module, before, todo)
            problems += smoke(env, before["touched"])
            run, failures = run_tests(env, smoke_tags)
            if failures:
                problems.append(f"{failures} of {run} smoke tests failed (see above)")
            cr.rollback()
        owned = sum(len(ids) for ids in before["owned"].values())
        print(
            f"== {module}: {owned} records, {len(before['tables'])} tables and "
            f"{len(before['columns'])} columns of its own gone; "
            f"{len(before['touched'])} models it extended read; {run} smoke tests; "
            f"{time.time() - start:.0f} s",
            flush=True,
        )
        for note in notes:
            print(f"   kept by Odoo, in use when it deleted them: {note}", flush=True)
        for problem in problems:
            print(f"   FAILED: {problem}", flush=True)
        failed = failed or bool(problems)
    if failed:
        sys.exit(1)


main(
    env.cr,  # noqa: F821  # pylint: disable=undefined-variable
    set(os.environ["UNINSTALL_ADDONS"].split(",")),
    os.environ.get("UNINSTALL_SMOKE_TAGS", ""),
)
