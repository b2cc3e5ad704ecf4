"""On-disk cache of what was read from each commit, so a rebuild reads only new commits.

Location (`engine_cache_dir`): `<git dir>/commonplace-cache/` by default (inside `.git/`, so it
is never committed and `git clean` leaves it alone); delete the folder at any time. One
append-only file per namespace: `history-<key>.pickle`, a stream of pickled lists of plain
tuples (one tuple per commit: its header and a summary of its changes, not its file list). The
key hashes the cache format, the tool version and the community folder. Identities are stored as written in the commit (before
`.mailmap`), so editing `.mailmap` needs no re-read: resolution is done afterwards on the
distinct addresses, which is instant.

Two more files per (community folder, ref): `report-<slot>.pickle`, a `ReportCache` written by
`report.py`, the last finished report with the key it was built from (a rebuild with nothing
changed reads it), and `resolved-<slot>.pickle`, a `StateLog` written by `fold.py`: the commits
the last report counted with every identity resolved, then the changes appended by each later
rebuild (the commits it added), so a rebuild after new commits reads and resolves only those.
One more per (community folder, data files' parser): `landed-<slot>.pickle`, a `StateLog` written
by `landed.py`: when each commit and data record landed on the default branch, as of its tip, so a
rebuild walks only the branch's new first-parent commits.

The file is only ever read by this tool from the user's own repository folder. Unpickling is
safe here for the same reason reading `.git/config` is: whoever can write into `.git/` already
controls what git itself runs.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

FORMAT = 4  # 2: a per-commit summary (added, removed, documentation lines) instead of file lists;
# 3: times clamped into the supported window, trailers bounded per commit (history.py);
# 4: the summary adds source-code lines added and removed (docfiles.summarize)
_first = itemgetter(0)
COMPACT_AFTER = 64  # chunks; then the file is rewritten as one chunk
CACHE_FOLDER = "commonplace-cache"


def engine_cache_dir(repo_or_git_dir, cache_dir: Path | str | None = None) -> Path:
    """The folder of the caches: `cache_dir` when given, else `<git dir>/commonplace-cache`.
    `repo_or_git_dir` is a `pygit2.Repository` or the path of its git folder (`Repository.path`,
    `pygit2.discover_repository`), not of its work tree."""
    if cache_dir is not None:
        return Path(cache_dir)
    return Path(getattr(repo_or_git_dir, "path", repo_or_git_dir)) / CACHE_FOLDER


def user_cache_dir(repo_or_git_dir) -> Path:
    """`$XDG_CACHE_HOME/commonplace/<key>` (`~/.cache/...` when the variable is unset, empty or
    not an absolute path, as the XDG Base Directory specification says), the key naming the
    repository's git folder: the caches of a repository that holds no community, which are never
    written into it. Made private (mode 0700) if missing, as the specification asks."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    git_dir = Path(getattr(repo_or_git_dir, "path", repo_or_git_dir)).resolve()
    key = hashlib.sha256(str(git_dir).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    folder = root / "commonplace" / key
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in (root / "commonplace", folder):  # one by one: mkdir(parents=True) gives parents the default mode
        path.mkdir(mode=0o700, exist_ok=True)
    return folder


def namespace(tool_version: str, subdir: str | None) -> str:
    text = f"commonplace-history/{FORMAT}/{tool_version}/{subdir or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class HistoryCache:
    """Commit id -> record tuple, loaded at once and appended to in chunks."""

    def __init__(self, folder: Path | None, key: str) -> None:
        self.path = None if folder is None else Path(folder) / f"history-{key}.pickle"
        self.records: dict[str, tuple] = {}
        self._chunks = 0

    def load(self) -> dict[str, tuple]:
        if self.path is None or not self.path.exists():
            return self.records
        good = 0
        try:
            with open(self.path, "rb") as handle:
                while True:
                    try:
                        chunk = pickle.load(handle)
                    except EOFError:
                        break
                    self.records.update(zip(map(_first, chunk), chunk))
                    self._chunks += 1
                    good = handle.tell()
        except Exception:  # a torn write or an old format: keep what was read, drop the rest
            try:
                os.truncate(self.path, good)
            except OSError:
                pass
        return self.records

    def append(self, new: list[tuple]) -> None:
        """Append records without loading the file first (it is compacted on a later full load)."""
        if new and self.path is not None:
            append_pickle(self.path, new)

    def add(self, new: list[tuple]) -> None:
        """Append the records just read; compacts the file now and then. Never fails a build."""
        if not new:
            return
        for record in new:
            self.records[record[0]] = record
        if self.path is None:
            return  # a read-only checkout still gets its report, just without a cache
        if self._chunks + 1 >= COMPACT_AFTER:
            store_pickle(self.path, list(self.records.values()))
            self._chunks = 1
        elif append_pickle(self.path, new):
            self._chunks += 1


# -- the finished report, for a rebuild with nothing changed ---------------------------------
@functools.cache  # the modules do not change under a running process
def code_stamp() -> str:
    """Size and time of every module of the engine: an edited engine never serves an old report."""
    root = Path(__file__).resolve().parent
    stats = []
    for path in sorted(root.rglob("*.py")):
        st = path.stat()
        stats.append(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(stats).encode()).hexdigest()[:16]


def fingerprint(value) -> str:
    """A canonical text of plain data (dataclasses, dicts, lists, sets, scalars), the same in
    every process: dicts and sets are sorted, every scalar carries its type."""
    parts: list[str] = []
    _canon(value, parts)
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


# Exact types that can only reach the scalar rule of `_canon`: written without walking its
# chain of checks (most of a community's data is strings). The text is the same either way, and
# must stay so: stored reports are keyed by it.
_SCALAR_PREFIX = {t: f"{t.__qualname__}:" for t in (str, int, float, bool, type(None), Decimal, date, datetime)}


def _key_order(key) -> tuple[str, str]:
    return type(key).__name__, repr(key)


def _canon(value, out: list[str]) -> None:
    scalar = _SCALAR_PREFIX
    prefix = scalar.get(type(value))
    if prefix is not None:
        out.append(prefix + repr(value))
    elif isinstance(value, dict):
        out.append("{")
        for key in sorted(value, key=_key_order):
            prefix = scalar.get(type(key))
            if prefix is not None:
                out.append(prefix + repr(key))
            else:
                _canon(key, out)
            out.append(":")
            item = value[key]
            prefix = scalar.get(type(item))
            if prefix is not None:
                out.append(prefix + repr(item))
            else:
                _canon(item, out)
            out.append(",")
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[" if isinstance(value, list) else "(")
        for item in value:
            prefix = scalar.get(type(item))
            if prefix is not None:
                out.append(prefix + repr(item))
            else:
                _canon(item, out)
            out.append(",")
        out.append("]")
    elif isinstance(value, (set, frozenset)):
        items = []
        for item in value:
            sub: list[str] = []
            _canon(item, sub)
            items.append("".join(sub))
        out.append("<" + ",".join(sorted(items)) + ">")
    elif hasattr(value, "__dataclass_fields__"):
        out.append(type(value).__qualname__ + "(")
        for name in value.__dataclass_fields__:
            out.append(name + "=")
            _canon(getattr(value, name), out)
            out.append(",")
        out.append(")")
    else:
        out.append(f"{type(value).__qualname__}:{value!r}")


def store_pickle(path: Path, value, *more) -> None:
    """Replace `path` with the pickle of `value` (then of each of `more`, one after another) in
    one rename, so a reader never sees half a file; a folder that cannot be written only costs
    the cache."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(b"".join(pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in (value, *more)))
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def append_pickle(path: Path, value, create: bool = True) -> bool:
    """Append the pickle of `value` to `path` in one write, so concurrent runs append whole
    pickles; False when it could not (a folder that cannot be written only costs the cache).
    Without `create`, a missing file stays missing."""
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | (os.O_CREAT if create else 0), 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        return True
    except OSError:
        return False


def _slot_path(folder: Path | None, slot: str, kind: str) -> Path | None:
    """The file of one (folder, ref) slot: `<kind>-<hash of the slot>.pickle`, None without a folder."""
    if folder is None:
        return None
    name = hashlib.sha256(slot.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Path(folder) / f"{kind}-{name}.pickle"


class StateLog:
    """A state and the changes made to it since, in one file: the first pickle is the key, the
    second the state, each one after it a change (a dict). Writing a change appends it in one
    write; `load` gives the state and the changes whose pickles are whole, in order. The key has
    a pickle of its own so that a stale state (a report of the commit before) is never unpickled
    only to be thrown away."""

    def __init__(self, folder: Path | None, slot: str, kind: str = "state") -> None:
        self.path = _slot_path(folder, slot, kind)

    def load(self, key: str):
        """(state, [changes]) or None when there is none for this key."""
        if self.path is None:
            return None
        try:
            with open(self.path, "rb") as handle:
                if pickle.load(handle) != key:  # (a file of the older format starts with a tuple)
                    return None
                state = pickle.load(handle)
                changes = []
                while True:
                    try:
                        changes.append(pickle.load(handle))
                    except EOFError:
                        break
                    except Exception:  # a torn change: the ones before it stand
                        break
        except Exception:  # missing, torn or of an older format
            return None
        return state, changes

    def write(self, key: str, state) -> None:
        if self.path is not None:
            store_pickle(self.path, key, state)

    def append(self, change) -> None:
        if self.path is not None:
            append_pickle(self.path, change, create=False)  # no log yet: nothing a change could apply to


class ReportCache(StateLog):
    """One finished report per (community folder, ref), stored with the key it was built from: a
    state log that never has changes."""

    def __init__(self, folder: Path | None, slot: str, kind: str = "report") -> None:
        super().__init__(folder, slot, kind)

    def get(self, key: str):
        loaded = self.load(key)
        return None if loaded is None else loaded[0]

    def put(self, key: str, report) -> None:
        self.write(key, report)
