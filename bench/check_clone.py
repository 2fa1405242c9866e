# ruff: noqa: F821
# pylint: skip-file
"""Run by bench/generate in ``odoo shell`` after ``clone.py``: recompute through
the ORM every stored computed field (related fields included) of a random sample
of the copied rows of each copied model, and count the values that differ from
what the copy holds; the same on a sample of the originals, as the control (a
field that depends on today's date differs on both if the base was made on
another day). Rolled back: nothing stays. Prints one CHECK line per model and a
total line; exits 1 when a copy differs where its original does not.
"""

import json
import os
import sys

SAMPLE = int(os.environ.get("BENCH_CHECK_SAMPLE", "2000"))
offsets = json.loads(
    env["ir.config_parameter"].get_param("customer_policy_bench.clone_offsets")
)
cr = env.cr


def differing(Model, ids, names):
    """{field name: number of records whose stored value the ORM recomputes
    differently}."""
    records = Model.browse(ids)
    before = records.read(names, load=None)
    env.invalidate_all()
    for name in names:
        env.add_to_compute(Model._fields[name], records)
    env.flush_all()
    env.invalidate_all()
    after = records.read(names, load=None)
    counts = {}
    for old, new in zip(before, after, strict=True):
        for name in names:
            if old[name] != new[name]:
                counts[name] = counts.get(name, 0) + 1
    return counts


total_copies = total_originals = checked = 0
worse = []
for model, offset in sorted(offsets.items()):
    Model = env[model].with_context(active_test=False, tracking_disable=True)
    names = sorted(
        name
        for name, field in Model._fields.items()
        if field.store and field.compute and name not in ("id", "display_name")
    )
    table = Model._table
    cr.execute(
        f"SELECT id FROM {table} WHERE id > %s ORDER BY random() LIMIT %s",
        [offset, SAMPLE],
    )
    copies = [row[0] for row in cr.fetchall()]
    if not copies or not names:
        continue
    cr.execute(
        f"SELECT id - %s FROM {table} WHERE id > %s AND id <= 2 * %s"
        " ORDER BY random() LIMIT %s",
        [offset, offset, offset, SAMPLE],
    )
    originals = [row[0] for row in cr.fetchall()]
    copy_diff = differing(Model, copies, names)
    original_diff = differing(Model, originals, names)
    cr.rollback()
    env.invalidate_all()
    total_copies += sum(copy_diff.values())
    total_originals += sum(original_diff.values())
    checked += len(copies) * len(names)
    for name, count in copy_diff.items():
        if count > original_diff.get(name, 0):
            worse.append(f"{model}.{name}")
    print(
        f"CHECK {model}: {len(copies)} copies and {len(originals)} originals,"
        f" {len(names)} stored computed fields; values differing: copies"
        f" {sum(copy_diff.values())} {copy_diff or ''}, originals"
        f" {sum(original_diff.values())} {original_diff or ''}",
        flush=True,
    )
print(
    f"CHECK total: {checked} values of copies recomputed, {total_copies} differ"
    f" ({total_originals} on the originals)"
    + (f"; copies worse than originals: {', '.join(worse)}" if worse else ""),
    flush=True,
)
cr.rollback()
sys.exit(1 if worse else 0)
