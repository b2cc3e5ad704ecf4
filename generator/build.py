"""One build: read and validate everything, then render, then write the output.

A first build (or one into a folder something else touched) writes into a staging folder and
swaps it in; later builds rewrite only the files whose bytes changed, and a build whose inputs
did not change at all does nothing (see `incremental`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import DataError
from .cache.manifest import Manifest, fingerprint, peers_dir
from .publish.search import ENABLE_HINT as SEARCH_HINT
from .publish.search import available as search_available

if TYPE_CHECKING:  # loaded only when something changed (see `build`)
    from .model import Model


@dataclass(frozen=True)
class BuildResult:
    model: Model | None  # None when nothing changed and nothing was loaded
    out_dir: Path
    pages: int
    files: int
    written: list[str] = field(default_factory=list)  # paths (re)written or removed
    warnings: list = field(default_factory=list)
    unchanged: bool = False
    notes: list[str] = field(default_factory=list)  # one-line hints for the user (e.g. how to enable search)
    contents: dict[str, bytes] = field(default_factory=dict, repr=False)  # every file built, by path (empty when unchanged)
    # With `search_later`: brings the search index up to date with this build's pages; returns
    # the paths it wrote. None when the index is already current.
    index_later: Callable[[], list[str]] | None = field(default=None, repr=False)


def build(source: Path, out_dir: Path | None = None, *, base_url: str | None = None,
          history: tuple[Path, str] | None = None, incremental: bool = True,
          search: bool | None = None, search_later: bool = False, strict: bool = False) -> BuildResult:
    """Build `source` into `out_dir` (default `source/_site`).

    `history` = (a path in the repository, a ref) reads the value figures from that revision
    instead of the source's own HEAD: `diff` builds old revisions materialised outside the
    repository this way. `incremental=False` ignores and keeps no manifest. `search`: index the
    site with Pagefind (default: when the `commonplace[search]` extra is installed).
    `search_later`: when the output already has an index, keep it and leave re-indexing to the
    result's `index_later`, so a preview shows the new pages seconds sooner (`serve`).
    `strict`: warnings stop the build as errors do, before anything is written.
    """
    search = search_available() if search is None else search
    notes = [] if search else [SEARCH_HINT]
    source = Path(source)
    out_dir = Path(out_dir) if out_dir else source / "_site"
    use_manifest = incremental and history is None
    previous = Manifest.load(source, out_dir) if use_manifest else None
    options = {"base_url": base_url or "", "out": str(out_dir.resolve()), "search": search}
    stamp = fingerprint(source, options) if use_manifest else ""
    if previous and previous.fingerprint == stamp and previous.output_intact(out_dir):
        return BuildResult(None, out_dir, previous.pages, len(previous.files), [], previous.warnings, True, notes)

    # Imported only now: a rebuild with nothing to do never needs the loader, renderer or value engine.
    from .cache.buildcache import BuildCache
    from .federation import compute_values, load_peers
    from .gitinfo import build_epoch, repo_info
    from .load.loader import load_community
    from .publish.staging import Staging, update_site, write_site
    from .render.site import BuildInfo, epoch_datetime, render_site
    from .publish.search import index as search_index
    from .valuation import community_data
    from .valuation import value_report

    cache = BuildCache.open(source) if use_manifest else BuildCache()
    model = load_community(source, cache=cache)  # raises DataError before anything is written
    if base_url:
        model.config = replace(model.config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    info = repo_info(source)
    if history is not None:
        report = value_report(history[0], model, ref=history[1])
    else:
        report = value_report(source, model) if info.head_commit else None  # no history yet: no value pages
    federation = None
    if model.peers:
        federation = load_peers(model, peers_dir(source))  # a peer never fails this build
        compute_values(federation, community_data)
        model.warnings = sorted(set(model.warnings) | set(federation.warnings))
    if strict and model.warnings:
        raise DataError(list(model.warnings))
    intact = previous is not None and out_dir.is_dir() and previous.output_intact(out_dir)
    # A whole new site goes into a staging folder, the pages as they are rendered; a site we
    # built before is updated in place, file by file, once everything is rendered.
    staging = None if intact else Staging(out_dir)
    try:
        files = render_site(model, BuildInfo(updated=epoch_datetime(build_epoch(info)), commit=info.head_commit),
                            report, federation, search, cache, staging.root if staging else None)
        cache.save()  # everything is parsed and rendered: what this build used is what the next one may need
        kept = {rel: entry for rel, entry in previous.files.items() if rel.startswith(SEARCH_BUNDLE)} \
            if search and search_later and intact else {}
        if search and not kept:
            for rel, data in search_index(files, model.config.language, site=staging.root if staging else None).items():
                files.add(rel, data)
        hashes = {rel: files.digest(rel) for rel in files.files}
        if staging is None:
            written = update_site(files, out_dir, {rel: entry[0] for rel, entry in previous.files.items()
                                                   if rel not in kept}, hashes)
        else:
            write_site(files, staging, frozenset(files.staged))
            written = sorted(files.files)
    except BaseException:
        if staging is not None:
            staging.discard()
        raise
    pages = sum(1 for rel in files.files if rel.endswith(".html"))
    warnings = [str(w) for w in model.warnings]
    later = None
    if use_manifest:
        manifest = Manifest(stamp, {**kept, **_entries(out_dir, hashes)}, warnings, pages)
        if kept:
            later = partial(_index_later, source, out_dir, files, model.config.language, manifest)
            manifest = replace(manifest, fingerprint=INDEX_PENDING + stamp)  # stopped before: not up to date
        manifest.save(source, out_dir)
    return BuildResult(model, out_dir, pages, len(files) + len(kept), written, warnings, notes=notes,
                       contents=files.files, index_later=later)


# Where Pagefind's bundle lives in the site.
SEARCH_BUNDLE = "pagefind/"
# Marks a manifest whose site still has the previous build's search index.
INDEX_PENDING = "index-pending:"


def _entries(out_dir: Path, hashes: dict[str, str]) -> dict[str, list]:
    """Manifest entries of files just written: [hash, size, modification time]."""
    entries = {}
    for rel, digest in hashes.items():
        info = os.lstat(os.path.join(out_dir, rel))
        entries[rel] = [digest, info.st_size, info.st_mtime_ns]
    return entries


def _index_later(source: Path, out_dir: Path, files, language: str, manifest: Manifest) -> list[str]:
    """Replace the kept search index with one of `files`' pages, then record the site as current."""
    from .publish.files import SiteFiles
    from .publish.staging import update_site
    from .publish.search import index as search_index

    bundle = SiteFiles()
    # The output folder holds exactly these pages now (the build wrote them, nothing else runs
    # in between): Pagefind reads them there rather than from a fresh copy.
    for rel, data in search_index(files, language, site=str(out_dir)).items():
        bundle.add(rel, data)
    hashes = {rel: bundle.digest(rel) for rel in bundle.files}
    old = {rel: entry[0] for rel, entry in manifest.files.items() if rel.startswith(SEARCH_BUNDLE)}
    written = update_site(bundle, out_dir, old, hashes)
    entries = {rel: entry for rel, entry in manifest.files.items() if not rel.startswith(SEARCH_BUNDLE)}
    replace(manifest, files={**entries, **_entries(out_dir, hashes)}).save(source, out_dir)
    return written
