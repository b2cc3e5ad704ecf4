"""What a build may reuse of the site the last build left in its output folder: its pages, read
back rather than rendered (render), and its files, linked rather than written (publish). Made by
`cache.incremental.IncrementalState.reusable`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PreviousSite:
    """The site the last build left in `out_dir`, unchanged since (see Manifest.output_intact):
    each file's hash and each page's key. A page whose key is the same is not rendered again:
    its file is read back from there (`read_back`)."""

    out_dir: Path
    hashes: dict[str, str]
    keys: dict[str, str]

    def read_back(self, rel: str) -> tuple[bytes | None, str | None]:
        """A page's file as the last build wrote it, with its hash; (None, None) when it is gone."""
        try:
            with open(os.path.join(self.out_dir, rel), "rb") as handle:
                data = handle.read()
        except OSError:
            return None, None
        # Manifest.output_intact found the file as the last build wrote it (size and time): its
        # hash is the one recorded then.
        digest = self.hashes.get(rel)
        return (data, digest) if digest is not None else (None, None)


@dataclass(frozen=True)
class Reusable:
    """What this build may take from the last one's output folder.

    site: the last build's site, when the folder holds exactly what it wrote (None: a whole new
    site is written); its files not in `kept`. kept: files carried over as they are (a search
    index kept for now), as manifest entries. spare: what the spare site beside the folder
    holds, as recorded (see publish.staging.SPARE). keep_spare: the site this build replaces
    becomes the next build's spare.
    """

    site: PreviousSite | None = None
    kept: dict[str, list] = field(default_factory=dict)
    spare: dict[str, list] | None = None
    keep_spare: bool = False
