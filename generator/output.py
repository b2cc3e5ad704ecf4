"""The built site in memory, then written to a staging folder and swapped in whole.

Every output path is checked to stay inside the output folder; a failed build never touches the
previous site.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import tempfile
from pathlib import Path

from .errors import CommonplaceError
from .progress import Progress


class UnsafePath(CommonplaceError):
    pass


def clean_relpath(rel: str) -> str:
    """A normalised relative POSIX path, or UnsafePath if it could leave the output folder."""
    if not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise UnsafePath(f"refusing to write {rel!r}: not a plain relative path")
    norm = posixpath.normpath(rel)
    if norm in (".", "..") or norm.startswith("../"):
        raise UnsafePath(f"refusing to write {rel!r}: it would leave the output folder")
    return norm


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SiteFiles:
    """Output files by relative path. Adding the same path twice is a bug, so it raises."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._digests: dict[str, str] = {}  # given by whoever already hashed the content

    def add(self, rel: str, content: str | bytes, digest: str | None = None) -> None:
        rel = clean_relpath(rel)
        if rel in self.files:
            raise UnsafePath(f"two parts of the site want to write {rel!r}")
        self.files[rel] = content.encode("utf-8") if isinstance(content, str) else content
        if digest is not None:
            self._digests[rel] = digest

    def digest(self, rel: str) -> str:
        """The content hash of a file (`content_hash` of its bytes)."""
        return self._digests.get(rel) or content_hash(self.files[rel])

    def __contains__(self, rel: str) -> bool:
        return rel in self.files

    def __len__(self) -> int:
        return len(self.files)


def write_site(files: SiteFiles, out_dir: Path) -> None:
    """Write into a sibling staging folder, then swap it for `out_dir` in two renames."""
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=parent))
    progress = Progress("Writing files", "files")
    try:
        made: set[str] = set()
        root = str(staging)
        for count, rel in enumerate(sorted(files.files), 1):
            progress(count, len(files.files))
            # `add` already refused anything that could leave the folder (clean_relpath), and the
            # staging folder is new, so no symlink inside it can redirect a write. Plain strings,
            # not Path objects: this runs for every file of the site.
            folder, _, _ = rel.rpartition("/")
            if folder not in made:
                os.makedirs(os.path.join(root, folder), exist_ok=True)
                made.add(folder)
            with open(os.path.join(root, rel), "wb") as handle:
                handle.write(files.files[rel])
        progress.done()
        os.chmod(staging, 0o755)
        old = None
        if out_dir.is_symlink() or out_dir.is_file():
            raise CommonplaceError(f"output folder {out_dir} is not a folder: remove it or pick another with -o")
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.rmdir(old)
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
