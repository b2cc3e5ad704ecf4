"""One build: read and validate everything, then render, then write the output.

Every build writes into a staging folder and swaps it in whole. A rebuild into the folder the
last build left untouched renders only the pages whose inputs changed (see `render.pagekeys`)
and links the files whose bytes did not change from the previous site; a build whose inputs did
not change at all does nothing (see `cache.manifest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache.folders import peers_dir
from .cache.manifest import Manifest, fingerprint, quick_fingerprint
from .errors import DataError
from .publish.search import ENABLE_HINT as SEARCH_HINT
from .publish.search import available as search_available
from .publish.search import defer_index, kept_index
from .publish.site import SiteOutput
from .publish.staging import written_entries

if TYPE_CHECKING:  # loaded only when something changed (see the stages below `build`)
    from .cache.buildcache import BuildCache
    from .federation import Federation
    from .model import Model
    from .publish.files import SiteFiles
    from .render.context import BuildInfo
    from .render.site import Previous


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
    installed = search_available()
    search = installed if search is None else search
    notes = [] if search or installed else [SEARCH_HINT]  # `--no-search` with the extra installed needs no hint
    source = Path(source)
    out_dir = Path(out_dir) if out_dir else source / "_site"
    use_manifest = incremental and history is None
    previous = Manifest.load(source, out_dir) if use_manifest else None
    options = {"base_url": base_url or "", "out": str(out_dir.resolve()), "search": search}
    quick, settled = quick_fingerprint(source, options) if use_manifest else ("", False)
    if previous and previous.quick and previous.quick[0] == quick:
        stamp = previous.quick[1]  # the same files, untouched since they were read: not read again
    else:
        stamp = fingerprint(source, options) if use_manifest else ""
    if previous and previous.fingerprint == stamp and previous.output_intact(out_dir):
        if settled and previous.quick != [quick, stamp]:  # the next build need not read the files
            replace(previous, quick=[quick, stamp]).save(source, out_dir)
        return BuildResult(None, out_dir, previous.pages, len(previous.files), [], previous.warnings, True, notes)

    cache = open_cache(source, use_manifest)
    model = load(source, cache, base_url)  # raises DataError before anything is written
    info = build_info(source)
    report = value(source, model, history, info)
    federation = federate(source, model)
    if strict and model.warnings:
        raise DataError(list(model.warnings))
    # The site goes into a staging folder, made now and discarded if anything below fails; a site
    # we built before lends it its unchanged pages. `serve` may keep its search index for now
    # (see defer_index).
    intact = previous is not None and out_dir.is_dir() and previous.output_intact(out_dir)
    kept = kept_index(previous) if search and search_later and intact else {}
    old = {rel: entry[0] for rel, entry in previous.files.items() if rel not in kept} if intact else None
    spare = previous.spare if intact else None
    # A rebuild keeps the site it replaces as the next build's spare: we know what it holds.
    keep_spare = use_manifest and intact
    with SiteOutput(out_dir, old, sorted(kept), spare, keep_spare) as output:
        reuse = previous_site(out_dir, old, previous.keys) if old is not None else None
        files = render(model, info, report, federation, search, cache, reuse)
        guard_addresses(source, model, report, files)  # raises DataError: nothing is published
        cache.save()  # everything is parsed and rendered: what this build used is what the next one may need
        written = output.publish(files, model.config.language if search and not kept else None)

    pages = sum(1 for rel in files.files if rel.endswith(".html"))
    warnings = [str(w) for w in model.warnings]
    later = None
    if use_manifest:
        entries = {**kept, **written_entries(out_dir, files.digests())}
        # the spare: the site this one replaced, the last build's files
        spare = previous.files if output.spare_holds == "old" and previous is not None else None
        manifest = Manifest(stamp, entries, warnings, pages, files.keys, spare, [quick, stamp] if settled else None)
        if kept:
            manifest, later = defer_index(manifest, source, out_dir, files, model.config.language)
        manifest.save(source, out_dir)
    return BuildResult(model, out_dir, pages, len(files) + len(kept), written, warnings, notes=notes,
                       contents=files.files, index_later=later)


# The stages. Each imports its code when it runs: a rebuild with nothing to do (above) never
# loads the loader, pygit2, the value engine or the renderer.

def open_cache(source: Path, keep: bool) -> BuildCache:
    """The parsed files and rendered Markdown of earlier builds; with `keep` False, an empty cache
    that keeps nothing."""
    from .cache.buildcache import BuildCache

    return BuildCache.open(source) if keep else BuildCache()


def load(source: Path, cache: BuildCache, base_url: str | None) -> Model:
    """The community, read and validated (DataError lists every problem); `base_url` replaces the
    configured one."""
    from .load.loader import load_community

    model = load_community(source, cache=cache)
    if base_url:
        model.config = replace(model.config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return model


def build_info(source: Path) -> BuildInfo:
    """What git says about this build: its time (SOURCE_DATE_EPOCH, else the last commit's) and commit."""
    from .gitinfo import build_epoch, repo_info
    from .render.context import BuildInfo, epoch_datetime

    info = repo_info(source)
    return BuildInfo(updated=epoch_datetime(build_epoch(info)), commit=info.head_commit)


def value(source: Path, model: Model, history: tuple[Path, str] | None, info: BuildInfo) -> dict | None:
    """The value report, from `history` (a path in a repository, a ref) or the source's own HEAD."""
    from .valuation import value_report

    if history is not None:
        return value_report(history[0], model, ref=history[1])
    return value_report(source, model) if info.commit else None  # no history yet: no value pages


def federate(source: Path, model: Model) -> Federation | None:
    """The peers of `federation.yaml`, with their value figures; their warnings join the model's."""
    if not model.peers:
        return None
    from .federation import compute_values, load_peers
    from .valuation import community_data

    federation = load_peers(model, peers_dir(source))  # a peer never fails this build
    compute_values(federation, community_data)
    model.warnings = sorted(set(model.warnings) | set(federation.warnings))
    return federation


def guard_addresses(source: Path, model: Model, report: dict | None, files: SiteFiles) -> None:
    """Stop the build if any file it made holds a member's or a commit author's e-mail address."""
    from .publish.addresses import known_addresses, published_addresses

    found = published_addresses(source, files.files, known_addresses(model, report))
    if found:
        raise DataError(found)


def previous_site(out_dir: Path, hashes: dict[str, str], keys: dict[str, str]) -> Previous:
    from .render.site import Previous

    return Previous(out_dir, hashes, keys)


def render(model: Model, info: BuildInfo, report: dict | None, federation: Federation | None, search: bool,
           cache: BuildCache, previous: Previous | None = None) -> SiteFiles:
    """Every file of the site, in memory; the pages of `previous` whose inputs did not change are
    read back rather than rendered."""
    from .render.site import render_site

    return render_site(model, info, report, federation, search, cache, previous)
