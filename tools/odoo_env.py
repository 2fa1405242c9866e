"""What the scripts need to know about the addons and about Odoo's Python.

    odoo_env.py addons REPO
        the installable addons of the repository: every top-level folder with a
        __manifest__.py, one name a line, sorted
    odoo_env.py roots REPO
        the addons that depend on no other addon of the repository (the core):
        each must install alone, without the apps the bridges bring
    odoo_env.py bridges REPO
        the bridges: the addons that install themselves (auto_install) where
        their dependencies are
    odoo_env.py bridge-apps REPO
        the apps the bridges bring: their dependencies outside the repository
    odoo_env.py external REPO
        the Python packages the addons' manifests need
        (external_dependencies['python']), one a line
    odoo_env.py depends REPO
        the Odoo addons that the repository's addons depend on and that are not
        in the repository (their `depends`, transitively through the
        repository's own addons), one a line, sorted
    odoo_env.py core-tests REPO
        Odoo's own test classes of the core models the addons extend, as
        --test-tags entries (/addon:TestClass), one a line: the lines of each
        addon's tests/core_tests.txt, comments (#) and repeats dropped; exits
        with 1 (after the lines) when an addon has no tests/core_tests.txt, so
        that a new addon says which core tests it must keep passing (a file of
        comments only says that it extends no core model)
    odoo_env.py missing REPO [FILE...]
        the external dependencies of REPO's addons and the requirement lines of
        FILEs that the Python running this script does not satisfy, checked the
        way Odoo checks an external dependency (distribution name, version
        specifier, environment markers)
    odoo_env.py odoo-requirements ODOO_REQUIREMENTS PINS OUT_BUILD OUT_MAIN
        Odoo's requirements.txt with the pins of PINS applied for the Python
        running this script: a line of PINS replaces Odoo's lines for the same
        package whose markers hold here; a package that Odoo does not list is
        a build tool, written to OUT_BUILD to be installed first

`addons`, `external`, `depends` and `core-tests` run on any Python 3; `missing`
and `odoo-requirements` run on Odoo's Python (the one asked from the launcher),
so that markers and installed versions are that Python's, and use only the
standard library and the `packaging` that pip vendors.
"""

import ast
import importlib.metadata
import sys
from pathlib import Path

try:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # Odoo's Python need not have packaging, pip always has it
    from pip._vendor.packaging.requirements import InvalidRequirement, Requirement
    from pip._vendor.packaging.utils import canonicalize_name


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text("utf-8"))


def addons(repo):
    found = []
    for manifest_path in sorted(Path(repo).glob("*/__manifest__.py")):
        manifest = read_manifest(manifest_path.parent)
        if manifest.get("installable", True):
            found.append(manifest_path.parent)
    return found


def roots(repo):
    found = addons(repo)
    names = {addon_dir.name for addon_dir in found}
    return [
        addon_dir
        for addon_dir in found
        if not names & set(read_manifest(addon_dir).get("depends", []))
    ]


def bridges(repo):
    return [
        addon_dir
        for addon_dir in addons(repo)
        if read_manifest(addon_dir).get("auto_install")
    ]


def bridge_apps(repo):
    names = {addon_dir.name for addon_dir in addons(repo)}
    apps = []
    for addon_dir in bridges(repo):
        for dep in read_manifest(addon_dir).get("depends", []):
            if dep not in names and dep not in apps:
                apps.append(dep)
    return apps


def external(repo):
    deps = []
    for addon_dir in addons(repo):
        manifest = read_manifest(addon_dir)
        for dep in manifest.get("external_dependencies", {}).get("python", []):
            if dep not in deps:
                deps.append(dep)
    return deps


def odoo_depends(repo):
    """Odoo's addons that the repository's addons need: the dependencies of
    each addon, those inside the repository replaced by their own."""
    own = {path.name: read_manifest(path) for path in addons(repo)}
    found = set()
    for manifest in own.values():
        found.update(manifest.get("depends", []))
    return sorted(name for name in found if name not in own)


def core_tests(repo):
    """(the --test-tags entries, the addons without a tests/core_tests.txt)"""
    tags, missing = [], []
    for addon_dir in addons(repo):
        path = addon_dir / "tests" / "core_tests.txt"
        if not path.is_file():
            missing.append(addon_dir.name)
            continue
        for raw in path.read_text("utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            if line and line not in tags:
                tags.append(line)
    return tags, missing


def requirement_lines(path):
    """The requirement lines of a pip requirements file, comments dropped."""
    lines = []
    for raw in Path(path).read_text("utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def is_satisfied(line):
    """Whether this Python has `line`, as Odoo's check_python_external_dependency
    decides it (a bare module name that imports counts, as it does for Odoo)."""
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return False
    if requirement.marker and not requirement.marker.evaluate():
        return True
    try:
        version = importlib.metadata.version(requirement.name)
    except importlib.metadata.PackageNotFoundError:
        try:
            __import__(line)
        except ImportError:
            return False
        return True
    return not requirement.specifier or requirement.specifier.contains(
        version, prereleases=True
    )


def missing(repo, paths):
    lines = external(repo)
    for path in paths:
        lines += [line for line in requirement_lines(path) if line not in lines]
    return [line for line in lines if not is_satisfied(line)]


def applies(requirement):
    return not requirement.marker or requirement.marker.evaluate()


def odoo_requirements(odoo_path, pins_path):
    """(build, main): the pins that Odoo does not list, and Odoo's requirements
    for this Python with the pins applied. Lines whose markers do not hold here
    are dropped, as pip would."""
    pins = [Requirement(line) for line in requirement_lines(pins_path)]
    pins = [pin for pin in pins if applies(pin)]
    pinned = {canonicalize_name(pin.name): pin for pin in pins}
    odoo = [Requirement(line) for line in requirement_lines(odoo_path)]
    odoo_names = {canonicalize_name(req.name) for req in odoo}
    main = []
    for req in odoo:
        if not applies(req):
            continue
        name = canonicalize_name(req.name)
        main.append(str(pinned.get(name, req)))
    build = [str(pin) for pin in pins if canonicalize_name(pin.name) not in odoo_names]
    return build, main


def main(argv):
    command, args = argv[0], argv[1:]
    if command == "addons":
        lines = [path.name for path in addons(args[0])]
    elif command == "roots":
        lines = [path.name for path in roots(args[0])]
    elif command == "bridges":
        lines = [path.name for path in bridges(args[0])]
    elif command == "bridge-apps":
        lines = bridge_apps(args[0])
    elif command == "external":
        lines = external(args[0])
    elif command == "depends":
        lines = odoo_depends(args[0])
    elif command == "core-tests":
        lines, without_list = core_tests(args[0])
        for line in lines:
            print(line)
        for name in without_list:
            print(
                f"{name}: no tests/core_tests.txt: list the test classes of the "
                "core models it extends (/addon:TestClass, one a line), or say in "
                "a comment that it extends none",
                file=sys.stderr,
            )
        return 1 if without_list else 0
    elif command == "missing":
        lines = missing(args[0], args[1:])
    elif command == "odoo-requirements":
        build, main = odoo_requirements(args[0], args[1])
        Path(args[2]).write_text("".join(f"{line}\n" for line in build), "utf-8")
        Path(args[3]).write_text("".join(f"{line}\n" for line in main), "utf-8")
        lines = []
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
