"""Check (or, with --write, refresh) an addon's translation files.

    check_i18n.py EXPORTED_POT I18N_DIR [--write]

EXPORTED_POT is what `odoo --i18n-export --modules=<addon>` wrote from a fresh
install. The committed <addon>.pot must hold the same entries (a stale .pot
means new strings nobody translated), and zh_CN.po must translate every msgid
of it. --write replaces the committed .pot and merges zh_CN.po (existing
translations kept, new msgids added untranslated, vanished ones dropped), unless
they are current already.
"""

import sys
from pathlib import Path

import polib

LANGS = ("zh_CN",)


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _signature(entry):
    return (
        _key(entry),
        tuple(sorted(entry.occurrences)),
        entry.comment or "",
        tuple(sorted(entry.flags)),
    )


def check(exported_path, i18n_dir):
    errors = problems(exported_path, i18n_dir)
    for error in errors:
        print(error)
    if errors:
        print(
            f"{len(errors)} i18n problem(s): `UPDATE_I18N=1 scripts/test` "
            "refreshes the files"
        )
    return 1 if errors else 0


def problems(exported_path, i18n_dir):
    i18n = Path(i18n_dir)
    addon = i18n.parent.name
    exported = polib.pofile(exported_path)
    errors = []
    committed_path = i18n / f"{addon}.pot"
    if not committed_path.exists():
        errors.append(f"{committed_path} is missing: regenerate it (see README)")
    else:
        committed = polib.pofile(str(committed_path))
        new = {_signature(e) for e in exported} - {_signature(e) for e in committed}
        gone = {_signature(e) for e in committed} - {_signature(e) for e in exported}
        for sig in sorted(new):
            errors.append(
                f"{committed_path} is stale: missing {sig[0][1]!r} ({sig[1]})"
            )
        for sig in sorted(gone):
            errors.append(
                f"{committed_path} is stale: no longer has {sig[0][1]!r} ({sig[1]})"
            )
    keys = {_key(e) for e in exported}
    for lang in LANGS:
        po_path = i18n / f"{lang}.po"
        if not po_path.exists():
            errors.append(f"{po_path} is missing")
            continue
        po = polib.pofile(str(po_path))
        translated = {
            _key(e): e
            for e in po
            if not e.obsolete and "fuzzy" not in e.flags and e.translated()
        }
        for key in sorted(keys - set(translated)):
            errors.append(f"{po_path}: no {lang} translation for {key[1]!r}")
        for key in sorted({_key(e) for e in po if not e.obsolete} - keys):
            errors.append(
                f"{po_path}: translates {key[1]!r}, which the addon no longer has"
            )
    return errors


def write(exported_path, i18n_dir):
    i18n = Path(i18n_dir)
    i18n.mkdir(exist_ok=True)
    addon = i18n.parent.name
    exported = polib.pofile(exported_path)
    exported.save(str(i18n / f"{addon}.pot"))
    for lang in LANGS:
        po_path = i18n / f"{lang}.po"
        old = polib.pofile(str(po_path)) if po_path.exists() else None
        po = polib.pofile(exported_path)
        po.metadata["Language"] = lang
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        previous = {_key(e): e for e in old or [] if not e.obsolete}
        for entry in po:
            if _key(entry) in previous:
                entry.msgstr = previous[_key(entry)].msgstr
        po.save(str(po_path))
        missing = [e.msgid for e in po if not e.msgstr]
        print(f"{po_path}: {len(po)} entries, {len(missing)} to translate")
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    # Files that are already current are left alone (only their dates would change).
    if "--write" in sys.argv and problems(*args):
        write(*args)
    sys.exit(check(*args))
