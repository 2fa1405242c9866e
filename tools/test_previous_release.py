"""Which release scripts/test upgrades from (previous_release in
scripts/lib-upgrade.sh), on throwaway git repositories.

    python3 tools/test_previous_release.py

The newest v* tag in HEAD's history that is not HEAD; the one before when HEAD
is tagged; without tags, the commit before the one that brought the core's
current version; PREVIOUS_RELEASE when set; an error, never a silent skip,
without history.
"""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

LIB = Path(__file__).resolve().parent.parent / "scripts" / "lib-upgrade.sh"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


class TestPreviousRelease(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.repo = Path(self.tmp.name) / "repo"
        self.repo.mkdir()
        self.git("init", "-q", "-b", "main")
        self.commits = {}

    def tearDown(self):
        self.tmp.cleanup()

    def git(self, *args):
        return subprocess.run(
            ["git", "-C", str(self.repo), *args],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, **GIT_ENV},
        ).stdout.strip()

    def commit(self, label, version, tag=None):
        core = self.repo / "customer_policy"
        core.mkdir(exist_ok=True)
        (core / "__manifest__.py").write_text(f'{{"version": "{version}"}}\n')
        (core / "change.txt").write_text(label)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", label)
        self.commits[label] = self.git("rev-parse", "HEAD")
        if tag:
            self.git("tag", "-a", tag, "-m", tag)

    def previous(self, **env):
        script = (
            f'. "{LIB}"; previous_release; rc=$?; '
            'echo "$PREV_REF|$PREV_COMMIT|$PREV_ERROR|$rc"'
        )
        out = subprocess.run(
            ["bash", "-c", script],
            check=False,
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "REPO_ROOT": str(self.repo),
                "ROOTS_CSV": "customer_policy",
                **env,
            },
        )
        ref, commit, error, rc = out.stdout.strip().split("|")
        return ref, commit, error, int(rc)

    def test_newest_tag_before_head(self):
        self.commit("a", "18.0.1.0.0", tag="v18.0.1.0.0")
        self.commit("b", "18.0.1.1.0", tag="v18.0.1.1.0")
        self.commit("c", "18.0.1.1.0")
        self.assertEqual(self.previous()[:2], ("v18.0.1.1.0", self.commits["b"]))

    def test_head_tagged_gives_the_one_before(self):
        self.commit("a", "18.0.1.0.0", tag="v18.0.1.0.0")
        self.commit("b", "18.0.1.9.0")
        self.commit("c", "18.0.1.10.0", tag="v18.0.1.10.0")
        # 1.10 sorts after 1.9 as a version, not as text
        self.git("tag", "-a", "v18.0.1.9.0", "-m", "x", self.commits["b"])
        self.assertEqual(self.previous()[:2], ("v18.0.1.9.0", self.commits["b"]))

    def test_tag_outside_head_history_ignored(self):
        self.commit("a", "18.0.1.0.0", tag="v18.0.1.0.0")
        self.git("checkout", "-q", "-b", "side")
        self.commit("side", "18.0.2.0.0", tag="v18.0.2.0.0")
        self.git("checkout", "-q", "main")
        self.commit("b", "18.0.1.1.0")
        self.assertEqual(self.previous()[:2], ("v18.0.1.0.0", self.commits["a"]))

    def test_without_tags_the_commit_before_the_version(self):
        self.commit("a", "18.0.1.0.0")
        self.commit("a2", "18.0.1.0.0")
        self.commit("b", "18.0.1.1.0")
        self.commit("c", "18.0.1.1.0")
        ref, commit, _error, rc = self.previous()
        self.assertEqual((commit, rc), (self.commits["a2"], 0))
        self.assertIn("18.0.1.0.0", ref)

    def test_chosen_release(self):
        self.commit("a", "18.0.1.0.0", tag="v18.0.1.0.0")
        self.commit("b", "18.0.1.1.0", tag="v18.0.1.1.0")
        self.commit("c", "18.0.1.2.0")
        self.assertEqual(
            self.previous(PREVIOUS_RELEASE="v18.0.1.0.0")[:2],
            ("v18.0.1.0.0", self.commits["a"]),
        )
        self.assertEqual(self.previous(PREVIOUS_RELEASE="nope")[3], 1)

    def test_no_previous_version_fails(self):
        self.commit("a", "18.0.1.0.0")
        self.commit("b", "18.0.1.0.0")
        ref, commit, error, rc = self.previous()
        self.assertEqual((ref, commit, rc), ("", "", 1))
        self.assertIn("no previous release", error)

    def test_no_git_history_fails(self):
        (self.repo / ".git").rename(self.repo / "not-git")
        ref, _commit, error, rc = self.previous(GIT_CEILING_DIRECTORIES=self.tmp.name)
        self.assertEqual((ref, rc), ("", 1))
        self.assertIn("not a git clone", error)


if __name__ == "__main__":
    sys.exit(not unittest.main(exit=False).result.wasSuccessful())
