"""Real git repositories for the value tests, built with the git command line.

Every author, e-mail and date is explicit, and git runs without the user's or the system's
configuration, so every figure in an assertion can be worked out by hand from the fixture.
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from pathlib import Path


class GitRepo:
    def __init__(self, path: Path, home: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
            "LC_ALL": "C",
            "TZ": "UTC",
        }
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict | None = None, check: bool = True) -> str:
        result = subprocess.run(
            ["git", *args], cwd=self.path, env={**self.env, **(env or {})},
            capture_output=True, text=True, check=False,
        )
        if check and result.returncode:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def _who(self, author, date, committer=None) -> dict:
        name, email = author
        cname, cemail = committer or author
        return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
                "GIT_COMMITTER_NAME": cname, "GIT_COMMITTER_EMAIL": cemail, "GIT_COMMITTER_DATE": date}

    def write(self, files: dict) -> None:
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                self.git("rm", "-q", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content)
            self.git("add", rel)

    def commit(self, message: str, author, date: str, files: dict | None = None, committer=None) -> str:
        if files:
            self.write(files)
        self.git("commit", "-q", "--allow-empty", "-m", message, env=self._who(author, date, committer))
        return self.head()

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    def merge(self, branch: str, message: str, author, date: str) -> str:
        self.git("merge", "-q", "--no-ff", "-m", message, branch, env=self._who(author, date))
        return self.head()

    def tag(self, name: str, author, date: str) -> None:
        self.git("tag", "-a", name, "-m", name, env=self._who(author, date))

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def numstat(self, *pathspec: str) -> dict[str, list[int]]:
        """Per mailmap-resolved e-mail (lower-cased): [commits, added, removed] from git itself."""
        out = self.git("log", "--no-merges", "--numstat", "-M100%", "--format=@%aE", *(["--", *pathspec] if pathspec else []))
        figures: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        email = None
        for line in out.splitlines():
            if line.startswith("@"):
                email = line[1:].lower()
                figures[email][0] += 1
            elif line.strip():
                plus, minus, _ = line.split("\t", 2)
                figures[email][1] += 0 if plus == "-" else int(plus)
                figures[email][2] += 0 if minus == "-" else int(minus)
        return dict(figures)


def assert_counting_contract(report: dict, git_figures: dict[str, list[int]]) -> None:
    """Every contributor's (and bot's) figures equal git's, summed over their addresses."""
    seen = set()
    for person in report["contributors"] + report["bots"]:
        mine = [0, 0, 0]
        for email in person["emails"]:
            if email in git_figures:
                seen.add(email)
                for i in range(3):
                    mine[i] += git_figures[email][i]
        assert [person["commits"], person["lines_added"], person["lines_removed"]] == mine, person["id"]
    assert seen == set(git_figures), set(git_figures) - seen
