"""Reading the history with pygit2: one record per commit, cached by commit id.

What is read per commit: id, parents, author and committer as written (resolved through
`.mailmap` later, see `identities.py`), author time with offset, trailers (`Co-authored-by`,
`Reviewed-by`, `Acked-by`, `Signed-off-by`), whether a merge carries a forge's merge message,
and for non-merge commits the changed files with lines added / removed (counted by
`linecount.py`: binary files count 0 and a deletion plus an addition of identical content is a
rename with 0 / 0 lines, `git log -M100%`). The record keeps only their summary (lines added,
removed, changed in documentation files, and source-code lines added and removed, see
`languages.py`):
that is all the indicators read, and it keeps the cache small and quick to load.

A community in a subfolder (`subdir`) follows `git log -- PATH` with git's default history
simplification: a non-merge commit counts when the folder differs from its parent's (the root
commit when it has the folder); at a merge whose folder equals a parent's, only the first such
parent is followed (other parents' commits are not visited, as in git). Files and lines are those
under the folder only, paths relative to it; a file moved in from outside is an addition.
Merges are never diffed; in a subfolder a merge counts when it changed the folder relative to
its first parent (it brought the folder's changes into the branch).

`paths` (folders or files, relative to the repository's top) narrow the commits that count
further: a non-merge commit counts when it changed one of them relative to its parent (the root
commit when it has one of them), as `git log --full-history -- PATHS` lists them, and a merge
when it changed one relative to its first parent. A counted commit's files and lines are all of
its own (the paths choose commits, not lines).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pygit2

from . import __version__
from .cache import HistoryCache, engine_cache_dir, namespace
from .docfiles import summarize
from .errors import BadSubdir, NotARepository, ShallowHistory, UnknownRef, UnreadableCommit
from .linecount import as_text, count_lines, subtree
from .paths import COMMUNITY_FILES, MAILMAP_PATH
from .mailmap import Mailmap

# Fields of a record tuple (plain tuples pickle fast and small).
ID, PARENTS, AUTHOR_NAME, AUTHOR_EMAIL, AUTHOR_TIME, AUTHOR_OFFSET = range(6)
COMMITTER_NAME, COMMITTER_EMAIL, COMMIT_TIME, COMMIT_OFFSET, FORGE_MERGE, TRAILERS, SUB, SUMMARY = range(6, 14)
FILES = SUMMARY  # older name of the last field
NO_CHANGE = (0, 0, 0, 0, 0)  # the summary of a merge, or of a commit that left the folder alone

TRAILER_KEYS = ("co-authored-by", "reviewed-by", "acked-by", "signed-off-by")
_TRAILER = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_PERSON = re.compile(r"^(.*?)\s*<([^<>]*)>\s*$")
_PULL = re.compile(r"^Merge pull request #\d+ from ")
_MR = re.compile(r"^Merge branch '.+' into '.+'")
MAX_FILE_BYTES = 1_000_000

# A commit object may claim any time (year 1 or 300,000, a negative one) and any offset up to
# +-99:59. Times are read into a window every later step can show as a date: 1900 (before any
# version control) to the start of year 9999 (a year short of what `datetime` holds, so a series
# may still run a year ahead); offsets of a day or more are no time zone and become +-23:59. A
# value at a bound is a clamped one: the build log names its commit (see `context.odd_commits`).
EARLIEST_TIME = int(datetime(1900, 1, 1, tzinfo=timezone.utc).timestamp())
LATEST_TIME = int(datetime(9999, 1, 1, tzinfo=timezone.utc).timestamp())
MAX_OFFSET = 23 * 60 + 59

# A commit names at most this many people in trailers: one commit with 20,000 `Co-authored-by`
# lines would otherwise add 20,000 people, their pages and their records to the site. Fifty is
# more than any real pairing, review or sign-off chain; the first ones in the message are kept.
MAX_TRAILERS = 50
# A longer name is no person's; a longer address is not one (RFC 5321 caps a path at 256).
MAX_TRAILER_NAME = 200
MAX_TRAILER_EMAIL = 254
# Author and committer names are cut to this many characters (they reach pages and open data).
MAX_NAME = 200


def clamped_time(time: int, offset: int) -> tuple[int, int]:
    """(time, offset) read into the supported window (see EARLIEST_TIME)."""
    return min(max(time, EARLIEST_TIME), LATEST_TIME), min(max(offset, -MAX_OFFSET), MAX_OFFSET)


def is_clamped(time: int, offset: int = 0) -> bool:
    """Whether a (time, offset) sits at a bound of the window: it was read from outside it."""
    return time in (EARLIEST_TIME, LATEST_TIME) or abs(offset) == MAX_OFFSET


def parse_trailers(message: str) -> tuple[tuple[str, str, str], ...]:
    """(key lower-cased, name, e-mail) of the person trailers in the message's last paragraph.

    As `git interpret-trailers` reads them: the last paragraph, never the subject alone. Lines
    without `Name <e-mail>` are skipped (they name nobody that can be matched), and so are names
    and addresses too long to be anyone's. A repeated trailer counts once. At most
    MAX_TRAILERS + 1 are returned, the first ones: one more than are counted, so that a record
    says whether its commit named more people than counted (see `counted_trailers`).
    """
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", message.strip()) if p.strip()]
    if len(paragraphs) < 2:
        return ()
    found: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for line in paragraphs[-1].splitlines():
        match = _TRAILER.match(line.strip())
        if not match or match.group(1).lower() not in TRAILER_KEYS:
            continue
        person = _PERSON.match(match.group(2))
        if not person:
            continue
        name, email = person.group(1).strip(), person.group(2).strip()
        if not email or len(name) > MAX_TRAILER_NAME or len(email) > MAX_TRAILER_EMAIL:
            continue
        kind = match.group(1).lower()
        found.setdefault((kind, name, email.lower()), (kind, name, email))
        if len(found) > MAX_TRAILERS:
            break
    return tuple(found.values())


def counted_trailers(trailers: tuple) -> tuple:
    """The trailers of a record that count: the first MAX_TRAILERS."""
    return trailers[:MAX_TRAILERS]


def trailers_capped(trailers: tuple) -> bool:
    """Whether the commit named more people in trailers than are counted."""
    return len(trailers) > MAX_TRAILERS


def is_forge_merge(message: str) -> bool:
    """A merge commit made by a forge for a pull request (GitHub) or merge request (GitLab)."""
    first = message.split("\n", 1)[0]
    return bool(_PULL.match(first)) or (bool(_MR.match(first)) and "See merge request" in message)


def _header(repo: pygit2.Repository, cid: str, subdir: str | None) -> tuple:
    try:
        commit = repo[cid]
        author, committer = commit.author, commit.committer
    except (KeyError, ValueError, pygit2.GitError) as exc:
        raise UnreadableCommit(cid, exc) from None
    parents = tuple(str(p) for p in commit.parent_ids)
    message = as_text(commit.raw_message)
    if subdir:
        sub = subtree(commit.tree, subdir)
        sub = None if sub is None else str(sub.id)
    else:
        sub = str(commit.tree_id)
    merge = len(parents) > 1
    return (
        cid, parents,
        as_text(author.raw_name)[:MAX_NAME], as_text(author.raw_email), *clamped_time(author.time, author.offset),
        as_text(committer.raw_name)[:MAX_NAME], as_text(committer.raw_email),
        *clamped_time(committer.time, committer.offset),
        merge and is_forge_merge(message),
        () if merge else parse_trailers(message),
        sub, None,
    )


@dataclass
class Tag:
    name: str
    commit: str
    time: int
    offset: int


@dataclass
class History:
    """Everything read from the repository; `records` holds every reachable commit."""

    path: str
    git_dir: str
    subdir: str | None
    commit: str | None
    branch: str | None
    as_of: tuple[int, int] | None  # (time, offset) of the tip's committer date
    records: dict[str, tuple] = field(default_factory=dict)
    counted: list[str] = field(default_factory=list)  # non-merge commits as `git log -- PATH`
    merges: list[str] = field(default_factory=list)  # merges that count (see module doc)
    tags: list[Tag] = field(default_factory=list)
    mailmap: Mailmap = field(default_factory=Mailmap)
    files: dict[str, str] = field(default_factory=dict)  # .all-contributorsrc etc., as text
    mailmap_text: str = ""
    tag_reach: dict[str, bool] = field(default_factory=dict)  # every tag's commit: reachable?
    # what each tag ref's target peels to: {target id: (commit id, time, offset)}; objects never
    # change, so the next run peels only the tags made since (kept with the resolved history)
    tag_objects: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    read: int = 0  # commits whose headers were read from git in this run
    diffed: int = 0  # commits diffed in this run


def open_repository(path) -> pygit2.Repository:
    try:
        found = pygit2.discover_repository(str(path))
    except Exception:
        found = None
    if not found:
        raise NotARepository(path)
    return pygit2.Repository(found)


def _check_subdir(subdir: str | None) -> str | None:
    if subdir is None:
        return None
    clean = subdir.replace("\\", "/").strip("/")
    if clean in ("", "."):
        return None
    parts = clean.split("/")
    if any(p in ("", ".", "..") for p in parts) or os.path.isabs(subdir):
        raise BadSubdir(subdir)
    return clean


def check_paths(paths) -> tuple[str, ...]:
    """The paths, checked (as a subfolder is) and sorted, duplicates dropped; () for none."""
    return tuple(sorted({p for p in (_check_subdir(path) for path in paths or ()) if p}))


def _entry(tree, path: str) -> str | None:
    try:
        return str(tree[path].id)
    except KeyError:
        return None


def _narrow(repo: pygit2.Repository, history: History, paths: tuple[str, ...]) -> None:
    """Keep, of the commits that count, those that touch one of `paths` (see the module doc)."""
    trees: dict[str, object] = {}

    def entries(cid: str) -> tuple:
        tree = trees.get(cid)
        if tree is None:
            tree = trees[cid] = tuple(_entry(repo[cid].tree, p) for p in paths)
        return tree

    def touches(cid: str) -> bool:
        parents = history.records[cid][PARENTS]
        mine = entries(cid)
        if not parents:
            return any(e is not None for e in mine)
        return mine != entries(parents[0])

    history.counted = [cid for cid in history.counted if touches(cid)]
    history.merges = [cid for cid in history.merges if touches(cid)]


def _blob_text(tree, path: str) -> str | None:
    try:
        obj = tree[path]
    except KeyError:
        return None
    if not isinstance(obj, pygit2.Blob) or obj.size > MAX_FILE_BYTES:
        return None
    return as_text(obj.data)




def _open(repo_path, subdir: str | None, ref: str):
    """(repository, checked subdir, tip commit or None for an unborn HEAD); raises the engine's
    errors (not a repository, bad subdir, shallow clone, unknown ref)."""
    repo = open_repository(repo_path)
    subdir = _check_subdir(subdir)
    if repo.is_shallow:
        raise ShallowHistory(repo.workdir or repo.path)
    if ref == "HEAD" and repo.head_is_unborn:
        return repo, subdir, None
    try:
        tip = repo.revparse_single(ref).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        raise UnknownRef(ref) from None
    return repo, subdir, tip


def history_state(repo_path, *, subdir: str | None = None, ref: str = "HEAD",
                  cache_dir: Path | None = None, files_in: str | None = None, paths=()) -> tuple[str, Path]:
    """What the history part of a report depends on, cheaply: (a key, the cache folder).

    The key names the tip commit (its tree gives `.mailmap` and the community files), the branch,
    the community folder, the folder its files are read from (`files_in`, see `read_history`),
    the `paths` that narrow the commits counted, and every tag with its target (tags outside the history are ignored
    later, but listing them all is cheaper than walking). Same key, same `History`.
    Raises what `read_history` raises for a repository it cannot read.
    """
    repo, subdir, tip = _open(repo_path, subdir, ref)
    folder = engine_cache_dir(repo, cache_dir)
    if tip is None:
        return f"unborn/{subdir or ''}", folder
    tags = sorted((r.name, str(r.target)) for r in repo.references.iterator() if r.name.startswith("refs/tags/"))
    parts = [f"tip={tip.id}", f"branch={_branch(repo, ref)}", f"subdir={subdir or ''}",
             f"files={_check_subdir(files_in) or subdir or ''}"]
    if check_paths(paths):
        parts.append("paths=" + "\0".join(check_paths(paths)))
    parts.extend(f"{name}={target}" for name, target in tags)
    return "\n".join(parts), folder


def _tip_info(repo, tip, ref: str, subdir: str | None, history: History, mailmap: str | None = None) -> None:
    """What is read at the tip: its id, date and branch, `.mailmap` and the community files (from
    the folder `subdir`, the community's, then the repository's top). `mailmap`, when given, is
    the `.mailmap` text to use instead of the tip's (a work tree's, read by the caller)."""
    history.commit = str(tip.id)
    history.as_of = (tip.committer.time, tip.committer.offset)
    history.branch = _branch(repo, ref)
    if mailmap is None:
        # .mailmap at the ref: the repository's, then the community folder's (its lines win).
        mailmaps = [_blob_text(tip.tree, MAILMAP_PATH)]
        if subdir:
            mailmaps.append(_blob_text(tip.tree, f"{subdir}/.mailmap"))
        mailmap = "\n".join(t for t in mailmaps if t)
    history.mailmap_text = mailmap
    history.mailmap = Mailmap(history.mailmap_text)
    for name in COMMUNITY_FILES:
        text = _blob_text(tip.tree, f"{subdir}/{name}") if subdir else None
        if text is None:
            text = _blob_text(tip.tree, name)
        if text is not None:
            history.files[name] = text


def read_history(
    repo_path,
    *,
    subdir: str | None = None,
    ref: str = "HEAD",
    cache_dir: Path | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    engine: str = "auto",
    files_in: str | None = None,
    mailmap: str | None = None,
    paths=(),
) -> History:
    """Read the history. `engine` picks who counts lines: "git" (the git command, exactly the
    contract's figures and fastest), "pygit2" (libgit2 only), or "auto" (git when installed).
    `subdir` counts only the commits that change that folder; `.mailmap` and the community files
    are read from `files_in` (default: `subdir`), then from the top: a community in a folder that
    counts the whole repository's history (subdir None) still has its own files read. `mailmap`:
    the `.mailmap` text to resolve authors with instead of the tip's (see `_tip_info`). `paths`:
    only the commits that touch one of them count (see the module doc)."""
    repo, subdir, tip = _open(repo_path, subdir, ref)
    paths = check_paths(paths)
    git_dir = repo.path
    history = History(path=str(repo_path), git_dir=git_dir, subdir=subdir, commit=None, branch=None, as_of=None)
    if tip is None:
        return history  # a repository without commits: an empty report
    _tip_info(repo, tip, ref, _check_subdir(files_in) or subdir, history, mailmap)
    history.as_of = clamped_time(*history.as_of)

    folder = engine_cache_dir(git_dir, cache_dir) if use_cache else None
    cache = HistoryCache(folder, namespace(__version__, subdir))
    records = cache.load()

    # 1. every commit reachable from the tip: cached records, headers read for the rest
    fresh: dict[str, tuple] = {}
    seen: set[str] = set()
    stack = [history.commit]
    while stack:
        cid = stack.pop()
        if cid in seen:
            continue
        seen.add(cid)
        record = records.get(cid)
        if record is None:
            record = fresh[cid] = _header(repo, cid, subdir)
        stack.extend(record[PARENTS])
    history.read = len(fresh)

    def get(cid: str) -> tuple:
        return fresh.get(cid) or records[cid]

    # 2. which new commits need a diff
    todo: list[str] = []
    for cid, record in fresh.items():
        parents = record[PARENTS]
        if len(parents) > 1:
            fresh[cid] = record[:SUMMARY] + (NO_CHANGE,)
        elif subdir and record[SUB] == (get(parents[0])[SUB] if parents else None):
            fresh[cid] = record[:SUMMARY] + (NO_CHANGE,)  # the folder did not change: nothing to read
        else:
            todo.append(cid)

    # 3. diff them, on every core when there are many
    _summarize_new(repo, fresh, todo, subdir, progress, workers, engine)
    history.diffed = len(todo)
    cache.add(list(fresh.values()))
    history.records = {cid: cache.records[cid] for cid in seen}

    _select(history, subdir)
    if paths:
        _narrow(repo, history, paths)
    history.tags = _tags(repo, seen, history.tag_reach, history.tag_objects)
    return history


def _summarize_new(repo, fresh: dict, todo: list, subdir, progress, workers, engine) -> None:
    """Diff the commits in `todo` and put their summary into their records in `fresh`."""
    files = count_lines(repo, todo, subdir, progress, workers, engine)
    for cid in todo:
        fresh[cid] = fresh[cid][:SUMMARY] + (summarize(files[cid]),)


def read_new_commits(repo_path, old_tip: str, tag_reach: dict[str, bool], *, ref: str = "HEAD",
                     cache_dir: Path | None = None, workers: int | None = None, engine: str = "auto",
                     limit: int = 5000, files_in: str | None = None, mailmap: str | None = None,
                     tag_objects: dict | None = None) -> History | None:
    """The commits reachable from the ref but not from `old_tip`, for a community at the root of
    the repository (no subfolder: every commit counts, so the new ones only add to the old).

    Returns a `History` whose `records`, `counted` and `merges` hold only the new commits (its
    tags are all of them, `tag_reach` telling which tag targets `old_tip` reaches; it is updated
    for the new tip), or None when the ref does not descend from `old_tip` or more than `limit`
    commits are new: then the whole history is read. The new records join the per-commit cache.
    `tag_objects`: the last run's `History.tag_objects` (the tags it peeled), kept in its place.
    """
    repo, _, tip = _open(repo_path, None, ref)
    if tip is None:
        return None
    tip_id = str(tip.id)
    old = pygit2.Oid(hex=old_tip)
    history = History(path=str(repo_path), git_dir=repo.path, subdir=None, commit=None, branch=None, as_of=None)
    _tip_info(repo, tip, ref, _check_subdir(files_in), history, mailmap)
    history.as_of = clamped_time(*history.as_of)
    fresh: dict[str, tuple] = {}
    if tip_id != old_tip:
        try:
            walker = repo.walk(tip.id, pygit2.enums.SortMode.NONE)
            walker.hide(old)
            for commit in walker:
                cid = str(commit.id)
                fresh[cid] = _header(repo, cid, None)
                if len(fresh) > limit:
                    return None
        except (KeyError, ValueError, pygit2.GitError):  # the old tip is gone (a forced push, gc)
            return None
        # the ref descends from old_tip exactly when a new commit has it as a parent
        if not any(old_tip in record[PARENTS] for record in fresh.values()):
            return None
    todo = []
    for cid, record in fresh.items():
        if len(record[PARENTS]) > 1:
            fresh[cid] = record[:SUMMARY] + (NO_CHANGE,)
            history.merges.append(cid)
        else:
            todo.append(cid)
            history.counted.append(cid)
    _summarize_new(repo, fresh, todo, None, None, workers, engine)
    history.read, history.diffed = len(fresh), len(todo)
    history.records = fresh
    folder = engine_cache_dir(repo, cache_dir)
    HistoryCache(folder, namespace(__version__, None)).append(list(fresh.values()))

    class Reach:  # reachable from the new tip: a new commit, or reachable from the old tip
        def __contains__(self, cid: str) -> bool:
            if cid in fresh or cid == old_tip:
                return True
            found = tag_reach.get(cid)
            if found is None:  # a tag made since: asked once, then remembered
                found = repo.descendant_of(old, pygit2.Oid(hex=cid))
            return found

    if tag_objects is not None:
        history.tag_objects = tag_objects
    history.tags = _tags(repo, Reach(), tag_reach, history.tag_objects)
    for cid in list(tag_reach):
        tag_reach[cid] = tag_reach[cid] or cid in fresh
    return history


def _branch(repo: pygit2.Repository, ref: str) -> str | None:
    try:
        if ref == "HEAD":
            return None if repo.head_is_detached else repo.head.shorthand
        reference = repo.lookup_reference_dwim(ref)
    except (KeyError, pygit2.GitError, ValueError):
        return None
    name = reference.name
    if name.startswith("refs/heads/"):
        return name[len("refs/heads/") :]
    if name.startswith("refs/remotes/"):
        return name[len("refs/remotes/") :].split("/", 1)[-1]
    return None


def _select(history: History, subdir: str | None) -> None:
    """The commits that count, as `git log [-- PATH]` lists them (see the module doc)."""
    records = history.records
    if not subdir:
        for cid, record in records.items():
            (history.merges if len(record[PARENTS]) > 1 else history.counted).append(cid)
        return
    seen: set[str] = set()
    stack = [history.commit]
    while stack:
        cid = stack.pop()
        if cid in seen:
            continue
        seen.add(cid)
        record = records[cid]
        parents, sub = record[PARENTS], record[SUB]
        if not parents:
            if sub is not None:
                history.counted.append(cid)
        elif len(parents) == 1:
            if records[parents[0]][SUB] != sub:
                history.counted.append(cid)
            stack.append(parents[0])
        else:
            same = next((p for p in parents if records[p][SUB] == sub), None)
            stack.extend([same] if same is not None else parents)
    for cid, record in records.items():
        parents = record[PARENTS]
        if len(parents) > 1 and records[parents[0]][SUB] != record[SUB]:
            history.merges.append(cid)


def _tags(repo: pygit2.Repository, reachable, reach: dict[str, bool] | None = None,
          known: dict[str, tuple[str, int, int]] | None = None) -> list[Tag]:
    """The tags whose commit is in `reachable`; `reach` receives, for every tag's commit, whether
    it is. `known` ({target id: (commit id, time, offset)}, `History.tag_objects`) gives what a
    tag's target peeled to in an earlier run, and receives what is peeled now: a ref's target is
    an object, which never changes, so only new tags are read (a long history has a thousand)."""
    tags = []
    known = {} if known is None else known
    for name in repo.references:
        if not name.startswith("refs/tags/"):
            continue
        try:
            target_id = str(repo.references[name].resolve().target)
        except Exception:
            continue
        peeled = known.get(target_id)
        if peeled is None:
            peeled = _peeled_tag(repo, target_id)
            if peeled is None:
                continue
            known[target_id] = peeled
        cid, time, offset = peeled
        found = cid in reachable
        if reach is not None:
            reach[cid] = found
        if not found:
            continue
        tags.append(Tag(name[len("refs/tags/") :], cid, time, offset))
    tags.sort(key=lambda t: (t.time, t.name))
    return tags


def _peeled_tag(repo: pygit2.Repository, target_id: str) -> tuple[str, int, int] | None:
    """(commit id, time, offset) of a tag ref's target: the commit it peels to, and the tagger's
    date of an annotated tag, else the commit's author date (clamped); None when it does not peel
    to a commit."""
    try:
        target = repo[target_id]
        commit = target.peel(pygit2.Commit)
    except Exception:
        return None
    if isinstance(target, pygit2.Tag) and target.tagger is not None:
        when = (target.tagger.time, target.tagger.offset)
    else:
        when = (commit.author.time, commit.author.offset)
    return (str(commit.id), *clamped_time(*when))
