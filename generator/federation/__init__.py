"""Federation: peers declared in `federation.yaml`, mirrored, read from git objects, related.

- `mirrors`: `commonplace fetch` — bare mirrors of the peers through the git command line.
- `gittree`: a file reader over a git tree, so the loader reads a peer without a checkout.
- `opendata`: a peer's published open data (`mode: data`), read as hostile input.
- `graph`: ahead / behind, the work that flowed by pull, and history counted once by commit id.
- `nodes`: everything above put together: a `Federation` of `Node`s, and the directory rows.
"""

from __future__ import annotations

from .mirrors import FetchResult, default_cache_dir, fetch_peers
from .nodes import Federation, Node, compute_values, directory_rows, load_peers, rows_by_area

__all__ = [
    "FetchResult", "default_cache_dir", "fetch_peers",
    "Federation", "Node", "compute_values", "directory_rows", "load_peers", "rows_by_area",
]
