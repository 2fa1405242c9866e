"""Check that each addon's README.rst is what oca-gen-addon-readme makes of its
readme/ fragments and manifest, so that a README edited by hand or left behind
its fragments fails; --write regenerates it in place.

    check_readme.py [--write] ADDON_DIR...

The generator runs on a copy of the addon in a temporary folder, never on the
addon itself (unless --write). The organisation and repository in the README's
links come from the manifest's website (https://github.com/<org>/<repo>), the
branch from its version (18.0.1.0.0: 18.0). static/description/index.html is
compared too when the committed one was made by the generator; a hand-made one
is the generator's to leave alone, and so it is here.
"""

import ast
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

README = "README.rst"
INDEX = "static/description/index.html"
GENERATOR = "oca-gen-addon-readme"


def generator():
    beside = Path(sys.executable).parent / GENERATOR
    return str(beside) if beside.exists() else shutil.which(GENERATOR)


def generator_args(addon, manifest):
    match = re.match(
        r"https?://github\.com/([^/]+)/([^/#?]+)", manifest.get("website", "")
    )
    if not match:
        raise ValueError(
            f"{addon}/__manifest__.py: website must be https://github.com/<org>/<repo>"
            ", the links of the generated README.rst point there"
        )
    branch = ".".join(manifest.get("version", "").split(".")[:2])
    return [
        f"--org-name={match.group(1)}",
        f"--repo-name={match.group(2).removesuffix('.git')}",
        f"--branch={branch}",
    ]


def made_by_generator(path):
    return path.is_file() and GENERATOR.encode() in path.read_bytes()


def compared_files(addon):
    files = [README]
    if made_by_generator(addon / INDEX):
        files.append(INDEX)
    return files


def generate(exe, addon, manifest, tmp):
    """Generate into a copy of what the generator reads and writes; return the
    copy's folder."""
    copy = Path(tmp) / addon.name
    copy.mkdir()
    shutil.copy2(addon / "__manifest__.py", copy)
    shutil.copytree(addon / "readme", copy / "readme")
    for name in (README, INDEX):
        if (addon / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(addon / name, copy / name)
    subprocess.run(
        [exe, f"--addon-dir={copy}", *generator_args(addon, manifest)],
        cwd=tmp,
        check=True,
        capture_output=True,
        text=True,
    )
    return copy


def check_addon(exe, addon, write):
    fragments = addon / "readme"
    if not any((fragments / f"DESCRIPTION.{ext}").is_file() for ext in ("md", "rst")):
        return [
            f"{fragments}/DESCRIPTION.md is missing: README.rst is generated from it"
        ]
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text("utf-8"))
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            copy = generate(exe, addon, manifest, tmp)
        except (ValueError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or ""
            return [f"{addon}: {GENERATOR} failed: {exc}\n{detail}".rstrip()]
        for name in compared_files(addon):
            committed, generated = addon / name, copy / name
            old = committed.read_text("utf-8") if committed.is_file() else ""
            new = generated.read_text("utf-8")
            if old == new:
                continue
            if write:
                committed.parent.mkdir(parents=True, exist_ok=True)
                committed.write_text(new, "utf-8")
                print(f"{committed}: regenerated")
                continue
            diff = list(
                difflib.unified_diff(
                    old.splitlines(),
                    new.splitlines(),
                    f"{committed} (committed)",
                    f"{committed} (generated)",
                    lineterm="",
                )
            )
            errors.append(
                f"{committed} is not what {GENERATOR} makes of {fragments}/ and the "
                "manifest:\n"
                + "\n".join(diff[:40])
                + ("\n[...]" if len(diff) > 40 else "")
            )
    return errors


def main(argv):
    write = "--write" in argv
    addons = [Path(arg) for arg in argv if arg != "--write"]
    exe = generator()
    if not exe:
        print(f"{GENERATOR} is not installed (tools/requirements-lint.txt)")
        return 1
    errors = []
    for addon in addons:
        errors += check_addon(exe, addon, write)
    for error in errors:
        print(error)
    if errors:
        print(
            f"{len(errors)} README problem(s): `{Path(sys.executable).parent}/python "
            f"tools/check_readme.py --write <addon>` regenerates them"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
