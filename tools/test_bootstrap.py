"""The scripts' own logic, with neither network nor a real Odoo: which Odoo
scripts/run and scripts/test take (ODOO_BIN, `odoo` on PATH, or one bootstrapped
into .local/ from ODOO_GIT at ODOO_REF), which Python they find it runs on
whatever its launcher is (a Python script, a symlink, a shell wrapper), what they
install into that Python, and which system packages they ask for.

Odoo is a stand-in with Odoo's layout (odoo-bin, the odoo package, requirements.txt)
in a git repository made here; Python packages are wheels made here, installed by
pip with no index. Run by scripts/test among its static checks:

    python tools/test_bootstrap.py
"""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import odoo_env

REPO = Path(__file__).resolve().parent.parent
BASE_PYTHON = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
BASH = shutil.which("bash")
SUPPORTED_PYTHON = (3, 10) <= sys.version_info[:2] <= (3, 12)

FAKE_ODOO_BIN = '''\
{shebang}
"""A stand-in for Odoo's odoo-bin: `shell` runs the script read on stdin."""
import sys

import odoo

if __name__ == "__main__":
    if sys.argv[1:2] != ["shell"]:
        sys.exit("fake odoo-bin: only `shell` is known")
    exec(sys.stdin.read(), {{"__name__": "__main__", "odoo": odoo}})
'''
FAKE_ODOO_TOOLS = """\
import os

_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
config = {"addons_path": os.path.join(_root, "odoo", "addons") + ","
          + os.path.join(_root, "addons")}
"""
FAKE_REQUIREMENTS = """\
# like Odoo's: one pin per Python, chosen by markers
cpfake-odoo==1.0 ; python_version >= '3'
cpfake-never==1.0 ; python_version < '3'  # never on Python 3
cpfake-plain
"""
FAKE_PINS = """\
cpfake-odoo==2.0 ; python_version >= '3'  # replaces Odoo's 1.0
cpfake-build
"""
WHEELS = [
    ("cpfake-odoo", "1.0"),
    ("cpfake-odoo", "2.0"),
    ("cpfake-plain", "1.0"),
    ("cpfake-build", "1.0"),
    ("cpfake-testreq", "1.0"),
    ("cpfake-ext", "1.0"),
    ("cpfake-ext2", "1.0"),
]
FAKE_BIN = {
    # dpkg-query -W -f='${Status}' PACKAGE: installed unless in FAKE_MISSING_PACKAGES
    "dpkg-query": """\
#!/bin/sh
for package; do :; done
case " $FAKE_MISSING_PACKAGES " in
*" $package "*) echo "dpkg-query: no packages found matching $package" >&2; exit 1 ;;
esac
printf 'install ok installed'
""",
    "apt-get": '#!/bin/sh\necho "apt-get $*" >>"$FAKE_APT_LOG"\n',
    "id": '#!/bin/sh\n[ "$*" = -u ] && echo "$FAKE_UID" && exit 0\nexec {id} "$@"\n',
    "fc-list": '#!/bin/sh\nprintf "%s" "$FAKE_FC_LIST"\n',
    "cc": "#!/bin/sh\nexit 0\n",
}


def make_wheel(directory, name, version):
    """A minimal pure-Python wheel of `name`, with a module saying its version."""
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}/__init__.py": f'VERSION = "{version}"\n',
        f"{info}/METADATA": "Metadata-Version: 2.1\n"
        f"Name: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test_bootstrap\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, content in files.items():
        digest = hashlib.sha256(content.encode()).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{path},sha256={encoded},{len(content.encode())}")
    files[f"{info}/RECORD"] = "\n".join(record + [f"{info}/RECORD,,"]) + "\n"
    with zipfile.ZipFile(directory / f"{dist}-{version}-py3-none-any.whl", "w") as whl:
        for path, content in files.items():
            whl.writestr(path, content)


def write_fake_odoo(root, major=18, shebang="#!/usr/bin/env python3"):
    """Odoo's layout in `root`: odoo-bin, the odoo package, requirements.txt."""
    (root / "odoo" / "tools").mkdir(parents=True)
    (root / "odoo" / "__init__.py").write_text("from . import release, tools\n")
    (root / "odoo" / "release.py").write_text(
        f"version_info = ({major}, 0, 0, 'final', 0, '')\n"
    )
    (root / "odoo" / "tools" / "__init__.py").write_text(FAKE_ODOO_TOOLS)
    (root / "requirements.txt").write_text(FAKE_REQUIREMENTS)
    odoo_bin = root / "odoo-bin"
    odoo_bin.write_text(FAKE_ODOO_BIN.format(shebang=shebang))
    odoo_bin.chmod(0o755)
    return odoo_bin


