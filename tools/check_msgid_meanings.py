"""List the source strings that screens of different models share, for review.

    check_msgid_meanings.py ADDON_DIR [ADDON_DIR...] [--all]

One English word can carry two meanings that Chinese tells apart: a complaint is
"Received" when the company takes the call (受理时间), an installment when the
money arrives (已回款). Odoo translates a source string (msgid) once per addon,
so both screens then show the same Chinese word, and one of them is wrong.

For each addon, this reads ``i18n/<addon>.pot`` and finds every msgid used by
the fields, selection values or views of more than one model. Each one is a
possible clash: either the meanings differ (give each its own English string,
e.g. "Received On" for the complaint), or they are the same and the msgid is
listed, once reviewed, in ``i18n/msgid_meanings.txt`` of the addon (one msgid a
line; ``#`` starts a comment). The check fails on every shared msgid not
reviewed, and on reviewed msgids no longer shared (the list stays honest).
``--all`` prints the reviewed ones too, with their translations.
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

import polib
from lxml import etree

REVIEWED_FILE = "msgid_meanings.txt"
LANG = "zh_CN"

# model:ir.model.fields,field_description:addon.field_<model>__<field>
FIELD = re.compile(
    r"^model:ir\.model\.fields,field_description:[\w]+\.field_(\w+?)__(\w+)$"
)
# model:ir.model.fields.selection,name:addon.selection__<model>__<field>__<value>
SELECTION = re.compile(
    r"^model:ir\.model\.fields\.selection,name:[\w]+\.selection__(\w+?)__(\w+?)__(\w+)$"
)
# model_terms:ir.ui.view,arch_db:addon.<view xmlid>
VIEW = re.compile(r"^model_terms:ir\.ui\.view,arch_db:([\w]+)\.(\w+)$")


def view_models(addon):
    """``{view xmlid: model key}`` of the views the addon's XML files define, the
    model key written as Odoo writes it in field xmlids (dots as underscores)."""
    models = {}
    for path in addon.rglob("*.xml"):
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError:
            continue
        for record in tree.iter("record"):
            if record.get("model") != "ir.ui.view" or not record.get("id"):
                continue
            model = record.find("field[@name='model']")
            if model is not None and model.text:
                xmlid = record.get("id").split(".")[-1]
                models[xmlid] = model.text.strip().replace(".", "_")
    return models


def usages(entry, views):
    """``[(model key, meaning key, what)]``: where the msgid labels something.

    The meaning key tells the uses apart: the field's name (the same field on
    several models, e.g. ``partner_id`` or a field res.users and
    res.config.settings repeat from res.partner and res.company, means the same
    thing), the field and value of a selection, and for a view the model itself,
    unless a field of that model carries the same label.
    """
    found = []
    for occurrence, _line in entry.occurrences:
        if match := FIELD.match(occurrence):
            found.append((match[1], match[2], f"field {match[2]}"))
        elif match := SELECTION.match(occurrence):
            found.append(
                (match[1], f"{match[2]}={match[3]}", f"value {match[3]} of {match[2]}")
            )
        elif (match := VIEW.match(occurrence)) and match[2] in views:
            found.append((views[match[2]], None, f"view {match[2]}"))
    labelled = {model for model, key, _what in found if key}
    return [
        (model, key or f"view of {model}", what)
        for model, key, what in found
        if key or model not in labelled
    ] + [
        (model, None, what)
        for model, key, what in found
        if not key and model in labelled
    ]


def shared_msgids(addon):
    """``{msgid: [(model key, meaning key, what)]}`` of the msgids that label
    things of different meanings (see ``usages``)."""
    pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
    views = view_models(addon)
    shared = {}
    for entry in pot:
        found = usages(entry, views)
        if len({key for _model, key, _what in found if key}) > 1:
            shared[entry.msgid] = found
    return shared


def reviewed_msgids(addon):
    path = addon / "i18n" / REVIEWED_FILE
    if not path.exists():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {
        line.rstrip("\n") for line in lines if line.strip() and not line.startswith("#")
    }


def translations(addon):
    path = addon / "i18n" / f"{LANG}.po"
    if not path.exists():
        return {}
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))}


def describe(msgid, found, translated):
    by_model = defaultdict(list)
    for model, _key, what in found:
        by_model[model].append(what)
    places = "; ".join(
        f"{model}: {', '.join(sorted(set(whats)))}"
        for model, whats in sorted(by_model.items())
    )
    return f"{msgid!r} ({LANG} {translated.get(msgid, '')!r}) on {places}"


def check(addon_dir, show_all=False):
    addon = Path(addon_dir).resolve()
    if not (addon / "i18n" / f"{addon.name}.pot").exists():
        # Nothing translated yet: the i18n check of scripts/test reports it.
        return []
    shared = shared_msgids(addon)
    reviewed = reviewed_msgids(addon)
    translated = translations(addon)
    errors = []
    for msgid in sorted(set(shared) - reviewed):
        errors.append(
            f"{addon.name}: {describe(msgid, shared[msgid], translated)}: "
            "one meaning? list it in "
            f"{addon.name}/i18n/{REVIEWED_FILE}; two? give each its own English "
            "string"
        )
    for msgid in sorted(reviewed - set(shared)):
        errors.append(
            f"{addon.name}/i18n/{REVIEWED_FILE}: {msgid!r} is no longer shared "
            "between models: remove it"
        )
    if show_all:
        for msgid in sorted(set(shared) & reviewed):
            print(f"reviewed: {describe(msgid, shared[msgid], translated)}")
    for error in errors:
        print(error)
    return errors


def main(argv):
    show_all = "--all" in argv
    addons = [arg for arg in argv if not arg.startswith("--")]
    if not addons:
        print(__doc__)
        return 2
    errors = []
    for addon in addons:
        errors += check(addon, show_all)
    if errors:
        print(f"{len(errors)} msgid(s) to review (see tools/check_msgid_meanings.py)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
