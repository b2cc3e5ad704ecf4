"""Federation: peers declared in `federation.yaml`, mirrored, read from git objects, related.

- `mirrors`: `commonplace fetch` — bare mirrors of the peers through the git command line.
- `gittree`: a file reader over a git tree, so the loader reads a peer without a checkout.
- `peerdata`: a peer's published open data (`mode: data`), read as hostile input; `scrub`: no
  address in it republished.
- `addresses`: which portal addresses may be read; `web`: bounded HTTP(S) requests to them;
  `portals`: published portals read over the web, and discovery of peers of peers.
- `published`: what this node publishes about its peers (`data/federation.json`).
- `graph`: ahead / behind, the work that flowed by pull, and history counted once by commit id.
- `nodes`: everything above put together: a `Federation` of `Node`s, and the directory rows.
"""

from __future__ import annotations

import importlib

# Loaded on first use: the command line imports `mirrors` for its parser on every command.
_EXPORTS = {"FetchResult": "mirrors", "fetch_peers": "mirrors",
            "Federation": "nodes", "Node": "nodes", "compute_values": "nodes", "directory_rows": "nodes",
            "load_peers": "nodes", "rows_by_area": "nodes"}


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)


__all__ = [
    "FetchResult", "fetch_peers",
    "Federation", "Node", "compute_values", "directory_rows", "load_peers", "rows_by_area",
]
