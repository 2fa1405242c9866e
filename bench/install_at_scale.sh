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
echo "== upgrade customer_policy (-u)"
upgrade=$(seconds "$ODOO" "${ARGS[@]}" -d policy_copy -u customer_policy --stop-after-init)
echo "   upgrade: $upgrade s"
rows_after=$(db_query policy_copy "SELECT count(*) FROM res_partner")

cat <<REPORT

existing partners:                       $partners
install of crm:                          $crm s
install of customer_policy:              $policy s ($(python3 -c "print(f'{$policy / $crm:.2f}' if $crm else '-')") x crm)
chatter messages on existing partners:   $((messages - messages_before)) new
tracking values on existing partners:    $((tracking - tracking_before)) new
existing partners managed or registered: $managed
upgrade (-u customer_policy):            $upgrade s, partners after: $rows_after
REPORT
