"""Running the value engine for a community folder (or any git repository)."""

from __future__ import annotations

from pathlib import Path

from value.errors import ValueEngineError
from value.report import build_report

from .errors import CommonplaceError
from .gitinfo import repo_info
from .loader import load_community
from .model import Model
from .progress import Progress
from .valuedata import community_data


def is_community(source: Path) -> bool:
    return (Path(source) / "commonplace.yaml").is_file() or (Path(source) / "community.yaml").is_file()


def value_report(source: Path, model: Model | None = None, *, ref: str = "HEAD") -> dict:
    """The value report of a community folder; for a plain repository, history figures only."""
    source = Path(source)
    info = repo_info(source)
    if info.workdir is None:
        raise CommonplaceError(f"{source} is not inside a git repository: value is computed from the history")
    if model is None and is_community(source):
        model = load_community(source)
    progress = Progress("Reading history", "commits")
    try:
        return build_report(source, subdir=info.subdir or None, ref=ref,
                            data=community_data(model) if model else None, progress=progress)
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    finally:
        progress.done()
