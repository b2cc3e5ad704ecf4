"""Rendered pages by key, kept between builds: a CI runner that restores its cache folder but not
the last site renders only the pages whose key (see render.pagekeys) is new.

A rebuild into the folder the last build wrote reads its unchanged pages back from there. A CI
job starts from an empty output folder: without this store it would render every page again,
though the cache it restored holds everything they are made from. The pages live in one file
beside the build cache (`build-<key>.pages`), appended to as pages are rendered, and its index
(key -> offset, length, content hash) in the build cache. Each page read is checked against its
hash, so a file another build rewrote meanwhile, or a truncated one, only costs a render. The
file is rewritten with the pages in use alone when they are less than half of it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

Entry = tuple[int, int, str]  # offset, length, sha256 of the bytes


class PageStore:
    def __init__(self, path: Path | None = None, index: dict[str, Entry] | None = None):
        self.path = path  # None: nothing is kept (no repository, or an incremental-off build)
        self.index: dict[str, Entry] = dict(index or {}) if path is not None else {}
        self.new: dict[str, tuple[bytes, str]] = {}  # key -> (bytes, hash), added by this build
        self._handle = None
        self._pid = 0

    def get(self, key: str) -> tuple[bytes, str] | None:
        """A page's bytes and content hash as rendered under `key`, or None."""
        entry = self.index.get(key)
        if entry is None or self.path is None:
            return None
        offset, length, digest = entry
        try:
            handle = self._open()
            handle.seek(offset)
            data = handle.read(length)
        except (OSError, ValueError):
            return None
        if len(data) != length or hashlib.sha256(data).hexdigest() != digest:
            return None
        return data, digest

    def _open(self):
        # Render workers are forked: each opens the file for itself (a shared offset would race).
        if self._handle is None or self._pid != os.getpid():
            self._handle = open(self.path, "rb")  # noqa: SIM115 - kept open for the build's reads
            self._pid = os.getpid()
        return self._handle

    def has(self, key: str) -> bool:
        return key in self.index or key in self.new

    def put(self, key: str, data: bytes, digest: str) -> None:
        if self.path is not None and not self.has(key):
            self.new[key] = (data, digest)

    def save(self, live: set[str]) -> dict[str, Entry]:
        """Write the pages added, keep only the `live` keys; the index to store with the build
        cache. A store that cannot be written is left as it was (and the pages not kept)."""
        if self.path is None:
            return {}
        kept = {key: entry for key, entry in self.index.items() if key in live}
        new = {key: value for key, value in self.new.items() if key in live}
        try:
            size = os.path.getsize(self.path) if os.path.exists(self.path) else 0
            live_bytes = sum(length for _, length, _ in kept.values())
            if size and live_bytes * 2 < size:
                return self._rewrite(kept, new)
            return self._append(kept, new)
        except OSError:
            return kept
        finally:
            self.close()

    def _append(self, kept: dict[str, Entry], new: dict) -> dict[str, Entry]:
        if not new:
            return kept
        with open(self.path, "ab") as out:
            offset = out.tell()  # past what another build may have appended meanwhile
            for key in sorted(new):
                data, digest = new[key]
                out.write(data)
                kept[key] = (offset, len(data), digest)
                offset += len(data)
        return kept

    def _rewrite(self, kept: dict[str, Entry], new: dict) -> dict[str, Entry]:
        """The pages in use alone, in a new file renamed over the old one."""
        pages = {key: self.get(key) for key in kept}
        pages.update(new)
        handle, tmp = tempfile.mkstemp(prefix=".pages-", dir=self.path.parent)
        index: dict[str, Entry] = {}
        try:
            with os.fdopen(handle, "wb") as out:
                offset = 0
                for key in sorted(pages):
                    if pages[key] is None:
                        continue
                    data, digest = pages[key]
                    out.write(data)
                    index[key] = (offset, len(data), digest)
                    offset += len(data)
            os.replace(tmp, self.path)
        except OSError:
            os.unlink(tmp)
            raise
        return index

    def close(self) -> None:
        if self._handle is not None and self._pid == os.getpid():
            self._handle.close()
        self._handle = None
