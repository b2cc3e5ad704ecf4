"""Publishing the rendered site: a new site is written into a staging folder and swapped in whole,
a site built before is updated file by file; the search index is made on the way."""

from __future__ import annotations

from pathlib import Path

from .files import SiteFiles
from .search import index as search_index
from .staging import Staging, update_site, write_files, write_site


def publish_site(files: SiteFiles, out_dir: Path, previous: dict[str, str] | None, index_language: str | None) -> list[str]:
    """Write `files` to `out_dir`; the paths written or removed.

    `previous`: each path of the last build with its hash, when `out_dir` holds exactly what that
    build wrote (it is then updated in place); None for a whole new site. `index_language`: index
    the pages for search (in that language) and add the bundle to `files`; None: no index now.
    """
    if previous is not None:
        if index_language is not None:
            for rel, data in search_index(files, index_language).items():
                files.add(rel, data)
        return update_site(files, out_dir, previous, files.digests())
    staging = Staging(out_dir)
    try:
        if index_language is not None:
            # The pages first: Pagefind reads them from the staging folder rather than from a copy.
            write_files(files, staging.root, sorted(files.pages))
            for rel, data in search_index(files, index_language, site=staging.root).items():
                files.add(rel, data)
        write_site(files, staging, frozenset(files.pages) if index_language is not None else frozenset())
    except BaseException:
        staging.discard()
        raise
    return sorted(files.files)
