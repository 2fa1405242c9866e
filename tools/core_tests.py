"""Run Odoo's own test classes post-install, in a fully loaded registry.

Odoo runs the tests of `base`, `mail` or `sales_team` at install time, in a
registry that holds only the addons loaded so far: our overrides of
`res.partner` or `res.users` are not there yet. This script runs them again
after every addon of the database is loaded, as `scripts/test` needs to tell
whether our addons break them. It is fed to `odoo shell -d DB`
on its standard input (the shell gives it `env`), with:

    CORE_TESTS_TAGS  the tests, in --test-tags syntax: /module:TestClass,...
                     (a class's at_install and post_install tests both run)
    CORE_TESTS_OUT   file to write, one "outcome<TAB>test id" a line: outcome
                     pass, fail, error or skip; test id module.tests.file.Class.method

Odoo logs each test as it does in any test run ("Starting …", "FAIL: …",
"ERROR: …" with the traceback). It exits non-zero when a tag matches no test,
names an addon that is not installed, or names a browser test (HttpCase: the
shell runs no HTTP server); a failing test is only written down, for
tools/compare_core_tests.py to judge against the same tests without our addons.
"""

import os
import sys
import threading
from unittest import case

import odoo

# As in `odoo --test-enable`, set before Odoo's test framework is imported (it
# refuses to be otherwise). Not given on the command line: there it would also
# run every addon's at_install tests while the registry loads.
odoo.tools.config["test_enable"] = True

# pylint: disable=wrong-import-position
from odoo.tests import HttpCase, loader
from odoo.tests.result import OdooTestResult
from odoo.tests.suite import OdooSuite
from odoo.tests.tag_selector import TagsSelector


def test_id(test):
    while isinstance(test, case._SubTest):
        test = test.test_case
    return test.id().removeprefix("odoo.addons.")


class RecordingResult(OdooTestResult):
    """Odoo's test result, which also keeps the outcome of every test: a test
    with a failed subtest failed, whatever its other subtests did."""

    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def _record(self, test, outcome):
        if isinstance(test, case.TestCase):
            key = test_id(test)
            if self.outcomes.get(key) not in ("fail", "error"):
                self.outcomes[key] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "pass")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "fail")

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skip")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "pass")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "fail")


def select_tests(env, tags):
    """The tests the tags name, from the installed addons; stops with a message
    on a tag that names nothing runnable here."""
    specs = [spec.strip() for spec in tags.split(",") if spec.strip()]
    if not specs:
        sys.exit("core tests: CORE_TESTS_TAGS names no test")
    selectors = {spec: TagsSelector(spec) for spec in specs}
    modules = set()
    for spec in specs:
        match = TagsSelector.filter_spec_re.match(spec)
        if not match or not match.group(3) or match.group(1) == "-":
            sys.exit(f"core tests: {spec!r} does not name an addon (/addon:TestClass)")
        modules.add(match.group(3))
    modules = sorted(modules)
    installed = set(
        env["ir.module.module"]
        .search([("name", "in", modules), ("state", "=", "installed")])
        .mapped("name")
    )
    if missing := [name for name in modules if name not in installed]:
        sys.exit(f"core tests: addon(s) not installed: {', '.join(missing)}")
    tests, matched = [], set()
    for module in modules:
        for test_module in loader.get_test_modules(module):
            for test in loader.get_module_test_cases(test_module):
                hits = [spec for spec, sel in selectors.items() if sel.check(test)]
                if hits:
                    matched.update(hits)
                    tests.append(test)
    if unmatched := [spec for spec in specs if spec not in matched]:
        sys.exit(f"core tests: no test matches {', '.join(unmatched)}")
    if browser := sorted({test_id(t) for t in tests if isinstance(t, HttpCase)}):
        sys.exit(f"core tests: browser tests cannot run here: {', '.join(browser)}")
    return sorted(tests, key=lambda test: test.test_sequence)


def run(env, tags, out_path):
    tests = select_tests(env, tags)
    # The tests open their own cursors: the shell's must hold no lock meanwhile.
    env.cr.rollback()
    result = RecordingResult()
    # What odoo.tests.loader.run_suite does, with a result that keeps outcomes.
    odoo.modules.module.current_test = True
    threading.current_thread().testing = True
    try:
        OdooSuite(tests)(result)
    finally:
        threading.current_thread().testing = False
        odoo.modules.module.current_test = False
    # A test whose class failed to set up never started: it did not pass.
    outcomes = {test_id(test): "error" for test in tests}
    outcomes.update(result.outcomes)
    with open(out_path, "w", encoding="utf-8") as out:
        out.writelines(
            f"{outcome}\t{key}\n" for key, outcome in sorted(outcomes.items())
        )


run(env, os.environ["CORE_TESTS_TAGS"], os.environ["CORE_TESTS_OUT"])  # noqa: F821  # pylint: disable=undefined-variable
