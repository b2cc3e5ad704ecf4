"""One build: read and validate everything, then render, then write the output.

`build` is a list of named stages: load (and validate), compute the value report, federate the
peers, make the views, render, publish. Every build writes into a staging folder and swaps it in
whole. A rebuild into the folder the last build left untouched renders only the pages whose
inputs changed (see `render.pagekeys`) and links the files whose bytes did not change from the
previous site; a build whose inputs did not change at all does nothing. What the last build
left, and what this one leaves for the next, is `cache.incremental`'s business.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache.folders import peers_dir
from .cache.incremental import IncrementalState
from .errors import DataError, Finding
from .publish.search import ENABLE_HINT as SEARCH_HINT
from .publish.search import available as search_available

if TYPE_CHECKING:  # loaded only when something changed (see the stages below `build`)
    from .buildinfo import BuildInfo
    from .cache.buildcache import BuildCache
    from .cache.manifest import Manifest
    from .cache.reuse import PreviousSite
    from .federation import Federation
    from .model import Model
    from .sitefiles import SiteFiles
    from .views.stage import SiteViews


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

    @classmethod
    def up_to_date(cls, out_dir: Path, last: Manifest, notes: list[str]) -> BuildResult:
        """A build that had nothing to do: the output holds what the last build (`last`) wrote."""
        return cls(None, out_dir, last.pages, len(last.files), [], last.warnings, unchanged=True, notes=notes)


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
    search, notes = search_setting(search)
    source = Path(source)
    out_dir = Path(out_dir) if out_dir else source / "_site"
    options = {"base_url": base_url or "", "out": str(out_dir.resolve()), "search": search}
    state = IncrementalState(source, out_dir, options, enabled=incremental and history is None)
    if state.up_to_date():
        return BuildResult.up_to_date(out_dir, state.last, notes)
    cache = open_cache(source, state.enabled)
    # load, value, federate, views: raises DataError before anything is written
    inputs = read_inputs(source, cache, base_url=base_url, history=history, strict=strict)
    language = inputs.model.config.language
    # The site goes into a staging folder, made now and discarded if anything below fails; a site
    # we built before lends it its unchanged pages. `serve` may keep its search index for now.
    reuse = state.reusable(keep_index=search and search_later)
    from .publish.site import SiteOutput  # here: a build with nothing to do never loads the writer

    with SiteOutput(out_dir, reuse) as output:
        files = site_files(inputs, search, cache, reuse.site, state.checked())  # render; raises DataError: nothing is published
        cache.save()  # everything is parsed and rendered: what this build used is what the next one may need
        published = output.publish(files, language if search and not reuse.kept else None)
    pages = sum(1 for rel in files.files if rel.endswith(".html"))
    warnings = [str(w) for w in inputs.model.warnings]
    later = state.record(files, published, pages=pages, warnings=warnings, language=language)
    return BuildResult(inputs.model, out_dir, pages, len(files) + len(reuse.kept), published.written, warnings,
                       notes=notes, contents=files.files, index_later=later)


def search_setting(search: bool | None) -> tuple[bool, list[str]]:
    """Whether this build indexes the site for search (None: when the search extra is installed),
    and the hint to print when it does not."""
    installed = search_available()
    search = installed if search is None else search
    return search, [] if search or installed else [SEARCH_HINT]  # `--no-search` with the extra installed needs no hint


# What `build` and `check` share: every stage but publishing, in two steps so that `build` can
# make its staging folder between them (as it always has: before rendering, after validating).

@dataclass(frozen=True)
class BuildInputs:
    """What a build renders: the model (with the federation's warnings), the build's date and
    commit, the value report, the federation, and the views made of them."""

    model: Model
    info: BuildInfo
    report: dict | None
    federation: Federation | None
    views: SiteViews


@dataclass(frozen=True)
class Prepared:
    """Everything a build knows before it writes: its inputs (the views among them: `check`
    prints their advice), and every file of the site, in memory, checked for addresses."""

    model: Model
    info: BuildInfo
    report: dict | None
    views: SiteViews
    files: SiteFiles


def prepare(source: Path, cache: BuildCache, *, base_url: str | None = None,
            history: tuple[Path, str] | None = None, search: bool = False, strict: bool = False,
            peers: Path | None = None) -> Prepared:
    """Every stage of a build but publishing: `read_inputs`, then `site_files`. `build` runs
    the same two and publishes; `check` and `diff` run this and write nothing of the site. Raises
    DataError (located findings) or CommonplaceError."""
    inputs = read_inputs(source, cache, base_url=base_url, history=history, strict=strict, peers=peers)
    files = site_files(inputs, search, cache)
    return Prepared(inputs.model, inputs.info, inputs.report, inputs.views, files)


def read_inputs(source: Path, cache: BuildCache, *, base_url: str | None = None,
                history: tuple[Path, str] | None = None, strict: bool = False,
                peers: Path | None = None, report_of: Callable | None = None) -> BuildInputs:
    """Load and validate (the loader refuses the value settings the engine would: schema bounds and
    `load/valuesettings.py`), the value report, the federation, the views; `strict`:
    warnings are a DataError. `peers`: the folder of the peers' mirrors (default: `source`'s, see `cache.folders`).
    `report_of(source, model)`: the source's value report (default: `valuation.value_report`;
    serve's session keeps it between builds)."""
    model = load_model(source, cache, base_url)
    with warnings_beside(model):
        info = build_info(source)
        report = compute_value(source, model, history, info, report_of)
        federation = federate(source, model, peers)
        if strict and model.warnings:
            raise DataError(list(model.warnings))
    views = make_views(model, info, report, federation)
    return BuildInputs(model, info, report, federation, views)


