"""When each record *landed* on the community's default branch (VALUE.md, "When a record counts").

A record counts at the later of its own date and its landed time, so that old work arriving late
never reopens a closed period.

Commits. The default branch is found by `branch.default_branch` (origin/HEAD, main, master,
origin/main|master, GitLab's CI_DEFAULT_BRANCH); without one, the line of the ref being counted
(HEAD) stands for it. On the branch's first-parent line, oldest first,
landed(C) = max(committer date of C, landed(C's first parent)), so landed time never goes
backwards and a backdated fast-forward cannot reach into the past; every commit reachable from a
merge's other parents that has not landed yet lands with that merge. A commit the branch does
not reach (a pull request's build, a HEAD off the branch) lands at the build time.

Data records. A record of the data files (a `contributions/` line, an event's organiser or
participant, a kudos entry, a usage record, an income entry with `by`, a goal done) lands with
the first first-parent commit of the branch in which it exists, whatever line or file it sits on
by then. A record is known by its *identity* (`*_key` below), a few of its fields, never its
place, so that an edit of its other fields or a move keeps its landed time:
  - contribution: (who, kind, date)          - kudos: (from, to, date)
  - event: (role, event id, person)          - usage: (project, kind, date)
  - income: (by, kind, currency, date)       - goal done: (project id, goal title)
  - decision: (role, decision id, person)    - mention: (kind, url, date)
  - impact: (indicator, unit, date)
Several records of one identity are told apart by a counter, in the order the data lists them
(by date, file and line): the n-th lands when the branch first held n of them. Changing a field
of the identity (a corrected date, another person) makes a new record, which lands when the
change does. A record that is only in the work tree, or only on another branch, lands at the
build time. The files at each commit are read from git objects, never checked out, and parsed by
the caller's parser (`DataFiles`: the generator's loader; value/ never reads Commonplace files
itself); a file that does not parse at some commit is skipped there, so its records land at the
first commit where it parses.

The build time is SOURCE_DATE_EPOCH when it is a whole number of seconds (the build checks it
before), else the committer date of the commit counted.

The result is cached (`landed-<slot>.pickle` in the engine's cache folder, a `cache.StateLog`) by
the branch's tip: a rebuild whose tip descends from the cached one by its first-parent line
reads only the new commits. Measured on a loaded 2-CPU machine: a 20,000-commit synthetic history
takes 0.3 s from scratch and 0.004 s from the cache; the 5,000-page community of bench/render.py
(11 commits, 11,784 record identities) 1.5 to 1.9 s from scratch, beside a 34 s cold build, and
0.02 to 0.04 s from the cache.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import pygit2

from .branch import default_branch
from .cache import StateLog
from .history import EARLIEST_TIME, LATEST_TIME, clamped_time

FORMAT = 1
DATA_FOLDERS = ("contributions", "events", "kudos", "usage", "ledger", "projects", "decisions", "mentions", "impact")
MAX_FILE_BYTES = 1_000_000  # a larger blob is not read (the loader refuses such files too)


# -- identities ------------------------------------------------------------------------------
def _day(value) -> str:
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value or "")[:10]


def contribution_key(who, kind, day) -> tuple:
    return ("contribution", who or "", kind or "", _day(day))


def event_key(role: str, event_id, person) -> tuple:
    return ("event", role, event_id or "", person or "")


def kudos_key(giver, receiver, day) -> tuple:
    return ("kudos", giver or "", receiver or "", _day(day))


def usage_key(project, kind, day) -> tuple:
    return ("usage", project or "", kind or "", _day(day))


def impact_key(indicator, unit, day) -> tuple:
    return ("impact", indicator or "", unit or "", _day(day))


def income_key(by, kind, currency, day) -> tuple:
    return ("income", by or "", kind or "", currency or "", _day(day))


def goal_key(project, title) -> tuple:
    return ("goal", project or "", title or "")


def decision_key(role: str, decision_id, person) -> tuple:
    return ("decision", role, decision_id or "", person or "")


def mention_key(kind, url, day) -> tuple:
    return ("mention", kind or "", url or "", _day(day))


class DataFiles(Protocol):
    """What reads the data files at old commits (the generator's loader, `generator/landedfiles.py`)."""

    version: str  # changes whenever `keys` would give other keys for the same file: part of the cache key

    def keys(self, rel: str, text: str) -> list[tuple] | None:
        """The identities of the records in the file `rel` (relative to the community folder, e.g.
        "contributions/2024.yaml"), one per record (repeated for duplicates); None when the file
        does not parse or is not a data file."""


# -- the result ------------------------------------------------------------------------------
@dataclass
class Landing:
    """Landed times (seconds since the epoch, UTC): `commits` of every commit the default branch
    reaches, `data` of each record identity's occurrences in order (None: the data files were not
    read, so data records count at their own date), `build` for everything else."""

    build: int
    commits: dict[str, int] = field(default_factory=dict)
    data: dict[tuple, list[int]] | None = None

    def commit(self, cid: str) -> int:
        found = self.commits.get(cid)
        return self.build if found is None else found

    def record(self, key: tuple, n: int = 0) -> int | None:
        """The landed time of the n-th record of identity `key`: the build time when the branch
        never held it, None when the data files were not read."""
        if self.data is None:
            return None
        times = self.data.get(key)
        return times[n] if times is not None and n < len(times) else self.build


def day_of(ts: int) -> str:
    """The UTC day of a time, ISO."""
    ts = min(max(ts, EARLIEST_TIME), LATEST_TIME)
    return date.fromordinal(date(1970, 1, 1).toordinal() + ts // 86400).isoformat()


def build_time(fallback: int) -> int:
    """SOURCE_DATE_EPOCH when it is a whole number of seconds inside the window, else `fallback`
    (the committer date of the commit counted). The build refuses a malformed value before the
    engine runs (generator/gitinfo.py); here it only never fails."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isascii() and value.isdigit() and len(value) < 20:
        return clamped_time(int(value), 0)[0]
    return fallback


def landing_state(repo_path, files: DataFiles | None) -> str:
    """What landed times depend on besides the commit counted, cheaply, for the report cache's
    key: the default branch's tip, SOURCE_DATE_EPOCH and the data files' parser."""
    tip = ""
    try:
        found = pygit2.discover_repository(str(repo_path))
        branch = default_branch(pygit2.Repository(found)) if found else None
        tip = branch[1] if branch else ""
    except (KeyError, ValueError, pygit2.GitError):
        pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()[:20]
    return "\n".join([f"landed/{FORMAT}", f"default={tip}", f"epoch={epoch}",
                      f"files={files.version if files is not None else ''}"])


# -- walking the branch ----------------------------------------------------------------------
def _community_tree(repo: pygit2.Repository, commit, folder: str | None):
    """The tree of the community folder at `commit` (None when missing)."""
    try:
        tree = commit.tree
        if folder:
            obj = tree[folder]
            tree = repo[obj.id] if obj.type == pygit2.enums.ObjectType.TREE else None
        return tree
    except (KeyError, ValueError, pygit2.GitError):
        return None


_BLOB_MODES = (0o100644, 0o100755, 0o100664)


def _folder_ids(repo, tree) -> dict[str, str]:
    """{data folder: its tree id} at a community tree."""
    ids = {}
    if tree is None:
        return ids
    for name in DATA_FOLDERS:
        try:
            entry = tree[name]
        except KeyError:
            continue
        if entry.filemode == 0o040000:
            ids[name] = str(entry.id)
    return ids


def _folder_files(repo, tree_id: str, folder: str) -> dict[str, str]:
    """{"folder/name": blob id} of the plain files of a data folder (not its subfolders, links or
    hidden files: the loader reads none of them)."""
    files = {}
    try:
        tree = repo[tree_id]
    except (KeyError, ValueError, pygit2.GitError):
        return files
    for entry in tree:
        if entry.filemode in _BLOB_MODES and not entry.name.startswith("."):
            files[f"{folder}/{entry.name}"] = str(entry.id)
    return files


class _Walk:
    """The state carried from one first-parent commit to the next; pickled as the cache."""

    def __init__(self) -> None:
        self.tip: str | None = None
        self.last = EARLIEST_TIME  # landed time of the tip
        self.commits: dict[str, int] = {}
        self.data: dict[tuple, list[int]] = {}
        self.totals: Counter = Counter()  # identity -> how many records the tip's files hold
        self.folders: dict[str, str] = {}  # data folder -> tree id at the tip
        self.files: dict[str, dict[str, str]] = {}  # data folder -> {path: blob id} at the tip
        self.counts: dict[str, Counter] = {}  # path -> its identities, at the tip


def _land_commits(repo, walk: _Walk, line: list[str]) -> list[tuple[str, int]]:
    """Land the first-parent commits `line` (oldest first) and what their merges bring in;
    returns (commit id, landed time) of the line."""
    landed = walk.commits
    out = []
    for cid in line:
        commit = repo[cid]
        t = max(clamped_time(commit.commit_time, 0)[0], walk.last)
        landed[cid] = walk.last = t
        out.append((cid, t))
        stack = [str(p) for p in commit.parent_ids[1:]]
        while stack:
            other = stack.pop()
            if other in landed:
                continue
            landed[other] = t
            try:
                stack.extend(str(p) for p in repo[other].parent_ids)
            except (KeyError, ValueError, pygit2.GitError):  # a missing object: its history ends here
                pass
    return out


def _land_data(repo, walk: _Walk, line: list[tuple[str, int]], folder: str | None, files: DataFiles) -> None:
    """Land the records of the data files at each commit of `line` ((id, landed time), oldest
    first): a record identity held n times lands its n-th occurrence at the first such commit."""
    for cid, t in line:
        tree = _community_tree(repo, repo[cid], folder)
        folders = _folder_ids(repo, tree)
        if folders == walk.folders:
            continue
        touched = set()
        for name in set(folders) | set(walk.folders):
            if folders.get(name) == walk.folders.get(name):
                continue
            old_files = walk.files.pop(name, {})
            new_files = _folder_files(repo, folders[name], name) if name in folders else {}
            if new_files:
                walk.files[name] = new_files
            for path in set(old_files) | set(new_files):
                old, new = old_files.get(path), new_files.get(path)
                if old == new:
                    continue
                before = walk.counts.pop(path, None)
                if before:
                    walk.totals.subtract(before)
                    touched.update(before)
                if new is not None:
                    counted = Counter(_keys(repo, new, path, files))
                    if counted:
                        walk.counts[path] = counted
                        walk.totals.update(counted)
                        touched.update(counted)
        for key in touched:
            have = walk.totals[key]
            if have <= 0:
                del walk.totals[key]
                continue
            times = walk.data.setdefault(key, [])
            while len(times) < have:
                times.append(t)
        walk.folders = folders


def _keys(repo, blob_id: str, path: str, files: DataFiles) -> list[tuple]:
    try:
        blob = repo[blob_id]
        if blob.size > MAX_FILE_BYTES:
            return []
        text = blob.data.decode("utf-8")
    except (KeyError, ValueError, UnicodeDecodeError, pygit2.GitError):
        return []
    try:
        found = files.keys(path, text)
    except Exception:  # noqa: BLE001 - an old file the parser chokes on is skipped at that commit
        return []
    return list(found or ())


def landing(git_dir, ref_tip: str | None, *, folder: str | None = None, files: DataFiles | None = None,
            cache_folder: Path | None = None, build: int) -> Landing:
    """The landed times of the repository at `git_dir`: its default branch's (else `ref_tip`'s
    first-parent line), the data files of the community `folder` read with `files` (None: not
    read). `build`: the build time, for everything the branch does not hold."""
    result = Landing(build=build, data={} if files is not None else None)
    if ref_tip is None:
        return result
    try:
        repo = pygit2.Repository(str(git_dir))
        found = default_branch(repo)
    except (KeyError, ValueError, pygit2.GitError):
        return result
    tip = found[1] if found is not None else ref_tip
    folder = (folder or "").strip("/") or None
    log = StateLog(cache_folder, f"{folder or ''}\0{files.version if files else ''}", kind="landed")
    key = f"landed/{FORMAT}/{folder or ''}/{files.version if files else '-'}"
    stored = log.load(key)
    walk: _Walk = stored[0] if stored is not None and isinstance(stored[0], _Walk) else _Walk()

    # the first-parent line back to the stored tip; from scratch when the branch was rewritten
    line: list[str] = []
    cid: str | None = tip
    try:
        while cid is not None and cid != walk.tip:
            line.append(cid)
            parents = repo[cid].parent_ids
            cid = str(parents[0]) if parents else None
    except (KeyError, ValueError, pygit2.GitError):  # the line ends where the objects do
        cid = None
    if walk.tip is not None and cid != walk.tip:  # rewritten: `line` is the whole line, from scratch
        walk = _Walk()
    line.reverse()
    if line:
        landed_line = _land_commits(repo, walk, line)
        if files is not None:
            _land_data(repo, walk, landed_line, folder, files)
        walk.tip = tip
        log.write(key, walk)
    result.commits = walk.commits
    if files is not None:
        result.data = walk.data
    return result

