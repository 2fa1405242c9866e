# shellcheck shell=bash
# The checks of scripts/test that a release keeps a company's data (sourced by it):
#   - the previous release's database, built with that release's code and demo
#     data, upgrades (-u) to the current code with every row kept, and the
#     current smoke tests pass on it;
#   - each addon of the repository uninstalls, one at a time and the core last,
#     leaving nothing of its own and everything else (tools/uninstall_each.py).
# Both run in the background beside longer phases of scripts/test; it waits for
# them where it reports them. They use scripts/test's WORK, DB, ODOO, ODOO_DB_ARGS,
# ADDONS_PATH, REPO_ROOT, db_query, copy_db and check.

# What the upgraded database must still pass: the main flows, on records the tests
# make beside the old ones (the demo test would check the current demo's story,
# which the old demo records, noupdate, do not tell).
UPGRADE_SMOKE_TAGS=${UPGRADE_SMOKE_TAGS:-/customer_policy:TestCustomerRegistration,/customer_policy:TestVisitRules,/customer_policy:TestComplaintWorkflow,/customer_policy:TestAgreementLifeCycle,/customer_policy:TestPartnerAccess}
# And after each uninstall: the demo company whole while the core is there (a
# light test that reads every kind of demo record), and Odoo's partner tests that
# do not depend on the installed languages (base's TestPartner expects English to
# be the first one, which the demo's zh_CN is not).
UNINSTALL_SMOKE_TAGS=${UNINSTALL_SMOKE_TAGS:-/customer_policy:TestDemoData,/base:TestPartnerAddressCompany,/mail:TestPartner}
# Odoo's tables whose rows an upgrade of our addons must keep, beside the tables
# of our own models.
UPGRADE_ODOO_TABLES="res_partner res_users res_company res_groups res_partner_category crm_team
crm_team_member mail_message mail_followers mail_activity mail_tracking_value resource_calendar
resource_calendar_leaves resource_calendar_attendance"

# previous_release: the release to upgrade from, in PREV_REF (what to call it) and
# PREV_COMMIT. PREVIOUS_RELEASE names it; else the newest v* tag in HEAD's history
# that is not HEAD itself; else (a clone without tags) the last first-parent commit
# whose core manifest has another version than HEAD's (the one before the commit
# that brought HEAD's version). Returns 1 with PREV_ERROR.
previous_release() {
    local git=(git -C "$REPO_ROOT") head tag commit core version other
    PREV_REF='' PREV_COMMIT='' PREV_ERROR=''
    if ! head=$("${git[@]}" rev-parse --verify -q HEAD 2>/dev/null); then
        PREV_ERROR="$REPO_ROOT is not a git clone with history: clone the repository (with its tags) to test the upgrade from the previous release"
        return 1
    fi
    if [ -n "${PREVIOUS_RELEASE:-}" ]; then
        PREV_COMMIT=$("${git[@]}" rev-parse --verify -q "$PREVIOUS_RELEASE^{commit}") || {
            PREV_ERROR="PREVIOUS_RELEASE=$PREVIOUS_RELEASE is no commit of $REPO_ROOT"
            return 1
        }
        PREV_REF=$PREVIOUS_RELEASE
        return 0
    fi
    while read -r tag; do
        commit=$("${git[@]}" rev-parse "$tag^{commit}")
        if [ "$commit" != "$head" ]; then
            PREV_REF=$tag PREV_COMMIT=$commit
            return 0
        fi
    done < <("${git[@]}" tag --list 'v*' --merged HEAD --sort=-v:refname)
    # No tag (a clone that did not fetch them): the last version the core had.
    core=${ROOTS_CSV%%,*}
    manifest_version() {
        "${git[@]}" show "$1:$core/__manifest__.py" 2>/dev/null |
            python3 -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read()).get("version", ""))' 2>/dev/null
    }
    version=$(manifest_version HEAD)
    # The commit just before the one that brought HEAD's version.
    while read -r commit; do
        other=$(manifest_version "$commit^1")
        if [ -n "$other" ] && [ "$other" != "$version" ]; then
            PREV_COMMIT=$("${git[@]}" rev-parse "$commit^1")
            PREV_REF="$core $other (commit ${PREV_COMMIT:0:7}, no v* tag in this clone)"
            return 0
        fi
    done < <("${git[@]}" log --first-parent --format=%H HEAD -- "$core/__manifest__.py")
    PREV_ERROR="no previous release in $REPO_ROOT's history: no v* tag other than HEAD's, and $core/__manifest__.py never had another version than $version (fetch the tags: git fetch --tags)"
    return 1
}

# in_background COMMAND...: run it as a child that a TERM of this (background)
# shell stops too (scripts/test's cleanup stops the background jobs with TERM).
in_background() {
    "$@" &
    BACKGROUND_CHILD=$!
    wait "$BACKGROUND_CHILD"
}

