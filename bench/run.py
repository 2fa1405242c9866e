# ruff: noqa: F821
# pylint: skip-file
"""The measurements of bench/run, inside ``odoo shell`` on a copy of the generated
database (``env`` is the superuser's environment). Writes the results as JSON to
BENCH_OUT; bench/report.py turns them into the table.

Each case gives wall time, SQL queries (the cursor's statement counter), peak
memory growth (RSS sampled every 20 ms above the level before the case), and the
limit: what the database or xlsxwriter alone takes to produce the same result
(see BENCHMARKS.md for each case's limit).
"""

import io
import json
import os
import threading
import time
import traceback
import zipfile
from datetime import date, datetime, timedelta, timezone

import xlsxwriter

from odoo import fields
from odoo.tools import SQL

from odoo.addons.customer_policy.tests.web_client import view_spec

OUT = os.environ["BENCH_OUT"]
CONTACTS_DB = os.environ.get("BENCH_CONTACTS_DB")
PEER_SAMPLE = int(os.environ.get("BENCH_PEER_SAMPLE", "5000"))
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
# Crons not run, by their method's name (e.g. _cron_send_kpi_mailings).
SKIP = set(filter(None, os.environ.get("BENCH_SKIP_CRONS", "").split(",")))
ADDONS = os.environ["BENCH_ADDONS"].split(",")
cr = env.cr
results = []
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class Probe:
    """Wall time, statements of ``cursor`` and the peak RSS growth of a block."""

    def __init__(self, cursor):
        self.cursor = cursor

    def __enter__(self):
        self.base = rss()
        self.peak = self.base
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        self.queries = self.cursor.sql_log_count
        self.start = time.perf_counter()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, rss())
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.start
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss())
        self.queries = self.cursor.sql_log_count - self.queries
        self.memory = (self.peak - self.base) / 2**20
        return False


def record(group, name, probe, limit=None, limit_label="", **extra):
    row = {
        "group": group,
        "name": name,
        "wall": round(probe.wall, 3),
        "queries": probe.queries,
        "memory_mb": round(probe.memory, 1),
        "limit": round(limit, 6) if limit is not None else None,
        "limit_label": limit_label,
        **extra,
    }
    results.append(row)
    ratio = f"{probe.wall / limit:.1f}x" if limit else "-"
    print(
        f"   {group:<6} {name:<48} {probe.wall:8.2f} s {probe.queries:7d} q "
        f"{probe.memory:7.1f} MB  limit {limit if limit is not None else '-'} {ratio} "
        f"{extra.get('note', '')}",
        flush=True,
    )
    with open(OUT, "w") as out:
        json.dump(results, out, indent=1, default=str)


def timed_sql(query, params=None, rollback=True):
    """Seconds the database takes for one statement (rolled back)."""
    cr.execute("SAVEPOINT bench_limit")
    start = time.perf_counter()
    cr.execute(query, params)
    elapsed = time.perf_counter() - start
    if rollback:
        cr.execute("ROLLBACK TO SAVEPOINT bench_limit")
    return elapsed


def wanted(group):
    return not ONLY or group in ONLY


def user(login):
    return env["res.users"].search([("login", "=", login)], limit=1)


director = user("director")
salesperson_of_busy = None
env.cr.execute(
    "SELECT value FROM ir_config_parameter "
    "WHERE key = 'customer_policy_bench.population'"
)
population = env.cr.fetchone()[0]
busy_id = int(population.split("busy=")[1].split()[0])
busy = env["res.partner"].browse(busy_id)
salesperson_of_busy = busy.user_id
print(f"   population: {population}", flush=True)


# --- Crons -------------------------------------------------------------------------
def written_tables():
    cr.execute("SELECT pg_stat_clear_snapshot()")
    cr.execute("SELECT relname, n_tup_ins + n_tup_upd FROM pg_stat_user_tables")
    return dict(cr.fetchall())


