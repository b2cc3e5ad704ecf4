"""The federation as the build sees it: every declared peer read, checked, and related to us.

`load_peers(model, cache_dir)` never raises because of a peer: a peer that was never fetched
is `unreachable`, one whose data is invalid or hostile is `invalid`, and either way it is left
out of everything but the report of its findings (paths prefixed with `peers/<name>/`).

git mode: the peer is read from its mirror's branch through git objects (`GitTreeReader`),
validated with the same schemas (`load_community`), and related to our HEAD (`graph.relate`).
data mode: its published open data is read (`peerdata.read_open_data`), flagged self-reported.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pygit2

from value.mailmap import Mailmap
from value.report_types import Report

from ..errors import DataError, Finding, Findings
from ..load.loader import load_community
from ..model import Model, Peer
from . import graph
from .gittree import GitTreeReader, subtree
from .mirrors import LINKED_MIRROR, fetch_branch, is_portal, mirror_path, redact, resolve_url
from .peerdata import MAX_FILE, LocalDataReader, OpenData, read_open_data
from .portals import discovered, has_copy, portal_dir, read_state
from .scrub import scrubbed

SELF = ""  # the key of this node in `SharedHistory.nodes` and in the directory rows


@dataclass(frozen=True)
class Profile:
    """Who a community is, for the directory: from `community.yaml` (git mode) or from its data
    package (data mode; fields it does not publish are empty)."""

    name: str = ""
    tagline: str = ""
    areas: tuple[str, ...] = ()
    scope: str = ""
    governance: str = ""  # Markdown
    license: str = ""
    location: str = ""

    @classmethod
    def of_model(cls, model: Model) -> "Profile":
        c = model.community
        return cls(*scrubbed((c.name, c.tagline, tuple(c.areas), c.scope, c.governance, c.license, c.location)))

    @classmethod
    def of_data(cls, data: OpenData) -> "Profile":
        p = data.profile
        return cls(p.get("name", data.title), p.get("tagline", ""), tuple(p.get("areas", ())), p.get("scope", ""),
                   p.get("governance", ""), p.get("license", ""), p.get("location", ""))


@dataclass
class Node:
    """One declared peer.

    status: ok | unreachable (no copy to read) | invalid (its data failed; left out).
    url: the address to show, only when it is https:// (never a local path or an SSH address).
    stale: the last `commonplace fetch` failed and this is the copy fetched before.
    model: the peer's validated `Model` (git mode; its `root` is the fake `peers/<name>`).
    data / self_reported: its published open data (data mode).
    head: the tip of its branch in the mirror (git mode). as_of: that commit's date (UTC), what
    the page says the peer's figures are as of. flow: its history relation with us.
    dimensions: its five value dimensions ({dimension: {indicator: value}}): from its data
    package (data mode), or filled by `compute_values` (git mode).
    findings: everything wrong with it, paths prefixed `peers/<name>/`, severities as found.
    A published portal's `as_of` is the day (UTC) its copy was last read (None when read in place).
    depth: 1 for a declared peer, more for one discovered through peers' federation.json.
    via: for a discovered one, the community whose federation.json named it. portal: the
    address of its published portal, when known (for federation.json and discovery).
    """

    name: str
    title: str
    relation: str
    mode: str
    status: str = "ok"
    url: str = ""
    stale: bool = False
    model: Model | None = None
    data: OpenData | None = None
    self_reported: bool = False
    profile: Profile = field(default_factory=Profile)
    head: str = ""
    as_of: date | None = None
    mirror: Path | None = None
    ref: str = ""
    path: str = ""
    flow: graph.Flow | None = None
    dimensions: dict = field(default_factory=dict)
    # its value report (git mode, filled by `compute_values`), and how many sustainability risks
    # its advice finds (None: unknown; counted by the views stage from that report)
    report: Report | None = field(default=None, repr=False)
    risks: int | None = None
    findings: list[Finding] = field(default_factory=list)
    depth: int = 1
    via: str = ""
    portal: str = ""
    addresses: frozenset = frozenset()  # a git peer's members' and authors' addresses (lower-case), for the guard

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class Federation:
    """Every declared peer, in declared order, and the history shared between the git nodes.

    head: our HEAD ("" outside a repository). shared: the history of this node and its ok git
    peers counted once by commit id (None when there is no git peer to share it with).
    """

    nodes: list[Node]
    head: str = ""
    shared: graph.SharedHistory | None = None
    discovered: list[Node] = field(default_factory=list)  # read through peers of peers (ok ones)
    undiscovered: int = 0  # discovered communities with no readable copy

    @property
    def ok_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.ok]

    @property
    def warnings(self) -> list[Finding]:
        """Every peer finding as a warning: a peer never fails this node's build."""
        found = {replace(f, severity="warning") if f.severity == "error" else f
                 for n in self.nodes for f in n.findings}
        if self.undiscovered:  # one line, not one per community: a directory may reach hundreds
            found.add(Finding("federation.yaml", 1, 1, f"{self.undiscovered} discovered communities could not be "
                              "read (run `commonplace fetch`; their own portals may be down)", "warning"))
        return sorted(found)


