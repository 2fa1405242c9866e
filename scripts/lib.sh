# shellcheck shell=bash
# Shared helpers of scripts/run and scripts/test: the repository's addons, Odoo
# (scripts/lib-odoo.sh), a private PostgreSQL cluster run as an unprivileged user.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=$REPO_ROOT/.local

die() {
    echo "error: $*" >&2
    exit 2
}

# shellcheck source=scripts/lib-odoo.sh
. "$REPO_ROOT/scripts/lib-odoo.sh"

# The addons of the repository: every top-level folder with a __manifest__.py
# (installable). Sets ADDONS (names), ADDONS_CSV (a,b) and ADDONS_TAGS (/a,/b).
find_addons() {
    local names name
    names=$(python3 "$REPO_ROOT/tools/odoo_env.py" addons "$REPO_ROOT") ||
        die "could not read the addons' manifests (python3 tools/odoo_env.py addons)"
    ADDONS=()
    while IFS= read -r name; do
        [ -n "$name" ] && ADDONS+=("$name")
    done <<<"$names"
    [ ${#ADDONS[@]} -gt 0 ] || die "no addon in $REPO_ROOT: an addon is a top-level folder with a __manifest__.py"
    ADDONS_CSV=$(
        IFS=,
        echo "${ADDONS[*]}"
    )
    ADDONS_TAGS=/${ADDONS_CSV//,/,/}
    # The core (the addons that need no other addon of the repository), the bridges
    # (auto_install) and the apps only the bridges bring: the core installs without
    # them.
    ROOTS_CSV=$(python3 "$REPO_ROOT/tools/odoo_env.py" roots "$REPO_ROOT" | paste -sd, -)
    BRIDGES_CSV=$(python3 "$REPO_ROOT/tools/odoo_env.py" bridges "$REPO_ROOT" | paste -sd, -)
    BRIDGE_APPS_CSV=$(python3 "$REPO_ROOT/tools/odoo_env.py" bridge-apps "$REPO_ROOT" | paste -sd, -)
    # What a fresh database gets: the addons, and with Invoicing China's chart of
    # accounts. Odoo installs a country's chart with Invoicing when a company is
    # already in that country; installing everything at once, the demo company is
    # moved to China (CNY) only by the demo data, after Odoo chose its generic chart
    # (a US company in USD): name the Chinese one.
    INSTALL_CSV=$ADDONS_CSV
    if [[ ",$BRIDGE_APPS_CSV," == *,account,* ]]; then
        INSTALL_CSV+=,l10n_cn
    fi
}

# Odoo's own addons path (what it uses with no --addons-path), plus this repository.
odoo_addons_path() {
    if [ -n "${ODOO_ADDONS_PATH:-}" ]; then
        echo "$REPO_ROOT,$ODOO_ADDONS_PATH"
        return
    fi
    [ -n "${ODOO_DEFAULT_ADDONS_PATH:-}" ] ||
        die "could not read Odoo's default addons path from '$ODOO': set ODOO_ADDONS_PATH to Odoo's addons folders (comma-separated)"
    echo "$REPO_ROOT,$ODOO_DEFAULT_ADDONS_PATH"
}

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# PostgreSQL server binaries: PATH, then Debian's /usr/lib/postgresql/<version>/bin.
# Sets PG_BINDIR; returns 1 when there are none.
locate_pg() {
    PG_BINDIR=
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 &&
        [ -x "$(dirname "$(command -v initdb)")/postgres" ]; then
        PG_BINDIR=$(dirname "$(command -v initdb)")
        return 0
    fi
    local dir
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4 -n -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            PG_BINDIR=$dir
            return 0
        fi
    done
    return 1
}

find_pg() {
    locate_pg ||
        die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them (Debian/Ubuntu: apt-get install postgresql), or point PGHOST/PGPORT/PGUSER/PGPASSWORD at a running server"
}

# PostgreSQL refuses to run as root: as root the cluster belongs to an unprivileged user.
pg_as() {
    if [ "$(id -u)" = 0 ]; then
        "$RUNUSER" -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

# start_cluster DIR: initialise (once) and start a private cluster that listens only on
# a Unix socket inside DIR; sets ODOO_DB_ARGS for Odoo to connect to it.
start_cluster() {
    local dir=$1
    PG_OS_USER=$(id -un)
    if [ "$(id -u)" = 0 ]; then
        RUNUSER=$(PATH=$PATH:/usr/sbin:/sbin command -v runuser) ||
            die "running as root, PostgreSQL must run as another user, but 'runuser' (util-linux) is missing: install util-linux or run as a normal user"
        if id postgres >/dev/null 2>&1; then
            PG_OS_USER=postgres
        else
            PG_OS_USER=nobody
        fi
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown "$PG_OS_USER" "$dir"
        "$RUNUSER" -u "$PG_OS_USER" -- test -w "$dir" ||
            die "$PG_OS_USER (PostgreSQL refuses to run as root) cannot write $dir: make its parent folders reachable (chmod o+x) or run as a normal user"
    fi
    if [ ! -f "$dir/pgdata/PG_VERSION" ]; then
        pg_as "$PG_BINDIR/initdb" -D "$dir/pgdata" -U odoo -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
            die "initdb failed, see $dir/initdb.log"
    fi
    mkdir -p "$dir/socket"
    [ "$(id -u)" = 0 ] && chown "$PG_OS_USER" "$dir/socket"
    if ! pg_as "$PG_BINDIR/pg_ctl" -D "$dir/pgdata" status >/dev/null 2>&1; then
        pg_as "$PG_BINDIR/pg_ctl" -D "$dir/pgdata" -w -t 60 -l "$dir/postgresql.log" \
            -o "-c listen_addresses='' -k $dir/socket -p 5432 -c fsync=off -c synchronous_commit=off" \
            start >/dev/null ||
            die "PostgreSQL did not start, see $dir/postgresql.log"
        CLUSTER_STARTED=$dir
    fi
    ODOO_DB_ARGS=(--db_host "$dir/socket" --db_port 5432 --db_user odoo)
    PSQL_ARGS=(-h "$dir/socket" -p 5432 -U odoo)
}

stop_cluster() {
    if [ -n "${CLUSTER_STARTED:-}" ]; then
        pg_as "$PG_BINDIR/pg_ctl" -D "$CLUSTER_STARTED/pgdata" -m fast -w stop >/dev/null 2>&1 || true
        CLUSTER_STARTED=
    fi
}

# An existing server named by the standard libpq variables is used as it is.
use_existing_server() {
    [ -n "${PGHOST:-}${PGPORT:-}" ] || return 1
    ODOO_DB_ARGS=()
    PSQL_ARGS=()
    command -v psql >/dev/null 2>&1 ||
        die "PGHOST/PGPORT point at a server but 'psql' is missing: install PostgreSQL's client (apt-get install postgresql-client)"
    psql -d postgres -Atc 'select 1' >/dev/null 2>&1 ||
        die "cannot connect to the PostgreSQL server named by PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-}: check it runs and the variables"
    return 0
}

# db_query DB SQL: the rows of SQL's answer, one a line.
db_query() {
    local psql=psql
    [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/psql" ] && psql=$PG_BINDIR/psql
    "$psql" "${PSQL_ARGS[@]}" -d "$1" -Atc "$2" 2>/dev/null
}

db_exists() {
    [ "$(db_query postgres "select 1 from pg_database where datname = '$1'")" = 1 ]
}

# copy_db SOURCE TARGET: a new database TARGET made from SOURCE (no one connected).
copy_db() {
    local createdb=createdb
    [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/createdb" ] && createdb=$PG_BINDIR/createdb
    "$createdb" "${PSQL_ARGS[@]}" -T "$1" "$2" >/dev/null 2>&1
}

drop_db() {
    local dropdb=dropdb
    [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/dropdb" ] && dropdb=$PG_BINDIR/dropdb
    "$dropdb" "${PSQL_ARGS[@]}" --if-exists "$1" >/dev/null 2>&1 || true
}
