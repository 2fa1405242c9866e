# shellcheck shell=bash
# Odoo 18.0 for scripts/run and scripts/test (sourced by lib.sh): ODOO_BIN, else
# `odoo` on PATH, else the one bootstrapped into .local/ (a shallow clone of
# ODOO_GIT at ODOO_REF, a virtualenv on BOOTSTRAP_PYTHON or the first Python
# 3.10-3.12 found with Odoo's requirements, a launcher).
# Whatever the launcher is (a Python script, a symlink, a shell wrapper), the
# Python that Odoo runs on is asked from Odoo itself, never read from a shebang.

ODOO_SERIES=18.0
ODOO_GIT_DEFAULT=https://github.com/odoo/odoo.git

# probe_odoo LAUNCHER: have `LAUNCHER shell` run a script that prints the Python
# running it, Odoo's series and default addons path. Sets PROBE_PYTHON,
# PROBE_SERIES and PROBE_ADDONS_PATH, or PROBE_ERROR and returns 1.
probe_odoo() {
    local launcher=$1 tmp out rc
    PROBE_PYTHON='' PROBE_SERIES='' PROBE_ADDONS_PATH='' PROBE_ERROR=''
    tmp=$(mktemp -d)
    # An empty configuration file: the user's ~/.odoorc (a database to connect
    # to, another addons path) must not change the answer.
    : >"$tmp/odoo.conf"
    out=$("$launcher" shell -c "$tmp/odoo.conf" --data-dir "$tmp/data" --no-http \
        --log-level=critical 2>&1 <<'EOF'
import sys

import odoo
from odoo.tools import config

print("probe-python=" + sys.executable)
print("probe-series=" + ".".join(str(n) for n in odoo.release.version_info[:2]))
print("probe-addons=" + config["addons_path"])
EOF
    )
    rc=$?
    rm -rf "$tmp"
    PROBE_PYTHON=$(sed -n 's/^probe-python=//p' <<<"$out")
    PROBE_SERIES=$(sed -n 's/^probe-series=//p' <<<"$out")
    PROBE_ADDONS_PATH=$(sed -n 's/^probe-addons=//p' <<<"$out")
    if [ -z "$PROBE_SERIES" ] || [ -z "$PROBE_PYTHON" ] || [ ! -x "$PROBE_PYTHON" ]; then
        PROBE_ERROR="'$launcher shell' did not say which Python and Odoo it runs (exit code $rc): $(tail -n 3 <<<"$out" | tr '\n' ' ')"
        return 1
    fi
}

# use_odoo LAUNCHER: if it is Odoo 18.0, make it ODOO, with ODOO_PYTHON (the Python
# it runs on) and ODOO_DEFAULT_ADDONS_PATH; else PROBE_ERROR and return 1.
use_odoo() {
    probe_odoo "$1" || return 1
    if [ "$PROBE_SERIES" != "$ODOO_SERIES" ]; then
        PROBE_ERROR="it is Odoo $PROBE_SERIES, and this repository needs Odoo $ODOO_SERIES"
        return 1
    fi
    ODOO=$1
    ODOO_PYTHON=$PROBE_PYTHON
    ODOO_DEFAULT_ADDONS_PATH=$PROBE_ADDONS_PATH
}

# Odoo 18.0: $ODOO_BIN, else `odoo` on PATH, else the one of .local/ (bootstrapped
# the first time). An Odoo of the machine is never modified.
find_odoo() {
    local launcher
    if [ -n "${ODOO_BIN:-}" ]; then
        { [ -f "$ODOO_BIN" ] && [ -x "$ODOO_BIN" ]; } ||
            die "ODOO_BIN=$ODOO_BIN is not an executable file: point it at Odoo $ODOO_SERIES's odoo-bin or its launcher"
        launcher=$(cd "$(dirname "$ODOO_BIN")" && pwd)/$(basename "$ODOO_BIN")
        use_odoo "$launcher" || die "ODOO_BIN=$ODOO_BIN: $PROBE_ERROR"
        return 0
    fi
    launcher=$(command -v odoo 2>/dev/null) || launcher=
    if [ -n "$launcher" ]; then
        use_odoo "$launcher" && return 0
        echo "note: the 'odoo' on PATH ($launcher) is not used: $PROBE_ERROR" >&2
    fi
    bootstrap_odoo
    use_odoo "$LOCAL/bin/odoo" ||
        die "the Odoo bootstrapped into .local/ does not answer: $PROBE_ERROR (delete .local/odoo and .local/venv to bootstrap it again)"
}

# --- System packages ------------------------------------------------------------------