# upgrade_row_ids DB ADDONS_CSV OUT: "table<TAB>id" of every row of the tables of
# the models the addons define or extend (transient ones and Odoo's ir.* metadata
# apart: a view or rule a release drops goes with it) and of Odoo's tables above,
# sorted.
upgrade_row_ids() {
    local db=$1 addons=$2 out=$3 tables query='' table
    tables=$(db_query "$db" "select t.table_name from information_schema.tables t
        where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
          and exists (select 1 from information_schema.columns c
                      where c.table_name = t.table_name and c.column_name = 'id')
          and (t.table_name in ($(tr -s ' \n' '\n' <<<"$UPGRADE_ODOO_TABLES" | sed "s/.*/'&'/" | paste -sd, -))
               or t.table_name in (select replace(m.model, '.', '_') from ir_model m
                   join ir_model_data d on d.model = 'ir.model' and d.res_id = m.id
                   where d.module in ($(sed -E "s/([^,]+)/'\1'/g" <<<"$addons")) and not m.transient
                     and m.model not like 'ir.%'))
        order by 1") || return 1
    for table in $tables; do
        query+="${query:+ union all }select '$table', id from \"$table\""
    done
    [ -n "$query" ] || return 1
    db_query "$db" "$query" | tr '|' '\t' | sort >"$out"
    [ -s "$out" ]
}

# release_upgrade: in the background. The previous release's code (git archive)
# installs its addons with demo data on $PREV_DB (a copy of the contacts database),
# their rows are listed, the current code upgrades them (-u) with the smoke tests,
# and the rows are listed again. Its output says which step failed.
release_upgrade() {
    local src=$WORK/release/src start=$SECONDS prev_addons prev_install addons=() name
    local odoo_path=${ADDONS_PATH#"$REPO_ROOT",}
    trap 'kill "$BACKGROUND_CHILD" 2>/dev/null; exit 1' TERM
    local args=("${ODOO_DB_ARGS[@]}" --data-dir "$WORK/data" -d "$PREV_DB" --no-http
        --workers 0 --max-cron-threads 0 --stop-after-init)
    mkdir -p "$src"
    git -C "$REPO_ROOT" archive "$PREV_COMMIT" | tar -x -C "$src" || {
        echo "== could not extract $PREV_REF (git archive)"
        return 1
    }
    prev_addons=$(python3 "$REPO_ROOT/tools/odoo_env.py" addons "$src" | xargs -r -n 1 basename | paste -sd, -)
    prev_install=$prev_addons
    if python3 "$REPO_ROOT/tools/odoo_env.py" bridge-apps "$src" | grep -qx account; then
        prev_install+=,l10n_cn
    fi
    in_background "$ODOO" "${args[@]}" --addons-path "$src,$odoo_path" -i "$prev_install" \
        >"$WORK/release/install.log" 2>&1 || {
        echo "== install of $prev_install with $PREV_REF's code failed:"
        grep -E -A 20 "Traceback|ERROR|CRITICAL" "$WORK/release/install.log" | head -n 30
        return 1
    }
    echo "== install of $prev_install with $PREV_REF's code and demo data: $((SECONDS - start)) s"
    upgrade_row_ids "$PREV_DB" "$prev_addons" "$WORK/release/before.tsv" || {
        echo "== could not list the rows of $PREV_DB"
        return 1
    }
    # The addons of the release that the repository still has are upgraded; an
    # addon it dropped has no code left to upgrade with.
    for name in ${prev_addons//,/ }; do
        if [[ ",$ADDONS_CSV," == *",$name,"* ]]; then
            addons+=("$name")
        else
            echo "== $name of $PREV_REF is no longer in the repository: not upgraded"
        fi
    done
    PREV_UPGRADED=$(
        IFS=,
        echo "${addons[*]}"
    )
    start=$SECONDS
    in_background "$ODOO" "${args[@]}" --addons-path "$ADDONS_PATH" -u "$PREV_UPGRADED" \
        --test-enable --test-tags "$UPGRADE_SMOKE_TAGS" >"$WORK/release/upgrade.log" 2>&1
    echo "$?" >"$WORK/release/upgrade.rc"
    echo "== upgrade (-u $PREV_UPGRADED) with the current code and smoke tests: $((SECONDS - start)) s"
    upgrade_row_ids "$PREV_DB" "$prev_addons" "$WORK/release/after.tsv" || {
        echo "== could not list the rows of $PREV_DB after the upgrade"
        return 1
    }
}

# check_release_upgrade: every row listed before the upgrade is there after it;
# the upgrade exited 0 and logged no ERROR, CRITICAL, traceback or data that failed
# to load again.
check_release_upgrade() {
    local rc=0 lost broken
    wait "$RELEASE_PID" || rc=$?
    RELEASE_PID=
    grep '^== ' "$WORK/release.log" | sed 's/^== /   /'
    if [ "$rc" != 0 ] || [ ! -s "$WORK/release/after.tsv" ]; then
        tail -n 20 "$WORK/release.log"
        return 1
    fi
    # Rows per table, before -> after; the rows gone, by table.
    join -a 1 -e 0 -o 0,1.2,2.2 \
        <(cut -f 1 "$WORK/release/before.tsv" | uniq -c | awk '{print $2, $1}') \
        <(cut -f 1 "$WORK/release/after.tsv" | uniq -c | awk '{print $2, $1}') |
        awk '{printf "%s %s->%s  ", $1, $2, $3} NR % 4 == 0 {print ""} END {if (NR % 4) print ""}' |
        sed 's/^/     /'
    lost=$(comm -23 "$WORK/release/before.tsv" "$WORK/release/after.tsv" | cut -f 1 | uniq -c)
    if [ -n "$lost" ]; then
        echo "   rows lost by the upgrade (count, table):"
        # shellcheck disable=SC2001 # each line of it
        sed 's/^/     /' <<<"$lost"
    fi
    broken=$(grep -E "(data|demo data) failed to install|Traceback|^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " \
        "$WORK/release/upgrade.log")
    if [ -n "$broken" ]; then
        grep -E -A 20 "(data|demo data) failed to install|Traceback|^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " \
            "$WORK/release/upgrade.log" | head -n 40
    fi
    echo "   $(wc -l <"$WORK/release/before.tsv") rows before, $(wc -l <"$WORK/release/after.tsv") after; exit code $(cat "$WORK/release/upgrade.rc")"
    [ -z "$lost" ] && [ -z "$broken" ] && [ "$(cat "$WORK/release/upgrade.rc")" = 0 ] &&
        grep -q "Modules loaded" "$WORK/release/upgrade.log"
}

# check_release_smoke: the smoke tests ran on the upgraded database and passed.
check_release_smoke() {
    local summary t_failed t_errors t_run
    summary=$(grep -E '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' \
        "$WORK/release/upgrade.log" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "   no test result in the upgrade's log (exit code $(cat "$WORK/release/upgrade.rc" 2>/dev/null))"
        return 1
    fi
    read -r t_failed t_errors t_run <<<"$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests when loading.*/\1 \2 \3/' <<<"$summary")"
    echo "   $t_run tests ($UPGRADE_SMOKE_TAGS), $t_failed failed, $t_errors error(s)"
    if [ $((t_failed + t_errors)) != 0 ]; then
        grep -E -A 20 "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) .*(FAIL|ERROR):" "$WORK/release/upgrade.log" | head -n 40
    fi
    [ "$t_run" -gt 0 ] && [ $((t_failed + t_errors)) = 0 ]
}

# uninstall_each: in the background, on $UNINSTALL_DB (a copy of the upgraded test
# database): tools/uninstall_each.py in an Odoo shell.
uninstall_each() {
    trap 'kill "$BACKGROUND_CHILD" 2>/dev/null; exit 1' TERM
    # (its input named on the command: a job in the background reads /dev/null)
    UNINSTALL_ADDONS=$ADDONS_CSV UNINSTALL_SMOKE_TAGS=$UNINSTALL_SMOKE_TAGS "$ODOO" shell \
        "${ODOO_DB_ARGS[@]}" --addons-path "$ADDONS_PATH" --data-dir "$WORK/data" -d "$UNINSTALL_DB" \
        --workers 0 --max-cron-threads 0 --no-http <"$REPO_ROOT/tools/uninstall_each.py" &
    BACKGROUND_CHILD=$!
    wait "$BACKGROUND_CHILD"
}

# check_uninstall_each: tools/uninstall_each.py found nothing, and Odoo's log has no
# ERROR or CRITICAL line but the failed queries of its own deletion of data still
# in use (it tries, fails, keeps the record: the script lists those records). The
# log stays apart from Odoo's log for that reason.
check_uninstall_each() {
    local rc=0 pattern='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' bad kept
    wait "$UNINSTALL_PID" || rc=$?
    UNINSTALL_PID=
    grep -E '^(== |   (kept|FAILED))' "$WORK/uninstall.log" | sed 's/^/   /'
    bad=$(grep -E "$pattern" "$WORK/uninstall.log" | grep -v -E ' ERROR [^ ]+ odoo\.sql_db: bad query: ')
    kept=$(grep -c -E ' ERROR [^ ]+ odoo\.sql_db: bad query: ' "$WORK/uninstall.log")
    [ "$kept" = 0 ] || echo "   $kept queries of Odoo's deletion of data still in use failed (the records kept are listed above)"
    if [ -n "$bad" ]; then
        grep -E -A 30 "$pattern" "$WORK/uninstall.log" | grep -v -E 'odoo\.sql_db: bad query' | head -n 40
        return 1
    fi
    [ "$rc" = 0 ] || tail -n 5 "$WORK/uninstall.log"
    [ "$rc" = 0 ]
}
