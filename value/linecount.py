"""Lines added and removed per commit: the `git log --numstat -M100%` figures of DESIGN.md §4.

Two engines count them. The git command line (`git log --numstat -M100%`, run in a few processes
at once) gives exactly the contract's figures and is the fastest; libgit2 (`diff_commit`) needs no
git installed: binary files count 0 and a deletion plus an addition of identical content is a
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


def _git_numstat(cwd: str, ids: list[str], subdir: str | None) -> dict[str, tuple]:
    command = ["git", "-C", cwd, "log", "--stdin", "--no-walk=unsorted", "-z", "--numstat", "-M100%",
               "--format=@%H"]
    if subdir:
        command += ["--", subdir]
    env = {**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C"}
    done = subprocess.run(command, input="\n".join(ids) + "\n", capture_output=True, text=True,
                          encoding="utf-8", errors="surrogateescape", env=env)
    if done.returncode:
        raise ValueEngineError(f"git log failed while reading line counts: {done.stderr.strip()}")
    return parse_git_numstat(done.stdout, subdir)


# -- worker pool for cold reads with libgit2 -------------------------------------------------------------
_worker_repo: pygit2.Repository | None = None


def _worker_init(path: str) -> None:
    global _worker_repo
    _worker_repo = pygit2.Repository(path)


def _worker_diff(job: tuple[list[str], str | None]) -> list[tuple[str, tuple]]:
    ids, subdir = job
    return [(cid, diff_commit(_worker_repo, cid, subdir)) for cid in ids]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1




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
    cwd = repo.workdir or repo.path
    total = len(todo)
    if workers is None:
        workers = min(_cpus(), 8) if total >= PARALLEL_FROM else 1
    # interleaved, so that every git process gets as many old (small) and new (large) trees
    chunks = [todo[k::workers] for k in range(workers) if todo[k::workers]]
    result: dict[str, tuple] = {}
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:  # each thread waits on one git
        for chunk in pool.map(lambda ids: _git_numstat(cwd, ids, subdir), chunks):
            result.update(chunk)
            if progress:
                progress(len(result), total)
    for cid in todo:
        result.setdefault(cid, ())  # git printed nothing: nothing under the folder changed
    return result


def _diff_all(repo, todo, subdir, progress, workers) -> dict[str, tuple]:
    result: dict[str, tuple] = {}
    total = len(todo)
    if workers is None:
        workers = min(_cpus(), 8) if total >= PARALLEL_FROM else 1
    if workers > 1 and total > 1:
        import multiprocessing

        size = max(50, min(1000, total // (workers * 8) or 1))
        jobs = [(todo[i : i + size], subdir) for i in range(0, total, size)]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        with context.Pool(workers, initializer=_worker_init, initargs=(repo.path,)) as pool:
            for chunk in pool.imap_unordered(_worker_diff, jobs):
                result.update(chunk)
                if progress:
                    progress(len(result), total)
        return result
    for i, cid in enumerate(todo, 1):
        result[cid] = diff_commit(repo, cid, subdir)
        if progress and (i % 500 == 0 or i == total):
            progress(i, total)
    return result
