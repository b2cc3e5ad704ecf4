"""Publishing the rendered site: written into a staging folder and swapped in whole (a rebuild
links the previous site's unchanged files there rather than writing them); the search index is
made on the way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..sitefiles import SiteFiles
from .search import index as search_index
from .staging import Staging, stage_update, write_files, write_site, written_entries

if TYPE_CHECKING:
    from ..cache.reuse import Reusable


@dataclass(frozen=True)
class Published:
    """What publishing did: the paths written or removed, and whether the spare beside the
    output folder now holds the site this build replaced (see staging.SPARE)."""

    out_dir: Path
    files: SiteFiles
    written: list[str]
    spare_is_replaced: bool

    def entries(self) -> dict[str, list]:
        """The manifest entries of the files written: [hash, size, modification time]."""
        return written_entries(self.out_dir, self.files.digests())


class SiteOutput:
    """Where a build's files go, chosen before the build renders anything: a new staging folder
    beside `out_dir`, swapped in at the end; a build that fails inside the `with` block discards
    it, and the output folder stays as it was.

    `reuse`: what the last build left there (see cache.reuse.Reusable). When it names the
    last build's site, the unchanged files are hard-linked from there, and its `kept` files are
    carried over as they are (a search index kept for now). None: a whole new site.
    """

    def __init__(self, out_dir: Path, reuse: Reusable | None = None):
        self.out_dir = out_dir
        self.previous = reuse.site.hashes if reuse is not None and reuse.site is not None else None
        self.keep = sorted(reuse.kept) if reuse is not None else []
        spare = reuse.spare if self.previous is not None else None
        self.staging = Staging(out_dir, spare, reuse is not None and reuse.keep_spare)

    def __enter__(self) -> SiteOutput:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            self.staging.discard()

    def publish(self, files: SiteFiles, index_language: str | None) -> Published:
        """Write `files` and swap them in. `index_language`: index the pages for search first (in
        that language) and add the bundle to `files`; None: no index now."""
        written = self._write(files, index_language)
        return Published(self.out_dir, files, written, self.staging.spare_holds == "old")

    def _write(self, files: SiteFiles, index_language: str | None) -> list[str]:
        """The paths written or removed."""
        if self.previous is not None:
            if index_language is not None:
                for rel, data in search_index(files, index_language).items():
                    files.add(rel, data)
            return stage_update(files, self.staging, self.out_dir, self.previous, self.keep)
        if index_language is not None:
            # The pages first: Pagefind reads them from the staging folder rather than from a copy.
            write_files(files, self.staging.root, sorted(files.pages))
            for rel, data in search_index(files, index_language, site=self.staging.root).items():
                files.add(rel, data)
        write_site(files, self.staging, frozenset(files.pages) if index_language is not None else frozenset())
        return sorted(files.files)