def cron_limit(start, start_xid, before, after):
    """The limit of a cron: writing the rows it wrote, set-based, one statement
    per table (INSERT ... SELECT of its new rows, UPDATE of the rows it changed),
    rolled back.

    The rows it changed are those its transactions wrote (``xmin`` at or after
    ``start_xid``, the bench's transaction before the cron) and did not create:
    a cron that writes in SQL without stamping ``write_date`` (the data-quality
    flags, the health scores) changes rows the write date does not show."""
    total = 0.0
    tables = []
    for table, count in after.items():
        if count == before.get(table, 0):
            continue
        cr.execute(
            """SELECT array_agg(column_name::text) FROM information_schema.columns
                WHERE table_name = %s AND table_schema = current_schema()
                  AND column_name <> 'id'""",
            [table],
        )
        columns = cr.fetchone()[0] or []
        if "write_date" not in columns or "create_date" not in columns:
            continue
        ident = SQL.identifier(table)
        # The new rows written again, id and unique keys included: deleted and
        # inserted in one statement (twice the work of inserting them); a table
        # whose rows others reference with ON DELETE RESTRICT gets them inserted
        # into a copy without its indexes instead.
        try:
            total += timed_sql(
                SQL(
                    "WITH gone AS (DELETE FROM %s WHERE create_date >= %s "
                    "RETURNING *) INSERT INTO %s SELECT * FROM gone",
                    ident,
                    start,
                    ident,
                )
            )
        except Exception:  # noqa: BLE001
            cr.execute("ROLLBACK TO SAVEPOINT bench_limit")
            cr.execute(
                SQL(
                    "CREATE TEMP TABLE IF NOT EXISTS %s (LIKE %s INCLUDING DEFAULTS)",
                    SQL.identifier("bench_" + table),
                    ident,
                )
            )
            total += timed_sql(
                SQL(
                    "INSERT INTO %s SELECT * FROM %s WHERE create_date >= %s",
                    SQL.identifier("bench_" + table),
                    ident,
                    start,
                )
            )
        total += timed_sql(
            SQL(
                "UPDATE %s SET write_date = write_date "
                "WHERE xmin::text::bigint >= %s AND create_date < %s",
                ident,
                start_xid,
                start,
            )
        )
        tables.append(table)
    return total, tables


def run_cron(cron):
    """The cron as ir.cron's _run_job runs it: its server action with a progress
    record, committed, repeated while it reports remaining work (up to 100
    times here, 10 per job in Odoo). Also returns the longest round, (wall s,
    queries) of the slowest call: a worker's time limits apply to one call."""
    cron = cron.with_user(cron.user_id)
    rounds = 0
    error = None
    done = remaining = 0
    longest = (0.0, 0)
    while rounds < 100:
        rounds += 1
        _cron, progress = cron._add_progress()
        cr.commit()
        start, queries = time.perf_counter(), cr.sql_log_count
        try:
            env["ir.actions.server"].with_user(cron.user_id).with_context(
                ir_cron_progress_id=progress.id,
                lastcall=cron.lastcall,
                cron_id=cron.id,
            ).browse(cron.ir_actions_server_id.id).run()
            env.flush_all()
            cr.commit()
        except Exception as exc:  # noqa: BLE001
            cr.rollback()
            error = f"{type(exc).__name__}: {str(exc)[:120]}"
            traceback.print_exc()
            break
        finally:
            call = (time.perf_counter() - start, cr.sql_log_count - queries)
            longest = max(longest, call)
        progress = env["ir.cron.progress"].browse(progress.id)
        progress.invalidate_recordset()
        done, remaining = progress.done, progress.remaining
        if not remaining or not done:
            break
    return rounds, error, done, remaining, longest


def bench_crons():
    cr.execute(
        """SELECT res_id FROM ir_model_data
            WHERE model = 'ir.cron' AND module = ANY(%s) ORDER BY module, name""",
        [ADDONS],
    )
    crons = env["ir.cron"].browse([r[0] for r in cr.fetchall()]).exists()
    for cron in crons:
        name = cron.ir_actions_server_id.code.strip().replace("model.", "")
        label = f"{cron.model_id.model}.{name}"
        if name.split("(")[0] in SKIP:
            print(f"   cron   {label} skipped (BENCH_SKIP_CRONS)", flush=True)
            continue
        cr.execute("SELECT (now() at time zone 'UTC')::timestamp")
        cr.commit()
        start = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=1)
        # The 32-bit id of a transaction before the cron's (xmin of the rows).
        cr.execute("SELECT mod(txid_current(), 4294967296)")
        start_xid = cr.fetchone()[0]
        before = written_tables()
        cr.commit()
        with Probe(cr) as probe:
            rounds, error, _done, remaining, longest = run_cron(cron)
        time.sleep(0.7)  # statistics of the cron's transactions
        after = written_tables()
        limit, tables = cron_limit(start, start_xid, before, after)
        cr.rollback()
        note = f"{rounds} round(s)"
        if error:
            note += f"; FAILED {error}"
        if remaining:
            note += f"; {remaining} remaining"
        record(
            "cron",
            label,
            probe,
            limit,
            "rows written, set-based",
            rounds=rounds,
            longest_wall=round(longest[0], 3),
            longest_queries=longest[1],
            error=error,
            tables=tables,
            note=note,
        )


