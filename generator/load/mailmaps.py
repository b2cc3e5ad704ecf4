"""The work tree's `.mailmap` files, read as every other input is: uncommitted edits count.

The value engine resolves commit authors with the `.mailmap` at the top of the repository, then
the one in the community's folder (its lines win); by itself it reads them from the commit it
counts. A build of a work tree reads them here instead and passes their text in
(`generator/valuation.py`), so a `.mailmap` edit shows in the figures, and is checked
(`addresses.py`), before it is committed, as an edit to a member file does.
"""

from __future__ import annotations

import os
from pathlib import Path

from value.paths import MAILMAP_PATH

from . import safepath


def mailmap_paths(root: Path) -> list[tuple[str, Path]]:
    """(the path as a finding shows it, relative to the community; the file) of each `.mailmap`
    the engine reads for the community at `root`, in its order; [] outside a work tree."""
    from ..cache.gitdir import discover  # not libgit2: this runs when a build has nothing to do, too

    found = discover(root)
    if found is None or found[1] is None:
        return []
    workdir, here = Path(found[1]), Path(root).resolve()
    top = workdir / MAILMAP_PATH
    paths = [(MAILMAP_PATH, Path(root) / MAILMAP_PATH)]
    if here != workdir and here.is_relative_to(workdir):
        paths.insert(0, (Path(os.path.relpath(top, here)).as_posix(), top))
    return paths


def _read(path: Path) -> str:
    """A `.mailmap`'s text as the engine reads a blob's: "" when absent, a link, or too large."""
    base, name = path.parent, path.name
    plain = safepath.plain_file(base, name)
    from value.history import MAX_FILE_BYTES  # here: a build with nothing to do never loads pygit2

    if plain is None or os.lstat(plain).st_size > MAX_FILE_BYTES:
        return ""
    return plain.read_bytes().decode("utf-8", "replace")


def read_mailmaps(root: Path) -> list[tuple[str, str]]:
    """(shown path, text) of each `.mailmap` of the work tree the community at `root` is in (see
    `mailmap_paths`), those absent included with text ""."""
    return [(shown, _read(path)) for shown, path in mailmap_paths(root)]


def engine_text(mailmaps: list[tuple[str, str]]) -> str:
    """The texts joined as the engine joins the ones it reads from a commit (value/history.py)."""
    return "\n".join(text for _shown, text in mailmaps if text)