# system_packages_missing GROUP...: the Debian/Ubuntu packages of the GROUPs that are
# not installed, in MISSING_PACKAGES. core: what Odoo's requirements build against,
# PostgreSQL and Python's venv; browser: Chromium and a CJK font for the tours.
# Returns 1 when the machine has no dpkg to ask.
system_packages_missing() {
    local wanted=() group pkg
    MISSING_PACKAGES=()
    command -v dpkg-query >/dev/null 2>&1 || return 1
    for group in "$@"; do
        case $group in
            core)
                command -v git >/dev/null 2>&1 || wanted+=(git)
                command -v cc >/dev/null 2>&1 || wanted+=(build-essential)
                wanted+=(libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev)
                python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || wanted+=(python3-venv)
                python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
                    >/dev/null 2>&1 || wanted+=(python3-dev)
                [ -n "${PGHOST:-}${PGPORT:-}" ] || locate_pg || wanted+=(postgresql)
                ;;
            browser)
                command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
                    command -v google-chrome >/dev/null 2>&1 || wanted+=(chromium)
                [ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || wanted+=(fonts-noto-cjk)
                ;;
        esac
    done
    for pkg in "${wanted[@]}"; do
        case $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) in
            *" installed") ;;
            *) MISSING_PACKAGES+=("$pkg") ;;
        esac
    done
    return 0
}