# --- Screens -----------------------------------------------------------------------
def views_of(Model, action_xmlid, kind):
    action = env.ref(action_xmlid)
    view_id = False
    for view_id_, view_type in action.views:
        if view_type == kind:
            view_id = view_id_
    result = Model.get_views([(view_id, kind)])
    return result["views"][kind]["arch"], action


def find_customer_action():
    # The Customers menu opens this action through a server action (the
    # salesperson's default filter); its views are the list and form measured.
    return env.ref("customer_policy.action_customer_policy_customer")


def measure_call(cursor, call):
    call()  # warm the registry's caches, as a server that served one request
    env.invalidate_all()
    with Probe(cursor) as probe:
        call()
    env.invalidate_all()
    return probe


def bench_screens():
    action = find_customer_action()
    xmlid = action.get_external_id()[action.id]
    for role, login_user in (
        ("salesperson", salesperson_of_busy),
        ("Director", director),
    ):
        Partner = (
            env["res.partner"]
            .with_user(login_user)
            .with_context(**(action._get_eval_context() and {}))
        )
        arch, _action = views_of(Partner, xmlid, "list")
        spec = view_spec(Partner, arch)
        domain = action.domain and eval(action.domain, {"uid": login_user.id}) or []
        probe = measure_call(
            cr,
            lambda p=Partner, d=domain, s=spec: p.web_search_read(d, s, limit=80),
        )
        limit = timed_sql(
            "SELECT id, name FROM res_partner WHERE customer_policy_managed "
            "AND parent_id IS NULL AND (user_id = %s OR %s) ORDER BY "
            "complete_name, id LIMIT 80",
            [login_user.id, role == "Director"],
        )
        record(
            "screen",
            f"customer list, 80 rows, as {role}",
            probe,
            limit,
            "the page in one SELECT",
            fields=len(spec),
        )
    # The busy customer's form as its owner.
    Partner = env["res.partner"].with_user(salesperson_of_busy)
    arch, _a = views_of(Partner, xmlid, "form")
    spec = view_spec(Partner, arch)
    probe = measure_call(cr, lambda: Partner.browse(busy_id).web_read(spec))
    limit = timed_sql(
        """SELECT p.*, (SELECT array_agg(id) FROM (SELECT id FROM customer_visit
             WHERE commercial_partner_id = p.id ORDER BY planned_date DESC LIMIT 40) v),
             (SELECT array_agg(id) FROM (SELECT id FROM customer_agreement
             WHERE partner_id = p.id ORDER BY id DESC LIMIT 40) a)
             FROM res_partner p WHERE p.id = %s""",
        [busy_id],
    )
    record(
        "screen",
        "busy customer form (500 visits, 50 agreements)",
        probe,
        limit,
        "the row and its sub-lists in one SELECT",
        fields=len(spec),
    )
    # The pinyin lookup (issue 16), typed as far as someone who looks for one
    # company types it: at 100,000 customers over 20 cities, 120 or so companies
    # start with 上海星河 (shxh), and no list of 8 can show one of them.
    for term in ("shxhkj", "shanghai xinghe keji"):
        probe = measure_call(cr, lambda t=term: Partner.name_search(t, limit=8))
        found = Partner.name_search(term, limit=8)
        compact = term.replace(" ", "")
        limit = timed_sql(
            "SELECT id FROM res_partner WHERE customer_policy_pinyin_initials "
            "LIKE %s OR replace(customer_policy_pinyin, ' ', '') LIKE %s LIMIT 8",
            [f"%{compact}%", f"%{compact}%"],
        )
        hit = any("上海星河科技" in name for _id, name in found)
        record(
            "screen",
            f"pinyin name_search '{term}'",
            probe,
            limit,
            "one LIKE on the pinyin columns",
            note="finds 上海星河科技有限公司" if hit else "DOES NOT FIND the example",
        )


