"""What `commonplace serve` watches, and the loop that turns file events into rebuilds.

Native file events (`watchfiles`), never a scan of the tree: only the folders a build reads are
watched (the input folders of `load.listing`, the folders holding the input files, the bundled
theme), each without its subfolders being followed blindly, so the cache folder, the output
folders and `.git` are never watched at all. A save by an editor is several events (a swap or
backup file, vim's `4913` probe, a write to a temporary file renamed over the original, a few
writes in a row); they come within milliseconds, so waiting `STEP_MS` for quiet turns them into
one rebuild, started well within 100 ms of the save.

`watchfiles` is imported here only, and this module only by `serve`: other commands start
without it.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable

from ..load.listing import INPUT_FILES, INPUT_FOLDERS
from ..resources import themes_dir

# Quiet time that ends a burst of events, and the longest a burst may be grouped for.
STEP_MS = 30
DEBOUNCE_MS = 400

# Files editors write beside the one being saved, never read by a build: vim's swap files
# (.swp, .swx, ...) and its `4913` write probe (4913 + n*123 when taken), `~` backups, Emacs'
# `#autosave#` and `.#lock`, Kate's swap, JetBrains' safe-write files, GNOME's output streams,
# LibreOffice locks, generic `.tmp`/`.part` files.
EDITOR_FILES = re.compile(
    r"""( \.sw[a-p]$ | ~$ | ^\d+$ | ^\#.*\#$ | ^\.\# | \.kate-swp$ | ___jb_(tmp|old)___$
        | ^\.goutputstream- | ^\.~lock\. | \.(tmp|part|crdownload)$ | ^\.DS_Store$ )""",
    re.VERBOSE,
)


def is_editor_file(name: str) -> bool:
    return bool(EDITOR_FILES.search(name))


class WatchedInputs:
    """The paths of a community that a build reads, and the folders to watch for them."""

    def __init__(self, source: Path):
        self.source = Path(source).resolve()
        self.theme = (themes_dir() / "default").resolve()
        self.files = {self.source / rel for rel in INPUT_FILES}
        self.folders = [self.source / rel for rel in INPUT_FOLDERS]

    def folders_to_watch(self) -> list[Path]:
        """Every folder to watch, each on its own (not recursively), sorted: the source itself,
        the existing folders of the input files, and every folder inside an input folder or the
        bundled theme. Computed again after each change, so a new folder is watched from then on."""
        found = {self.source}
        for path in self.files:
            found.update(p for p in path.parents if p.is_relative_to(self.source) and p.is_dir())
        for top in (*self.folders, self.theme):
            if top.is_dir() and not top.is_symlink():
                found.add(top)
                for folder, subfolders, _ in os.walk(top):
                    subfolders[:] = sorted(s for s in subfolders if not s.startswith("."))
                    found.update(Path(folder) / s for s in subfolders)
        return sorted(found)

    def changed_since(self, when: float) -> list[str]:
        """The inputs modified after `when` (a time.time()): what an edit made while the first
        build ran, before the files were watched, left behind. One look, at start only."""
        changed = []
        for folder in self.folders_to_watch():
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.stat(follow_symlinks=False).st_mtime > when and self.matters(entry.path):
                        changed.append(entry.path)
                except OSError:
                    continue
        return sorted(changed)

    def matters(self, path: str) -> bool:
        """Whether a change at `path` may change the site: an input file, a folder on the way to
        one (`.github/` made, say), or a file in an input folder or the theme other than an
        editor's side file or a hidden file (the build reads neither)."""
        changed = Path(path)
        if changed in self.files or any(changed in f.parents for f in self.files):
            return True
        for top in (*self.folders, self.theme):
            if changed == top:
                return True
            if changed.is_relative_to(top):
                inside = changed.relative_to(top).parts
                return not is_editor_file(changed.name) and not any(p.startswith(".") for p in inside)
        return False

    def describe(self, paths: Iterable[str]) -> str:
        """`pages/about.md`, or `pages/about.md and 2 more`: what the terminal line names."""
        names = sorted(self._relative(p) for p in paths)
        if not names:
            return "files"
        return names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")

    def _relative(self, path: str) -> str:
        changed = Path(path)
        for base in (self.source, self.theme.parent.parent):
            if changed.is_relative_to(base):
                return changed.relative_to(base).as_posix()
        return changed.name