# install_system_packages GROUP...: install what the GROUPs miss with apt-get when
# root; else print the exact command in one line and return 1.
install_system_packages() {
    system_packages_missing "$@" || return 0
    [ ${#MISSING_PACKAGES[@]} = 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "  installing system packages (apt-get): ${MISSING_PACKAGES[*]}"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING_PACKAGES[@]}"; } \
            >>"${BOOTSTRAP_LOG:-/dev/null}" 2>&1 ||
            die "apt-get could not install ${MISSING_PACKAGES[*]}: run 'apt-get install -y ${MISSING_PACKAGES[*]}' to see why"
        return 0
    fi
    echo "Missing system packages: install them with: sudo apt-get install -y ${MISSING_PACKAGES[*]}" >&2
    return 1
}

# --- Bootstrap into .local/ -----------------------------------------------------------

bootstrap_say() {
    echo "  $*"
}

# run_logged COMMAND...: append the command's output to BOOTSTRAP_LOG; on a terminal,
# show its latest step on one line meanwhile.
run_logged() {
    if [ ! -t 1 ]; then
        "$@" >>"$BOOTSTRAP_LOG" 2>&1
        return
    fi
    "$@" >>"$BOOTSTRAP_LOG" 2>&1 &
    local pid=$! line
    while kill -0 "$pid" 2>/dev/null; do
        line=$(grep -E '^ *(Collecting|Building|Installing|Receiving|Resolving)' "$BOOTSTRAP_LOG" | tail -n 1)
        printf '\r\033[K    %s' "${line:0:76}"
        sleep 1
    done
    printf '\r\033[K'
    wait "$pid"
}

bootstrap_failed() {
    echo "--- last lines of .local/bootstrap.log:" >&2
    tail -n 25 "$BOOTSTRAP_LOG" >&2
    die "$*"
}

# ODOO_GIT as git is given it: a local folder as an absolute path (git fetches
# from inside .local/odoo), a URL as it is.
odoo_git() {
    if [ -n "${ODOO_GIT:-}" ] && [ -d "$ODOO_GIT" ]; then
        (cd "$ODOO_GIT" && pwd)
    else
        echo "${ODOO_GIT:-}"
    fi
}

# Is .local/odoo what ODOO_GIT/ODOO_REF ask for? When they are not set, whatever
# was bootstrapped is kept.
bootstrap_source_current() {
    { [ -f "$LOCAL/odoo/odoo-bin" ] && [ -f "$LOCAL/odoo.source" ]; } || return 1
    [ -z "${ODOO_GIT:-}" ] || [ "$(odoo_git)" = "$(sed -n 1p "$LOCAL/odoo.source")" ] || return 1
    [ -z "${ODOO_REF:-}" ] || [ "$ODOO_REF" = "$(sed -n 2p "$LOCAL/odoo.source")" ] || return 1
}

# ODOO_GIT defaults to where .local/odoo came from, else Odoo's official repository.
bootstrap_source() {
    local url ref=${ODOO_REF:-$ODOO_SERIES} new=$LOCAL/odoo.new
    url=$(odoo_git)
    url=${url:-$(sed -n 1p "$LOCAL/odoo.source" 2>/dev/null)}
    url=${url:-$ODOO_GIT_DEFAULT}
    if bootstrap_source_current; then
        bootstrap_say "Odoo source: .local/odoo, kept ($(sed -n 1p "$LOCAL/odoo.source") at $(sed -n 2p "$LOCAL/odoo.source"))"
        return 0
    fi
    command -v git >/dev/null 2>&1 || die "git is missing: install it (apt-get install git)"
    bootstrap_say "Odoo source: shallow clone of $url at $ref into .local/odoo (set ODOO_GIT to a mirror, ODOO_REF to a branch or commit)"
    local start=$SECONDS
    rm -rf "$new"
    {
        git init -q "$new" >>"$BOOTSTRAP_LOG" 2>&1 &&
            git -C "$new" remote add origin "$url" &&
            if [ -t 2 ]; then # git's own progress, on one line
                git -C "$new" fetch --depth 1 --progress origin "$ref"
            else
                git -C "$new" fetch --depth 1 origin "$ref" >>"$BOOTSTRAP_LOG" 2>&1
            fi &&
            git -C "$new" -c advice.detachedHead=false checkout -q FETCH_HEAD >>"$BOOTSTRAP_LOG" 2>&1
    } || bootstrap_failed "could not fetch '$ref' from $url: set ODOO_GIT to a reachable clone or mirror of Odoo, ODOO_REF to one of its branches or commits"
    { [ -f "$new/odoo-bin" ] && [ -f "$new/requirements.txt" ]; } ||
        die "$url at $ref has no odoo-bin and requirements.txt: ODOO_GIT must be Odoo's repository (or a mirror or fork of it)"
    rm -rf "$LOCAL/odoo"
    mv "$new" "$LOCAL/odoo"
    printf '%s\n%s\n%s\n' "$url" "$ref" "$(git -C "$LOCAL/odoo" rev-parse HEAD)" >"$LOCAL/odoo.source"
    bootstrap_say "  done ($((SECONDS - start)) s)"
}

# The Python to build .local/venv with: BOOTSTRAP_PYTHON, else the first of python3,
# python3.12, python3.11, python3.10 that is 3.10-3.12 (what Odoo 18.0 runs on).
bootstrap_python() {
    local candidate candidates=(python3 python3.12 python3.11 python3.10)
    [ -n "${BOOTSTRAP_PYTHON:-}" ] && candidates=("$BOOTSTRAP_PYTHON")
    for candidate in "${candidates[@]}"; do
        if "$candidate" -c 'import sys, ensurepip, venv
sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

bootstrap_venv() {
    local venv=$LOCAL/venv python
    if "$venv/bin/python" -c '' >/dev/null 2>&1; then
        bootstrap_say "virtualenv: .local/venv, kept"
        return 0
    fi
    python=$(bootstrap_python) ||
        die "no Python 3.10-3.12 with venv (what Odoo $ODOO_SERIES runs on): install one (apt-get install python3 python3-venv), or name it with BOOTSTRAP_PYTHON=/path/to/python3.12"
    bootstrap_say "virtualenv: .local/venv on $("$python" -c 'import sys; print("Python %d.%d.%d" % sys.version_info[:3])') ($python)"
    rm -rf "$venv"
    "$python" -m venv "$venv" >>"$BOOTSTRAP_LOG" 2>&1 || bootstrap_failed "$python -m venv $venv failed"
}

# Writes .local/requirements/{build,odoo}.txt for the venv's Python (Odoo's
# requirements.txt with the pins of tools/requirements-odoo.txt) and prints their digest.
bootstrap_requirement_files() {
    mkdir -p "$LOCAL/requirements"
    "$LOCAL/venv/bin/python" "$REPO_ROOT/tools/odoo_env.py" odoo-requirements \
        "$LOCAL/odoo/requirements.txt" "$REPO_ROOT/tools/requirements-odoo.txt" \
        "$LOCAL/requirements/build.txt" "$LOCAL/requirements/odoo.txt" || return 1
    cat "$LOCAL/requirements/build.txt" "$LOCAL/requirements/odoo.txt" | sha256sum | cut -d ' ' -f 1
}

bootstrap_requirements_current() {
    local digest
    digest=$(bootstrap_requirement_files 2>/dev/null) || return 1
    [ "$digest" = "$(cat "$LOCAL/venv/.requirements.sha256" 2>/dev/null)" ]
}

bootstrap_requirements() {
    local digest start=$SECONDS dir=$LOCAL/requirements
    local pip=("$LOCAL/venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off)
    digest=$(bootstrap_requirement_files) || die "could not read Odoo's requirements.txt in .local/odoo"
    if [ "$digest" = "$(cat "$LOCAL/venv/.requirements.sha256" 2>/dev/null)" ]; then
        bootstrap_say "Python packages: kept"
        return 0
    fi
    python3 "$REPO_ROOT/tools/odoo_env.py" external "$REPO_ROOT" >"$dir/external.txt" ||
        die "could not read the addons' external dependencies"
    bootstrap_say "Python packages: Odoo's requirements (pinned by tools/requirements-odoo.txt), tools/requirements-test.txt and the addons' external dependencies (pip, a few minutes)"
    if [ -s "$dir/build.txt" ]; then
        run_logged "${pip[@]}" -r "$dir/build.txt" || bootstrap_failed "pip could not install the build tools of tools/requirements-odoo.txt"
    fi
    run_logged "${pip[@]}" --no-build-isolation -r "$dir/odoo.txt" \
        -r "$REPO_ROOT/tools/requirements-test.txt" -r "$dir/external.txt" ||
        bootstrap_failed "pip could not install Odoo's requirements into .local/venv: a missing system package (headers) is the usual cause"
    echo "$digest" >"$LOCAL/venv/.requirements.sha256"
    bootstrap_say "  done ($((SECONDS - start)) s)"
}

bootstrap_launcher() {
    local launcher=$LOCAL/bin/odoo content
    content="#!/bin/sh
# Odoo $ODOO_SERIES bootstrapped by scripts/run and scripts/test: .local/odoo on .local/venv.
exec \"$LOCAL/venv/bin/python\" \"$LOCAL/odoo/odoo-bin\" \"\$@\""
    if [ "$(cat "$launcher" 2>/dev/null)" != "$content" ]; then
        mkdir -p "$LOCAL/bin"
        printf '%s\n' "$content" >"$launcher"
        chmod +x "$launcher"
    fi
}

# Odoo 18.0 in .local/: made the first time, reused (in a second) afterwards.
bootstrap_odoo() {
    mkdir -p "$LOCAL"
    BOOTSTRAP_LOG=$LOCAL/bootstrap.log
    if bootstrap_source_current && "$LOCAL/venv/bin/python" -c '' >/dev/null 2>&1 &&
        bootstrap_requirements_current; then
        bootstrap_launcher
        echo "Odoo $ODOO_SERIES: the one bootstrapped in .local/ ($(sed -n 1p "$LOCAL/odoo.source") at $(sed -n 2p "$LOCAL/odoo.source"))"
        return 0
    fi
    echo "Bootstrapping Odoo $ODOO_SERIES into .local/ (no ODOO_BIN, no 'odoo' $ODOO_SERIES on PATH); only the first time takes minutes. Log: .local/bootstrap.log"
    : >"$BOOTSTRAP_LOG"
    if install_system_packages core browser; then
        if ! command -v dpkg-query >/dev/null 2>&1; then
            bootstrap_say "system packages: not checked (no dpkg). Odoo's requirements build with a C compiler against the headers of libpq, libldap, libsasl2, libxml2, libxslt, libjpeg and zlib; the tests need PostgreSQL >= 13, Chromium and a CJK font"
        else
            bootstrap_say "system packages: present"
        fi
    else
        system_packages_missing core
        [ ${#MISSING_PACKAGES[@]} = 0 ] ||
            die "Odoo $ODOO_SERIES cannot be bootstrapped without them: install them (line above) and run again"
    fi
    bootstrap_source
    bootstrap_venv
    bootstrap_requirements
    bootstrap_launcher
    bootstrap_say "launcher: .local/bin/odoo"
}

# --- What the addons and their tests need beside Odoo --------------------------------

# ensure_odoo_python_requirements addons|test: the addons' external dependencies
# (and for `test`, tools/requirements-test.txt) in the Python Odoo runs on,
# installed there with pip when missing.
ensure_odoo_python_requirements() {
    local files=() missing packages=() out
    [ "$1" = test ] && files+=("$REPO_ROOT/tools/requirements-test.txt")
    missing=$("$ODOO_PYTHON" "$REPO_ROOT/tools/odoo_env.py" missing "$REPO_ROOT" "${files[@]}") ||
        die "could not ask Odoo's Python ($ODOO_PYTHON) which packages it has"
    [ -n "$missing" ] || return 0
    mapfile -t packages <<<"$missing"
    echo "Installing into Odoo's Python ($ODOO_PYTHON): ${packages[*]}"
    if ! out=$("$ODOO_PYTHON" -m pip install -q --disable-pip-version-check "${packages[@]}" 2>&1); then
        echo "$out" | tail -n 20 >&2
        die "could not install ${packages[*]} into Odoo's Python: install them there ($ODOO_PYTHON -m pip install ${packages[*]}, or the way that Python gets its packages)"
    fi
}