def contacts_list(cr2):
    """The same list with only contacts installed: another database."""
    import odoo

    registry = odoo.modules.registry.Registry(CONTACTS_DB)
    with registry.cursor() as ccr:
        cenv = odoo.api.Environment(ccr, odoo.SUPERUSER_ID, {})
        Partner = cenv["res.partner"].with_user(cenv.ref("base.user_admin"))
        result = Partner.get_views([(False, "list")])
        arch = result["views"]["list"]["arch"]
        spec = view_spec(Partner, arch)
        domain = [("is_company", "=", True)]
        Partner.web_search_read(domain, spec, limit=80)
        cenv.invalidate_all()
        with Probe(ccr) as probe:
            Partner.web_search_read(domain, spec, limit=80)
        return probe


# --- Workbooks ---------------------------------------------------------------------
def sheet_shapes(content):
    """(rows, columns) of each sheet of an .xlsx, from its dimension."""
    shapes = []
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        for name in sorted(book.namelist()):
            if name.startswith("xl/worksheets/sheet"):
                head = book.open(name).read(4000).decode(errors="ignore")
                ref = head.split('<dimension ref="')[1].split('"')[0]
                last = ref.split(":")[-1]
                letters = "".join(c for c in last if c.isalpha())
                rows = int("".join(c for c in last if c.isdigit()))
                cols = 0
                for c in letters:
                    cols = cols * 26 + ord(c) - 64
                shapes.append((rows, cols))
    return shapes


