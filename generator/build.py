"""One build: read and validate everything, then render, then swap the output in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .gitinfo import build_epoch, repo_info
from .loader import load_community
from .model import Model
from .output import write_site
from .render import BuildInfo, epoch_datetime, render_site
from .federation import compute_values, default_cache_dir, load_peers
from .valuedata import community_data
from .valuerun import value_report


@dataclass(frozen=True)
class BuildResult:
    model: Model
    out_dir: Path
    pages: int
    files: int


def build(source: Path, out_dir: Path | None = None, *, base_url: str | None = None,
          history: tuple[Path, str] | None = None) -> BuildResult:
    """Build `source` into `out_dir`.

    `history` = (a path in the repository, a ref) reads the value figures from that revision
    instead of the source's own HEAD: `diff` builds old revisions materialised outside the
    repository this way.
    """
    source = Path(source)
    out_dir = Path(out_dir) if out_dir else source / "_site"
    model = load_community(source)  # raises DataError before anything is written
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
                        federation)
    write_site(files, out_dir)
    pages = sum(1 for rel in files.files if rel.endswith(".html"))
    return BuildResult(model, out_dir, pages, len(files))
