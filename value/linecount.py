"""Lines added and removed per commit: the `git log --numstat -M100%` figures of DESIGN.md §4.

Two engines count them. The git command line (`git log --numstat -M100%`, run in a few processes
at once) gives exactly the contract's figures and is the fastest; libgit2 (`diff_commit`, in
forked workers through `forkpool` when there are many commits) needs no git installed: binary files count 0 and a deletion plus an addition of identical content is a
rename with 0 / 0 lines, as git counts them. In a community folder (`subdir`), only files under
it count, paths relative to it; a file moved in from outside is an addition.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import pygit2

from . import forkpool
from .errors import ValueEngineError

PARALLEL_FROM = 1500  # commits to diff before a worker pool pays for itself

_ADDED = pygit2.enums.DeltaStatus.ADDED
_DELETED = pygit2.enums.DeltaStatus.DELETED


def as_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def subtree(tree: pygit2.Tree, subdir: str | None):
    if not subdir:
        return tree
    try:
        obj = tree[subdir]
    except KeyError:
        return None
    return obj if isinstance(obj, pygit2.Tree) else None


def _mode_class(mode: int) -> int:
    return 0 if mode & 0o170000 == 0o100000 else mode  # regular files pair whatever their x bit


def diff_commit(repo: pygit2.Repository, cid: str, subdir: str | None) -> tuple:
    """((path, added, removed), ...) of a non-merge commit against its parent (root: empty tree)."""
    commit = repo[cid]
    new = subtree(commit.tree, subdir)
    old = subtree(repo[commit.parent_ids[0]].tree, subdir) if commit.parent_ids else None
    if new is None and old is None:
        return ()
    if old is None:
        diff = new.diff_to_tree(swap=True)
    elif new is None:
        diff = old.diff_to_tree()
    else:
        diff = old.diff_to_tree(new)
    files: list = []
    added: dict = {}
    deleted: dict = {}
    for patch in diff:
        delta = patch.delta
        _, plus, minus = patch.line_stats
        status = delta.status
        if status == _DELETED:
            path = as_text(delta.old_file.raw_path)
            key = (delta.old_file.id, _mode_class(delta.old_file.mode))
            deleted.setdefault(key, []).append(len(files))
        else:
            path = as_text(delta.new_file.raw_path)
            if status == _ADDED:
                key = (delta.new_file.id, _mode_class(delta.new_file.mode))
                added.setdefault(key, []).append(len(files))
        files.append((path, plus, minus))
    # Exact renames (git -M100%): pair an addition with a deletion of the same content, a
    # same-named source first; each source is used once. The pair counts 0 / 0 lines.
    dropped = set()
    for key, targets in added.items():
        sources = deleted.get(key)
        if not sources:
            continue
        for target in targets:
            if not sources:
                break
            base = files[target][0].rsplit("/", 1)[-1]
            pick = next((s for s in sources if files[s][0].rsplit("/", 1)[-1] == base), sources[0])
            sources.remove(pick)
            dropped.add(pick)
            files[target] = (files[target][0], 0, 0)
    return tuple(f for i, f in enumerate(files) if i not in dropped)


# -- line counts from the git command line (the fast path) -----------------------------------
_GIT_HEADER = re.compile(r"^\n?@([0-9a-f]{40,64})$")
_GIT_ENTRY = re.compile(r"^\n?(\d+|-)\t(\d+|-)\t(.*)$", re.S)


def parse_git_numstat(output: str, subdir: str | None) -> dict[str, tuple]:
    """Parse `git log -z --numstat --format=@%H`: commit id -> ((path, added, removed), ...)."""
    result: dict[str, list] = {}
    current = None
    prefix = f"{subdir}/" if subdir else ""
    tokens = output.split("\0")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        header = _GIT_HEADER.match(token)
        if header:
            current = result.setdefault(header.group(1), [])
            continue
        entry = _GIT_ENTRY.match(token)
        if not entry or current is None:
            continue
        plus, minus, path = entry.groups()
        if path == "":  # a rename: the old and the new path follow
            path = tokens[i + 1] if i + 1 < len(tokens) else ""
            i += 2
        if prefix and path.startswith(prefix):
            path = path[len(prefix):]
        current.append((path, 0 if plus == "-" else int(plus), 0 if minus == "-" else int(minus)))
    return {cid: tuple(files) for cid, files in result.items()}


def git_location(repo: pygit2.Repository) -> list[str]:
    """Where git runs: in the work tree when there is one (`.gitattributes` there can mark a file
    binary, and git then counts it 0), else on the git folder alone: a bare repository, or a
    mirror that libgit2 takes its parent folder for a work tree of, which it is not."""
    workdir = repo.workdir
    if workdir and os.path.exists(os.path.join(workdir, ".git")):
        return ["-C", workdir]
    return ["--git-dir", repo.path]


def _git_numstat(location: list[str], ids: list[str], subdir: str | None) -> dict[str, tuple]:
    command = ["git", *location, "log", "--stdin", "--no-walk=unsorted", "-z", "--numstat", "-M100%",
               "--format=@%H"]
    if subdir:
        command += ["--", subdir]
    env = {**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C"}
    done = subprocess.run(command, input="\n".join(ids) + "\n", capture_output=True, text=True,
                          encoding="utf-8", errors="surrogateescape", env=env)
    if done.returncode:
        raise ValueEngineError(f"git log failed while reading line counts: {done.stderr.strip()}")
    return parse_git_numstat(done.stdout, subdir)


def count_lines(repo: pygit2.Repository, todo: list[str], subdir: str | None,
                progress: Callable[[int, int], None] | None, workers: int | None,
                engine: str) -> dict[str, tuple]:
    """Commit id -> ((path, added, removed), ...) for every commit in `todo`. `engine` picks who
    counts: "git", "pygit2", or "auto" (git when installed)."""
    if engine == "auto":
        engine = "git" if shutil.which("git") else "pygit2"
    if engine == "git" and todo:
        return _diff_with_git(repo, todo, subdir, progress, workers)
    return _diff_all(repo, todo, subdir, progress, workers)


def _diff_with_git(repo, todo, subdir, progress, workers) -> dict[str, tuple]:
    location = git_location(repo)
    total = len(todo)
    if workers is None:
        workers = forkpool.workers() if total >= PARALLEL_FROM else 1
    # interleaved, so that every git process gets as many old (small) and new (large) trees
    chunks = [todo[k::workers] for k in range(workers) if todo[k::workers]]
    result: dict[str, tuple] = {}
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:  # each thread waits on one git
        for chunk in pool.map(lambda ids: _git_numstat(location, ids, subdir), chunks):
            result.update(chunk)
            if progress:
                progress(len(result), total)
    for cid in todo:
        result.setdefault(cid, ())  # git printed nothing: nothing under the folder changed
    return result


def _diff_all(repo, todo, subdir, progress, workers) -> dict[str, tuple]:
    total = len(todo)
    if workers is None:
        workers = forkpool.workers() if total >= PARALLEL_FROM else 1
    workers = max(workers, 1)
    size = max(50, min(1000, total // (workers * 8) or 1))
    chunks, _ = forkpool.run_sliced(_Differ(repo, todo, subdir), total, min_count=2, slice_size=size,
                                    processes=workers, progress=progress)
    return {cid: files for chunk in chunks for cid, files in chunk}


class _Differ:
    """`diff_commit` over a slice of `todo`, in this process or in a forked worker. A libgit2
    handle must not cross a fork: a worker opens its own repository for its first slice (the
    one it inherited stays untouched), this process keeps using the one it was given."""

    def __init__(self, repo: pygit2.Repository, todo: list[str], subdir: str | None) -> None:
        self.path, self.todo, self.subdir = repo.path, todo, subdir
        self.repos = {os.getpid(): repo}

    def __call__(self, start: int, end: int) -> list[tuple[str, tuple]]:
        repo = self.repos.get(os.getpid())
        if repo is None:
            repo = self.repos[os.getpid()] = pygit2.Repository(self.path)
        return [(cid, diff_commit(repo, cid, self.subdir)) for cid in self.todo[start:end]]
