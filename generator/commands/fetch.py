"""`commonplace fetch`: every peer of `federation.yaml` fetched into a bare mirror."""

from __future__ import annotations

import sys

from .. import diagnostics
from ..cache.folders import peers_dir
from ..errors import DataError
from ..federation.mirrors import fetch_peers
from ..load.loader import load_community
from . import community_folder


def run(args) -> int:
    """The `fetch` command: 0 when done (even if a peer failed: a warning), 1 on invalid data."""
    source = community_folder(args.source)
    try:
        model = load_community(source)
    except DataError as exc:
        sys.stderr.write(diagnostics.as_text(exc.findings))
        print(f"fetch stopped: {diagnostics.summary(exc.findings)}; nothing was fetched", file=sys.stderr)
        return 1
    if not model.peers:
        print("No peers declared in federation.yaml: nothing to fetch.", file=sys.stderr)
        return 0
    cache = peers_dir(source)
    results = fetch_peers(model, cache, timeout=args.timeout,
                          progress=lambda r: print(r.line(), file=sys.stderr, flush=True))
    done = sum(1 for r in results if r.ok)
    notes = [(sum(1 for r in results if r.kept), "kept from before"),
             (sum(1 for r in results if r.skipped), "read in place"),
             (sum(1 for r in results if not r.usable), "unavailable")]
    note = "".join(f", {n} {what}" for n, what in notes if n)
    print(f"Fetched {done} of {len(results)} peers into {cache}{note}", file=sys.stderr)
    return 0
