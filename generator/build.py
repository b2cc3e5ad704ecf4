"""One build: read and validate everything, then render, then write the output.

A first build (or one into a folder something else touched) writes into a staging folder and
swaps it in; later builds rewrite only the files whose bytes changed, and a build whose inputs
did not change at all does nothing (see `incremental`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .incremental import Manifest, fingerprint
from .model import Model
from .search import ENABLE_HINT as SEARCH_HINT
from .search import available as search_available


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


def build(source: Path, out_dir: Path | None = None, *, base_url: str | None = None,
          history: tuple[Path, str] | None = None, incremental: bool = True,
          search: bool | None = None) -> BuildResult:
    """Build `source` into `out_dir` (default `source/_site`).

    `history` = (a path in the repository, a ref) reads the value figures from that revision
    instead of the source's own HEAD: `diff` builds old revisions materialised outside the
    repository this way. `incremental=False` ignores and keeps no manifest. `search`: index the
    site with Pagefind (default: when the `commonplace[search]` extra is installed).
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
    from .buildcache import BuildCache
    from .federation import compute_values, default_cache_dir, load_peers
    from .gitinfo import build_epoch, repo_info
    from .loader import load_community
    from .output import update_site, write_site
    from .render import BuildInfo, epoch_datetime, render_site
    from .search import index as search_index
    from .valuedata import community_data
    from .valuerun import value_report

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
        federation = load_peers(model, default_cache_dir(source))  # a peer never fails this build
        compute_values(federation, community_data)
        model.warnings = sorted(set(model.warnings) | set(federation.warnings))
    files = render_site(model, BuildInfo(updated=epoch_datetime(build_epoch(info)), commit=info.head_commit), report,
                        federation, search, cache)
    cache.save()  # everything is parsed and rendered: what this build used is what the next one may need
    if search:
        for rel, data in search_index(files, model.config.language).items():
            files.add(rel, data)
    hashes = {rel: files.digest(rel) for rel in files.files}
    if previous and out_dir.is_dir() and previous.output_intact(out_dir):
        written = update_site(files, out_dir, {rel: entry[0] for rel, entry in previous.files.items()}, hashes)
    else:
        write_site(files, out_dir)
        written = sorted(files.files)
    pages = sum(1 for rel in files.files if rel.endswith(".html"))
    if use_manifest:
        entries = {}
        for rel, digest in hashes.items():
            info_ = os.lstat(os.path.join(out_dir, rel))
            entries[rel] = [digest, info_.st_size, info_.st_mtime_ns]
        Manifest(stamp, entries, [str(w) for w in model.warnings], pages).save(source, out_dir)
    return BuildResult(model, out_dir, pages, len(files), written, [str(w) for w in model.warnings], notes=notes,
                       contents=files.files)

