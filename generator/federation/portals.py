"""Published portals read over HTTP(S) (`mode: data` with a web address), and discovery.

`commonplace fetch` reads each portal's `data/datapackage.json` and the resources it lists with
`peerdata.read_open_data` through an `HttpDataReader`, so every value is checked exactly as from
a folder or a git tree, and keeps what it read in the peers cache:

    <peers cache>/web/<key of the address>/data/...   the portal's files, as read
    <peers cache>/web/<key>/state.json                address, when read, validators, last error
    <peers cache>/web/fetch.json                      what the last fetch found (discovered portals)

A copy is replaced only by a complete, valid new one: when a portal fails (no answer, too large,
malformed), the copy read before stays and the build uses it, marked stale, "as of" its date.

Conditional requests: the package is asked for with its ETag / Last-Modified; `304` means the
portal did not change (Commonplace lists each resource's sha256 in its package, so any change
to a resource changes the package) and costs that one request. When the package did change, a
resource whose listed hash matches the copy is not asked for again; the others are asked for
conditionally.

Discovery: every portal publishes `data/federation.json` (its peers and their portals). With
`discover: {depth, max}` in federation.yaml, the portals it names are read too, breadth first
from the declared peers (depth 1), each portal once (by its normalized address; this node's own
address is never followed), at most `depth` steps away and at most `max` discovered portals.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from ..errors import Findings
from ..model import Discover
from .addresses import address_problem
from .peerdata import PACKAGE, LocalDataReader, _Bad, read_open_data, safe_resource_path, strict_json
from .web import Answer, WebClient, WebError, WebLimits, join, normalize

WEB = "web"
STATE = "state.json"
INDEX = "fetch.json"
FEDERATION = "data/federation.json"
MAX_LISTED_PEERS = 1000  # entries read from one federation.json
_HASH = re.compile(r"^(?:sha256:)?([0-9a-f]{64})$")
_KEY = re.compile(r"^[0-9a-f]{24}$")


def web_dir(cache_dir: str | os.PathLike) -> Path:
    return Path(cache_dir) / WEB


def portal_key(url: str) -> str:
    return hashlib.sha256(normalize(url).encode()).hexdigest()[:24]


def portal_dir(cache_dir: str | os.PathLike, url: str) -> Path:
    """Where the copy of the portal at `url` is kept."""
    return web_dir(cache_dir) / portal_key(url)


def discovered_name(url: str) -> str:
    """A stable slug for a discovered portal: its host and path, and a short key."""
    parts = normalize(url).split("://", 1)[-1]
    words = re.sub(r"[^a-z0-9]+", "-", parts.lower()).strip("-")[:40].strip("-")
    return f"{words or 'portal'}-{portal_key(url)[:6]}"


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the state of one copy ---------------------------------------------------------------------

def read_state(folder: Path) -> dict:
    """The state of a kept copy ({} when there is none or it is unreadable)."""
    path = folder / STATE
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 2_000_000:
            return {}
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_json(path: Path, value) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def has_copy(folder: Path) -> bool:
    return (folder / PACKAGE).is_file() and not folder.is_symlink()


# -- reading one portal ------------------------------------------------------------------------

class HttpDataReader:
    """The `read_bytes(rel)` reader `read_open_data` takes, over a portal's address.

    Starts from the package already fetched; each file it returns is also written to `staging`
    (the new copy), with its validators in `files`. A resource whose hash the package lists and
    the old copy matches is taken from the old copy without a request."""

    def __init__(self, client: WebClient, url: str, package: Answer, old: Path, old_state: dict, staging: Path):
        self.client = client
        self.url = url
        self.old = old
        self.old_files = old_state.get("files", {}) if isinstance(old_state.get("files"), dict) else {}
        self.staging = staging
        self.findings = Findings()
        self.files: dict[str, dict] = {}
        self.hashes = _listed_hashes(package.body)
        self.resources = 0
        self._keep(PACKAGE, package.body, package.etag, package.last_modified)

    def _keep(self, rel: str, body: bytes, etag: str, last_modified: str) -> None:
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        self.files[rel] = {"etag": etag, "last_modified": last_modified,
                           "sha256": hashlib.sha256(body).hexdigest()}

    def _old_bytes(self, rel: str) -> bytes | None:
        if not has_copy(self.old):
            return None
        return LocalDataReader(self.old, Findings(), self.client.limits.max_bytes).read_bytes(rel)

    def read_bytes(self, rel: str) -> bytes | None:
        if rel == PACKAGE:
            return (self.staging / PACKAGE).read_bytes()
        if rel in self.files:
            return (self.staging / rel).read_bytes()
        self.resources += 1
        if self.resources > self.client.limits.max_resources:
            self.findings.error(PACKAGE, 1, 1, f"lists more than {self.client.limits.max_resources} resources")
            return None
        meta = self.old_files.get(rel) if isinstance(self.old_files.get(rel), dict) else {}
        listed = self.hashes.get(rel)
        if listed and meta.get("sha256") == listed:
            body = self._old_bytes(rel)
            if body is not None and hashlib.sha256(body).hexdigest() == listed:
                self._keep(rel, body, str(meta.get("etag", "")), str(meta.get("last_modified", "")))
                return body
        old = self._old_bytes(rel) if meta else None
        etag, modified = (str(meta.get("etag", "")), str(meta.get("last_modified", ""))) if old is not None else ("", "")
        try:
            answer = self.client.get(join(self.url, rel), etag, modified, missing_ok=True)
        except WebError as exc:
            self.findings.error(rel, 1, 1, str(exc))
            return None
        if answer is None:
            return None
        body = old if answer.status == 304 else answer.body
        if body is None:
            self.findings.error(rel, 1, 1, "answered 304 Not Modified for a file never read")
            return None
        self._keep(rel, body, answer.etag, answer.last_modified)
        return body


def _listed_hashes(package: bytes) -> dict[str, str]:
    """{data/<path>: sha256 hex} of the resources whose `hash` the package gives."""
    try:
        value = strict_json(package)
    except ValueError:
        return {}
    resources = value.get("resources") if isinstance(value, dict) else None
    result = {}
    for res in resources if isinstance(resources, list) else ():
        if not isinstance(res, dict) or not isinstance(res.get("hash"), str):
            continue
        found = _HASH.match(res["hash"])
        try:
            rel = safe_resource_path(res.get("path"))
        except _Bad:
            continue
        if found:
            result[rel] = found.group(1)
    return result


@dataclass
class PortalResult:
    """What reading one portal did.

    ok: read now (changed or not). changed: new content was kept. kept: it failed but a copy read
    before is there. depth: 1 for a declared peer. via: the portal whose federation.json named it.
    peers: the portals its federation.json names (from the copy kept, when it failed).
    requests: HTTP requests made. message: why it failed.
    """

    name: str
    url: str
    depth: int = 1
    via: str = ""
    ok: bool = False
    changed: bool = False
    kept: bool = False
    message: str = ""
    requests: int = 0
    peers: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.ok or self.kept

    def line(self) -> str:
        if self.ok:
            return f"{self.name}: ok, {'read' if self.changed else 'unchanged'} ({self.url})"
        if self.kept:
            return f"{self.name}: failed ({self.message}); using the copy read before"
        return f"{self.name}: failed ({self.message}); no copy yet, the peer is left out"

    def __str__(self) -> str:
        return self.line()


def fetch_portal(client: WebClient, name: str, url: str, cache_dir: str | os.PathLike, *, depth: int = 1,
                 via: str = "", federation: bool = True) -> PortalResult:
    """Read the portal at `url` into its copy in `cache_dir`; never raises for the portal's failure.

    `federation`: also read its `data/federation.json` when the package does not list it."""
    result = PortalResult(name, normalize(url), depth, via)
    folder = portal_dir(cache_dir, url)
    problem = address_problem(url)
    if problem:
        result.message = f"the address {problem}"
        return result
    before = client.requests
    state = read_state(folder) if not folder.is_symlink() else {}
    staging = folder.with_name(folder.name + ".new")
    try:
        if folder.is_symlink():
            raise WebError(f"{folder} is a link: delete it")
        meta = state.get("files", {}).get(PACKAGE, {}) if has_copy(folder) else {}
        meta = meta if isinstance(meta, dict) else {}
        answer = client.get(join(url, PACKAGE), str(meta.get("etag", "")), str(meta.get("last_modified", "")),
                            missing_ok=True)
        if answer is None:
            raise WebError("no data/datapackage.json: build and publish the peer's portal first")
        if answer.status == 304:
            state.update(url=result.url, read_at=now_utc(), error="")
            _write_json(folder / STATE, state)
            result.ok = True
        else:
            _reset(staging)
            reader = HttpDataReader(client, url, answer, folder, state, staging)
            data = read_open_data(reader, reader.findings)
            if data is None or reader.findings.errors:
                first = next((f for f in reader.findings.items if f.severity == "error"), None)
                raise WebError(f"{first.path}: {first.message}" if first else "its data could not be read")
            if federation and FEDERATION not in reader.files:
                extra = client.get(join(url, FEDERATION), missing_ok=True)
                if extra is not None and extra.status == 200:
                    reader._keep(FEDERATION, extra.body, extra.etag, extra.last_modified)
            new_state = {"url": result.url, "read_at": now_utc(), "error": "", "files": reader.files}
            _write_json(staging / STATE, new_state)
            _swap(staging, folder)
            result.ok = result.changed = True
    except WebError as exc:
        result.message = str(exc)
        _reset(staging, remove=True)
        if has_copy(folder):
            result.kept = True
            state.update(url=result.url, error=result.message, failed_at=now_utc())
            _write_json(folder / STATE, state)
    except OSError as exc:  # the cache folder itself: not the peer's fault, but never fatal
        result.message = f"cannot keep a copy: {exc.strerror or exc}"
        _reset(staging, remove=True)
        result.kept = has_copy(folder)
    result.requests = client.requests - before
    if result.usable:
        result.peers = listed_portals(folder)
    return result


def _reset(folder: Path, *, remove: bool = False) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
    if not remove:
        folder.mkdir(parents=True)


def _swap(staging: Path, folder: Path) -> None:
    old = folder.with_name(folder.name + ".old")
    _reset(old, remove=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    _reset(old, remove=True)


def listed_portals(folder: Path) -> list[str]:
    """The portal addresses a kept copy's `data/federation.json` names (allowed ones only)."""
    raw = LocalDataReader(folder, Findings()).read_bytes(FEDERATION) if has_copy(folder) else None
    if raw is None:
        return []
    try:
        value = strict_json(raw)
    except ValueError:
        return []
    peers = value.get("peers") if isinstance(value, dict) else None
    found = []
    for peer in (peers if isinstance(peers, list) else [])[:MAX_LISTED_PEERS]:
        portal = peer.get("portal") if isinstance(peer, dict) else None
        if isinstance(portal, str) and portal and not address_problem(portal):
            found.append(normalize(portal))
    return found


