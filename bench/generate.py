# ruff: noqa: F821
# pylint: skip-file
"""The benchmark's population, run by bench/generate inside ``odoo shell`` (``env``
is the superuser's environment of the database).

Every record goes through the ORM's batch ``create`` (and the policy's own
actions for the agreements' review, activation and the payments' posting), so
the constraints and stored computed fields are the ones the addon maintains;
the batches are flushed and the cache emptied between them. Only the complaints'
history (answered, contacted, resolved and closed times in the past) is written
in SQL, because the ORM stamps those fields with the current time; their
stored computes are recomputed through the ORM afterwards.

Counts scale with BENCH_SIZE (N customers); the random choices come from one
``random.Random(BENCH_SEED)``, so the same size and seed give the same data
(dates are relative to the day of the run, so that the crons find work).
"""

import base64
import os
import random
import sys
import time
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tools import SQL

sys.path.insert(0, os.environ["BENCH_DIR"])
from population import (
    CITIES,
    DEPARTMENTS,
    INDUSTRIES,
    WORDS,
    company_name,
    make_uscc,
    salespeople_for,
)

N = int(os.environ["BENCH_SIZE"])
rng = random.Random(int(os.environ.get("BENCH_SEED", "23")))
BATCH = 2000
CTX = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "mail_activity_automation_skip": True,
}
env = env(context=dict(env.context, **CTX))
company = env.company
today = fields.Date.context_today(env.user)
now = fields.Datetime.now()
started = time.time()


def say(message):
    print(f"   [{time.time() - started:6.0f} s] {message}", flush=True)


def batched(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def flush():
    env.flush_all()
    env.invalidate_all()
    env.cr.commit()


def scaled(per_100k, minimum=1):
    return max(minimum, round(per_100k * N / 100_000))


SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
]
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
]


def person():
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def random_moment(days_back, days_forward=0):
    """A time on a working day between ``days_back`` days ago and
    ``days_forward`` days ahead, 09:00-17:00 Shanghai (01:00-09:00 UTC)."""
    day = today + timedelta(days=rng.randint(-days_back, days_forward))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime(
        day.year, day.month, day.day, rng.randint(1, 8), rng.choice((0, 30))
    )


# --- Company, departments, people -------------------------------------------------
say(f"company, departments and users for {N} customers")
company.write(
    {
        "name": "上海星河客户管理示范有限公司",
        "country_id": env.ref("base.cn").id,
        "city": "上海",
    }
)
calendar = company.resource_calendar_id
calendar.tz = "Asia/Shanghai"
# The tiers' staffing rules (a project team and a senior owner for strategic and
# key customers) are a configuration each company chooses; the population does
# not model seniority.
env["customer.tier"].search([]).write(
    {"requires_project_team": False, "requires_senior_owner": False}
)
tiers = {
    code: env.ref(f"customer_policy.customer_tier_{code}")
    for code in ("strategic", "key", "general", "potential")
}


def new_users(specs):
    """res.users in one batch create: (login, name, group xmlids)."""
    Users = env["res.users"].with_context(no_reset_password=True)
    return Users.create(
        [
            {
                "login": login,
                "name": name,
                "email": f"{login}@bench.example.cn",
                "lang": "zh_CN",
                "tz": "Asia/Shanghai",
                "groups_id": [Command.set([env.ref(g).id for g in groups])],
            }
            for login, name, groups in specs
        ]
    )


SALESPEOPLE = salespeople_for(N)
director = new_users(
    [("director", "总经理 " + person(), ["customer_policy.group_director"])]
)
legal = new_users([("legal", "法务 " + person(), ["customer_policy.group_legal"])])
finance = new_users(
    [("finance", "财务 " + person(), ["customer_policy.group_finance"])]
)
managers = new_users(
    [
        (f"manager{d:02d}", f"经理 {person()}", ["customer_policy.group_manager"])
        for d in range(DEPARTMENTS)
    ]
)
salespeople = new_users(
    [
        (f"sales{s:03d}", f"销售 {person()}", ["customer_policy.group_user"])
        for s in range(SALESPEOPLE)
    ]
)
teams = env["crm.team"].create(
    [
        {
            "name": f"{CITIES[d][0]}销售{d + 1}部",
            "user_id": managers[d].id,
            "member_ids": [
                Command.set(salespeople[d::DEPARTMENTS].ids + [managers[d].id])
            ],
        }
        for d in range(DEPARTMENTS)
    ]
)
team_of = {user.id: teams[i % DEPARTMENTS] for i, user in enumerate(salespeople)}
flush()

