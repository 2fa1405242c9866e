# Run by install_at_scale.sh in `odoo shell` on the database just installed:
# recompute with the ORM the addon's stored computed fields of a sample of the
# partners that existed before the install, and count those whose stored value
# differs from what the install wrote. Rolled back: nothing stays.
# ruff: noqa: F821 -- `env` is the shell's
import os

from odoo.addons.customer_policy.models.res_partner_install import INSTALL_VALUES

max_id = int(os.environ["BENCH_MAX_ID"])
Partner = env["res.partner"].with_context(active_test=False, tracking_disable=True)
names = sorted(
    {*INSTALL_VALUES, "customer_policy_pinyin", "customer_policy_pinyin_initials"}
    & set(Partner._fields)
)
env.cr.execute(
    "SELECT id FROM res_partner WHERE id <= %s ORDER BY random() LIMIT 3000", [max_id]
)
partners = Partner.browse([row[0] for row in env.cr.fetchall()])
stored = {p.id: [p[name] for name in names] for p in partners}
env.invalidate_all()
for name in names:
    env.add_to_compute(Partner._fields[name], partners)
env.flush_all()
env.invalidate_all()
differ = {}
for p in partners:
    for name, old in zip(names, stored[p.id], strict=True):
        if old != p[name]:
            differ.setdefault(name, []).append(p.id)
fields = ",".join(f"{name}:{len(ids)}" for name, ids in sorted(differ.items()))
print(f"CHECK {len(partners)} partners, {len(names)} fields, differing: {fields or 0}")
env.cr.rollback()
