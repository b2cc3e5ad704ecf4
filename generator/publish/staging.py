"""The built site written to a staging folder and swapped in whole.

A failed build never touches the previous site, and an interrupted one leaves either the
previous site or the new one, never a mix: a rebuild stages a copy of the previous site made of
hard links (no file is copied) with the changed files written in their place, and one rename
exchanges the two folders. All of it, the old site's deletion included, is done before the
build returns: no process is left behind to finish it.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import CommonplaceError
from ..progress import Progress
from ..sitefiles import SiteFiles, clean_relpath


class Staging:
    """A new folder beside `out_dir` that a whole site is written into, then swapped in.

    Nothing in it is older than this build, so no symlink inside it can redirect a write.
    """

    def __init__(self, out_dir: Path, spare: dict[str, list] | None = None, keep_spare: bool = False):
        """`spare`: what the spare site beside `out_dir` holds (path -> [hash, size, time]), as
        the last build recorded it: the staging folder starts from it (see `base`). `keep_spare`:
        the site this one replaces is kept as the next build's spare."""
        self.out_dir = Path(out_dir)
        if self.out_dir.is_symlink() or self.out_dir.is_file():
            raise CommonplaceError(f"output folder {self.out_dir} is not a folder: remove it or pick another with -o")
        self.parent = self.out_dir.resolve().parent
        self.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.parent, self.out_dir.name)
        self.keep_spare = keep_spare
        self.spare = str(self.parent / f".{self.out_dir.name}.{SPARE}")
        self.root = tempfile.mkdtemp(prefix=f"{_prefix(self.out_dir.name, 'staging')}{os.getpid()}-", dir=self.parent)
        # What the staging folder holds already (path -> [hash, size, time]): None, nothing.
        self.base: dict[str, list] | None = None
        # After the swap, what the spare holds: "old", the site replaced; None, no spare.
        self.spare_holds: str | None = None
        if os.path.lexists(self.spare):
            self._take_spare(spare)

    def _take_spare(self, entries: dict[str, list] | None) -> None:
        """Start from the spare site when it holds exactly `entries`; else delete it."""
        try:
            os.rename(self.spare, self.root)  # onto the empty folder just made: ours from now on
            os.unlink(os.path.join(self.root, SPARE_IGNORE))
        except OSError:
            pass  # a spare without the file is checked all the same
        if entries is not None and os.path.isdir(self.root) and not os.path.islink(self.root) \
                and _holds_exactly(self.root, entries):
            self.base = entries
            return
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = tempfile.mkdtemp(prefix=f"{_prefix(self.out_dir.name, 'staging')}{os.getpid()}-", dir=self.parent)

    def swap(self) -> None:
        """Put the staged site in place of `out_dir` (one rename that exchanges the folders where
        the system has one, else two); the site replaced is the next build's spare or deleted,
        before this returns."""
        os.chmod(self.root, 0o755)
        if self.out_dir.is_dir() and not self.out_dir.is_symlink() and _exchange(self.root, self.out_dir):
            self._retire(self.root)  # the staging folder holds the old site now
            return
        old = None
        if self.out_dir.exists():
            old = tempfile.mkdtemp(prefix=f"{_prefix(self.out_dir.name, 'old')}{os.getpid()}-", dir=self.parent)
            os.rmdir(old)
            os.replace(self.out_dir, old)
        os.replace(self.root, self.out_dir)
        if old is not None:
            self._retire(old)

    def _retire(self, old: str) -> None:
        """The site replaced, still named after this process: the spare (`keep_spare`), else
        deleted. A build killed meanwhile leaves it to the next build (see remove_leftovers)."""
        if self.keep_spare and _rename_new(old, self.spare):
            self.spare_holds = "old"
        else:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


# The site a build replaced, kept beside the output folder as `.<name>.spare` for the next
# build to start its staging folder from: most of a site's folders are there already (creating
# 5,000 page folders takes 0.3 to 2 s on a busy disk, more than linking their files), and only
# the files that differ from it are replaced. Its files are hard links shared with the sites it
# was made from: a file is never written in place, only removed and made anew. The build
# records what it holds; a spare that holds anything else (or a link) is deleted, not used.
#
# Only a rebuild keeps one, and it costs nothing: the site replaced is renamed, not deleted. A
# cold build makes none (CI builds are cold, and a copy of the new site made there is work done
# inside the command for a rebuild that may never come; the first rebuild then links its folders
# from the site itself and keeps the site it replaces). bench/render.py at 5,000 pages, median
# CPU seconds of 5 runs: a spare made by cold builds too, cold 11.11 and the rebuilds after it
# 3.37 and 3.23; no spare at all, 10.34, 3.58 and 3.63 (every rebuild makes every folder and
# deletes a whole site: about four times the wall time here, on a busy machine); a spare kept by
# rebuilds only, 10.49, 3.47 and 3.25.
SPARE = "spare"


