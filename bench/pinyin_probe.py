# Run by install_at_scale.sh (PINYIN_PROBE=1) in `odoo shell`, once on the base
# database (contacts only: the reference) and once on the database where
# customer_policy was just installed. Gives the existing companies varied Chinese
# names (the same names on both databases), recomputes their pinyin with the
# addon's own batch method, creates 上海星河科技有限公司 through the ORM, owned by
# a salesperson, and times the lookup (`name_search`, limit 8) as admin and as the
# salesperson. Statements are counted as bench/run.py counts them, with the
# cursor's counter (run.py measures at import, so it cannot be imported).
# Commits: the database is the bench's own, removed at the end.
# ruff: noqa: F821 -- `env` is the shell's
import os
import time

from odoo.tests import new_test_user
from odoo.tools import SQL

MAX_ID = int(os.environ["BENCH_MAX_ID"])
POLICY = "customer_policy_pinyin" in env["res.partner"]._fields
TARGET = "上海星河科技有限公司"
QUERIES = ("shxh", "shanghai xinghe", "上海星河")
RUNS = 10
# City + two brand characters + trade + 有限公司: 20 x 24 x 24 x 15 = 172,800
# names, with the collisions a real archive has (上海新华…, 上海信汇… also read
# shxh).
CITIES = (
    "上海 北京 广州 深圳 杭州 南京 苏州 成都 重庆 武汉 "
    "西安 天津 宁波 青岛 厦门 长沙 郑州 合肥 无锡 佛山"
)
BRAND = "华 东 新 恒 中 宏 金 瑞 盛 天 海 龙 博 永 安 信 达 鑫 联 创 汇 德 嘉 远"
TRADES = "科技 贸易 电子 机械 实业 物流 医药 建设 网络 化工 食品 纺织 咨询 投资 材料"
cr = env.cr


def sql_array(words):
    return "ARRAY[" + ",".join(f"'{word}'" for word in words.split()) + "]"


def rename_companies():
    """The existing companies (ids up to MAX_ID) get a name from the lists,
    spread by their id: one UPDATE, the same names on every database."""
    name = f"""({sql_array(CITIES)})[1 + id %% 20]
        || ({sql_array(BRAND)})[1 + (id / 20) %% 24]
        || ({sql_array(BRAND)})[1 + (id * 7 / 480) %% 24]
        || ({sql_array(TRADES)})[1 + (id * 13) %% 15] || '有限公司'"""
    pinyin = (
        ", customer_policy_pinyin = NULL, customer_policy_pinyin_initials = NULL"
        if POLICY
        else ""
    )
    cr.execute(
        f"""UPDATE res_partner SET name = {name}, complete_name = {name}{pinyin}
             WHERE id <= %s AND name LIKE '存量客户%%'""",
        [MAX_ID],
    )
    return cr.rowcount


def setup():
    renamed = rename_companies()
    start = time.perf_counter()
    if POLICY:
        # The addon's own batches, as at install.
        filled = env["res.partner"]._customer_policy_fill_pinyin()
    else:
        filled = 0
    fill_time = time.perf_counter() - start
    groups = "customer_policy.group_user" if POLICY else "base.group_user"
    sales = new_test_user(env, login="bench_sales", groups=groups, name="销售 张三")
    if POLICY:
        # Some customers are the salesperson's, a third are managed by others: the
        # record rules then filter, as on a live archive.
        cr.execute(
            """UPDATE res_partner
                  SET customer_policy_managed = true,
                      customer_policy_commercial_managed = true,
                      user_id =
                          CASE WHEN id %% 100 = 0 THEN %(sales)s ELSE %(other)s END,
                      customer_policy_owner_id =
                          CASE WHEN id %% 100 = 0 THEN %(sales)s ELSE %(other)s END
                WHERE id <= %(max_id)s AND is_company
                  AND (id %% 3 = 0 OR id %% 100 = 0)""",
            {"sales": sales.id, "other": env.uid, "max_id": MAX_ID},
        )
        env.invalidate_all()
    values = {"name": TARGET, "is_company": True, "user_id": sales.id}
    if POLICY:
        values["customer_policy_managed"] = True
    target = env["res.partner"].create(values)
    cr.execute("ANALYZE res_partner")
    cr.commit()
    print(
        f"INFO setup: {renamed} companies renamed, pinyin of {filled} names "
        f"recomputed in {fill_time:.1f} s"
    )
    return sales, target


def measure(user, query, target):
    Partner = env["res.partner"].with_user(user)
    Partner.name_search(query, limit=8)  # warm the registry's caches
    walls, counts = [], []
    for _i in range(RUNS):
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        found = Partner.name_search(query, limit=8)
        walls.append(time.perf_counter() - start)
        counts.append(cr.sql_log_count - before)
    hit = target.id in [row[0] for row in found]
    matches = Partner.search_count([("display_name", "ilike", query)])
    queries = (
        f"{min(counts)}"
        if min(counts) == max(counts)
        else f"{min(counts)}–{max(counts)}"
    )
    return min(walls), max(walls), queries, hit, matches


sales, target = setup()
database = "customer_policy" if POLICY else "contacts only (reference)"
for login, user in (("admin", env.user), ("salesperson", sales)):
    for query in QUERIES:
        best, worst, queries, hit, matches = measure(user, query, target)
        print(
            f"PROBE | {database} | {login} | `{query}` | {best * 1000:.0f} | "
            f"{worst * 1000:.0f} | {queries} | {'yes' if hit else 'no'} | {matches} |"
        )
# The plans of the lookup's own query (as admin), for the record.
if POLICY:
    Partner = env["res.partner"]
    cr.execute(
        """SELECT indexdef FROM pg_indexes WHERE tablename = 'res_partner'
              AND indexdef ~ '(customer_policy_pinyin|complete_name)'"""
    )
    for (line,) in cr.fetchall():
        print(f"PLAN index: {line}")
    for query in QUERIES:
        select = Partner._search(
            [("display_name", "ilike", query)], limit=8, order=Partner._order
        ).select()
        cr.execute(SQL("EXPLAIN ANALYZE %s", select))
        for (line,) in cr.fetchall():
            print(f"PLAN {query}: {line}")
cr.rollback()
