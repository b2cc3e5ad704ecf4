"""The built site written to a staging folder and swapped in whole, or updated file by file.

A failed build never touches the previous site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import CommonplaceError
from ..progress import Progress
from .files import SiteFiles, clean_relpath


class Staging:
    """A new folder beside `out_dir` that a whole site is written into, then swapped in.

    Nothing in it is older than this build, so no symlink inside it can redirect a write.
    Pages may be written into it as they are rendered, by any process (see `write_into`).
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        if self.out_dir.is_symlink() or self.out_dir.is_file():
            raise CommonplaceError(f"output folder {self.out_dir} is not a folder: remove it or pick another with -o")
        self.parent = self.out_dir.resolve().parent
        self.parent.mkdir(parents=True, exist_ok=True)
        self.root = tempfile.mkdtemp(prefix=f".{self.out_dir.name}.staging-", dir=self.parent)

    def swap(self) -> None:
        """Put the staged site in place of `out_dir` (two renames), then delete the old one."""
        os.chmod(self.root, 0o755)
        old = None
        if self.out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=self.parent))
            os.rmdir(old)
            os.replace(self.out_dir, old)
        os.replace(self.root, self.out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def write_into(root: str, rel: str, data: bytes, made: set[str]) -> None:
    """Write one file into a staging folder; `made` remembers the folders this process created.

    The path is checked here as `SiteFiles.add` checks it, since a page may be written before it
    is added. Plain strings, not Path objects: this runs for every file of the site."""
    rel = clean_relpath(rel)
    folder = rel.rpartition("/")[0]
    if folder not in made:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        made.add(folder)
    with open(os.path.join(root, rel), "wb") as handle:
        handle.write(data)


def write_site(files: SiteFiles, staging: Staging, written: frozenset[str] = frozenset()) -> None:
    """Write the files not `written` yet into `staging`, then swap it for its output folder.
    The caller owns `staging`: on a failure it discards it, and the output folder is untouched."""
    progress = Progress("Writing files", "files")
    made: set[str] = set()
    todo = sorted(rel for rel in files.files if rel not in written)
    for count, rel in enumerate(todo, 1):
        progress(count, len(todo))
        write_into(staging.root, rel, files.files[rel], made)
    progress.done()
    staging.swap()


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
