"""Many commits at once, for histories of the size of real projects: `git fast-import` writes
them in one run (hundreds of `git commit` calls would make the tests slow). Every author and
date is explicit, as in tests/gitrepo.py, and git runs without any configuration of the machine."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

from gitrepo import git, git_env


def add_commits(root: Path, commits, home: Path | None = None) -> None:
    """Append one commit per (author (name, e-mail), "YYYY-MM-DD") to `main` of the repository at
    `root` (created when missing), each at noon UTC and each rewriting work/log.txt; then check
    the work tree out, so that it matches the new tip."""
    home = home or root
    root.mkdir(parents=True, exist_ok=True)
    Path(home).mkdir(parents=True, exist_ok=True)
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main", home=home)
    tip = git(root, "rev-parse", "--verify", "-q", "refs/heads/main", home=home, check=False).strip()
    lines = []
    for i, ((name, email), day) in enumerate(commits):
        ts = int(datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=timezone.utc).timestamp())
        message = f"work {i}\n".encode()
        content = f"{i}\n".encode()
        lines.append(b"commit refs/heads/main\n")
        lines.append(f"author {name} <{email}> {ts} +0000\ncommitter {name} <{email}> {ts} +0000\n".encode())
        lines.append(f"data {len(message)}\n".encode() + message)
        if i == 0 and tip:
            lines.append(f"from {tip}\n".encode())
        lines.append(f"M 100644 inline work/log.txt\ndata {len(content)}\n".encode() + content + b"\n")
    result = subprocess.run(["git", "fast-import", "--quiet"], cwd=root, env=git_env(home), input=b"".join(lines),
                            capture_output=True, check=False)
    if result.returncode:
        raise AssertionError(f"git fast-import failed in {root}: {result.stderr.decode(errors='replace')}")
    git(root, "reset", "-q", "--hard", "main", home=home)
