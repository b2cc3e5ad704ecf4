"""What makes a rebuild cheap: a fingerprint of every input, and a manifest of what was written.

A build records, in the community's cache folder, the fingerprint of its inputs, a hash of
every file it wrote and each page's key (see render.pagekeys). The next build with the same
fingerprint, and an output folder nobody touched since, has nothing to do. Otherwise it renders
only the pages whose key changed, reads the others back from the output folder, and writes only
the files whose bytes changed (the rest are hard-linked into the staged site), so unchanged
pages keep their times and a deploy that syncs by content moves only what moved.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..load.documents import documents_stamp, repository_top
from ..load.listing import ECOSYSTEM_FILES, INPUT_FILES, INPUT_FOLDERS
from ..load.mailmaps import MAILMAP_PATH, mailmap_paths
from ..resources import themes_dir
from .folders import manifests_dir, peers_dir
from .gitdir import discover, head_stamp

MANIFEST_VERSION = 3


# A file whose status changed this recently (in nanoseconds) may change again within the same
# tick of the file system's clock, keeping its times: its stat fingerprint is not trusted.
RACY_NS = 2_000_000_000


class ContentHashes:
    """The content hashes of the input files a fingerprint read, by their status (size, times,
    inode), kept for the next one: a file whose status is the same, and was settled (RACY_NS)
    when it was hashed, is not read again. A build after one edit reads one file, not 5,000."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, list] = {}
        self.seen: dict[str, list] = {}
        self.taken = time.time_ns()
        if path is not None:
            try:
                known = json.loads(path.read_text(encoding="utf-8")) if not path.is_symlink() else {}
                self.known = known if isinstance(known, dict) else {}
            except (OSError, ValueError):
                pass

    def get(self, rel: str, info) -> bytes | None:
        entry = self.known.get(rel)
        state = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == state and isinstance(entry[4], str):
            try:
                found = bytes.fromhex(entry[4])
            except ValueError:
                return None
            self.seen[rel] = entry
            return found
        return None

    def put(self, rel: str, info, sha: bytes) -> None:
        if max(info.st_mtime_ns, info.st_ctime_ns) < self.taken - RACY_NS:  # else it may change unseen
            self.seen[rel] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, sha.hex()]

    def save(self) -> None:
        if self.path is None or self.seen == self.known:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(prefix=".hashes-", dir=self.path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(self.seen, sort_keys=True))
            os.replace(tmp, self.path)
        except OSError:
            pass


def _hash_tree(digest, root: Path, rel: str, contents: bool, newest: list[int] | None = None,
               hashes: ContentHashes | None = None) -> None:
    """Feed every regular file under root/rel into the digest, in a stable order, no symlinks:
    its content, or with `contents=False` only its size, modification and change times and
    inode (`newest[0]`: the latest of those times)."""
    _hash_path(digest, os.path.join(root, rel), rel, contents, newest, hashes)


def _hash_path(digest, path: str, rel: str, contents: bool, newest: list[int] | None = None,
               hashes: ContentHashes | None = None) -> None:
    # Plain strings, not Path objects: this runs for every data file on every build.
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        digest.update(f"L {rel}\n".encode())
        return
    if stat.S_ISREG(info.st_mode):
        if not contents:
            digest.update(f"F {rel} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}\n".encode())
            if newest is not None:
                newest[0] = max(newest[0], info.st_mtime_ns, info.st_ctime_ns)
            return
        digest.update(f"F {rel} {info.st_size}\n".encode())
        sha = hashes.get(rel, info) if hashes is not None else None
        if sha is None:
            with open(path, "rb") as handle:
                sha = hashlib.sha256(handle.read()).digest()
            if hashes is not None:
                hashes.put(rel, info, sha)
        digest.update(sha)
        return
    if stat.S_ISDIR(info.st_mode):
        for name in sorted(os.listdir(path)):
            _hash_path(digest, os.path.join(path, name), f"{rel}/{name}", contents, newest, hashes)


def _git_state(source: Path) -> str:
    """HEAD and the refs of fetched peers: what the value figures and the federation read."""
    from ..gitinfo import repo_info

    return _peer_states(source, [repo_info(source).head_commit])


def _git_quick_state(source: Path) -> str:
    """`_git_state` with HEAD's files' states for its commit (see `gitdir.head_stamp`)."""
    found = discover(source)
    return _peer_states(source, [head_stamp(found[0]) if found else ""])


def _peer_states(source: Path, parts: list[str]) -> str:
    peers = peers_dir(source)
    if peers.is_dir():
        for mirror in sorted(peers.iterdir()):
            for name in ("packed-refs", "FETCH_HEAD", "HEAD", "fetch.json"):  # fetch.json: web/, the portals read
                try:
                    parts.append(f"{mirror.name}/{name}:{os.stat(mirror / name).st_mtime_ns}")
                except FileNotFoundError:
                    pass
    return "\n".join(parts)


