#!/usr/bin/env bash
# Going live on an existing database: install customer_policy on a database with
# contacts and N existing companies (default 100,000), against Odoo's own crm
# installed on a copy of the same database; count what the install wrote on the
# existing partners (chatter messages, tracking values). Then upgrade (-u) it.
#
#   bench/install_at_scale.sh [N]
#
#   PROFILE=FILE  run the customer_policy install under cProfile, stats to FILE
#   SKIP_CRM=1    do not install crm (while iterating on the addon's install)
#   INSTALL_ONLY=1  stop after the install (no check, upgrade or uninstall)
#   PINYIN_PROBE=1  after the install, give the companies varied Chinese names on
#                 both databases and time the pinyin lookup (bench/pinyin_probe.py)
#                 there and Odoo's plain lookup on the base database; then stop
#
# Needs what scripts/test needs (Odoo, PostgreSQL binaries); runs on a private
# cluster in a temporary folder, removed at the end. Figures go to stdout.
set -euo pipefail
N=${1:-100000}
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"
ODOO=$(command -v odoo) || die "odoo is not on PATH"
# The Python and odoo-bin behind the wrapper, for PROFILE.
ODOO_PYTHON=${ODOO_PYTHON:-/opt/odoo-venv/bin/python}
ODOO_BIN_PY=${ODOO_BIN_PY:-/opt/odoo18-src/odoo-bin}
find_pg
WORK=$(mktemp -d /tmp/cp_bench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_cluster; rm -rf "$WORK"' EXIT
start_cluster "$WORK/pg"
ADDONS_PATH=$REPO_ROOT,${ODOO_ADDONS_PATH:-/opt/odoo18-src/odoo/addons,/opt/odoo18-src/addons}
ARGS=("${ODOO_DB_ARGS[@]}" --addons-path "$ADDONS_PATH"
    --data-dir "$WORK/data" --http-port "$(free_port)" --http-interface 127.0.0.1
    --workers 0 --max-cron-threads 0 --without-demo=all --log-level=warn)
LOG=$WORK/odoo.log
TARGET_NAME=上海星河科技有限公司

seconds() { # seconds COMMAND...: run it, print its wall time
    local start end
    start=$(date +%s.%N)
    "$@" >>"$LOG" 2>&1 || { tail -n 20 "$LOG"; die "failed: $*"; }
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.1f}')"
}

echo "== database with contacts and $N companies"
"$ODOO" "${ARGS[@]}" -d base -i contacts --stop-after-init >>"$LOG" 2>&1
db_query base "
    INSERT INTO res_partner (name, complete_name, is_company, active, type, lang,
                             phone, email, vat, city, create_uid, write_uid,
                             create_date, write_date)
    SELECT '存量客户 ' || i || ' 有限公司', '存量客户 ' || i || ' 有限公司', true, true,
           'contact', 'en_US', '+86 138 ' || lpad(i::text, 8, '0'),
           'buyer' || i || '@example' || (i % 5000) || '.cn',
           '91310000' || lpad(i::text, 10, '0'), 'Shanghai', 1, 1,
           now() - interval '1 day', now() - interval '1 day'
      FROM generate_series(1, $N) AS i;
    UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL;
    ANALYZE res_partner;" >/dev/null