# --- Customers and their contacts --------------------------------------------------
industries = env["res.partner.industry"].search([])
if not industries:
    industries = env["res.partner.industry"].create(
        [{"name": name} for name in ("制造业", "批发和零售业", "信息技术", "建筑业")]
    )
cn = env.ref("base.cn")
tier_codes = ["strategic"] * 2 + ["key"] * 8 + ["general"] * 50 + ["potential"] * 40
names = set()
say(f"{N} customers, {N} contacts with birthdays")
customer_vals = []
for i in range(N):
    city, province = CITIES[i % len(CITIES)] if i else CITIES[0]
    if i == 0:
        # The busy customer of the form benchmark, and issue 16's pinyin example.
        name = "上海星河科技有限公司"
        names.add(name)
    else:
        name = company_name(rng, city, names)
    code = "strategic" if i == 0 else tier_codes[rng.randrange(100)]
    owner = salespeople[rng.randrange(SALESPEOPLE)]
    first_contact = today - timedelta(days=rng.randint(30, 3 * 365))
    # Potential customers: half are prospects still to register, the recent ones.
    registered = code != "potential" or rng.random() < 0.5
    if not registered:
        first_contact = today - timedelta(days=rng.randint(0, 20))
    vat = make_uscc(i)
    vals = {
        "name": name,
        "is_company": True,
        "lang": "zh_CN",
        "vat": vat,
        "company_registry": vat[2:17],
        "industry_id": industries[i % len(industries)].id,
        "phone": f"+86 {rng.randint(130, 189)} {rng.randint(1000, 9999)} "
        f"{i % 10000:04d}",
        "email": f"contact{i}@kehu{i}.example.cn",
        "street": f"{city}{rng.choice(WORDS)}路{rng.randint(1, 999)}号",
        "city": city,
        "country_id": cn.id,
        "legal_representative": person(),
        "business_scope": f"{rng.choice(INDUSTRIES)}产品的研发、生产与销售",
        "registered_capital": rng.choice((100, 500, 1000, 5000)) * 10_000,
        "company_scale": rng.choice(("large", "medium", "small", "micro")),
        "business_needs": "稳定供货与售后服务",
        "purchase_preferences": "质量优先，兼顾价格",
        "decision_process": "采购部初选，总经理审批",
        "budget_amount": rng.choice((50, 100, 300)) * 10_000,
        "user_id": owner.id,
        "team_id": team_of[owner.id].id,
        "customer_tier_id": tiers[code].id,
        "first_contact_date": first_contact,
        "customer_policy_managed": registered,
    }
    if registered:
        vals.update(
            registration_date=first_contact + timedelta(days=rng.randint(0, 5)),
            customer_developer_id=owner.id,
        )
    customer_vals.append(vals)
customer_ids = []
Partner = env["res.partner"]
for chunk in batched(customer_vals):
    customers = Partner.create(chunk)
    customer_ids += customers.ids
    contact_vals = [
        {
            "name": person(),
            "parent_id": customer.id,
            "type": "contact",
            "function": rng.choice(("采购经理", "总经理", "财务主管", "技术总监")),
            "phone": f"+86 139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            "birthday": today.replace(year=1970) - timedelta(days=rng.randint(0, 9000)),
        }
        for customer in customers
    ]
    Partner.create(contact_vals)
    flush()
    say(f"  {len(customer_ids)} customers")
customers = Partner.browse(customer_ids)
registered_ids = customers.filtered("customer_policy_managed").ids
env.cr.execute("SELECT id, user_id FROM res_partner WHERE id = ANY(%s)", [customer_ids])
owner_of = dict(env.cr.fetchall())
busy = customer_ids[0]