# -- every portal of a fetch -------------------------------------------------------------------

def fetch_portals(declared: Iterable[tuple[str, str]], cache_dir: str | os.PathLike, *, own_url: str = "",
                  discover: Discover | None = None, limits: WebLimits | None = None,
                  progress: Callable[[PortalResult], None] | None = None) -> list[PortalResult]:
    """Read every declared portal (`(name, url)` pairs), then, with `discover`, the portals
    they name, breadth first. Returns the declared ones in order, then the discovered ones in
    the order found; writes `web/fetch.json` and drops copies no longer reached."""
    limits = limits or WebLimits()
    declared = list(declared)
    seen = {normalize(own_url)} if own_url and not address_problem(own_url) else set()
    level = []
    for name, url in declared:
        seen.add(normalize(url))
        level.append((name, url, ""))
    web = web_dir(cache_dir)
    web.mkdir(parents=True, exist_ok=True)
    results: list[PortalResult] = []
    added = 0
    depth = 1
    follow = discover is not None and discover.depth > 1
    with WebClient(limits) as client, ThreadPoolExecutor(max_workers=max(1, limits.at_once)) as pool:
        while level:
            step = depth
            found = list(pool.map(lambda item: fetch_portal(client, item[0], item[1], cache_dir, depth=step,
                                                            via=item[2], federation=follow), level))
            for result in found:
                if progress:
                    progress(result)
            results.extend(found)
            if not follow or depth >= discover.depth:
                break
            level = []
            for result in found:
                for url in result.peers:
                    if url in seen or added >= discover.max:
                        continue
                    seen.add(url)
                    added += 1
                    level.append((discovered_name(url), url, result.name))
            depth += 1
    # What the build reads, and nothing else: written only when it changed, so a fetch that found
    # nothing new leaves the build's fingerprint (cache/manifest.py) as it was and the build is skipped.
    index = {
        "discovered": [{"name": r.name, "url": r.url, "depth": r.depth, "via": r.via}
                       for r in results if r.depth > 1],
        "portals": {portal_key(r.url): _summary(portal_dir(cache_dir, r.url)) for r in results},
    }
    if read_index(cache_dir) != index:
        _write_json(web / INDEX, index)
    _forget(web, {portal_key(r.url) for r in results})
    return results


