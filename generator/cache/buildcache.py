"""Parsed data files and rendered Markdown, kept between builds.

A rebuild after a small change then parses and renders only what changed. Entries are keyed by
content (a file's path, kind and text; a Markdown text) and by a stamp of the code that made them
(every module of the generator, the schemas, the parser versions), so an edited file, generator
or schema never gets an old entry back. A build keeps only the entries it used.

The file holds pickles, and loading a pickle can run code, so it lives where the value engine
keeps its caches: `<git dir>/commonplace-cache/`, which no pull request or fork can write into.
Outside a git repository nothing is kept.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from importlib import metadata
from pathlib import Path

from value.cache import store_pickle

from .. import __version__
from ..resources import package_dir, schemas_dir
from .folders import build_cache_file
from .pagestore import PageStore

FORMAT = 1
_STAMP: list[str] = []


def code_stamp() -> str:
    """The generator's modules and schemas by content, and the parsers' versions."""
    if not _STAMP:
        digest = hashlib.sha256(f"{FORMAT} {__version__} {sys.version}".encode())
        for package in ("PyYAML", "markdown-it-py", "mdit-py-plugins", "Jinja2", "MarkupSafe"):
            try:
                digest.update(f"{package} {metadata.version(package)}\n".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{package} -\n".encode())
        code = package_dir()  # the whole generator, subpackages included, not this module's folder
        files = sorted(code.rglob("*.py")) + sorted(Path(schemas_dir()).glob("*.json"))
        for path in files:
            digest.update(f"{path.relative_to(code) if path.is_relative_to(code) else path.name}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        _STAMP.append(digest.hexdigest())
    return _STAMP[0]


def parse_key(rel: str, kind: str, markdown: bool, text: str) -> str:
    return hashlib.sha256(f"{rel}\0{kind}\0{int(markdown)}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


class BuildCache:
    """`parsed`: key -> pickled (document, body, findings); `markdown`: text -> HTML; `page_texts`:
    which Markdown texts each page rendered; `derived`: key -> anything worked out from inputs
    the key is a digest of (a template's analysis, the open data package's files)."""

    def __init__(self, path: Path | None = None, parsed: dict | None = None, markdown: dict | None = None,
                 page_texts: dict | None = None, derived: dict | None = None, pages: dict | None = None):
        self.path = path
        # Rendered pages by key (see pagestore); `live_pages`: the keys of this build's pages.
        self.pages = PageStore(path.with_suffix(".pages") if path is not None else None, pages)
        self.live_pages: set[str] | None = None
        self.parsed: dict[str, bytes] = parsed or {}
        self.markdown: dict[str, str] = markdown or {}
        # page file -> digests of the Markdown texts it rendered (see render.markdown.text_digest)
        self.page_texts: dict[str, list[str]] = page_texts or {}
        self.derived: dict[str, object] = derived or {}
        self.used_derived: dict[str, object] = {}
        self.used_parsed: dict[str, bytes] = {}
        self.used_markdown: dict[str, str] = {}
        self.used_page_texts: dict[str, list[str]] = {}
        # Parsed files kept as objects by a process that builds again and again (serve's
        # session): rel -> ((rel, kind, markdown), key, pickled result, result). Only the files
        # it says changed are read again (see load.parse.parse_ahead). None: nothing kept.
        self.kept_parses: dict[str, tuple] | None = None

    @classmethod
    def open(cls, source: Path) -> "BuildCache":
        """The cache of the repository holding `source`, or an empty one that keeps nothing."""
        path = build_cache_file(source)
        if path is None:
            return cls()
        try:
            with open(path, "rb") as handle:
                stored = pickle.load(handle)
            if stored.get("stamp") == code_stamp():
                return cls(path, stored["parsed"], stored["markdown"], stored.get("page_texts"),
                           stored.get("derived"), stored.get("pages"))
        except Exception:  # noqa: BLE001 - missing, truncated or foreign: only a missed cache
            pass
        return cls(path)

    def get_parsed(self, key: str) -> bytes | None:
        blob = self.parsed.get(key)
        if blob is not None:
            self.used_parsed[key] = blob
        return blob

    def find_parsed(self, key: str) -> bytes | None:
        """A parse this build made or used, or the last build kept; None. Unlike `get_parsed`,
        it keeps nothing for the next build."""
        return self.used_parsed.get(key) or self.parsed.get(key)

    def put_parsed(self, key: str, blob: bytes) -> None:
        self.used_parsed[key] = blob

    def get_derived(self, key: str):
        """What `put_derived` kept under `key` by this build or the last one, or None."""
        if key in self.used_derived:
            return self.used_derived[key]
        value = self.derived.get(key)
        if value is not None:
            self.used_derived[key] = value
        return value

    def put_derived(self, key: str, value) -> None:
        self.used_derived[key] = value

    def keep_markdown(self, entries: dict[str, str]) -> None:
        self.used_markdown.update(entries)

    def keep_page_texts(self, entries: dict[str, list[str]]) -> None:
        self.used_page_texts.update(entries)

    def carry_over(self) -> None:
        """What this build used becomes what the next build in this process starts from, as
        `save` then `open` would make it, without the disk."""
        self.parsed, self.markdown = self.used_parsed, self.used_markdown
        self.page_texts, self.derived = self.used_page_texts, self.used_derived
        self.used_parsed, self.used_markdown, self.used_page_texts, self.used_derived = {}, {}, {}, {}

    def drop_used(self) -> None:
        """Forget what a failed build used: the next one starts from the last good build's entries."""
        self.used_parsed, self.used_markdown, self.used_page_texts, self.used_derived = {}, {}, {}, {}

    def save_carried(self) -> None:
        """`save` for the last build carried over (see `carry_over`): what it used."""
        self.used_parsed, self.used_markdown = self.parsed, self.markdown
        self.used_page_texts, self.used_derived = self.page_texts, self.derived
        self.save()

    def save(self) -> None:
        """Write what this build used (and nothing else), atomically; silently skipped when the
        git folder cannot be written."""
        if self.path is not None:
            pages = self.pages.save(self.live_pages) if self.live_pages is not None else self.pages.index
            store_pickle(self.path, {"stamp": code_stamp(), "parsed": self.used_parsed, "markdown": self.used_markdown,
                                     "page_texts": self.used_page_texts, "derived": self.used_derived, "pages": pages})