# --- Visits --------------------------------------------------------------------------
visit_count = 10 * N
say(f"{visit_count} visits over 3 years (500 for the busy customer)")
visit_customers = [busy] * 500 + [
    rng.choice(registered_ids) for _ in range(visit_count - 500)
]
Visit = env["customer.visit"]
done = 0
for chunk in batched(visit_customers, 5000):
    vals_list = []
    for partner_id in chunk:
        when = random_moment(3 * 365, 60)
        vals = {
            "partner_id": partner_id,
            "user_id": owner_of[partner_id],
            "visit_type": rng.choice(("visit", "visit", "phone", "online")),
            "planned_date": when,
            "purpose": "了解采购计划",
        }
        if when < now:
            if rng.random() < 0.95:
                vals.update(
                    state="done",
                    done_date=when,
                    summary="沟通了续约与新需求",
                    customer_feedback="满意",
                )
            else:
                vals.update(state="cancelled", cancel_reason="客户临时有事")
        vals_list.append(vals)
    Visit.create(vals_list)
    done += len(chunk)
    flush()
    say(f"  {done} visits")

# --- Agreements, installments, payments ----------------------------------------------
agreement_count = scaled(60_000, 20)
say(f"{agreement_count} agreements with about {scaled(200_000)} installments")
signed_pdf = env["ir.attachment"].create(
    {"name": "signed.pdf", "datas": base64.b64encode(b"%PDF-1.4 signed original")}
)
agreement_customers = [busy] * 50 + [
    rng.choice(registered_ids) for _ in range(agreement_count - 50)
]
Agreement = env["customer.agreement"]
agreement_ids = []
for chunk in batched(agreement_customers, 1000):
    vals_list = []
    for partner_id in chunk:
        start = today - timedelta(days=rng.randint(0, 3 * 365))
        parts = rng.choice((2, 3, 3, 4, 4, 5))
        amounts = [rng.randint(1, 50) * 10_000 for _ in range(parts)]
        vals_list.append(
            {
                "partner_id": partner_id,
                "user_id": owner_of[partner_id],
                "title": f"{rng.choice(INDUSTRIES)}产品供货合同",
                "amount_total": sum(amounts),
                "date_start": start,
                "date_end": start + timedelta(days=364),
                "renewal_reminder_days": 30,
                # Signed on the first day, the original attached: what activation
                # asks once Legal has approved.
                "date_signed": start,
                "attachment_ids": [Command.link(signed_pdf.id)],
                "installment_ids": [
                    Command.create(
                        {
                            "due_date": start + timedelta(days=90 * (k + 1)),
                            "amount": amount,
                        }
                    )
                    for k, amount in enumerate(amounts)
                ],
            }
        )
    agreements = Agreement.create(vals_list)
    agreement_ids += agreements.ids
    # 90 % go through Legal and are signed; the rest stay drafts or in review.
    reviewed = agreements.filtered(lambda a: rng.random() < 0.93)
    submitted = reviewed.filtered(lambda a: rng.random() < 0.97)
    # Submitted to Legal in the past: the state in SQL, because the ORM's
    # submission asks Legal for a review now (an activity and a notification per
    # agreement, ~20 queries each); Legal's approval then runs through the ORM.
    env.flush_all()
    env.cr.execute(
        "UPDATE customer_agreement SET state = 'legal_review' WHERE id = ANY(%s)",
        [submitted.ids],
    )
    env.invalidate_all()
    approved = Agreement.browse(submitted.ids)
    approved.with_user(legal).action_legal_approve()
    approved.action_activate()
    flush()
    say(f"  {len(agreement_ids)} agreements")

say("payments of the installments due (85 % paid in full, 5 % in part)")
env.cr.execute(
    """
    SELECT i.id, i.agreement_id, a.partner_id, i.amount, i.due_date
      FROM customer_agreement_installment i
      JOIN customer_agreement a ON a.id = i.agreement_id
     WHERE a.state = 'active' AND i.due_date <= %s
     ORDER BY i.id
    """,
    [today],
)
due = env.cr.fetchall()
Payment = env["customer.payment"].with_user(finance)
paid = 0
for chunk in batched(due, 2000):
    vals_list = []
    for _id, agreement_id, partner_id, amount, due_date in chunk:
        luck = rng.random()
        if luck > 0.90:
            continue
        vals_list.append(
            {
                "partner_id": partner_id,
                "agreement_id": agreement_id,
                "amount": amount if luck < 0.85 else round(amount / 2, 2),
                "date": min(today, due_date + timedelta(days=rng.randint(-10, 40))),
            }
        )
    payments = Payment.create(vals_list)
    payments.action_post()
    paid += len(payments)
    flush()
    say(f"  {paid} payments")

