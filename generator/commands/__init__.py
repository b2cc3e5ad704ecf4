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
