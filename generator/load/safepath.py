"""Reading files of an untrusted repository: no symlink is ever followed, text must be UTF-8.

A symlink in a repository may point anywhere on the builder's machine (`/etc/passwd`, a key),
so every path is walked one component at a time with `lstat`, and any link stops the walk.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SYMLINK_MESSAGE = "is a symbolic link: not followed (commit the file itself)"
NOT_UTF8_MESSAGE = "is not valid UTF-8 text: save the file as UTF-8"


def walk(root: Path, rel: str) -> tuple[str, os.stat_result | None]:
    """("ok" | "missing" | "symlink", the final lstat) for `root/rel`, following no link."""
    parts = [p for p in rel.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return "missing", None
    current, info = Path(root), None
    for part in parts:
        current = current / part
        try:
            info = os.lstat(current)
        except (FileNotFoundError, NotADirectoryError):
            return "missing", None
        if stat.S_ISLNK(info.st_mode):
            return "symlink", info
    return "ok", info


def plain_file(root: Path, rel: str) -> Path | None:
    """`root/rel` if it is a regular file reached through no symlink, else None."""
    status, info = walk(root, rel)
    return Path(root, rel) if status == "ok" and info is not None and stat.S_ISREG(info.st_mode) else None


def decode(data: bytes) -> tuple[str | None, int]:
    """(text, 0), or (None, the line of the first bad byte) when the bytes are not UTF-8."""
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError as exc:
        return None, data[: exc.start].count(b"\n") + 1