def write_executable(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    path.chmod(0o755)
    return path


def write_repo(root):
    """A repository with this one's scripts, one addon and test requirements of
    its own (wheels made here)."""
    (root / "scripts").mkdir(parents=True)
    for name in ("lib.sh", "lib-odoo.sh"):
        shutil.copy2(REPO / "scripts" / name, root / "scripts" / name)
    (root / "tools").mkdir()
    shutil.copy2(REPO / "tools" / "odoo_env.py", root / "tools" / "odoo_env.py")
    (root / "tools" / "requirements-test.txt").write_text("cpfake-testreq\n")
    (root / "tools" / "requirements-odoo.txt").write_text(FAKE_PINS)
    write_manifest(root / "cpfake_addon", ["cpfake-ext"])
    write_manifest(root / "cpfake_old", [], installable=False)
    (root / "not_an_addon").mkdir()
    return root


def write_manifest(addon, python_deps, installable=True, **manifest):
    addon.mkdir(exist_ok=True)
    (addon / "__manifest__.py").write_text(
        repr(
            {
                "name": addon.name,
                "installable": installable,
                "external_dependencies": {"python": python_deps},
                **manifest,
            }
        )
    )


def make_venv(path, with_pip=False):
    args = [BASE_PYTHON, "-m", "venv", str(path)]
    if not with_pip:
        args.append("--without-pip")
    subprocess.run(args, check=True, capture_output=True)
    return path / "bin" / "python"


def installed_version(python, name):
    result = subprocess.run(
        [
            str(python),
            "-c",
            f"import importlib.metadata as m; print(m.version('{name}'))",
        ],
        check=False,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    return result.stdout.strip() if result.returncode == 0 else None


class ScriptCase(unittest.TestCase):
    """A temporary folder with a PATH of stand-ins, no `odoo` on it, offline pip."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="test_bootstrap_"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.fakebin = cls.tmp / "fakebin"
        cls.fakebin.mkdir()
        (cls.fakebin / "python3").symlink_to(BASE_PYTHON)
        (cls.fakebin / "git").symlink_to(shutil.which("git"))
        for name, content in FAKE_BIN.items():
            write_executable(
                cls.fakebin / name, content.replace("{id}", shutil.which("id"))
            )
        cls.wheels = cls.tmp / "wheels"
        cls.wheels.mkdir()
        for name, version in WHEELS:
            make_wheel(cls.wheels, name, version)

    @classmethod
    def env(cls, path=(), **extra):
        env = {
            "PATH": ":".join([*map(str, path), str(cls.fakebin), "/usr/bin", "/bin"]),
            "HOME": str(cls.tmp / "home"),
            "LC_ALL": "C.UTF-8",
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(cls.wheels),
            "PIP_CONFIG_FILE": os.devnull,
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "FAKE_UID": "1000",
            "FAKE_FC_LIST": "Noto Sans CJK SC",
            "FAKE_MISSING_PACKAGES": "",
            "FAKE_APT_LOG": str(cls.tmp / "apt.log"),
        }
        env.update({key: str(value) for key, value in extra.items()})
        return env

    @staticmethod
    def run_lib(repo, snippet, env):
        """Run `snippet` after sourcing the repository's scripts/lib.sh."""
        script = f'set -uo pipefail\n. "{repo}/scripts/lib.sh"\n{snippet}\n'
        return subprocess.run(
            [BASH, "-c", script],
            check=False,
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    @classmethod
    def find_odoo(cls, repo, env):
        result = cls.run_lib(
            repo, 'find_odoo\necho "ODOO=$ODOO"\necho "PYTHON=$ODOO_PYTHON"', env
        )
        values = dict(
            line.split("=", 1) for line in result.stdout.splitlines() if "=" in line
        )
        return result, values.get("ODOO"), values.get("PYTHON")


class TestFindOdoo(ScriptCase):
    """The launcher is asked for its Python, whatever kind of file it is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.repo = write_repo(cls.tmp / "repo")
        cls.py_a = make_venv(cls.tmp / "py_a")
        cls.py_b = make_venv(cls.tmp / "py_b")
        # Odoo whose odoo-bin says `#!/usr/bin/env python3`: reading the shebang
        # would take python3 of PATH, which is neither py_a nor py_b.
        cls.src = cls.tmp / "odoo18"
        write_fake_odoo(cls.src)
        cls.src_b = cls.tmp / "odoo18_b"
        write_fake_odoo(cls.src_b, shebang=f"#!{cls.py_b}")
        cls.src17 = cls.tmp / "odoo17"
        write_fake_odoo(cls.src17, major=17)

    def test_python_script_launcher(self):
        # An `odoo` script as pip installs it: a shebang naming its Python.
        launcher = write_executable(
            self.tmp / "script_bin" / "odoo",
            f"#!{self.py_a}\nimport runpy, sys\nsys.path.insert(0, {str(self.src)!r})\n"
            f"runpy.run_path({str(self.src / 'odoo-bin')!r}, run_name='__main__')\n",
        )
        result, odoo, python = self.find_odoo(self.repo, self.env([launcher.parent]))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(odoo, str(launcher))
        self.assertEqual(python, str(self.py_a))

    def test_symlink_launcher(self):
        link_dir = self.tmp / "link_bin"
        link_dir.mkdir()
        (link_dir / "odoo").symlink_to(self.src_b / "odoo-bin")
        result, odoo, python = self.find_odoo(self.repo, self.env([link_dir]))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(odoo, str(link_dir / "odoo"))
        self.assertEqual(python, str(self.py_b))

    def test_shell_wrapper_launcher(self):
        # Like this machine's odoo: `#!/bin/sh` exec'ing another Python's odoo-bin.
        wrapper = write_executable(
            self.tmp / "sh_bin" / "odoo",
            f'#!/bin/sh\nexec "{self.py_a}" "{self.src / "odoo-bin"}" "$@"\n',
        )
        result, odoo, python = self.find_odoo(self.repo, self.env([wrapper.parent]))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(odoo, str(wrapper))
        self.assertEqual(python, str(self.py_a))
        self.assertNotEqual(python, BASE_PYTHON)
        self.assertFalse((self.repo / ".local").exists(), "nothing bootstrapped")

    def test_odoo_bin_preferred_to_path(self):
        on_path = write_executable(
            self.tmp / "path_bin" / "odoo",
            f'#!/bin/sh\nexec "{self.py_a}" "{self.src / "odoo-bin"}" "$@"\n',
        )
        chosen = write_executable(
            self.tmp / "chosen" / "odoo-wrapper",
            f'#!/bin/sh\nexec "{self.py_b}" "{self.src / "odoo-bin"}" "$@"\n',
        )
        relative = os.path.relpath(chosen, self.repo)
        result, odoo, python = self.find_odoo(
            self.repo, self.env([on_path.parent], ODOO_BIN=relative)
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(odoo, str(chosen))
        self.assertEqual(python, str(self.py_b))
        self.assertFalse((self.repo / ".local").exists(), "nothing bootstrapped")

    def test_odoo_bin_of_another_series_is_refused(self):
        result, odoo, _python = self.find_odoo(
            self.repo, self.env(ODOO_BIN=self.src17 / "odoo-bin")
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("Odoo 17.0", result.stderr)
        self.assertIn("needs Odoo 18.0", result.stderr)
        self.assertIsNone(odoo)

    def test_odoo_bin_that_is_not_odoo_is_refused(self):
        not_odoo = write_executable(self.tmp / "not_odoo", "#!/bin/sh\necho hello\n")
        result, odoo, _python = self.find_odoo(self.repo, self.env(ODOO_BIN=not_odoo))
        self.assertEqual(result.returncode, 2)
        self.assertIn("did not say which Python and Odoo it runs", result.stderr)
        self.assertIsNone(odoo)

    def test_default_addons_path_asked_from_odoo(self):
        result = self.run_lib(
            self.repo,
            "find_odoo\nodoo_addons_path",
            self.env(ODOO_BIN=self.src / "odoo-bin"),
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip().splitlines()[-1],
            f"{self.repo},{self.src}/odoo/addons,{self.src}/addons",
        )

    def test_addons_of_the_repository(self):
        write_manifest(self.repo / "cpfake_second", [])
        self.addCleanup(shutil.rmtree, self.repo / "cpfake_second")
        result = self.run_lib(
            self.repo,
            'find_addons\necho "${ADDONS[*]}|$ADDONS_CSV|$ADDONS_TAGS"',
            self.env(),
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(),
            "cpfake_addon cpfake_second|cpfake_addon,cpfake_second"
            "|/cpfake_addon,/cpfake_second",
        )


class TestSystemPackages(ScriptCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.repo = write_repo(cls.tmp / "repo")

    def setUp(self):
        (self.tmp / "apt.log").unlink(missing_ok=True)

    def install(self, uid, groups="core browser"):
        env = self.env(
            FAKE_UID=uid,
            FAKE_MISSING_PACKAGES="libldap2-dev fonts-noto-cjk zlib1g-dev",
            FAKE_FC_LIST="",  # no CJK font
            PGHOST="/nowhere",  # a server is named: no PostgreSQL package needed
        )
        return self.run_lib(self.repo, f"install_system_packages {groups}", env)

    def apt_calls(self):
        log = self.tmp / "apt.log"
        return log.read_text().splitlines() if log.exists() else []

    def test_root_installs_what_is_missing(self):
        result = self.install(0)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            self.apt_calls(),
            [
                "apt-get update -qq",
                "apt-get install -y -qq libldap2-dev zlib1g-dev fonts-noto-cjk",
            ],
        )

    def test_user_gets_the_command_in_one_line(self):
        result = self.install(1000)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(self.apt_calls(), [])
        self.assertEqual(
            result.stderr.strip(),
            "Missing system packages: install them with: "
            "sudo apt-get install -y libldap2-dev zlib1g-dev fonts-noto-cjk",
        )

    def test_nothing_missing_nothing_installed(self):
        result = self.run_lib(
            self.repo, "install_system_packages core browser", self.env(FAKE_UID=0)
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.apt_calls(), [])

    def test_bootstrap_as_user_stops_before_cloning(self):
        env = self.env(
            FAKE_MISSING_PACKAGES="libpq-dev",
            ODOO_GIT=self.tmp / "no-such-repository",
        )
        result = self.run_lib(self.repo, "find_odoo", env)
        self.assertEqual(result.returncode, 2)
        self.assertIn("sudo apt-get install -y libpq-dev", result.stderr)
        self.assertFalse((self.repo / ".local" / "odoo").exists())


@unittest.skipUnless(SUPPORTED_PYTHON, "Odoo 18.0 is bootstrapped on Python 3.10-3.12")
class TestBootstrap(ScriptCase):
    """No Odoo on PATH: one is bootstrapped into .local/, then reused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's repository, branch 18.0, two commits (a shallow clone has one).
        cls.origin = cls.tmp / "odoo-origin"
        write_fake_odoo(cls.origin)
        git_env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(cls.tmp / "home"),
        }

        def git(*args):
            return subprocess.run(
                ["git", "-C", str(cls.origin), *args],
                check=True,
                capture_output=True,
                text=True,
                env=git_env,
            ).stdout.strip()

        git("init", "-q", "-b", "18.0")
        git("add", "-A")
        git("commit", "-q", "-m", "first")
        cls.first_commit = git("rev-parse", "HEAD")
        (cls.origin / "README.md").write_text("second\n")
        git("add", "-A")
        git("commit", "-q", "-m", "second")
        cls.second_commit = git("rev-parse", "HEAD")
        cls.odoo_git = f"file://{cls.origin}"
        cls.repo = write_repo(cls.tmp / "repo")
        cls.local = cls.repo / ".local"
        cls.first = cls.find_odoo(
            cls.repo, cls.env(ODOO_GIT=cls.odoo_git, ODOO_REF="18.0")
        )

    def test_first_run_bootstraps(self):
        result, odoo, python = self.first
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Bootstrapping Odoo 18.0 into .local/", result.stdout)
        self.assertIn(f"shallow clone of {self.odoo_git} at 18.0", result.stdout)
        self.assertEqual(odoo, str(self.local / "bin" / "odoo"))
        self.assertEqual(python, str(self.local / "venv" / "bin" / "python"))
        self.assertEqual(
            (self.local / "odoo.source").read_text().split(),
            [self.odoo_git, "18.0", self.second_commit],
        )
        history = subprocess.run(
            ["git", "-C", str(self.local / "odoo"), "rev-list", "--count", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        )
        self.assertEqual(history.stdout.strip(), "1", "a shallow clone")

    def test_first_run_installs_odoo_requirements_with_pins(self):
        python = self.local / "venv" / "bin" / "python"
        self.assertEqual(installed_version(python, "cpfake-odoo"), "2.0")
        self.assertEqual(installed_version(python, "cpfake-plain"), "1.0")
        self.assertEqual(installed_version(python, "cpfake-build"), "1.0")
        self.assertIsNone(installed_version(python, "cpfake-never"))
        # the test requirements and the addons' external dependencies too
        self.assertEqual(installed_version(python, "cpfake-testreq"), "1.0")
        self.assertEqual(installed_version(python, "cpfake-ext"), "1.0")

    def test_second_run_reuses(self):
        log = self.local / "bootstrap.log"
        stamp = self.local / "venv" / ".requirements.sha256"
        before = (log.stat().st_mtime_ns, stamp.stat().st_mtime_ns)
        # ODOO_GIT/ODOO_REF need not be given again
        result, odoo, python = self.find_odoo(self.repo, self.env())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("Bootstrapping", result.stdout)
        self.assertIn("the one bootstrapped in .local/", result.stdout)
        self.assertEqual(odoo, str(self.local / "bin" / "odoo"))
        self.assertEqual(python, str(self.local / "venv" / "bin" / "python"))
        self.assertEqual((log.stat().st_mtime_ns, stamp.stat().st_mtime_ns), before)

    def test_odoo_on_path_is_preferred_and_left_alone(self):
        py = make_venv(self.tmp / "py_path")
        wrapper = write_executable(
            self.tmp / "path_bin" / "odoo",
            f'#!/bin/sh\nexec "{py}" "{self.origin / "odoo-bin"}" "$@"\n',
        )
        source = (self.local / "odoo.source").read_text()
        result, odoo, python = self.find_odoo(self.repo, self.env([wrapper.parent]))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((odoo, python), (str(wrapper), str(py)))
        self.assertEqual(result.stdout.splitlines()[0], f"ODOO={wrapper}")
        self.assertEqual((self.local / "odoo.source").read_text(), source)

    def test_requirements_into_the_bootstrapped_python(self):
        # Nothing is missing after the bootstrap; a new external dependency of an
        # addon goes into .local/venv.
        snippet = "find_odoo >/dev/null\nensure_odoo_python_requirements test"
        result = self.run_lib(self.repo, snippet, self.env())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "")
        write_manifest(self.repo / "cpfake_new", ["cpfake-ext2>=1.0"])
        self.addCleanup(shutil.rmtree, self.repo / "cpfake_new")
        result = self.run_lib(self.repo, snippet, self.env())
        self.assertEqual(result.returncode, 0, result.stderr)
        python = self.local / "venv" / "bin" / "python"
        self.assertIn(
            f"Installing into Odoo's Python ({python}): cpfake-ext2", result.stdout
        )
        self.assertEqual(installed_version(python, "cpfake-ext2"), "1.0")

    def test_z_another_ref_is_fetched(self):
        # (runs last: it changes .local/odoo) A commit, from a local folder named
        # by a relative path.
        result, _odoo, _python = self.find_odoo(
            self.repo,
            self.env(
                ODOO_GIT=os.path.relpath(self.origin, self.repo),
                ODOO_REF=self.first_commit,
            ),
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{self.origin} at {self.first_commit}", result.stdout)
        self.assertIn("Python packages: kept", result.stdout)
        self.assertEqual(
            (self.local / "odoo.source").read_text().split(),
            [str(self.origin), self.first_commit, self.first_commit],
        )
        head = subprocess.run(
            ["git", "-C", str(self.local / "odoo"), "rev-parse", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        )
        self.assertEqual(head.stdout.strip(), self.first_commit)


@unittest.skipUnless(SUPPORTED_PYTHON, "needs a Python that Odoo 18.0 runs on")
class TestRequirementsIntoWrappedPython(ScriptCase):
    """`odoo` a shell wrapper around another Python: the packages go there."""

    def test_installs_into_the_python_odoo_runs_on(self):
        repo = write_repo(self.tmp / "repo")
        src = self.tmp / "odoo18"
        write_fake_odoo(src)
        python = make_venv(self.tmp / "other_venv", with_pip=True)
        wrapper = write_executable(
            self.tmp / "sh_bin" / "odoo",
            f'#!/bin/sh\nexec "{python}" "{src / "odoo-bin"}" "$@"\n',
        )
        result = self.run_lib(
            repo,
            "find_odoo\nensure_odoo_python_requirements test",
            self.env([wrapper.parent]),
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(
            f"Installing into Odoo's Python ({python}): cpfake-ext cpfake-testreq",
            result.stdout,
        )
        self.assertEqual(installed_version(python, "cpfake-ext"), "1.0")
        self.assertEqual(installed_version(python, "cpfake-testreq"), "1.0")
        self.assertIsNone(installed_version(BASE_PYTHON, "cpfake-ext"))
        self.assertFalse((repo / ".local").exists(), "nothing bootstrapped")


class TestOdooEnv(unittest.TestCase):
    """tools/odoo_env.py: Odoo's requirements with pins, missing requirements."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def write(self, name, text):
        path = self.tmp / name
        path.write_text(textwrap.dedent(text))
        return path

    def test_pins_replace_odoo_lines_for_this_python(self):
        odoo = self.write(
            "odoo.txt",
            """\
            # comment
            cbor2==5.4.2 ; python_version < '4'  # the one this Python takes
            cbor2==9.9 ; python_version >= '4'
            XlsxWriter==3.0.2
            pytz  # unpinned
            """,
        )
        pins = self.write(
            "pins.txt",
            """\
            cbor2==5.4.6 ; python_version < '4'
            xlsxwriter==3.1.9 ; python_version < '3'  # not for this Python
            setuptools<70
            """,
        )
        build, main = odoo_env.odoo_requirements(odoo, pins)
        self.assertEqual(build, ["setuptools<70"])
        self.assertEqual(
            main, ['cbor2==5.4.6; python_version < "4"', "XlsxWriter==3.0.2", "pytz"]
        )

    def test_missing_is_odoo_s_own_check(self):
        addon = self.tmp / "repo" / "some_addon"
        addon.mkdir(parents=True)
        (addon / "__manifest__.py").write_text(
            repr({"external_dependencies": {"python": ["pip", "no-such-package-x"]}})
        )
        reqs = self.write(
            "reqs.txt",
            """\
            pip>=1
            pip<1
            no-such-package-y ; python_version < '3'
            json
            """,
        )
        self.assertEqual(
            odoo_env.missing(self.tmp / "repo", [reqs]), ["no-such-package-x", "pip<1"]
        )

    def test_addons_are_folders_with_an_installable_manifest(self):
        write_manifest(self.tmp / "b_addon", ["x"])
        write_manifest(self.tmp / "a_addon", ["y", "x"])
        write_manifest(self.tmp / "old_addon", ["z"], installable=False)
        (self.tmp / "folder").mkdir()
        self.assertEqual(
            [path.name for path in odoo_env.addons(self.tmp)], ["a_addon", "b_addon"]
        )
        self.assertEqual(odoo_env.external(self.tmp), ["y", "x"])

    def test_core_bridges_and_the_apps_they_bring(self):
        """The core installs alone; the bridges bring the apps they glue to it."""
        write_manifest(self.tmp / "core", [], depends=["mail"])
        write_manifest(self.tmp / "core_feature", [], depends=["core"])
        write_manifest(
            self.tmp / "core_account",
            [],
            depends=["core", "account"],
            auto_install=True,
        )
        write_manifest(
            self.tmp / "core_feature_hr",
            [],
            depends=["core_feature", "hr", "account"],
            auto_install=True,
        )
        self.assertEqual([path.name for path in odoo_env.roots(self.tmp)], ["core"])
        self.assertEqual(
            [path.name for path in odoo_env.bridges(self.tmp)],
            ["core_account", "core_feature_hr"],
        )
        self.assertEqual(odoo_env.bridge_apps(self.tmp), ["account", "hr"])


if __name__ == "__main__":
    unittest.main()