def site_files(inputs: BuildInputs, search: bool, cache: BuildCache, previous: PreviousSite | None = None,
               checked: tuple[str, dict[str, str]] | None = None) -> SiteFiles:
    """Every file of the site in memory, with no e-mail address in any (the address guard).
    `checked`: what the last build published (see `guard_addresses`)."""
    model, report = inputs.model, inputs.report
    with warnings_beside(model):
        files = render_files(model, inputs.info, report, inputs.views, search, cache, previous)
        guard_addresses(model.root, model, report, files, inputs.federation, checked)
    return files


@contextmanager
def warnings_beside(model: Model):
    """A DataError raised after loading lists the load's warnings too, as one raised by it does."""
    try:
        yield
    except DataError as exc:
        raise DataError(sorted(set(exc.findings) | set(model.warnings))) from None


# The stages. Each imports its code when it runs: a rebuild with nothing to do (above) never
# loads the loader, pygit2, the value engine or the renderer.

def open_cache(source: Path, keep: bool) -> BuildCache:
    """The parsed files and rendered Markdown of earlier builds; with `keep` False, an empty cache
    that keeps nothing."""
    from .cache.buildcache import BuildCache

    return BuildCache.open(source) if keep else BuildCache()


def load_model(source: Path, cache: BuildCache, base_url: str | None) -> Model:
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
    from .buildinfo import BuildInfo, epoch_datetime

    info = repo_info(source)
    return BuildInfo(updated=epoch_datetime(build_epoch(info)), commit=info.head_commit, people=info.head_people,
                     committer=info.head_committer)


def compute_value(source: Path, model: Model, history: tuple[Path, str] | None, info: BuildInfo,
                  report_of: Callable | None = None) -> dict | None:
    """The value report, from `history` (a path in a repository, a ref) or the source's own HEAD
    (by `report_of`, when given)."""
    from .valuation import value_report

    if history is not None:
        report = value_report(history[0], model, ref=history[1])
    else:
        report = (report_of or value_report)(source, model) if info.commit else None  # no history yet: no value pages
    if report is not None:  # commits read otherwise than they claim: said once, as warnings
        model.warnings = sorted(set(model.warnings) | {Finding(".git", 1, 1, note, "warning")
                                                       for note in report.notes or ()})
    if any(plan.settled is not None for plan in model.rewards.values()):
        from .settlement import verify

        warnings, model.settled_splits = verify(history[0] if history is not None else source, model, report)
        model.warnings = sorted(set(model.warnings) | set(warnings))
    return report


def federate(source: Path, model: Model, peers: Path | None = None) -> Federation | None:
    """The peers of `federation.yaml`, read from `peers` (default: `source`'s mirrors), with their
    value figures; their warnings join the model's."""
    if not model.peers:
        return None
    from .federation import compute_values, load_peers
    from .valuation import community_data

    federation = load_peers(model, peers or peers_dir(source))  # a peer never fails this build
    compute_values(federation, community_data)
    model.warnings = sorted(set(model.warnings) | set(federation.warnings))
    return federation


def guard_addresses(source: Path, model: Model, report: dict | None, files: SiteFiles,
                    federation: Federation | None = None, checked: tuple[str, dict[str, str]] | None = None) -> None:
    """Stop the build if any file it made holds a member's, a commit author's or a git peer's
    person's e-mail address. `checked`: the addresses the last build's files were found free of
    (as `files.address_stamp`) and their hashes by path; a file with the same bytes is not read
    again while the addresses are the same (the output folder need not hold it any more: a CI
    runner's is empty)."""
    import hashlib
    import json

    from .publish.addresses import known_addresses, published_addresses

    known = known_addresses(model, report, federation)
    files.address_stamp = hashlib.sha256(json.dumps(known, sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()
    skip = frozenset()
    if checked is not None and checked[0] == files.address_stamp:
        skip = frozenset(rel for rel, digest in files.given_digests().items() if checked[1].get(rel) == digest)
    found = published_addresses(source, files.files, known, skip=skip)
    if found:
        raise DataError(found)


def make_views(model: Model, info: BuildInfo, report: dict | None, federation: Federation | None) -> SiteViews:
    """What the site shows, computed once from the model, the value report and the federation
    (the advice of this community and of each git peer among it)."""
    from .views.stage import make_views as views_of

    return views_of(model, info, report, federation)


def render_files(model: Model, info: BuildInfo, report: dict | None, views: SiteViews, search: bool,
           cache: BuildCache, previous: PreviousSite | None = None) -> SiteFiles:
    """Every file of the site, in memory; the pages of `previous` whose inputs did not change are
    read back rather than rendered."""
    from .render.site import render_site

    return render_site(model, info, report, views, search, cache, previous)