def _holds_exactly(root: str, entries: dict[str, list]) -> bool:
    """Whether `root` holds exactly these regular files (size and modification time as
    recorded) and no link anywhere."""
    seen = 0
    top = os.path.join(root, "")
    for dirpath, dirnames, filenames in os.walk(root):
        prefix = dirpath[len(top):] + "/" if dirpath != root else ""
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                return False
        for name in filenames:
            entry = entries.get(prefix + name)
            if entry is None:
                return False
            info = os.lstat(os.path.join(dirpath, name))
            if not stat.S_ISREG(info.st_mode) or info.st_size != entry[1] or info.st_mtime_ns != entry[2]:
                return False
            seen += 1
    return seen == len(entries)


# In the spare only, never published: the spare often sits in the community's repository
# (beside `_site`), where git would list thousands of untracked files without it.
SPARE_IGNORE = ".gitignore"


def _rename_new(source: str, target: str) -> bool:
    """Rename `source` (a site) to the spare `target` unless something is there already."""
    if os.path.lexists(target):
        return False
    try:
        with open(os.path.join(source, SPARE_IGNORE), "x") as handle:
            handle.write("# Commonplace's copy of a site, for its next build\n*\n")
        os.rename(source, target)
    except OSError:
        return False
    return True


def _prefix(name: str, kind: str) -> str:
    return f".{name}.{kind}-"


def remove_leftovers(parent: Path, name: str) -> list[str]:
    """Delete the staging folders (and old sites) beside output folder `name` that a build
    killed before it finished left behind. Each is named after the process that made it: one
    whose process still runs (a build under way) is left alone. Returns the folders removed."""
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        for kind in ("staging", "old"):
            prefix = _prefix(name, kind)
            if not entry.name.startswith(prefix):
                continue
            pid = entry.name[len(prefix):].partition("-")[0]
            if pid.isdigit() and _alive(int(pid)):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                try:
                    os.unlink(entry.path)
                except OSError:
                    continue
            removed.append(entry.path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE); False where the
    system or the file system has no such call, and nothing was changed."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def write_into(root: str, rel: str, data: bytes, made: set[str]) -> None:
    """Write one file into a staging folder; `made` remembers the folders created there.

    The path is checked again as `SiteFiles.add` checks it: this is the last step before the
    disk. Plain strings, not Path objects: this runs for every file of the site."""
    rel = clean_relpath(rel)
    folder = rel.rpartition("/")[0]
    if folder not in made:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        made.add(folder)
    with open(os.path.join(root, rel), "wb") as handle:
        handle.write(data)


# Writing thousands of small files is a good part of a cold build, mostly spent waiting on the
# file system, which releases the GIL: a few threads keep several writes in flight. Cold build
# of 2,000 pages on 2 busy cores, median of 6 alternating runs: 3.94 s writing from one thread,
# 3.41 s from 8, 3.35 s when the render workers wrote the pages themselves.
WRITERS = 8
PARALLEL_WRITES = 64  # fewer files than this are written from this thread alone


def write_files(files: SiteFiles, root: str, paths: list[str]) -> None:
    """Write these of `files` into a staging folder."""
    progress = Progress("Writing files", "files")
    made: set[str] = set()  # two threads may both create a folder: makedirs accepts that
    with ThreadPoolExecutor(WRITERS, thread_name_prefix="commonplace-write") as pool:
        done = pool.map(lambda rel: write_into(root, rel, files.files[rel], made), paths)
        for count, _ in enumerate(done, 1):  # also raises the first failed write here
            progress(count, len(paths))
    progress.done()


def write_site(files: SiteFiles, staging: Staging, written: frozenset[str] = frozenset()) -> None:
    """Write the files not `written` yet into `staging`, then swap it for its output folder.
    The caller owns `staging`: on a failure it discards it, and the output folder is untouched."""
    write_files(files, staging.root, sorted(rel for rel in files.files if rel not in written))
    staging.swap()


def link_into(root: str, rel: str, source: str, data: bytes | None, made: set[str]) -> None:
    """Hard-link `source` (a file of the previous site) into a staging folder; where the file
    system cannot link, write `data` (None: read `source`)."""
    rel = clean_relpath(rel)
    folder = rel.rpartition("/")[0]
    if folder not in made:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        made.add(folder)
    target = os.path.join(root, rel)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        if data is None:
            with open(source, "rb") as handle:
                data = handle.read()
        with open(target, "wb") as handle:
            handle.write(data)


