"""The community's default branch: the line of history whose commits have *landed*.

A value figure of a closed period must not move when work merges late, so the engine needs to know
which branch is the community's record (VALUE.md, "When a record counts"). Nothing in a clone says
it for certain: a CI checkout is often a detached HEAD, with the default branch only as a
remote-tracking ref, and a pull request's build sits on a merge commit that is on no branch. The
tip is therefore looked for in this order, the first that exists winning:

1. `refs/remotes/origin/HEAD` (what `git clone` records as the remote's default branch);
2. the local branches `main`, then `master`;
3. `refs/remotes/origin/main`, then `refs/remotes/origin/master`;
4. the branch GitLab CI names in `CI_DEFAULT_BRANCH`, local or on `origin`.

When none exists, there is no default branch: callers treat HEAD's own first-parent line as the
branch (a plain local repository with another branch name, a bare test repository).
"""

from __future__ import annotations

import os
from typing import Iterator

import pygit2

_CANDIDATES = ("refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master",
               "refs/remotes/origin/main", "refs/remotes/origin/master")


def _peeled(repo: pygit2.Repository, name: str) -> str | None:
    """The commit id a reference names, following a symbolic one; None when it is not a commit."""
    try:
        ref = repo.references.get(name)
        if ref is None:
            return None
        target = ref.resolve().target
        commit = repo[target].peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError):
        return None
    return str(commit.id)


def default_branch(repo: pygit2.Repository) -> tuple[str, str] | None:
    """(reference name, tip commit id) of the default branch, or None when it cannot be found."""
    names = list(_CANDIDATES)
    gitlab = os.environ.get("CI_DEFAULT_BRANCH", "").strip()
    if gitlab and all(ord(ch) > 32 for ch in gitlab):  # a branch name has no spaces or controls
        names += [f"refs/heads/{gitlab}", f"refs/remotes/origin/{gitlab}"]
    for name in names:
        tip = _peeled(repo, name)
        if tip is not None:
            return name, tip
    return None


def first_parent_line(repo: pygit2.Repository, tip: str) -> Iterator[str]:
    """The ids of `tip` and of its first parents, newest first (a shallow clone's line simply ends
    where its objects do)."""
    cid: str | None = tip
    while cid is not None:
        yield cid
        try:
            parents = repo[cid].parent_ids
        except (KeyError, ValueError, pygit2.GitError):
            return
        cid = str(parents[0]) if parents else None


def on_default_branch(repo: pygit2.Repository, commit: str) -> bool:
    """Whether `commit` is the default branch's tip or one of its first parents (the branch's own
    record of what landed). With no default branch found, every commit is on it."""
    found = default_branch(repo)
    if found is None:
        return True
    return any(cid == commit for cid in first_parent_line(repo, found[1]))
