"""A builder that lives as long as `serve`: what one build worked out stays in memory for the next.

`commonplace build` is one process per build, so everything it knows between builds goes
through the disk: the build cache is a pickle read and written whole, the files are all read
again to find the few that changed, the value report comes from the engine's cache, and the
pages that did not change are read back from the output folder. A `BuildSession` runs the same
stages (`build.read_inputs`, `build.site_files`, publishing) and keeps, between its builds:

- the build cache, carried over in memory (`BuildCache.carry_over`) and written to disk once,
  when the session closes;
- every data file parsed, as objects: a build reads again only the files it is told changed
  (`build(changed)`, the paths the watcher saw; None: every file);
- the value report, given again while HEAD and what the engine reads of the model (its
  `CommunityData`, the `.mailmap` files, which history counts) are the same;
- the last site: its files' bytes, hashes and page keys, so an unchanged page is taken from
  memory rather than read back, and no fingerprint of the inputs or walk of the output folder
  is needed to know what it holds (the session is its one writer).

`BuildSession.build` makes the calls `build.build` makes, in the same order, with its own state
and cache: an argument given to a stage there (what the last build published, say) is given here
too, or the session builds the same site more slowly.

The record the next `commonplace build` or `serve` reads (the manifest) is still written, after
the build has answered (`settle`). Its fingerprint is left empty: the session never reads every
file, so it cannot vouch for them, and the next process to build into the folder renders again
what changed, reusing the rest by page key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .build import BuildResult, read_inputs, search_setting, site_files
from .cache.buildcache import BuildCache
from .cache.incremental import IncrementalState
from .cache.manifest import Manifest
from .cache.reuse import PreviousSite, Reusable
from .publish.search import kept_index
from .publish.site import SiteOutput

if TYPE_CHECKING:
    from .model import Model


@dataclass(frozen=True)
class MemorySite(PreviousSite):
    """The last site of this session: a page's bytes come from memory (`contents`), and only
    from the output folder when memory lacks them."""

    contents: dict[str, bytes] = field(default_factory=dict)

    def read_back(self, rel: str) -> tuple[bytes | None, str | None]:
        data, digest = self.contents.get(rel), self.hashes.get(rel)
        if data is not None and digest is not None:
            return data, digest
        return super().read_back(rel)


class SessionState(IncrementalState):
    """`IncrementalState` for a build that follows one of this session's own: the last build's
    manifest and files are in memory, and the output folder holds what it published (nothing
    else writes there), so no input is fingerprinted and the folder is not walked."""

    def __init__(self, source: Path, out_dir: Path, last: Manifest, contents: dict[str, bytes]):
        # Not IncrementalState's: it reads the manifest and fingerprints every input.
        self.source, self.out_dir, self.enabled = Path(source), Path(out_dir), True
        self.last, self.contents = last, contents
        self.quick, self.settled, self.stamp = "", False, ""  # see the module's note on the fingerprint
        self.kept: dict[str, list] = {}

    def up_to_date(self) -> bool:
        return False  # the watcher said something changed

    def reusable(self, keep_index: bool = False) -> Reusable:
        self.kept = kept_index(self.last) if keep_index else {}
        hashes = {rel: entry[0] for rel, entry in self.last.files.items() if rel not in self.kept}
        site = MemorySite(out_dir=self.out_dir, hashes=hashes, keys=self.last.keys, contents=self.contents)
        return Reusable(site=site, kept=self.kept, spare=self.last.spare, spare_folders=self.last.spare_folders,
                        keep_spare=True)


class KeptReport:
    """The value report of the last build, given again while what it was computed from is the
    same: HEAD, the model as the engine reads it, the `.mailmap` files, which history counts."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.report = None

    def __call__(self, source: Path, model: Model):
        from .gitinfo import repo_info
        from .load.mailmaps import read_mailmaps
        from .valuation import community_data, value_report

        key = (repo_info(source).head_commit, community_data(model), tuple(read_mailmaps(source)),
               model.config.history, tuple(model.config.paths))
        if key != self.key:
            self.key, self.report = None, None
            self.report = value_report(source, model)
            self.key = key
        return self.report


