"""The few facts the build takes from git: where the repository is and when HEAD was made."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pygit2
from value.history import EARLIEST_TIME, LATEST_TIME, clamped_time, parse_trailers

from .errors import CommonplaceError


@dataclass(frozen=True)
class RepoInfo:
    workdir: Path | None  # top of the work tree, None outside a repository
    subdir: str  # the community's folder relative to the work tree ("" at the top)
    head_commit: str
    head_time: int  # seconds since the epoch, 0 when there is no commit
    branch: str
    # HEAD's author and the people its trailers name, then its committer: (name, e-mail) as
    # written and as the .mailmap resolves them (whether the site may show HEAD's id)
    head_people: tuple[tuple[str, str], ...] = ()
    head_committer: tuple[tuple[str, str], ...] = ()


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
    try:
        head = repo.head.peel(pygit2.Commit)
        when = head.commit_time
    except (KeyError, ValueError, pygit2.GitError) as exc:
        raise CommonplaceError(f"HEAD's commit {_target(repo)}cannot be read ({exc}): its author or "
                               "committer line is malformed (libgit2 cannot parse its date); commit again on its parent "
                               "(`git reset --soft HEAD~1` then `git commit`)") from None
    branch = repo.head.shorthand if not repo.head_is_detached else ""
    # a commit may claim any date: the build's date is read into the window the engine reads
    return RepoInfo(workdir, subdir, str(head.id), clamped_time(when, 0)[0], branch,
                    *_people(repo, head))


def _people(repo: pygit2.Repository, head: pygit2.Commit) -> tuple[tuple, tuple]:
    """(author and trailers, committer) of a commit, each (name, e-mail) as written and as the
    repository's .mailmap resolves it; empty when they cannot be read."""
    try:
        mailmap = pygit2.Mailmap.from_repository(repo)
        written = [(head.author.name, head.author.email)] + [(n, e) for _, n, e in parse_trailers(head.message)]
        committer = [(head.committer.name, head.committer.email)]
    except (KeyError, ValueError, LookupError, pygit2.GitError):
        return (), ()

    def resolved(people):
        return tuple(dict.fromkeys([*people, *(mailmap.resolve(n, e) for n, e in people)]))

    return resolved(written), resolved(committer)


def _target(repo: pygit2.Repository) -> str:
    """The id HEAD points to and a space, or nothing when even that cannot be read."""
    try:
        return f"{repo.head.target} "
    except (KeyError, ValueError, pygit2.GitError):
        return ""


def build_epoch(info: RepoInfo) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the time of HEAD.

    The variable must be a whole number of seconds since 1970 (the specification's rule) inside
    the window commit dates are read into; anything else is an error, never a silent fallback:
    a build meant to be reproducible must not quietly take another date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return info.head_time
    if not value.isascii() or not value.isdigit():
        raise CommonplaceError(f"SOURCE_DATE_EPOCH is {value[:40]!r}: it must be a whole number of seconds since "
                               "1970-01-01 UTC, such as the output of `git log -1 --format=%ct`; unset it to use "
                               "the last commit's date")
    seconds = int(value) if len(value) < 20 else LATEST_TIME + 1
    if not max(EARLIEST_TIME, 0) <= seconds <= LATEST_TIME:
        raise CommonplaceError(f"SOURCE_DATE_EPOCH is {value[:40]}: it must lie between 0 (1970-01-01) and "
                               f"{LATEST_TIME} (9999-01-01), such as the output of `git log -1 --format=%ct`")
    return seconds