def quick_fingerprint(source: Path, options: dict) -> tuple[str, bool]:
    """`fingerprint` with the files' status (size, times, inode) for their bytes, and whether
    it can stand for the real one: every file's status changed over RACY_NS ago. A file
    written after that changes its change time (which no program can set back), so an equal
    quick fingerprint, taken when settled, means equal files without reading them."""
    newest = [0]
    taken = time.time_ns()
    digest = fingerprint(source, options, contents=False, newest=newest)
    return digest, newest[0] < taken - RACY_NS


def fingerprint(source: Path, options: dict, contents: bool = True, newest: list[int] | None = None,
                hashes: ContentHashes | None = None) -> str:
    """Everything a build reads. `contents=False` stands for the files by size, times and inode
    instead of their bytes (see `quick_fingerprint`). `hashes`: the community's files' content
    hashes from the last fingerprint, by status (see ContentHashes)."""
    digest = hashlib.sha256()
    digest.update(f"commonplace {__version__} manifest {MANIFEST_VERSION}\n".encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for rel in INPUT_FILES + INPUT_FOLDERS:
        _hash_tree(digest, Path(source), rel, contents, newest, hashes)
    for shown, path in mailmap_paths(Path(source)):  # the repository's top `.mailmap` too, for a folder
        if shown != MAILMAP_PATH:
            _hash_path(digest, str(path), shown, contents, newest)
    top = repository_top(Path(source))
    if top is not None:  # a folder reads the top's funding, citation and owners when it has none
        for rel in ECOSYSTEM_FILES:
            _hash_path(digest, str(top[0] / rel), top[1] + rel, contents, newest)
    digest.update(documents_stamp(Path(source)).encode())  # the licence and the like, the repository top's too
    # the bundled theme, for development installs where it changes without a version bump
    _hash_tree(digest, themes_dir(), "default", contents, newest, hashes)  # "default/…": no community path
    digest.update((_git_state(Path(source)) if contents else _git_quick_state(Path(source))).encode())
    return digest.hexdigest()


def _forget_gone_outputs(current: Path) -> None:
    """Delete the manifests of output folders that no longer exist (a site built into a
    temporary folder, say), so they do not pile up in the cache folder."""
    for other in current.parent.glob("*.json"):
        if other == current or other.is_symlink():
            continue
        try:
            out = json.loads(other.read_text()).get("out")
        except (OSError, ValueError):
            continue
        if isinstance(out, str) and not os.path.isdir(out):
            other.unlink(missing_ok=True)


@dataclass
class Manifest:
    fingerprint: str = ""
    files: dict = field(default_factory=dict)  # rel -> [sha256, size, mtime_ns]
    warnings: list = field(default_factory=list)  # the build's warnings, printed again when skipped
    pages: int = 0
    keys: dict = field(default_factory=dict)  # page file -> its key (see render.pagekeys)
    spare: dict | None = None  # what the spare site beside the output holds, like `files` (publish.staging.SPARE)
    # [quick fingerprint, the fingerprint it stands for], when the files were settled (see
    # quick_fingerprint); the next build with the same quick one does not read the files.
    quick: list | None = None
    # The output's folders' modification times, by path ("" for the output folder); RACY for a
    # folder modified in the last clock tick before they were recorded (see `folder_times`), which
    # is listed instead. A file added or removed anywhere changes its folder's time, so checking
    # these and the files' states finds every change without listing the other folders.
    folders: dict | None = None
    spare_folders: dict | None = None  # the spare's folders' times, as `folders` recorded them for it
    addresses: str = ""  # the e-mail addresses the files were found free of, as a digest (build.guard_addresses)

    @staticmethod
    def path(source: Path, out_dir: Path) -> Path:
        key = hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:16]
        return manifests_dir(source) / f"{key}.json"

    @classmethod
    def load(cls, source: Path, out_dir: Path) -> "Manifest | None":
        path = cls.path(source, out_dir)
        try:
            data = json.loads(path.read_text()) if not path.is_symlink() else None
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        if data.get("version") != MANIFEST_VERSION:
            return None
        spare = None
        if isinstance(data.get("spare_diff"), dict):  # kept as its differences from `files`
            spare = {rel: entry for rel, entry in {**data["files"], **data["spare_diff"]}.items() if entry is not None}
        quick = data.get("quick")
        quick = quick if isinstance(quick, list) and len(quick) == 2 and all(isinstance(q, str) for q in quick) else None
        folders = data.get("folders")
        folders = folders if isinstance(folders, dict) else None
        return cls(fingerprint=data["fingerprint"], files=data["files"], warnings=data.get("warnings", []),
                   pages=data.get("pages", 0), keys=data.get("keys", {}), spare=spare, quick=quick, folders=folders,
                   addresses=data.get("addresses") if isinstance(data.get("addresses"), str) else "",
                   spare_folders=data.get("spare_folders") if isinstance(data.get("spare_folders"), dict) else None)

    def save(self, source: Path, out_dir: Path) -> None:
        path = self.path(source, out_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A new file of our own (never a name a repository could have put a link at), then renamed.
            handle, tmp = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
            data = {"version": MANIFEST_VERSION, "fingerprint": self.fingerprint, "files": self.files,
                    "warnings": self.warnings, "pages": self.pages, "keys": self.keys, "out": str(Path(out_dir).resolve()),
                    "addresses": self.addresses}
            if self.quick is not None:
                data["quick"] = self.quick
            folders = self.folders if self.folders is not None else folder_times(out_dir, self.files)
            if folders is not None:
                data["folders"] = folders
            if self.spare is not None and self.spare_folders is not None:
                data["spare_folders"] = self.spare_folders
            if self.spare is not None:
                data["spare_diff"] = {rel: self.spare.get(rel) for rel in sorted(set(self.files) | set(self.spare))
                                      if self.spare.get(rel) != self.files.get(rel)}
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(data, sort_keys=True))
            os.replace(tmp, path)
            _forget_gone_outputs(path)
        except OSError:
            pass  # a read-only source only loses the shortcut, never the build

    def output_intact(self, out_dir: Path) -> bool:
        """Every file we wrote is still there, untouched (size and time), and nothing else."""
        out_dir = Path(out_dir)
        if not out_dir.is_dir() or out_dir.is_symlink():
            return False
        if self.folders is not None:
            return self._states_intact(str(out_dir))
        seen = 0
        top = os.path.join(out_dir, "")
        for dirpath, _dirnames, filenames in os.walk(out_dir):
            prefix = dirpath[len(top):].replace(os.sep, "/") + "/" if dirpath != str(out_dir) else ""
            for name in filenames:
                entry = self.files.get(prefix + name)
                if entry is None:
                    return False
                info = os.lstat(os.path.join(dirpath, name))
                if info.st_size != entry[1] or info.st_mtime_ns != entry[2]:
                    return False
                seen += 1
        return seen == len(self.files)

    def _states_intact(self, out_dir: str) -> bool:
        """`output_intact` from the recorded states of the folders, then of the files (a folder
        that became a link changes its own state first, so no file is reached through one)."""
        top = os.path.join(out_dir, "")
        listed = [rel for rel, mtime in self.folders.items() if mtime == RACY]
        try:
            for rel, mtime in self.folders.items():
                info = os.lstat(top + rel) if rel else os.lstat(out_dir)
                if not stat.S_ISDIR(info.st_mode) or (mtime != RACY and info.st_mtime_ns != mtime):
                    return False
            if listed and not _names_as_recorded(top, listed, self.files, self.folders):
                return False
            for rel, entry in self.files.items():
                info = os.lstat(top + rel)
                if info.st_size != entry[1] or info.st_mtime_ns != entry[2] or not stat.S_ISREG(info.st_mode):
                    return False
        except (OSError, TypeError, IndexError):
            return False
        return True


