"""Real git repositories for the tests, built with the git command line: the one git helper.

Every author, e-mail and date is explicit, and git runs without the user's or the system's
configuration, so every figure in an assertion can be worked out by hand from the fixture.

    git(cwd, *args)               run git, get its output (a failure fails the test with git's message)
    identity(author, date)        the environment that makes `author` commit at `date`
    commit_all(root, message)     commit the whole work tree (creating the repository if needed)
    GitRepo(path, home)           a repository with file writes, commits, merges, tags and numstat

A commit that names no one is Ana Lopez's, on 2024-05-01 at noon (+02:00).
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from pathlib import Path

ANA = ("Ana Lopez", "ana@example.org")
WHEN = "2024-05-01T12:00:00+02:00"


def git_env(home: Path | str) -> dict:
    """git's environment: PATH, `home` as HOME, and no system, global or user configuration."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
        "TZ": "UTC",
    }


def identity(author: tuple[str, str] = ANA, date: str = WHEN, committer: tuple[str, str] | None = None) -> dict:
    """Who writes and who commits (the author unless named), both at `date`."""
    name, email = author
    cname, cemail = committer or author
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": cname, "GIT_COMMITTER_EMAIL": cemail, "GIT_COMMITTER_DATE": date}


def git(cwd: Path | str, *args: str, env: dict | None = None, home: Path | str | None = None, check: bool = True) -> str:
    """Run git in `cwd` (as Ana at WHEN unless `env` says otherwise); its standard output."""
    full = {**git_env(cwd if home is None else home), **identity(), **(env or {})}
    result = subprocess.run(["git", *args], cwd=cwd, env=full, capture_output=True, text=True, check=False)
    if check and result.returncode:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {result.stderr}")
    return result.stdout


def commit_all(root: Path, message: str = "Update", *, author: tuple[str, str] = ANA, date: str = WHEN,
               committer: tuple[str, str] | None = None, allow_empty: bool = False) -> str:
    """Commit everything in the work tree of `root` (a new repository on `main` if there is none); the commit id."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", *(["--allow-empty"] if allow_empty else []), "-m", message,
        env=identity(author, date, committer))
    return git(root, "rev-parse", "HEAD").strip()


class GitRepo:
    """A repository at `path` (created, on `main`, unless init=False), git's HOME at `home`."""

    def __init__(self, path: Path, home: Path, init: bool = True) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        Path(home).mkdir(parents=True, exist_ok=True)
        self.home = Path(home)
        self.env = git_env(home)
        if init:
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict | None = None, check: bool = True) -> str:
        return git(self.path, *args, env=env, home=self.home, check=check)

    def write(self, files: dict) -> None:
        """Write and stage files as they are (bytes or text; None removes one)."""
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
        self.git("commit", "-q", "--allow-empty", "-m", message, env=identity(author, date, committer))
        return self.head()

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    def merge(self, branch: str, message: str, author, date: str) -> str:
        self.git("merge", "-q", "--no-ff", "-m", message, branch, env=identity(author, date))
        return self.head()

    def tag(self, name: str, author, date: str) -> None:
        self.git("tag", "-a", name, "-m", name, env=identity(author, date))

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
