"""Each command's code: a `run(args)` per module. Their arguments are in `generator.cli`'s one table."""

from __future__ import annotations

from pathlib import Path

from ..errors import CommonplaceError


def community_folder(path: str) -> Path:
    """The SOURCE argument as a folder, or a clear error."""
    source = Path(path)
    if not source.is_dir():
        raise CommonplaceError(f"{source} is not a folder: give the path of a community repository")
    return source


def counted(n: int, one: str, many: str) -> str:
    """A count for the terminal, as the portal's English writes it ("1 file", "5,016 pages"),
    without loading the catalogue: a build with nothing to do says it too."""
    return f"{n:,} {one if n == 1 else many}"