# A folder's time comes from the kernel's clock, which moves in ticks of up to 10 ms: a folder
# changed less than this before its time is recorded could change again without its time moving.
FOLDER_TICK_NS = 20_000_000
RACY = -1  # a folder's recorded time when it was too recent to stand for its names


def _names_as_recorded(top: str, folders: list[str], files: dict, recorded: dict) -> bool:
    """Whether each of `folders` holds exactly the files and folders recorded in it."""
    wanted: dict[str, set[str]] = {rel: set() for rel in folders}
    for rel in list(files) + [f for f in recorded if f]:
        parent, _, name = rel.rpartition("/")
        if parent in wanted:
            wanted[parent].add(name)
    return all(set(os.listdir(top + rel if rel else top)) == names for rel, names in wanted.items())


def folder_times(out_dir: Path, files: dict) -> dict | None:
    """The modification time of every folder holding one of `files` (paths in `out_dir`) and of
    their parents, by path, RACY for one modified within FOLDER_TICK_NS (the next build that finds
    the output intact records it, see `IncrementalState.up_to_date`); None when one cannot be read."""
    folders = {""}
    for rel in files:
        parent = os.path.dirname(rel)
        while parent not in folders:
            folders.add(parent)
            parent = os.path.dirname(parent)
    top = os.path.join(out_dir, "")
    taken = time.time_ns()
    times = {}
    try:
        for rel in sorted(folders):
            info = os.lstat(top + rel) if rel else os.lstat(out_dir)
            if not stat.S_ISDIR(info.st_mode):
                return None
            times[rel] = info.st_mtime_ns if info.st_mtime_ns <= taken - FOLDER_TICK_NS else RACY
    except OSError:
        return None
    return times