# --- Complaints ---------------------------------------------------------------------
complaint_count = scaled(50_000, 20)
say(f"{complaint_count} complaints (85 % resolved or closed)")
Complaint = env["customer.complaint"]
complaint_ids = []
history = []
for chunk in batched(range(complaint_count), 2000):
    vals_list = []
    for _ in chunk:
        partner_id = rng.choice(registered_ids)
        received = random_moment(3 * 365)
        vals_list.append(
            {
                "partner_id": partner_id,
                "user_id": owner_of[partner_id],
                "severity": rng.choice(("normal", "normal", "normal", "major")),
                "channel": "phone",
                "received_at": received,
                "description": "<p>设备故障，要求上门维修</p>",
            }
        )
    complaints = Complaint.create(vals_list)
    complaint_ids += complaints.ids
    for complaint, vals in zip(complaints, vals_list, strict=True):
        received = vals["received_at"]
        if received < now - timedelta(days=14) and rng.random() < 0.85:
            answered = received + timedelta(hours=rng.choice((1, 2, 3, 5, 30)))
            resolved = answered + timedelta(days=rng.randint(1, 6))
            history.append((complaint.id, answered, resolved))
    flush()
    say(f"  {len(complaint_ids)} complaints")
# The ORM stamps transitions with the current time: the history is written in
# SQL, then the stored computes that depend on it are recomputed by the ORM.
for chunk in batched(history, 5000):
    env.cr.execute(
        SQL(
            """
            UPDATE customer_complaint c
               SET state = CASE WHEN v.resolved < %s THEN 'closed' ELSE 'resolved' END,
                   first_response_at = v.answered, contacted_at = v.answered,
                   resolved_at = v.resolved,
                   closed_at = CASE WHEN v.resolved < %s THEN v.resolved END,
                   root_cause = '零件磨损', solution = '上门更换零件'
              FROM (VALUES %s) AS v(id, answered, resolved)
             WHERE c.id = v.id
            """,
            now - timedelta(days=30),
            now - timedelta(days=30),
            SQL(", ").join(
                SQL("(%s, %s::timestamp, %s::timestamp)", *row) for row in chunk
            ),
        )
    )
    records = Complaint.browse([row[0] for row in chunk])
    names_to_recompute = [
        name
        for name, field in Complaint._fields.items()
        if field.store and field.compute and name not in ("name", "user_id")
    ]
    env.invalidate_all()
    for name in names_to_recompute:
        env.add_to_compute(Complaint._fields[name], records)
    flush()
say(f"  {len(history)} complaints with their history")

# --- Plans ---------------------------------------------------------------------------
say("development plans of the year, approved")
Plan = env["customer.development.plan"]
plans = Plan.create(
    [
        {
            "user_id": user.id,
            "team_id": False,
            "year": today.year,
            "focus": "深耕重点客户，拓展新行业",
            "target_new_customers": 12,
            "target_visits": 120,
            "target_contract_amount": 1_200_000,
            "target_payment_amount": 1_000_000,
        }
        for user in salespeople
    ]
)
plans.action_split_evenly()
for plan, user in zip(plans, salespeople, strict=True):
    plan.with_user(user).action_submit()
    plan.with_user(team_of[user.id].user_id).action_approve()
flush()

env.cr.execute("ANALYZE")
counts = {}
for model in (
    "res.partner",
    "customer.visit",
    "customer.agreement",
    "customer.agreement.installment",
    "customer.payment",
    "customer.complaint",
    "customer.development.plan",
):
    env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(env[model]._table)))
    counts[model] = env.cr.fetchone()[0]
env["ir.config_parameter"].set_param(
    "customer_policy_bench.population",
    f"size={N} seed={os.environ.get('BENCH_SEED', '23')} busy={busy} {counts}",
)
env.cr.commit()
say("done: " + ", ".join(f"{model} {count}" for model, count in counts.items()))