class BuildSession:
    """Builds of one source into one output folder, again and again, in one process: `build`
    after each change, `settle` once its answer is out, `close` at the end."""

    def __init__(self, source: Path, out_dir: Path, base_url: str | None, search: bool | None = None):
        self.source = Path(source).resolve()
        self.out_dir = Path(out_dir)
        self.base_url = base_url
        self.search = search
        self.cache: BuildCache | None = None  # opened by the first build
        self.parses: dict[str, tuple] = {}  # see BuildCache.kept_parses
        self.stats: dict[str, tuple] = {}  # rel -> its status when its kept parse was new (see `unseen`)
        self.reports = KeptReport()
        self.last: Manifest | None = None  # the last build's manifest, once settled
        self.contents: dict[str, bytes] | None = None  # the last build's files
        self.pending: Callable[[], Callable[[], list[str]] | None] | None = None  # records the last build
        self.manifest_saved = False  # the last build's manifest is on disk, to be read back
        self.built = False  # a build has completed: the cache has something to save

    def build(self, changed: Iterable[str] | None = None) -> BuildResult:
        """Build after `changed` (the paths that changed, absolute or under the source; None:
        anything may have). Raises DataError or CommonplaceError as `build.build` does, and the
        output folder then stays as it was."""
        self.settle()
        self.forget(changed)
        self.forget(self.unseen())
        search, notes = search_setting(self.search)
        options = {"base_url": self.base_url or "", "out": str(self.out_dir.resolve()), "search": search}
        if self.last is not None and self.contents is not None:
            state: IncrementalState = SessionState(self.source, self.out_dir, self.last, self.contents)
        else:  # the first build, or the one after a build that left nothing in memory
            state = IncrementalState(self.source, self.out_dir, options)
            if state.up_to_date():
                return BuildResult.up_to_date(self.out_dir, state.last, notes)
        if self.cache is None:
            self.cache = BuildCache.open(self.source)
            self.cache.kept_parses = self.parses
        cache = self.cache
        try:
            inputs = read_inputs(self.source, cache, base_url=self.base_url, report_of=self.reports)
            language = inputs.model.config.language
            reuse = state.reusable(keep_index=search)
            with SiteOutput(self.out_dir, reuse) as output:
                files = site_files(inputs, search, cache, reuse.site, state.checked())
                published = output.publish(files, language if search and not reuse.kept else None)
        except BaseException:
            cache.drop_used()
            raise
        finally:
            self.note_stats()
        cache.carry_over()
        self.built = True
        self.last, self.contents = None, files.files  # the manifest is made by `settle`
        pages = sum(1 for rel in files.files if rel.endswith(".html"))
        warnings = [str(w) for w in inputs.model.warnings]

        def record() -> Callable[[], list[str]] | None:
            return state.record(files, published, pages=pages, warnings=warnings, language=language)

        self.pending = record
        index_later = self._index_later if reuse.kept else None
        return BuildResult(inputs.model, self.out_dir, pages, len(files) + len(reuse.kept), published.written,
                           warnings, notes=notes, contents=files.files, index_later=index_later)

    def _index_later(self, stop: Callable[[], bool] | None = None) -> list[str]:
        """Record the last build, then bring its search index up to date; the paths written.
        `stop`: see `publish.search.index` (stopped, the next build keeps the index as it is and
        brings it up to date after itself)."""
        later = self._record()
        try:
            return later(stop=stop) if later is not None else []
        finally:
            self._remember()

    def settle(self) -> None:
        """The last build's bookkeeping, left until its answer is out: its manifest written
        (without re-indexing search: a build's `index_later` does that) and read back."""
        self._record()
        self._remember()

    def _record(self) -> Callable[[], list[str]] | None:
        pending, self.pending = self.pending, None
        if pending is None:
            return None
        later = pending()
        self.manifest_saved = True
        return later

    def _remember(self) -> None:
        if self.manifest_saved:
            self.manifest_saved = False
            self.last = Manifest.load(self.source, self.out_dir)  # None (not saved): the next build starts afresh

    def forget(self, changed: Iterable[str] | None) -> None:
        """Drop what was parsed of the changed paths (a folder: of every file in it)."""
        if changed is None:
            self.parses.clear()
            self.stats.clear()
            return
        for path in changed:
            rel = os.path.relpath(os.path.join(self.source, path), self.source).replace(os.sep, "/")
            if rel == "." or rel.startswith("../"):
                if rel == ".":
                    self.parses.clear()
                    self.stats.clear()
                continue
            self.parses.pop(rel, None)
            self.stats.pop(rel, None)
            inside = rel + "/"
            for kept in [k for k in self.parses if k.startswith(inside)]:
                del self.parses[kept]
                self.stats.pop(kept, None)

    def unseen(self) -> list[str]:
        """The kept files whose status (size, times, inode) is not the one noted: changed without
        the watcher saying so (an event lost while it watched a new folder, say)."""
        changed = []
        for rel, noted in self.stats.items():
            if _status(os.path.join(self.source, rel)) != noted:
                changed.append(rel)
        return changed

    def note_stats(self) -> None:
        """Note the status of the files parsed anew. Taken after they were read: an edit in
        between is one the watcher reports."""
        self.stats = {rel: self.stats.get(rel) or _status(os.path.join(self.source, rel)) for rel in self.parses}

    def close(self) -> None:
        """Write down what the next process may reuse: the last build's record and the build cache."""
        self.settle()
        if self.built and self.cache is not None:
            self.cache.save_carried()


def _status(path: str) -> tuple | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
