"""Static checks of addons' files that ruff and pylint do not cover.

    check_addon.py ADDON_DIR...

- every XML file parses;
- the manifest lists every data/demo file that exists, and no file that does not;
- every ir.model.access.csv is well formed (header, unique ids, 0/1 permissions).

Whether the models and groups named in the access files exist is checked by the
addon's own tests, against a database.
"""

import ast
import csv
import sys
from pathlib import Path

from lxml import etree

DATA_DIRS = ("data", "demo", "security", "views", "report", "wizards")
ACCESS_HEADER = [
    "id",
    "name",
    "model_id:id",
    "group_id:id",
    "perm_read",
    "perm_write",
    "perm_create",
    "perm_unlink",
]


def main(addon_dirs):
    errors = []
    for addon_dir in addon_dirs:
        addon = Path(addon_dir)
        errors += check_xml(addon) + check_manifest(addon) + check_access_files(addon)
    for error in errors:
        print(error)
    return 1 if errors else 0


def check_xml(addon):
    errors = []
    for path in sorted(addon.rglob("*.xml")):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            errors.append(f"{path}: XML does not parse: {exc}")
    return errors


def check_manifest(addon):
    errors = []
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    listed = manifest.get("data", []) + manifest.get("demo", [])
    for name in listed:
        if not (addon / name).is_file():
            errors.append(f"{addon}/__manifest__.py lists {name}, which does not exist")
    if len(set(listed)) != len(listed):
        errors.append(f"{addon}/__manifest__.py lists a file twice")
    for folder in DATA_DIRS:
        for path in sorted((addon / folder).glob("**/*")):
            if path.suffix not in (".xml", ".csv"):
                continue
            rel = path.relative_to(addon).as_posix()
            if rel not in listed:
                errors.append(f"{path} exists but the manifest does not load it")
    return errors


def check_access_files(addon):
    errors = []
    for path in sorted(addon.rglob("ir.model.access.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        if not rows or rows[0] != ACCESS_HEADER:
            errors.append(f"{path}: header must be {','.join(ACCESS_HEADER)}")
            continue
        seen = set()
        for lineno, row in enumerate(rows[1:], start=2):
            if len(row) != len(ACCESS_HEADER):
                errors.append(f"{path}:{lineno}: {len(row)} columns, expected 8")
                continue
            if row[0] in seen:
                errors.append(f"{path}:{lineno}: duplicate id {row[0]}")
            seen.add(row[0])
            if not row[2].startswith("model_"):
                errors.append(f"{path}:{lineno}: model_id:id must be a model_* xml id")
            if not row[3]:
                errors.append(
                    f"{path}:{lineno}: no group: every access line names the group "
                    "that needs it"
                )
            if any(value not in ("0", "1") for value in row[4:]):
                errors.append(f"{path}:{lineno}: permissions must be 0 or 1")
    return errors


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