def _summary(folder: Path) -> dict:
    """What the build shows of a copy: the day it was read, whether the last read failed, and
    which package it holds."""
    state = read_state(folder)
    files = state.get("files") if isinstance(state.get("files"), dict) else {}
    package = files.get(PACKAGE) if isinstance(files.get(PACKAGE), dict) else {}
    return {"as_of": str(state.get("read_at", ""))[:10], "failed": bool(state.get("error")),
            "package": str(package.get("sha256", ""))}


def read_index(cache_dir: str | os.PathLike) -> dict:
    path = web_dir(cache_dir) / INDEX
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _forget(web: Path, keep: set[str]) -> None:
    """Delete the copies of portals this fetch did not reach (no longer declared or discovered)."""
    for entry in web.iterdir():
        stem = entry.name.split(".", 1)[0]
        if _KEY.match(stem) and stem not in keep:
            _reset(entry, remove=True)


def discovered(cache_dir: str | os.PathLike) -> list[dict]:
    """The discovered portals the last fetch recorded: [{name, url, depth, via}]."""
    rows = read_index(cache_dir).get("discovered")
    result = []
    for row in rows if isinstance(rows, list) else ():
        if (isinstance(row, dict) and isinstance(row.get("url"), str) and not address_problem(row["url"])
                and isinstance(row.get("name"), str) and re.match(r"^[a-z0-9-]{1,60}$", row["name"])
                and isinstance(row.get("depth"), int)):
            result.append({"name": row["name"], "url": row["url"], "depth": row["depth"],
                           "via": str(row.get("via", ""))[:100]})
    return result