partners=$(db_query base "SELECT count(*) FROM res_partner")
max_id=$(db_query base "SELECT max(id) FROM res_partner")
messages_before=$(db_query base "SELECT count(*) FROM mail_message WHERE model = 'res.partner'")
tracking_before=$(db_query base "SELECT count(*) FROM mail_tracking_value v
    JOIN mail_message m ON m.id = v.mail_message_id WHERE m.model = 'res.partner'")
db_query postgres "CREATE DATABASE crm_copy TEMPLATE base" >/dev/null
db_query postgres "CREATE DATABASE policy_copy TEMPLATE base" >/dev/null
{ db_exists crm_copy && db_exists policy_copy; } || die "could not copy the database"
echo "   $partners partners, $messages_before chatter messages on partners"

if [ -n "${SKIP_CRM:-}" ]; then
    crm=0
else
    echo "== install crm on a copy"
    crm=$(seconds "$ODOO" "${ARGS[@]}" -d crm_copy -i crm --stop-after-init)
    echo "   crm: $crm s"
fi
echo "== install customer_policy on a copy"
install_start=$(db_query policy_copy "SELECT now()")
POLICY=("$ODOO")
if [ -n "${PROFILE:-}" ]; then
    POLICY=("$ODOO_PYTHON" -m cProfile -o "$PROFILE" "$ODOO_BIN_PY")
fi
policy=$(seconds "${POLICY[@]}" "${ARGS[@]}" -d policy_copy -i customer_policy --stop-after-init)
echo "   customer_policy: $policy s"
messages=$(db_query policy_copy "SELECT count(*) FROM mail_message
    WHERE model = 'res.partner' AND res_id <= $max_id")
tracking=$(db_query policy_copy "SELECT count(*) FROM mail_tracking_value v
    JOIN mail_message m ON m.id = v.mail_message_id
    WHERE m.model = 'res.partner' AND m.res_id <= $max_id")
managed=$(db_query policy_copy "SELECT count(*) FROM res_partner
    WHERE id <= $max_id AND (customer_policy_managed OR registration_state <> 'draft')")
if [ -n "${INSTALL_ONLY:-}${PINYIN_PROBE:-}" ]; then
    echo "   $((messages - messages_before)) messages, $managed managed or registered"
fi
if [ -n "${PINYIN_PROBE:-}" ]; then
    echo "== pinyin lookup, limit 8 (wall ms best and worst of 10, queries, found)"
    echo "   load: $(uptime)"
    echo "| database | user | typed | best ms | worst ms | queries | finds" \
        "$TARGET_NAME | partners matching |"
    echo "|---|---|---|---|---|---|---|---|"
    for db in base policy_copy; do
        BENCH_MAX_ID=$max_id "$ODOO" shell "${ARGS[@]}" -d "$db" --no-http \
            <"$(dirname "$0")/pinyin_probe.py" 2>>"$LOG" \
            | grep -E '^(PROBE|PLAN|INFO) ' | sed -E 's/^PROBE //; s/^(PLAN|INFO) /   \1 /' \
            || { tail -n 20 "$LOG"; die "pinyin probe failed on $db"; }
    done
    exit 0
fi
if [ -n "${INSTALL_ONLY:-}" ]; then
    exit 0
fi
echo "== the install's values against the ORM's computation (sample of 3,000)"
check=$(BENCH_MAX_ID=$max_id "$ODOO" shell "${ARGS[@]}" -d policy_copy --no-http \
    <"$(dirname "$0")/check_install.py" 2>>"$LOG" | grep '^CHECK' | cut -c7-)
echo "   $check"
echo "== upgrade customer_policy (-u)"
upgrade=$(seconds "$ODOO" "${ARGS[@]}" -d policy_copy -u customer_policy --stop-after-init)
echo "   upgrade: $upgrade s"
rows_after=$(db_query policy_copy "SELECT count(*) FROM res_partner")

# What Odoo's own data looks like: the partners' own columns, hashed; the
# tables and the columns of the tables we extend.
fingerprint() { # fingerprint DB
    db_query "$1" "SELECT count(*), md5(string_agg(concat_ws('|', id, name,
        complete_name, email, phone, vat, is_company, active, commercial_partner_id,
        parent_id, user_id, company_id, lang), ',' ORDER BY id)) FROM res_partner"
}
schema() { # schema DB: table or table.column, one a line
    db_query "$1" "SELECT table_name || coalesce('.' || column_name, '')
        FROM (SELECT table_name, NULL AS column_name FROM information_schema.tables
               WHERE table_schema = 'public'
              UNION ALL
              SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = 'public' AND table_name IN
                     ('res_partner', 'res_company', 'res_users', 'mail_activity',
                      'crm_team', 'resource_calendar')) s ORDER BY 1"
}
echo "== uninstall customer_policy"
before_uninstall=$(fingerprint policy_copy)
uninstall=$(seconds "$ODOO" shell "${ARGS[@]}" -d policy_copy --no-http \
    <"$(dirname "$0")/uninstall.py")
echo "   uninstall: $uninstall s"
after_uninstall=$(fingerprint policy_copy)
original=$(fingerprint base)
# Tables and columns not in the original database, less those of the addons the
# install brought and that stay (sales_team, resource...): what we left.
leftover=$(LC_ALL=C comm -13 <(schema base) <(schema policy_copy) | while read -r name; do
    table=${name%%.*}
    column=${name#*.}
    [ "$column" = "$name" ] && column=
    known=$(db_query policy_copy "SELECT 1 FROM ir_model m
        LEFT JOIN ir_model_fields f ON f.model_id = m.id AND f.name = '$column'
        WHERE (replace(m.model, '.', '_') = '$table' AND ('$column' = '' OR f.id IS NOT NULL))
        UNION SELECT 1 FROM ir_model_fields WHERE relation_table = '$table' LIMIT 1")
    if [ -z "$known" ]; then
        echo "$name"
    fi
done | paste -sd' ' -)
# Existing partners the install, upgrade or uninstall wrote through the ORM.
touched=$(db_query policy_copy "SELECT count(*) || coalesce(' (' || string_agg(
        id || ' ' || coalesce(name, ''), ', ' ORDER BY id) FILTER (WHERE id <= 20) || ')', '')
    FROM res_partner WHERE id <= $max_id AND write_date >= '$install_start'")
ours_left=$(db_query policy_copy "SELECT count(*) FROM ir_model_data WHERE module = 'customer_policy'")

cat <<REPORT

existing partners:                       $partners
install of crm:                          $crm s
install of customer_policy:              $policy s ($(python3 -c "print(f'{$policy / $crm:.2f}' if $crm else '-')") x crm)
chatter messages on existing partners:   $((messages - messages_before)) new
tracking values on existing partners:    $((tracking - tracking_before)) new
existing partners managed or registered: $managed
install's values against the ORM's:      $check
upgrade (-u customer_policy):            $upgrade s, partners after: $rows_after
uninstall of customer_policy:            $uninstall s
partners (count, hash) before install:   $original
partners after install and upgrade:      $before_uninstall
partners after uninstall:                $after_uninstall
existing partners written by the ORM:    $touched
tables/columns left by the addon:        ${leftover:-none}
ir.model.data rows of customer_policy:   $ours_left
REPORT