def watch_inputs(inputs: WatchedInputs, on_change: Callable[[list[str]], None], stop: threading.Event,
                 ready: threading.Event | None = None, before: Callable[[], Iterable[str]] | None = None) -> None:
    """Call `on_change(changed paths)` after each burst of changes that matter, until `stop` is
    set; `ready` is set once the files are watched, and the paths `before()` returns are taken
    as changed first. The events are read on a thread of their own, so changes made while
    `on_change` runs are seen and make one more call once it returns."""
    pending: set[str] = set()
    lock = threading.Lock()
    arrived = threading.Event()

    def collect(paths: set[str]) -> None:
        with lock:
            pending.update(paths)
        arrived.set()

    # The folders as they are before anything is watched: a later event that leaves a folder's
    # relevant names as they were (an editor's hidden temporary file) makes no rebuild.
    built = Snapshot(inputs.matters)
    built.differing([str(f) for f in inputs.folders_to_watch()])
    reader = threading.Thread(target=read_events, args=(inputs, collect, stop, ready or threading.Event()), name="commonplace-watch", daemon=True)
    reader.start()
    if before is not None:  # what changed before the files were watched joins the first burst
        collect(set(before() or ()))
    while not stop.is_set():
        if not arrived.wait(0.2):
            continue
        arrived.clear()
        with lock:
            changed = built.differing(sorted(pending))
            pending.clear()
        if changed and not stop.is_set():
            on_change(changed)
    reader.join(timeout=1)


class Snapshot:
    """What each changed path held when a rebuild began. One save can reach serve as two bursts
    (a loaded machine stretches the quiet time between an editor's events); the second burst
    then names a file the rebuild already read as it is, and makes no rebuild of its own."""

    MAX_BYTES = 20_000_000  # larger files are taken as changed, not read

    def __init__(self, matters: Callable[[str], bool]) -> None:
        self.matters = matters
        self.seen: dict[str, tuple] = {}

    def differing(self, paths: list[str]) -> list[str]:
        """The paths that differ from when the last rebuild began; records them as they are now."""
        out = []
        for path in paths:
            now = _state(path, self.MAX_BYTES, self.matters)
            if now is None or self.seen.get(path) != now:
                out.append(path)
            if now is not None:
                self.seen[path] = now
        return out


def _state(path: str, max_bytes: int, matters: Callable[[str], bool]) -> tuple | None:
    """("missing",), ("folder", the names in it that matter) or ("file", digest); None when it
    cannot be compared. A folder changes for serve when a file that matters comes or goes, not
    when an editor writes a hidden temporary file in it."""
    import hashlib

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ("missing",)
    except OSError:
        return None
    if os.path.isdir(path) and not os.path.islink(path):
        try:
            return ("folder", tuple(sorted(n for n in os.listdir(path) if matters(os.path.join(path, n)))))
        except OSError:
            return None
    if info.st_size > max_bytes:
        return None
    try:
        with open(path, "rb") as handle:
            return ("file", hashlib.sha256(handle.read()).hexdigest())
    except OSError:
        return None


class Asking:
    """`stop` as watchfiles sees it: it asks `is_set()` only once it watches, so the first
    question sets `ready`."""

    def __init__(self, stop: threading.Event, ready: threading.Event):
        self.stop, self.ready = stop, ready

    def is_set(self) -> bool:
        self.ready.set()
        return self.stop.is_set()


def read_events(inputs: WatchedInputs, collect: Callable[[set[str]], None], stop: threading.Event,
                ready: threading.Event) -> None:
    """Pass each burst of changes that matter to `collect`, until `stop` is set."""
    from watchfiles import watch

    def relevant(change, path: str) -> bool:
        return inputs.matters(path)

    polling = None  # watchfiles' own choice (it polls where events do not work, such as WSL)
    while not stop.is_set():
        folders = inputs.folders_to_watch()
        try:
            events = watch(*folders, watch_filter=relevant, debounce=DEBOUNCE_MS, step=STEP_MS,
                           stop_event=Asking(stop, ready), rust_timeout=0, recursive=False, raise_interrupt=False,
                           ignore_permission_denied=True, force_polling=polling)
            try:
                for changes in events:
                    collect({path for _, path in changes})
                    if inputs.folders_to_watch() != folders:
                        break  # a folder came or went: watch the new set from now on
                else:
                    return  # stopped
            finally:
                events.close()
        except FileNotFoundError:  # a folder went between listing and watching: list again
            stop.wait(STEP_MS / 1000)
        except OSError as exc:
            if polling:
                raise
            polling = True
            print(f"serve: file events are not available ({exc}); checking the files every 0.3 s instead. "
                  "On Linux, raising fs.inotify.max_user_watches or max_user_instances brings them back",
                  file=sys.stderr)
