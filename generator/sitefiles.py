"""The built site in memory: output files by relative path, each path checked to stay inside the
output folder. Rendering fills it and publishing writes it, so it lives below both.
"""

from __future__ import annotations

import hashlib
import posixpath

from .errors import CommonplaceError


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
        # The rendered pages' paths: a new site's staging folder gets them first, for search to index.
        self.pages: set[str] = set()
        # Each page's key (see render.pagekeys), kept by the manifest for the next build.
        self.keys: dict[str, str] = {}
        # The addresses these files were checked for, as a digest (see build.guard_addresses).
        self.address_stamp: str = ""

    def add(self, rel: str, content: str | bytes, digest: str | None = None) -> None:
        rel = clean_relpath(rel)
        if rel in self.files:
            raise UnsafePath(f"two parts of the site want to write {rel!r}")
        self.files[rel] = content.encode("utf-8") if isinstance(content, str) else content
        if digest is not None:
            self._digests[rel] = digest

    def digest(self, rel: str) -> str:
        """The content hash of a file (`content_hash` of its bytes), computed once."""
        digest = self._digests.get(rel)
        if digest is None:
            digest = self._digests[rel] = content_hash(self.files[rel])
        return digest

    def given_digests(self) -> dict[str, str]:
        """The content hashes known without reading the bytes (given when the files were added)."""
        return dict(self._digests)

    def digests(self) -> dict[str, str]:
        """Every file's content hash, by path."""
        return {rel: self.digest(rel) for rel in self.files}

    def __contains__(self, rel: str) -> bool:
        return rel in self.files

    def __len__(self) -> int:
        return len(self.files)