def stage_update(files: SiteFiles, staging: Staging, out_dir: Path, previous: dict[str, str],
                 keep: list[str] = ()) -> list[str]:
    """Stage the new site from the previous one in `out_dir`: the files whose hash is the one in
    `previous` (path -> hash, exactly what the folder holds) and those in `keep` are linked from
    there, the others written; then swap it in. Returns the paths written or removed."""
    out = str(out_dir)
    changed = [rel for rel in sorted(files.files) if previous.get(rel) != files.digest(rel)]
    same = [rel for rel in sorted(files.files) if previous.get(rel) == files.digest(rel)]
    linked = same + [rel for rel in keep if rel not in files.files]
    progress = Progress("Writing files", "files")
    made: set[str] = set()
    root = staging.root
    report = changed
    if staging.base is not None:  # started from the spare: only what differs from it is done
        fitting, made = _refit_spare(root, staging.base, files)
        changed = [rel for rel in changed if rel not in fitting]
        linked = [rel for rel in linked if rel not in fitting]

    def put(rel: str, link: bool) -> None:
        if link:
            link_into(root, rel, os.path.join(out, clean_relpath(rel)), files.files.get(rel), made)
        else:
            write_into(root, rel, files.files[rel], made)

    # A link is one quick system call, cheaper than handing it to a thread (5,000 links: 0.05 s
    # here, against about 0.4 s through the pool): threads only write, and only many files.
    done = 0
    if len(changed) >= PARALLEL_WRITES:
        with ThreadPoolExecutor(WRITERS, thread_name_prefix="commonplace-write") as pool:
            for done, _ in enumerate(pool.map(lambda rel: put(rel, False), changed), 1):
                progress(done, len(changed) + len(linked))
    else:
        for done, rel in enumerate(changed, 1):
            put(rel, False)
    for count, rel in enumerate(linked, done + 1):
        put(rel, True)
        if count % 256 == 0:
            progress(count, len(changed) + len(linked))
    progress.done()
    staging.swap()
    removed = sorted(set(previous) - set(files.files) - set(keep))
    return sorted(report + removed)


def _refit_spare(root: str, base: dict[str, list], files: SiteFiles) -> tuple[set[str], set[str]]:
    """Remove from a staging folder made from the spare (holding `base`) every file that is not
    one of `files` with the same bytes, and the folders left empty. Returns the files that
    stay, and the folders that hold them."""
    fitting = {rel for rel, entry in base.items() if rel in files.files and entry[0] == files.digest(rel)}
    emptied = set()
    for rel in base:
        if rel not in fitting:
            os.unlink(os.path.join(root, clean_relpath(rel)))
            if rel not in files.files:
                emptied.add(rel.rpartition("/")[0])
    for folder in sorted(emptied, key=lambda f: -f.count("/")):
        while folder:  # a page gone leaves no empty folder behind
            try:
                os.rmdir(os.path.join(root, folder))
            except OSError:
                break
            folder = folder.rpartition("/")[0]
    return fitting, {rel.rpartition("/")[0] for rel in fitting}


def update_site(files: SiteFiles, out_dir: Path, previous: dict, hashes: dict) -> list[str]:
    """Rewrite only what changed in an output folder we built before; returns the paths written.

    `previous` maps each path of the last build to its content hash, `hashes` each path of this
    build. Each file is replaced atomically (temporary file, then rename), and files the new
    build no longer makes are removed. Everything was rendered before the first write, so a
    failing build still never gets here.
    """
    out_dir = Path(out_dir)
    written = []
    for rel in sorted(files.files):
        data = files.files[rel]
        # Paths were checked when added; the caller checked that the folder holds exactly what
        # the last build wrote (Manifest.output_intact), so it hides no symlink either.
        target = out_dir / rel
        if previous.get(rel) == hashes[rel]:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        written.append(rel)
    for rel in sorted(set(previous) - set(files.files)):
        stale = out_dir / rel
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
            written.append(rel)
            for folder in stale.parents:  # a removed page leaves no empty folder behind
                if folder == out_dir or any(folder.iterdir()):
                    break
                folder.rmdir()
    return written


def written_entries(out_dir: Path, hashes: dict[str, str]) -> dict[str, list]:
    """Manifest entries of files just written: [hash, size, modification time]."""
    entries = {}
    for rel, digest in hashes.items():
        info = os.lstat(os.path.join(out_dir, rel))
        entries[rel] = [digest, info.st_size, info.st_mtime_ns]
    return entries
