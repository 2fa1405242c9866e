# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are the sourcing script's
# Shared by bench/generate and bench/run: options, the named cluster, Odoo's
# arguments, the peers' addons (OCA helpdesk) installed outside the repository.

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

BENCH_DIR=$REPO_ROOT/bench
SIZE=100000
CLUSTER=/var/tmp/cp_bench
DB=
SEED=23

bench_usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

# bench_options ARG...: --size N --cluster DIR --db NAME --seed S (and -h).
bench_options() {
    while [ $# -gt 0 ]; do
        case $1 in
            --size) SIZE=$2; shift 2 ;;
            --cluster) CLUSTER=$2; shift 2 ;;
            --db) DB=$2; shift 2 ;;
            --seed) SEED=$2; shift 2 ;;
            -h | --help) bench_usage 0 ;;
            *) echo "unknown option: $1" >&2; bench_usage 2 ;;
        esac
    done
    if ! [[ $SIZE =~ ^[0-9]+$ ]] || [ "$SIZE" -lt 100 ]; then
        die "--size must be a number of customers >= 100"
    fi
    DB=${DB:-cp_bench_$SIZE}
    CLUSTER=$(mkdir -p "$CLUSTER" && cd "$CLUSTER" && pwd)
}

# The OCA peers (helpdesk_mgmt, helpdesk_mgmt_sla 18.0) from PyPI into
# CLUSTER/peers, outside the repository; sets PEERS_PATH (an addons folder).
bench_peers() {
    local target=$CLUSTER/peers
    PEERS_PATH=$target/odoo/addons
    if [ ! -f "$PEERS_PATH/helpdesk_mgmt_sla/__manifest__.py" ]; then
        echo "== OCA helpdesk_mgmt + helpdesk_mgmt_sla 18.0 from PyPI into $target"
        "$ODOO_PYTHON" -m pip install -q --disable-pip-version-check --no-deps \
            --target "$target" "odoo-addon-helpdesk-mgmt-sla>=18.0,<18.1.dev" \
            "odoo-addon-helpdesk-mgmt>=18.0,<18.1.dev" ||
            die "pip could not install the OCA helpdesk addons into $target"
    fi
    [ -f "$PEERS_PATH/helpdesk_mgmt/__manifest__.py" ] ||
        die "no helpdesk_mgmt in $PEERS_PATH after pip install"
}

# Start the named cluster (kept between runs: the data stays in CLUSTER/pg);
# sets ODOO_ARGS for the database DB.
bench_cluster() {
    find_odoo
    ensure_odoo_python_requirements addons
    find_pg
    [ "$(id -u)" != 0 ] || chmod o+rx "$CLUSTER"
    start_cluster "$CLUSTER/pg"
    trap stop_cluster EXIT
    find_addons
    bench_peers
    mkdir -p "$CLUSTER/data"
    ODOO_ARGS=("${ODOO_DB_ARGS[@]}" --addons-path "$(odoo_addons_path),$PEERS_PATH"
        --data-dir "$CLUSTER/data" --no-http --workers 0 --max-cron-threads 0)
}

# bench_copy_partners SOURCE TARGET: the customers and contacts of SOURCE (the
# columns both databases have) into TARGET, a database with only contacts.
bench_copy_partners() {
    local psql=psql cols
    [ -x "$PG_BINDIR/psql" ] && psql=$PG_BINDIR/psql
    cols=$(db_query "$2" "SELECT string_agg(column_name, ', ' ORDER BY column_name)
        FROM information_schema.columns WHERE table_name = 'res_partner'
         AND column_name NOT IN ('message_main_attachment_id', 'user_id', 'company_id',
             'industry_id', 'title', 'create_uid', 'write_uid')")
    # Only the columns contacts has, without the users and companies (other ids there).
    "$psql" "${PSQL_ARGS[@]}" -d "$1" -Atc "COPY (SELECT $cols FROM res_partner
        WHERE customer_tier_id IS NOT NULL OR parent_id IN (SELECT id FROM res_partner
              WHERE customer_tier_id IS NOT NULL) ORDER BY id) TO STDOUT" |
        "$psql" "${PSQL_ARGS[@]}" -d "$2" -qc "COPY res_partner ($cols) FROM STDIN"
    db_query "$2" "SELECT setval('res_partner_id_seq', (SELECT max(id) FROM res_partner));
        ANALYZE res_partner" >/dev/null
}