def _scoped(name: str, findings) -> list[Finding]:
    prefix = f"peers/{name}/"
    return sorted({replace(f, path=prefix + f.path) for f in findings})


def _public_url(url: str) -> str:
    return redact(url) if url.startswith("https://") else ""


def _open_mirror(path: Path) -> pygit2.Repository | None:
    if not (path / "HEAD").is_file():
        return None
    try:
        return pygit2.Repository(str(path))
    except (pygit2.GitError, KeyError, ValueError):
        return None


def _branch_tip(repo: pygit2.Repository, branch: str) -> str:
    try:
        return str(repo.revparse_single(f"refs/heads/{branch}").peel(pygit2.Commit).id)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        return ""


def _load_git(node: Node, peer: Peer, repo: pygit2.Repository) -> None:
    findings: list[Finding] = []
    try:
        factory = GitTreeReader.factory(repo, node.head, peer.path)
    except KeyError:
        node.status = "invalid"
        node.findings.append(Finding(f"peers/{peer.name}", 1, 1, f"folder '{peer.path}' is not in branch "
                                     f"'{peer.branch}': fix 'path' in federation.yaml"))
    else:
        try:
            node.model = load_community(Path("peers") / peer.name, reader_factory=factory, peer=True)
            findings.extend(node.model.warnings)
            node.profile = Profile.of_model(node.model)
            node.addresses = frozenset(a.strip().lower() for m in node.model.members.values() for a in m.emails)
        except DataError as exc:
            node.status = "invalid"
            findings.extend(exc.findings)
        except Exception as exc:  # noqa: BLE001 - a corrupt mirror is the peer's problem, not ours
            node.status = "invalid"
            node.findings.append(Finding(f"peers/{peer.name}", 1, 1,
                                         f"cannot be read from its mirror: {type(exc).__name__}: {exc}"))
    node.findings.extend(_scoped(peer.name, findings))


def _load_data(node: Node, peer: Peer, reader) -> None:
    findings = reader.findings  # the reader's own findings (links, sizes) and the data's
    data = read_open_data(reader, findings)
    node.findings.extend(_scoped(peer.name, findings.items))
    if data is None:
        node.status = "invalid"
        return
    node.data = data
    node.self_reported = True
    node.dimensions = data.dimensions
    node.profile = Profile.of_data(data)


def _load_portal(node: Node, peer_name: str, folder: Path) -> None:
    """A published portal, from the copy `commonplace fetch` kept (see `portals`)."""
    if not has_copy(folder):
        _unreachable(node, "no copy of its published portal yet: run `commonplace fetch`")
        return
    state = read_state(folder)
    node.as_of = _iso_day(str(state.get("read_at", ""))[:10])
    node.stale = bool(state.get("error"))
    _load_data(node, Peer(peer_name, node.portal, node.relation, "", 0), LocalDataReader(folder, Findings()))


def _mtime_day(path: Path) -> date | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).date()
    except OSError:
        return None


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _unreachable(node: Node, message: str) -> None:
    node.status = "unreachable"
    node.findings.append(Finding(f"peers/{node.name}", 1, 1, message, "warning"))


def _mailmap_text(repo: pygit2.Repository, tip: str, path: str) -> str:
    texts = []
    try:
        tree = repo[tip].peel(pygit2.Commit).tree
    except (KeyError, ValueError):
        return ""
    for rel in (".mailmap", f"{path.strip('/')}/.mailmap" if path.strip("/") else None):
        if not rel:
            continue
        try:
            blob = tree[rel]
        except KeyError:
            continue
        if isinstance(blob, pygit2.Blob) and blob.filemode != 0o120000 and blob.size <= MAX_FILE:
            texts.append(blob.data.decode("utf-8", "replace"))
    return "\n".join(texts)


def _members(model: Model | None) -> list[tuple[str, str, tuple[str, ...], str]]:
    if model is None:
        return []
    return [(m.handle, m.name, m.emails, m.visibility) for m in model.members.values()]


