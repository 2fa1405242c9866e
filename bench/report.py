"""The table of a bench/run: each case with its limit, ratio and issue 23's budget.

    report.py RESULTS.json RESULTS_DIR SIZE LABEL LOAD

Prints the table and writes it next to the JSON as Markdown (.md). The cron
query budget compares with the smallest other size measured with the same label
(RESULTS_DIR/LABEL-<size>.json), when there is one. A cron's "< 60 s" applies to
its longest round (the slowest call: a worker's time limits apply per call),
its ratio to the limit and its queries to the whole run.
"""

import glob
import json
import os
import re
import sys

path, results_dir, size, label, load = sys.argv[1:6]
size = int(size)
with open(path) as file:
    rows = json.load(file)


def smallest_reference():
    best = None
    for other in glob.glob(os.path.join(results_dir, f"{label}-*.json")):
        match = re.search(r"-(\d+)\.json$", os.path.basename(other))
        if not match or other == path or int(match.group(1)) >= size:
            continue
        if best is None or int(match.group(1)) < best[0]:
            best = (int(match.group(1)), other)
    if not best:
        return None, {}
    with open(best[1]) as file:
        return best[0], {r["name"]: r for r in json.load(file) if "wall" in r}


ref_size, reference = smallest_reference()
contacts = next((r for r in rows if "contacts only" in r.get("name", "")), None)
if contacts is None:
    # An unfinished run: the contacts-only list (its queries do not depend on
    # the size) of the reference run.
    contacts = next((r for n, r in reference.items() if "contacts only" in n), None)
peer = next((r for r in rows if r.get("name", "").endswith("helpdesk_mgmt_sla")), None)


def longest(row):
    """(wall s, queries) of the cron's slowest call; the whole run for results
    recorded before the rounds were timed, and for the other groups."""
    if row.get("longest_wall") is None:
        return row["wall"], row["queries"]
    return row["longest_wall"], row["longest_queries"]


def verdict(row):
    """(budget, pass) of a row; pass is None when the budget does not apply."""
    name, wall, limit = row["name"], row["wall"], row.get("limit")
    group = row["group"]
    if group == "cron":
        checks = []
        ok = True
        if row.get("error"):
            return "runs without error", False
        if row.get("note", "").find("remaining") >= 0:
            checks.append("finishes")
            ok = False
        tiny = wall < 1.0 and (limit or 0) < 0.05
        if not tiny:
            checks.append("≤ 3× limit")
            ok &= bool(limit) and wall <= 3 * limit
        # A worker's time limits apply to each call: the longest round (the
        # whole run in results recorded before the rounds were timed).
        timed = row.get("longest_wall") is not None
        checks.append("longest round < 60 s" if timed else "< 60 s")
        ok &= longest(row)[0] < 60
        ref = reference.get(name)
        if ref:
            allowed = max(1.1 * ref["queries"], ref["queries"] + 5)
            checks.append(f"queries ≤ 1.1× at {ref_size} ({ref['queries']})")
            ok &= row["queries"] <= allowed
        return ", ".join(checks), ok
    if group == "screen":
        if "contacts only" in name:
            return "reference", None
        if name.startswith("customer list"):
            if not contacts:
                return "≤ contacts-only + 3 queries (no reference)", None
            return (
                f"≤ {contacts['queries'] + 3} queries (contacts-only + 3)",
                row["queries"] <= contacts["queries"] + 3,
            )
        if name.startswith("busy customer form"):
            return "≤ 25 queries", row["queries"] <= 25
        if name.startswith("pinyin"):
            ok = wall < 1.0 and "DOES NOT FIND" not in row.get("note", "")
            return "finds it, < 1 s", ok
    if group == "xlsx":
        ok = bool(limit) and wall <= 2 * limit and row["memory_mb"] < 150
        return "≤ 2× raw xlsxwriter, < 150 MB", ok
    if group == "peer":
        if "customer_policy" in name and peer:
            return "faster than the peer", wall < peer["wall"]
        return "", None
    return "", None


lines = [
    f"### {size:,} customers — run `{label}` (load average {load})",
    "",
    (
        "| group | case | wall s | queries | longest round s | its queries "
        "| peak MB | limit ms | × limit | budget | met |"
    ),
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
]
failed = 0
for row in rows:
    if "wall" not in row:
        lines.append(f"| {row['group']} | {row['name']} | | | | | | | | | ✗ |")
        failed += 1
        continue
    budget, ok = verdict(row)
    limit = row.get("limit")
    ratio = f"{row['wall'] / limit:.1f}" if limit else "–"
    mark = {True: "✓", False: "✗", None: ""}[ok]
    failed += ok is False
    note = f" ({row['note']})" if row.get("note") else ""
    round_wall, round_queries = (
        (f"{row['longest_wall']:.2f}", row["longest_queries"])
        if row.get("longest_wall") is not None
        else ("", "")
    )
    lines.append(
        f"| {row['group']} | {row['name']}{note} | {row['wall']:.2f} | "
        f"{row['queries']} | {round_wall} | {round_queries} | "
        f"{row['memory_mb']:.0f} | "
        f"{'' if limit is None else f'{limit * 1000:.1f}'} | {ratio} | "
        f"{budget} | {mark} |"
    )
lines.append("")
lines.append(f"{failed} budget(s) missed.")
text = "\n".join(lines)
print(text)
with open(path[: -len(".json")] + ".md", "w") as out:
    out.write(text + "\n")
