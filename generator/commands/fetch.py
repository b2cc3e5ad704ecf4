"""`commonplace fetch`: every peer of `federation.yaml` fetched: git peers into a bare mirror,
published portals (`mode: data` with a web address) over HTTP(S), and with `discover:` the
portals their `data/federation.json` name. With `--forge`, the work done in the forge instead
(commands/fetch_forge.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from .. import diagnostics
from ..cache.folders import peers_dir
from ..errors import DataError
from ..federation.mirrors import fetch_peers, is_portal
from ..load.loader import load_community
from ..progress import Progress
from . import community_folder


def fetch_federation(model, cache: Path, *, timeout: float = 120, limits=None,
                     progress: Callable[[object], None] | None = None) -> tuple[list, list]:
    """Fetch every peer of `model` into `cache`: (the git `FetchResult`s, the `PortalResult`s of
    the portals read over HTTP, declared then discovered). `limits`: a `web.WebLimits` (default:
    from `timeout`). Never raises because a peer failed."""
    from ..federation.portals import fetch_portals
    from ..federation.web import WebLimits

    git_peers = [p for p in model.peers if not is_portal(p)]
    web_peers = [(p.name, p.url) for p in model.peers if is_portal(p)]
    mirrored = fetch_peers(git_peers, cache, timeout=int(timeout), progress=progress, base=model.root) if git_peers else []
    portals = []
    if web_peers:
        limits = limits or WebLimits(timeout=min(20.0, timeout), deadline=float(timeout))
        portals = fetch_portals(web_peers, cache, own_url=model.config.base_url, discover=model.discover,
                                limits=limits, progress=progress)
    return mirrored, portals


def run(args) -> int:
    """The `fetch` command: 0 when done (even if a peer failed: a warning), 1 on invalid data."""
    source = community_folder(args.source)
    if getattr(args, "since", None) is not None and not getattr(args, "forge", False):
        print("fetch: --since goes with --forge", file=sys.stderr)
        return 2
    try:
        model = load_community(source)
    except DataError as exc:
        sys.stderr.write(diagnostics.as_text(exc.findings))
        print(f"fetch stopped: {diagnostics.summary(exc.findings)}; nothing was fetched", file=sys.stderr)
        return 1
    if getattr(args, "forge", False):
        from .fetch_forge import run_forge

        return run_forge(source, model, args)
    if not model.peers:
        print("No peers declared in federation.yaml: nothing to fetch.", file=sys.stderr)
        return 0
    cache = peers_dir(source)
    discovering = model.discover is not None
    progress = Progress("Fetching peers", "peers")
    fetched = 0

    def show(result) -> None:
        nonlocal fetched
        if getattr(result, "depth", 1) == 1:  # a discovered portal is counted, not listed: there may be hundreds
            fetched += 1
            progress.note(result.line())
            progress(fetched, len(model.peers))

    progress(0, len(model.peers))
    try:
        mirrored, portals = fetch_federation(model, cache, timeout=args.timeout, progress=show)
    finally:
        progress.done()
    declared = mirrored + [p for p in portals if p.depth == 1]
    done = sum(1 for r in declared if r.ok)
    notes = [(sum(1 for r in declared if r.kept), "kept from before"),
             (sum(1 for r in mirrored if r.skipped), "read in place"),
             (sum(1 for r in declared if not r.usable), "unavailable")]
    note = "".join(f", {n} {what}" for n, what in notes if n)
    print(f"Fetched {done} of {len(model.peers)} peers into {cache}{note}", file=sys.stderr)
    if discovering:
        found = [p for p in portals if p.depth > 1]
        print(f"Discovered {len(found)} communities through peers of peers: {sum(1 for p in found if p.ok)} read, "
              f"{sum(1 for p in found if p.kept)} kept from before, {sum(1 for p in found if not p.usable)} "
              "unavailable", file=sys.stderr)
    return 0
