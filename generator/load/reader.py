"""The community's files, read from the work tree without ever following a link, within the size bound."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import Findings
from . import safepath
from .yamlsafe import MAX_BYTES


class FileReader:
    """Reads files under the community root without ever following a symlink.

    Any object with the same four methods (`exists`, `list_dir`, `read_text`, and the
    constructor's `(root, findings)`) can stand in for it: federation reads peers from git
    objects this way.
    """

    def __init__(self, root: Path, findings: Findings):
        self.root = root
        self.findings = findings

    def _is_plain(self, rel: str, *, warn: bool = True) -> bool:
        status, _info = safepath.walk(self.root, rel)
        if status == "symlink" and warn:
            self.findings.warning(rel, 1, 1, safepath.SYMLINK_MESSAGE)
        return status == "ok"

    def exists(self, rel: str) -> bool:
        return self._is_plain(rel, warn=False)

    def list_dir(self, folder: str) -> list[str]:
        if not self._is_plain(folder):
            return []
        path = self.root / folder
        if not path.is_dir():
            return []
        names = []
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                self.findings.warning(f"{folder}/{entry.name}", 1, 1, safepath.SYMLINK_MESSAGE)
            elif entry.is_file(follow_symlinks=False):
                names.append(entry.name)
        return names

    def read_text(self, rel: str) -> str | None:
        if not self._is_plain(rel):
            return None
        # Opened without following a link, in case the file became one since it was checked:
        # the status is the opened file's, and what is read is what was checked.
        try:
            handle = os.open(os.path.join(self.root, rel), os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        if not stat.S_ISREG(os.fstat(handle).st_mode):  # a folder or a FIFO: nothing to read
            os.close(handle)
            return None
        with os.fdopen(handle, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)  # one byte past the bound tells a file too large
        if len(data) > MAX_BYTES:
            self.findings.error(rel, 1, 1, f"file is larger than {MAX_BYTES // 1000} kB")
            return None
        text, bad_line = safepath.decode(data)
        if text is None:
            self.findings.error(rel, bad_line, 1, safepath.NOT_UTF8_MESSAGE)
        return text


def read_file(reader, rel: str) -> tuple[str | None, list]:
    """The text of one data file (None when it cannot be used) and the findings about it."""
    local = Findings()
    saved, reader.findings = reader.findings, local
    try:
        text = reader.read_text(rel)
    finally:
        reader.findings = saved
    return text, local.items
