"""Compare Odoo's core tests run without and with the repository's addons.

    compare_core_tests.py [--log WITH_LOG] WITHOUT WITH

WITHOUT and WITH are what tools/core_tests.py wrote (one "outcome<TAB>test id"
a line) on a database with only the addons' dependencies and on one with every
addon of the repository. Prints the tests that do not pass on each side, then
those that pass without our addons and not with them: each of these is a
regression, and the exit code is 1. A test that fails on both sides comes from
the environment, not from our addons: it is listed, and does not fail the check.
With --log, the Odoo log of the run with our addons, each regression is followed
by what Odoo logged of it (its traceback).
"""

import argparse
import re
from pathlib import Path

# The first line of a record in Odoo's log: "2024-05-06 12:00:00,000 1234 LEVEL …".
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ")


def read_outcomes(path):
    outcomes = {}
    for line in Path(path).read_text("utf-8").splitlines():
        if line.strip():
            outcome, test = line.split("\t", 1)
            outcomes[test] = outcome
    return outcomes


def show(title, rows):
    print(f"{title}: {len(rows)}")
    for test, outcome in rows:
        print(f"    {outcome:<8} {test}")


def not_passing(outcomes):
    return sorted(
        (test, outcome) for test, outcome in outcomes.items() if outcome != "pass"
    )


def logged_failures(log_path, test):
    """The records Odoo logged for `test` (module.tests.file.Class.method) as
    "FAIL: Class.method" or "ERROR: Class.method", with their tracebacks."""
    module, name = test.rsplit(".", 2)[0], ".".join(test.rsplit(".", 2)[1:])
    head = re.compile(
        rf" odoo\.addons\.{re.escape(module)}: (FAIL|ERROR): "
        rf"(Subtest )?{re.escape(name)}\b"
    )
    lines, keep = [], False
    for line in Path(log_path).read_text("utf-8", errors="replace").splitlines():
        if LOG_RECORD.match(line):
            keep = bool(head.search(line))
        if keep:
            lines.append(line)
    return lines


def main(without_path, with_path, log_path=None):
    without = read_outcomes(without_path)
    with_ = read_outcomes(with_path)
    if not without or not with_:
        print("no test ran on one of the databases: nothing to compare")
        return 1
    print(
        f"{len(without)} tests without our addons "
        f"({sum(o == 'pass' for o in without.values())} pass), "
        f"{len(with_)} with them ({sum(o == 'pass' for o in with_.values())} pass)"
    )
    show(
        "Not passing without our addons (only their dependencies)", not_passing(without)
    )
    show("Not passing with every addon of the repository", not_passing(with_))
    regressions = sorted(
        (test, with_.get(test, "not run"))
        for test, outcome in without.items()
        if outcome == "pass" and with_.get(test) not in ("pass", "skip")
    )
    skipped = sorted(
        (test, "skip")
        for test, outcome in without.items()
        if outcome == "pass" and with_.get(test) == "skip"
    )
    if skipped:
        show("Pass without our addons, skipped with them", skipped)
    show("Pass without our addons, fail with them", regressions)
    if log_path:
        for test, _outcome in regressions:
            for line in logged_failures(log_path, test):
                print(f"        {line}")
    return 1 if regressions else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--log", help="Odoo's log of the run with our addons")
    parser.add_argument("without", help="outcomes on the database without our addons")
    parser.add_argument("with_", metavar="with", help="outcomes with every addon")
    args = parser.parse_args()
    raise SystemExit(main(args.without, args.with_, args.log))
