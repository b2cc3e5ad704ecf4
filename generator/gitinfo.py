"""The few facts the build takes from git: where the repository is and when HEAD was made."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pygit2


@dataclass(frozen=True)
class RepoInfo:
    workdir: Path | None  # top of the work tree, None outside a repository
    subdir: str  # the community's folder relative to the work tree ("" at the top)
    head_commit: str
    head_time: int  # seconds since the epoch, 0 when there is no commit
    branch: str


def repo_info(root: Path) -> RepoInfo:
    root = Path(root).resolve()
    found = pygit2.discover_repository(str(root))
    if not found:
        return RepoInfo(None, "", "", 0, "")
    repo = pygit2.Repository(found)
    workdir = Path(repo.workdir).resolve() if repo.workdir else None
    subdir = root.relative_to(workdir).as_posix() if workdir and root.is_relative_to(workdir) else ""
    subdir = "" if subdir == "." else subdir
    if repo.head_is_unborn:
        return RepoInfo(workdir, subdir, "", 0, "")
    head = repo.head.peel(pygit2.Commit)
    branch = repo.head.shorthand if not repo.head_is_detached else ""
    return RepoInfo(workdir, subdir, str(head.id), head.commit_time, branch)


def build_epoch(info: RepoInfo) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the time of HEAD."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return info.head_time
