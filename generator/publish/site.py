"""Publishing the rendered site: written into a staging folder and swapped in whole (a rebuild
links the previous site's unchanged files there rather than writing them); the search index is
made on the way."""

from __future__ import annotations

from pathlib import Path

from ..sitefiles import SiteFiles
from .search import index as search_index
from .staging import Staging, stage_update, write_files, write_site


class SiteOutput:
    """Where a build's files go, chosen before the build renders anything: a new staging folder
    beside `out_dir`, swapped in at the end; a build that fails inside the `with` block discards
    it, and the output folder stays as it was.

    `previous`: each path of the last build with its hash, when `out_dir` holds exactly what that
    build wrote: the unchanged files are then hard-linked from there. `keep`: more paths of
    `out_dir` to carry over as they are (a search index kept for now). None: a whole new site.
    """

    def __init__(self, out_dir: Path, previous: dict[str, str] | None, keep: list[str] = (),
                 spare: dict[str, list] | None = None, keep_spare: bool = False):
        """`spare`, `keep_spare`: what the spare site holds, and whether to keep one (see
        staging.SPARE); `spare_holds` says what it holds after `publish`."""
        self.out_dir = out_dir
        self.previous = previous
        self.keep = list(keep)
        self.staging = Staging(out_dir, spare if previous is not None else None, keep_spare)

    @property
    def spare_holds(self) -> str | None:
        return self.staging.spare_holds

    def __enter__(self) -> SiteOutput:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            self.staging.discard()

    def publish(self, files: SiteFiles, index_language: str | None) -> list[str]:
        """Write `files`; the paths written or removed. `index_language`: index the pages for
        search first (in that language) and add the bundle to `files`; None: no index now."""
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
