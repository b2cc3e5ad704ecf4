"""A build's bookkeeping between runs, behind one object: what the last build into an output
folder left (its manifest), whether anything changed since, what of its site this build may
reuse, and the record this build leaves for the next one.

`build` asks it before ("is anything to do? what can be reused?") and tells it after ("this is
what was written"); the fingerprints, the manifest and the spare's record stay in here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..publish.search import defer_index, kept_index
from .folders import manifests_dir
from .manifest import RACY, ContentHashes, Manifest, fingerprint, quick_fingerprint
from .reuse import PreviousSite, Reusable

if TYPE_CHECKING:
    from ..publish.site import Published
    from ..sitefiles import SiteFiles


class IncrementalState:
    """The last build's record for one source and output folder, and this build's fingerprints.
    Disabled (no manifest read or written), it says there is always something to do and nothing
    to reuse."""

    def __init__(self, source: Path, out_dir: Path, options: dict, enabled: bool = True):
        """`options`: what else the output depends on (the build's options), fingerprinted with
        the inputs."""
        self.source, self.out_dir, self.enabled = Path(source), Path(out_dir), enabled
        self.last = Manifest.load(self.source, self.out_dir) if enabled else None
        self.quick, self.settled = quick_fingerprint(self.source, options) if enabled else ("", False)
        if self.last and self.last.quick and self.last.quick[0] == self.quick:
            self.stamp = self.last.quick[1]  # the same files, untouched since they were read: not read again
        else:
            hashes = ContentHashes(manifests_dir(self.source) / "contents.hashes") if enabled else None
            self.stamp = fingerprint(self.source, options, hashes=hashes) if enabled else ""
            if hashes is not None:
                hashes.save()
        self.kept: dict[str, list] = {}

    def up_to_date(self) -> bool:
        """Whether the output folder holds what this build would write: nothing changed since the
        last build, and nobody touched its output. Then `last` says what it holds."""
        last = self.last
        if not (last and last.fingerprint == self.stamp and last.output_intact(self.out_dir)):
            return False
        # The next build need not read the files, nor list the output's folders.
        unsure = last.folders is None or RACY in last.folders.values()  # recorded now, when settled
        if (self.settled and last.quick != [self.quick, self.stamp]) or unsure:
            replace(last, quick=[self.quick, self.stamp] if self.settled else last.quick,
                    folders=None if unsure else last.folders).save(self.source, self.out_dir)
        return True

    def checked(self) -> tuple[str, dict[str, str]] | None:
        """The addresses the last build's files were found free of, and their hashes by path
        (for the address guard; whether or not the output folder still holds them)."""
        if self.last is None or not self.last.addresses:
            return None
        return self.last.addresses, {rel: entry[0] for rel, entry in self.last.files.items()}

    def reusable(self, keep_index: bool = False) -> Reusable:
        """What of the last build's output this one may reuse. `keep_index`: keep its search
        index as it is for now (see publish.search.defer_index)."""
        last = self.last
        if last is None or not self.out_dir.is_dir() or not last.output_intact(self.out_dir):
            return Reusable()
        self.kept = kept_index(last) if keep_index else {}
        hashes = {rel: entry[0] for rel, entry in last.files.items() if rel not in self.kept}
        # A rebuild keeps the site it replaces as the next build's spare: we know what it holds.
        return Reusable(site=PreviousSite(self.out_dir, hashes, last.keys), kept=self.kept, spare=last.spare,
                        spare_folders=last.spare_folders,
                        keep_spare=self.enabled)

    def record(self, files: SiteFiles, published: Published, *, pages: int, warnings: list[str],
               language: str) -> Callable[[], list[str]] | None:
        """Save what this build wrote for the next one. With a search index kept for now, the
        record says the site is not up to date yet, and the call returned (else None) re-indexes
        it and records it as current (see publish.search.defer_index)."""
        if not self.enabled:
            return None
        # the spare: the site this one replaced, the last build's files
        spare = self.last.files if published.spare_is_replaced and self.last is not None else None
        spare_folders = self.last.folders if spare is not None else None
        manifest = Manifest(fingerprint=self.stamp, files={**self.kept, **published.entries()}, warnings=warnings,
                            pages=pages, keys=files.keys, spare=spare, spare_folders=spare_folders,
                            addresses=files.address_stamp,
                            quick=[self.quick, self.stamp] if self.settled else None)
        later = None
        if self.kept:
            manifest, later = defer_index(manifest, self.source, self.out_dir, files, language)
        manifest.save(self.source, self.out_dir)
        return later