def load_peers(model: Model, cache_dir: str | os.PathLike, *, fetched=None) -> Federation:
    """Read every peer of `model` from `cache_dir` (as `commonplace fetch` left it).

    `fetched`: the `FetchResult`s of a fetch made in the same run, if any, to mark the peers
    whose fetch failed as `stale` (read from the copy fetched before). Never raises for a peer.
    """
    failed = {r.name for r in fetched or () if not r.ok and not r.skipped}
    nodes: list[Node] = []
    repos: dict[str, pygit2.Repository] = {}
    for peer in model.peers:
        node = Node(peer.name, peer.title, peer.relation, peer.mode, url=_public_url(peer.url),
                    stale=peer.name in failed, path=peer.path)
        nodes.append(node)
        branch = fetch_branch(peer, model.root)
        if is_portal(peer):
            node.portal = peer.url
            _load_portal(node, peer.name, portal_dir(cache_dir, peer.url))
            if node.ok:
                node.title = node.title or node.profile.name or peer.name
            continue
        if branch is None:  # data mode, a local folder read in place
            root = Path(resolve_url(peer.url, model.root)) / peer.path
            if not root.is_dir():
                _unreachable(node, f"{peer.url} is not a folder: fix 'url' in federation.yaml")
                continue
            _load_data(node, peer, LocalDataReader(root, Findings()))
            if node.ok:
                node.title = node.title or node.profile.name or peer.name
            continue
        node.mirror = mirror_path(cache_dir, peer.name)
        if node.mirror.is_symlink():
            _unreachable(node, f"{node.mirror} {LINKED_MIRROR}")
            continue
        node.ref = f"refs/heads/{branch}"
        repo = _open_mirror(node.mirror)
        node.head = _branch_tip(repo, branch) if repo is not None else ""
        node.as_of = _mtime_day(node.mirror / "FETCH_HEAD")
        if not node.head:
            _unreachable(node, f"no copy of branch '{branch}' yet: run `commonplace fetch`")
            continue
        node.as_of = datetime.fromtimestamp(repo[node.head].peel(pygit2.Commit).commit_time, timezone.utc).date()
        if peer.mode == "data":
            try:
                tree = subtree(repo, node.head, peer.path)
            except KeyError:
                node.status = "invalid"
                node.findings.append(Finding(f"peers/{peer.name}", 1, 1, f"folder '{peer.path}' is not in branch "
                                             f"'{branch}': fix 'path' in federation.yaml"))
                continue
            _load_data(node, peer, GitTreeReader(Path("peers") / peer.name, Findings(), repo=repo, tree=tree,
                                                 max_bytes=MAX_FILE))
        else:
            _load_git(node, peer, repo)
            if node.ok:
                repos[peer.name] = repo
        if node.ok:
            node.title = node.title or node.profile.name or peer.name
            if peer.mode == "git":
                node.portal = node.model.config.base_url if node.model.config else ""
            elif node.data is not None:
                node.portal = node.data.homepage
    federation = Federation(nodes)
    if model.discover is not None:
        _load_discovered(federation, cache_dir)
    _relate(federation, model, repos)
    return federation


def _load_discovered(federation: Federation, cache_dir) -> None:
    """The communities the last fetch discovered through peers of peers, ok ones only."""
    for entry in discovered(cache_dir):
        node = Node(entry["name"], "", "peer", "data", url=_public_url(entry["url"]), depth=entry["depth"],
                    via=entry["via"], portal=entry["url"])
        _load_portal(node, entry["name"], portal_dir(cache_dir, entry["url"]))
        if node.ok:
            node.title = node.profile.name or entry["name"]
            federation.discovered.append(node)
        else:
            federation.undiscovered += 1