def raw_xlsxwriter(shapes):
    """The limit: xlsxwriter alone writing the same cells (a text, numbers and a
    date per row, from a Python list) in constant-memory mode."""
    start = time.perf_counter()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    money = book.add_format({"num_format": "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for index, (rows, cols) in enumerate(shapes):
        data = [
            ["客户名称 %d" % r, date(2026, 1, 1)] + [float(r)] * max(0, cols - 2)
            for r in range(rows)
        ]
        sheet = book.add_worksheet(f"s{index}")
        for r, row in enumerate(data):
            sheet.write_string(r, 0, row[0])
            if cols > 1:
                sheet.write_datetime(r, 1, datetime(2026, 1, 1), day)
            for c in range(2, cols):
                sheet.write_number(r, c, row[c], money)
    book.close()
    return time.perf_counter() - start


def bench_workbooks():
    Export = env["customer.policy.xlsx.export"].with_user(director)
    for report in ("customer_analysis", "kpi", "scorecard", "plan"):
        res_model = {
            "customer_analysis": "res.partner",
            "kpi": "customer.kpi.report",
            "scorecard": "customer.kpi.scorecard",
            "plan": "customer.development.plan",
        }[report]
        wizard = Export.create(
            {
                "report": report,
                "res_model": res_model,
                "domain": "[]",
                "date_from": fields.Date.today() - timedelta(days=3 * 365),
            }
        )
        env.invalidate_all()
        with Probe(cr) as probe:
            content, _name = wizard._customer_policy_build()
        shapes = sheet_shapes(content)
        rows = sum(r for r, _c in shapes)
        limit = raw_xlsxwriter(shapes)
        record(
            "xlsx",
            f"{report} workbook",
            probe,
            limit,
            "raw xlsxwriter, same cells",
            rows=rows,
            note=f"{rows} rows, {len(shapes)} sheets",
        )
    Ledger = env["customer.ledger.report"].with_user(director)
    wizard = Ledger.create(
        {
            "date_from": fields.Date.today() - timedelta(days=3 * 365),
            "date_to": fields.Date.today() + timedelta(days=365),
        }
    )
    env.invalidate_all()
    with Probe(cr) as probe:
        content = wizard._build_xlsx()
    shapes = sheet_shapes(content)
    rows = sum(r for r, _c in shapes)
    limit = raw_xlsxwriter(shapes)
    record(
        "xlsx",
        "ledger workbook",
        probe,
        limit,
        "raw xlsxwriter, same cells",
        rows=rows,
        note=f"{rows} rows, {len(shapes)} sheets",
    )
    cr.rollback()


# --- Peer: OCA helpdesk_mgmt_sla -----------------------------------------------------
def bench_peer():
    company = env.company
    calendar = company.resource_calendar_id
    Complaint = env["customer.complaint"]
    complaints = Complaint.search([], order="id", limit=PEER_SAMPLE)
    normal = company.complaint_normal_hours
    major = company.complaint_major_hours
    team = env["helpdesk.ticket.team"].create(
        {"name": "客服部", "use_sla": True, "resource_calendar_id": calendar.id}
    )
    stage_done = env["helpdesk.ticket.stage"].search(
        [("closed", "=", True)], limit=1
    ) or env["helpdesk.ticket.stage"].search([], order="sequence desc", limit=1)
    major_tag = env["helpdesk.ticket.tag"].create({"name": "重大"})
    env["helpdesk.sla"].create(
        [
            {
                "name": "一般投诉响应",
                "team_ids": [(6, 0, team.ids)],
                "hours": normal,
                "stage_id": stage_done.id,
                "domain": "[('tag_ids', '=', False)]",
            },
            {
                "name": "重大投诉响应",
                "team_ids": [(6, 0, team.ids)],
                "tag_ids": [(6, 0, major_tag.ids)],
                "hours": major,
                "stage_id": stage_done.id,
            },
        ]
    )
    Ticket = env["helpdesk.ticket"].with_context(tracking_disable=True)
    tickets = Ticket.create(
        [
            {
                "name": c.name,
                "description": c.description or "-",
                "partner_id": c.partner_id.id,
                "team_id": team.id,
                "tag_ids": [(6, 0, major_tag.ids)] if c.severity == "major" else [],
            }
            for c in complaints
        ]
    )
    env.flush_all()
    # The same moment of reception as the complaints.
    cr.execute(
        SQL(
            "UPDATE helpdesk_ticket t SET create_date = v.received FROM (VALUES %s) "
            "AS v(id, received) WHERE t.id = v.id",
            SQL(", ").join(
                SQL("(%s, %s::timestamp)", t.id, c.received_at)
                for t, c in zip(tickets, complaints, strict=True)
            ),
        )
    )
    cr.execute("UPDATE helpdesk_ticket_sla SET deadline = NULL")
    env.invalidate_all()
    TicketSla = env["helpdesk.ticket.sla"]
    slas = TicketSla.search([("ticket_id", "in", tickets.ids)])
    with Probe(cr) as peer:
        env.add_to_compute(TicketSla._fields["deadline"], slas)
        slas.flush_recordset()
    # Ours: the same complaints' response, contact, escalation and resolution
    # deadlines.
    env.invalidate_all()
    complaints = Complaint.browse(complaints.ids)
    deadline_fields = [
        f
        for f in (
            "response_deadline",
            "contact_deadline",
            "escalation_deadline",
            "resolution_deadline",
        )
        if f in Complaint._fields
    ]
    with Probe(cr) as ours:
        for f in deadline_fields:
            env.add_to_compute(Complaint._fields[f], complaints)
        complaints.flush_recordset()
    note = (
        f"{len(complaints)} tickets; ours computes {len(deadline_fields)} deadlines "
        f"each, the peer 1"
    )
    record(
        "peer",
        "complaint SLA deadlines: customer_policy",
        ours,
        peer.wall,
        "OCA helpdesk_mgmt_sla on the same tickets",
        note=note,
    )
    record(
        "peer",
        "complaint SLA deadlines: OCA helpdesk_mgmt_sla",
        peer,
        None,
        "",
        note=f"{len(slas)} ticket SLAs, plan_hours per ticket",
    )
    cr.rollback()


steps = [
    ("screen", bench_screens),
    ("xlsx", bench_workbooks),
    ("peer", bench_peer),
    ("cron", bench_crons),
]
for group, step in steps:
    if not wanted(group):
        continue
    print(f"== {group}", flush=True)
    try:
        step()
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        cr.rollback()
        results.append(
            {
                "group": group,
                "name": f"{group}: FAILED",
                "error": traceback.format_exc()[-400:],
            }
        )
if wanted("screen") and CONTACTS_DB:
    try:
        probe = contacts_list(cr)
        record(
            "screen",
            "customer list, 80 rows, contacts only (reference)",
            probe,
            None,
            "",
            database=CONTACTS_DB,
        )
    except Exception:  # noqa: BLE001
        traceback.print_exc()
with open(OUT, "w") as out:
    json.dump(results, out, indent=1, default=str)