def _relate(federation: Federation, model: Model, repos: dict[str, pygit2.Repository]) -> None:
    """Flows of the git peers against our HEAD, and the shared history, in one object store."""
    found = pygit2.discover_repository(str(Path(model.root).resolve()))
    own = pygit2.Repository(found) if found else None
    own_head = ""
    if own is not None and not own.head_is_unborn:
        own_head = str(own.head.peel(pygit2.Commit).id)
    federation.head = own_head
    git_nodes = [n for n in federation.nodes if n.name in repos]
    if not git_nodes:
        return
    if own is not None:
        base = pygit2.Repository(own.path)  # a fresh object: the alternates stay with it
    else:
        base = pygit2.Repository(str(git_nodes[0].mirror))
    for node in git_nodes:
        base.odb.add_disk_alternate(str(Path(node.mirror) / "objects"))

    own_path = ""
    if own is not None and own.workdir:
        rel = Path(model.root).resolve().relative_to(Path(own.workdir).resolve()).as_posix()
        own_path = "" if rel == "." else rel
    # A peer's .mailmap and member files only ever name the commits that are not in our history.
    own_text = _mailmap_text(base, own_head, own_path) if own_head else ""
    own_members = _members(model)
    people = {SELF: graph.AuthorResolver(Mailmap(own_text).resolve, own_members)}
    for node in git_nodes:
        text = "\n".join(t for t in (_mailmap_text(base, node.head, node.path), own_text) if t)  # ours win
        people[node.name] = graph.AuthorResolver(Mailmap(text).resolve, own_members + _members(node.model))

    tips = {SELF: own_head} if own_head else {}
    for node in git_nodes:
        if own_head:
            node.flow = graph.relate(base, own_head, node.head, node.relation, people[SELF], people[node.name])
        tips[node.name] = node.head
    if len(tips) > 1 or (tips and SELF not in tips):
        federation.shared = graph.shared_history(base, tips, {name: people[name] for name in tips})


def compute_values(federation: Federation, data_of: Callable[[Model], object] | None = None,
                   cache_root: str | os.PathLike | None = None) -> None:
    """Fill `dimensions` of every ok git peer with the value engine, reading its mirror.

    `data_of(model)` turns the peer's model into a `value.inputs.CommunityData` (the same
    adapter the build uses for this node); without it only the history-based indicators are
    computed. `cache_root`: where per-peer history caches go (default: inside each mirror).
    A failure becomes a warning finding of that peer; its dimensions stay empty.
    """
    from value.report import build_report

    from ..valuation import counted_folder

    for node in federation.ok_nodes:
        if node.mode != "git" or node.mirror is None:
            continue
        try:
            report = build_report(
                str(node.mirror), subdir=counted_folder(node.model, node.path), files_in=node.path or None,
                ref=node.ref,
                data=data_of(node.model) if data_of else None,
                cache_dir=Path(cache_root) / node.name if cache_root else None,
            )
        except Exception as exc:  # noqa: BLE001 - the value engine's errors are the peer's warning
            node.findings.append(Finding(f"peers/{node.name}", 1, 1, f"value not computed: {exc}", "warning"))
            continue
        node.dimensions = scrubbed(report.dimensions)  # kinds and parts come from its data
        node.addresses = node.addresses | {a.strip().lower() for person in report.contributors +
                                           report.bots for a in person.get("emails") or ()}
        if node.model is not None:
            node.report = report  # its advice is the views stage's (views.stage.count_peer_risks)


def directory_rows(federation: Federation, own_model: Model, own_dimensions: dict | None = None,
                   own_risks: int | None = None) -> list[dict]:
    """One row per community for the directory: this node first, then its ok peers and the
    communities discovered through them, by title.

    A row: {"name": "" for this node else the peer's name, "title", "this": bool, "relation"
    ("" for this node), "mode", "url", "profile": Profile, "dimensions": {dimension:
    {indicator: value}} ({} when unknown), "self_reported": bool, "stale": bool, "as_of":
    the day its copy was read ("" when read now or in place), "depth": 0 for this node, 1 for a
    declared peer, more for a discovered one, "portal": its portal's address when known, "risks": the
    number of sustainability risks (None when unknown)}.
    Group rows by area with `rows_by_area`.
    """
    rows = [{
        "name": SELF, "title": own_model.config.title or own_model.community.name, "this": True, "relation": "",
        "mode": "git", "url": "", "profile": Profile.of_model(own_model), "dimensions": own_dimensions or {},
        "self_reported": False, "stale": False, "risks": own_risks, "as_of": "", "depth": 0, "portal": own_model.config.base_url,
    }]
    peers = sorted(federation.ok_nodes + federation.discovered, key=lambda n: (n.title.casefold(), n.name))
    for n in peers:
        rows.append({
            "name": n.name, "title": n.title, "this": False, "relation": n.relation, "mode": n.mode,
            "url": n.url, "profile": n.profile, "dimensions": n.dimensions, "self_reported": n.self_reported,
            "stale": n.stale, "risks": n.risks, "as_of": n.as_of.isoformat() if n.as_of else "", "depth": n.depth, "portal": n.portal,
        })
    return rows


def rows_by_area(rows: list[dict]) -> dict[str, list[dict]]:
    """{area: rows working in it}, areas sorted: one static directory page per area."""
    areas: dict[str, list[dict]] = {}
    for row in rows:
        for area in row["profile"].areas:
            areas.setdefault(area, []).append(row)
    return dict(sorted(areas.items()))
