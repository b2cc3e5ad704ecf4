"""Federation: mirrors, reading peers from git objects, open data, and history across nodes.

The world every test starts from (`world` fixture), dates increasing in this order:

    up      U1 (Ana: the community, .mailmap, federation.yaml)  U2 (Ana)
    fork-a  cloned at U2;  A1 (Bea Santos <bea@fork-a.example>)  A2 ("bea b" <BEA@old.example>,
            which up's .mailmap maps to Bea Santos <bea@fork-a.example>)
    fork-b  cloned at U2;  B1, B2 (Carl Nowak)  B3 (Dora Lind)
    up      U3 (Ana);  M1 = merge of fork-a's A2 ("Merge pull request #1 from fork-a/main")
    fork-a  A3 (Bea Santos)
    up      U4 (Ana)

    up (HEAD U4):   U1 - U2 - U3 - M1 - U4          fork-a (A3):  U1 - U2 - A1 - A2 - A3
                          \\        /                fork-b (B3):  U1 - U2 - B1 - B2 - B3
                           A1 - A2

Other peers declared in up's federation.yaml: `light` (mode data, a plain folder with
data/datapackage.json), `pages` (mode data, branch gh-pages of a repository), `gone` (a path
that does not exist), `broken` (invalid YAML and a schema error), `hostile` (symbolic links to
/etc/passwd in its tree) and `hostile-data` (a datapackage path ../../etc/passwd).
"""

from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pygit2
import pytest

from communities import MINIMAL, write_files
from generator.errors import Findings
from generator.federation.graph import Author, AuthorResolver, Flow, dedupe_commit_ids, relate
from generator.federation.gittree import GitTreeReader
from generator.cli import parser as cli_parser
from generator.federation.mirrors import fetch_peers
from generator.federation.nodes import directory_rows, load_peers, rows_by_area
from generator.federation.peerdata import (
    LocalDataReader,
    read_open_data,
    safe_resource_path,
    strict_csv,
    strict_json,
)
from generator.load.loader import load_community
from gitrepo import ANA, commit_all, git, identity

BEA = ("Bea Santos", "bea@fork-a.example")
BEA_OLD = ("bea b", "BEA@old.example")
CARL = ("Carl Nowak", "carl@fork-b.example")
DORA = ("Dora Lind", "dora@fork-b.example")


class Clock:
    """Commit dates one day apart, in the order the commits are made."""

    def __init__(self):
        self.day = 0

    def next(self) -> str:
        self.day += 1
        return f"2024-03-{self.day:02d}T10:00:00+00:00"


def commit(repo: Path, files: dict, message: str, who, clock: Clock) -> str:
    write_files(repo, files)
    return commit_all(repo, message, author=who, date=clock.next())


def page(title: str) -> str:
    return f"---\ntitle: {title}\n---\nText.\n"


FEDERATION = """\
peers:
  - name: fork-a
    title: Seed Library North
    url: ../fork-a
    relation: fork
  - name: fork-b
    title: Seed Library South
    url: ../fork-b
    relation: fork
  - name: light
    url: ../light
    relation: peer
    mode: data
  - name: pages
    url: ../pages
    relation: peer
    mode: data
    data_branch: gh-pages
  - name: gone
    url: ../does-not-exist
    relation: peer
  - name: broken
    url: ../broken
    relation: peer
  - name: hostile
    url: ../hostile
    relation: peer
  - name: hostile-data
    url: ../hostile-data
    relation: peer
    mode: data
"""

PACKAGE = {
    "name": "huerta-commons", "title": "Huerta Commons", "licenses": [{"name": "ODbL-1.0"}],
    "resources": [
        {"name": "community", "path": "community.json", "format": "json"},
        {"name": "value", "path": "value.json", "format": "json"},
        {"name": "contributors", "path": "contributors.csv", "format": "csv",
         "schema": {"fields": [{"name": "id", "type": "string"}, {"name": "commits", "type": "integer"},
                               {"name": "value", "type": "number"}]}},
    ],
}
PROFILE = {"name": "Huerta Commons", "mission": "Gardens in common.", "license": "CC-BY-4.0",
           "areas": ["urban-commons", "citizen-science"], "scope": "local", "governance": "Open assembly"}
VALUE = {"schema": "commonplace.value/1", "source": {"commit": "a" * 40, "branch": "main"},
         "dimensions": {"community_building": {"active_contributors": 7},
                        "objective_accomplishment": {"commits": 120},
                        "monetary_value": {"income": {"EUR": "250.00"}},
                        "social_use_value": {"testimonials": 3}, "reputation": {"kudos": 9}}}
CONTRIBUTORS = "id,commits,value\nrosa,80,0.5\nsam,30,0.3\ntea,10,0.2\n"


def write_data(folder: Path, package=PACKAGE, **extra) -> None:
    files = {
        "data/datapackage.json": json.dumps(package),
        "data/community.json": json.dumps(PROFILE),
        "data/value.json": json.dumps(VALUE),
        "data/contributors.csv": CONTRIBUTORS,
    }
    files.update(extra)
    write_files(folder, files)


@pytest.fixture(autouse=True)
def quiet_git(tmp_path, monkeypatch):
    """GitPython runs git with the process environment: keep the user's config out."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_DIR", raising=False)


@pytest.fixture
def world(tmp_path):
    clock = Clock()
    up, fa, fb = tmp_path / "up", tmp_path / "fork-a", tmp_path / "fork-b"
    up.mkdir()
    git(up, "init", "-q", "-b", "main")
    ids = {}
    ids["U1"] = commit(up, {**MINIMAL, "federation.yaml": FEDERATION,
                            ".mailmap": "Bea Santos <bea@fork-a.example> <bea@old.example>\n"}, "U1", ANA, clock)
    ids["U2"] = commit(up, {"pages/join.md": page("Join")}, "U2", ANA, clock)
    git(tmp_path, "clone", "-q", str(up), str(fa))
    git(tmp_path, "clone", "-q", str(up), str(fb))
    ids["A1"] = commit(fa, {"pages/a-1.md": page("A1")}, "A1", BEA, clock)
    ids["A2"] = commit(fa, {"pages/a-2.md": page("A2")}, "A2", BEA_OLD, clock)
    ids["B1"] = commit(fb, {"pages/b-1.md": page("B1")}, "B1", CARL, clock)
    ids["B2"] = commit(fb, {"pages/b-2.md": page("B2")}, "B2", CARL, clock)
    ids["B3"] = commit(fb, {"pages/b-3.md": page("B3")}, "B3", DORA, clock)
    ids["U3"] = commit(up, {"pages/u-3.md": page("U3")}, "U3", ANA, clock)
    git(up, "fetch", "-q", str(fa), "main:pr-1")
    git(up, "merge", "-q", "--no-ff", "pr-1", "-m", "Merge pull request #1 from fork-a/main", env=identity(ANA, clock.next()))
    ids["M1"] = git(up, "rev-parse", "HEAD").strip()
    git(up, "branch", "-q", "-D", "pr-1")
    ids["A3"] = commit(fa, {"pages/a-3.md": page("A3")}, "A3", BEA, clock)
    ids["U4"] = commit(up, {"pages/u-4.md": page("U4")}, "U4", ANA, clock)

    write_data(tmp_path / "light")

    pages = tmp_path / "pages"
    pages.mkdir()
    git(pages, "init", "-q", "-b", "main")
    commit(pages, {"README.md": "source\n"}, "source", ANA, clock)
    git(pages, "checkout", "-q", "--orphan", "gh-pages")
    git(pages, "rm", "-q", "-rf", ".")
    write_data(pages, {**PACKAGE, "title": "Huerta Pages"})
    git(pages, "add", "-A")
    git(pages, "commit", "-q", "-m", "site", env=identity(ANA, clock.next()))
    git(pages, "checkout", "-q", "main")

    broken = tmp_path / "broken"
    broken.mkdir()
    git(broken, "init", "-q", "-b", "main")
    commit(broken, {**MINIMAL, "members/dan.yaml": "name: [Dan\n",
                    "community.yaml": "name: Broken\nlicense: MIT\nareas: [floss]\n"}, "broken", ANA, clock)

    hostile = tmp_path / "hostile"
    hostile.mkdir()
    git(hostile, "init", "-q", "-b", "main")
    write_files(hostile, {k: v for k, v in MINIMAL.items() if k != "community.yaml"})
    os.symlink("/etc/passwd", hostile / "community.yaml")
    os.symlink("/etc/passwd", hostile / "members" / "evil.yaml")
    os.symlink("/etc", hostile / "events" / "more")
    git(hostile, "add", "-A")
    git(hostile, "commit", "-q", "-m", "links", env=identity(ANA, clock.next()))

    bad = {**PACKAGE, "resources": [{"name": "passwd", "path": "../../etc/passwd", "format": "csv"}]}
    write_data(tmp_path / "hostile-data", bad)
    return up, ids


def mirror(tmp_path: Path, name: str) -> Path:
    return tmp_path / "cache" / f"{name}.git"


def fetch_all(up: Path, tmp_path: Path, **kw):
    return fetch_peers(load_community(up), tmp_path / "cache", timeout=60, **kw)


# -- fetch -------------------------------------------------------------------------------------

def test_fetch_mirrors_every_git_peer_and_warns_for_the_unreachable(world, tmp_path):
    up, ids = world
    lines = []
    results = {r.name: r for r in fetch_all(up, tmp_path, progress=lambda r: lines.append(str(r)))}
    assert results["fork-a"].ok and results["fork-a"].head == ids["A3"] and results["fork-a"].commits == 5
    assert results["fork-b"].ok and results["fork-b"].head == ids["B3"] and results["fork-b"].commits == 5
    assert results["pages"].ok and results["pages"].branch == "gh-pages" and results["pages"].commits == 1
    assert results["light"].skipped and not results["light"].ok  # a local folder, read in place
    assert not results["gone"].usable and not results["gone"].kept
    assert lines[0] == "fork-a: ok, 5 commits on main"
    assert lines[4].startswith("gone: failed (") and lines[4].endswith("no copy yet, the peer is left out")
    assert len(lines) == 8


def test_mirrors_are_bare_run_no_hooks_and_check_nothing_out(world, tmp_path):
    up, _ = world
    marker = tmp_path / "hook-ran"
    hooks = tmp_path / "evil-hooks"
    hooks.mkdir()
    for name in ("reference-transaction", "post-checkout", "post-merge", "post-receive"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\necho {name} >> {marker}\n")
        hook.chmod(0o755)
    # the user's global config points every repository at those hooks ...
    (tmp_path / ".gitconfig").write_text(f"[core]\n\thooksPath = {hooks}\n[init]\n\ttemplateDir = {tmp_path / 'tpl'}\n")
    (tmp_path / "tpl" / "hooks").mkdir(parents=True)
    shutil.copy(hooks / "reference-transaction", tmp_path / "tpl" / "hooks" / "reference-transaction")
    # ... and a plain fetch would run them (the control) ...
    control = tmp_path / "control.git"
    subprocess.run(["git", "init", "-q", "--bare", str(control)], check=True)
    subprocess.run(["git", "-C", str(control), "fetch", "-q", str(up), "main:main"], check=True)
    assert marker.exists()
    marker.unlink()
    # ... but fetching the peers does not.
    results = fetch_all(up, tmp_path)
    assert results[0].ok
    fetch_all(up, tmp_path)  # a second fetch into existing mirrors
    assert not marker.exists()
    path = mirror(tmp_path, "fork-a")
    repo = pygit2.Repository(str(path))
    assert repo.is_bare and repo.config["core.hooksPath"] == "/dev/null"
    assert not (path / "hooks" / "reference-transaction").exists()  # no template copied
    assert not list(path.glob("*.yaml")) and not (path / "pages").exists()  # nothing checked out
    assert [r for r in repo.references if r.startswith("refs/heads/")] == ["refs/heads/main"]
    assert not [r for r in repo.references if r.startswith("refs/tags/")]


def test_an_unreachable_peer_keeps_the_copy_fetched_before(world, tmp_path):
    up, ids = world
    assert fetch_all(up, tmp_path)[0].ok
    (tmp_path / "fork-a").rename(tmp_path / "fork-a-moved")
    results = fetch_all(up, tmp_path)
    a = results[0]
    assert not a.ok and a.kept and a.head == ids["A3"] and a.commits == 5
    assert str(a).startswith("fork-a: failed (") and "using the copy fetched before (5 commits on main)" in str(a)
    federation = load_peers(load_community(up), tmp_path / "cache", fetched=results)
    node = federation.nodes[0]
    assert node.ok and node.stale and node.head == ids["A3"] and node.model.community.name == "Seed Library"


def test_fetch_refuses_bad_addresses_and_branches(tmp_path):
    from generator.model import Peer

    peers = [Peer("x", "--upload-pack=touch /tmp/pwned", "peer", "federation.yaml", 1),
             Peer("y", "ext::sh -c touch% /tmp/pwned", "peer", "federation.yaml", 1),
             Peer("z", "./here", "peer", "federation.yaml", 1, branch="main:refs/heads/x")]
    results = fetch_peers(peers, tmp_path / "cache", base=tmp_path)
    assert [r.ok for r in results] == [False, False, False]
    assert "is not https://" in results[0].message and "is not https://" in results[1].message
    assert "not a valid branch name" in results[2].message
    assert not (tmp_path / "cache").exists()


def test_fetch_timeout_is_a_warning(tmp_path, monkeypatch):
    from generator.model import Peer

    ssh = tmp_path / "hung-ssh"
    ssh.write_text("#!/bin/sh\nexec sleep 30\n")
    ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))
    peer = Peer("slow", "ssh://git.example.invalid/slow.git", "peer", "federation.yaml", 1)
    [result] = fetch_peers([peer], tmp_path / "cache", timeout=1)
    assert not result.ok and "no answer within 1 s" in result.message


def test_fetch_command(world, tmp_path, capsys, community):
    up, _ = world
    top = cli_parser()
    args = top.parse_args(["fetch", str(up), "--timeout", "60"])
    assert args.run(args) == 0
    err = capsys.readouterr().err
    assert "fork-a: ok, 5 commits on main" in err and "gone: failed" in err
    # fetched: fork-a, fork-b, pages, broken, hostile; read in place: light, hostile-data
    assert "Fetched 5 of 8 peers into" in err and "2 read in place, 1 unavailable" in err
    bad = community({"federation.yaml": "peers:\n  - name: x\n    url: http://insecure\n    relation: peer\n"}, name="bad")
    args = top.parse_args(["fetch", str(bad)])
    assert args.run(args) == 1
    assert "federation.yaml:3:" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        top.parse_args(["fetch", str(up), "--timeout", "0"])


# -- reading peers from git objects -----------------------------------------------------------

def test_git_tree_reader_loads_a_peer_without_a_checkout(world, tmp_path):
    up, _ = world
    fetch_all(up, tmp_path)
    repo = pygit2.Repository(str(mirror(tmp_path, "fork-a")))
    model = load_community(Path("peers/fork-a"), reader_factory=GitTreeReader.factory(repo, "refs/heads/main"))
    assert sorted(model.pages) == ["a-1", "a-2", "a-3", "about", "join"]
    assert [p.name for p in model.peers] == ["fork-a", "fork-b", "light", "pages", "gone", "broken", "hostile",
                                             "hostile-data"]
    with pytest.raises(KeyError):
        GitTreeReader.factory(repo, "refs/heads/main", "no/such/folder")


def test_hostile_git_peer_is_read_without_following_links(world, tmp_path):
    up, _ = world
    fetch_all(up, tmp_path)
    repo = pygit2.Repository(str(mirror(tmp_path, "hostile")))
    findings = Findings()
    reader = GitTreeReader.factory(repo, "refs/heads/main")(Path("peers/hostile"), findings)
    assert reader.read_text("community.yaml") is None and reader.read_text("members/evil.yaml") is None
    assert reader.list_dir("events/more") == []
    assert "evil.yaml" not in reader.list_dir("members")
    assert {f.path for f in findings.items} == {"community.yaml", "members/evil.yaml", "events/more"}
    assert all("symbolic link" in f.message for f in findings.items)


# -- the federation ----------------------------------------------------------------------------

def test_load_peers_statuses_and_scoped_findings(world, tmp_path):
    up, _ = world
    fetch_all(up, tmp_path)
    federation = load_peers(load_community(up), tmp_path / "cache")
    status = {n.name: n.status for n in federation.nodes}
    assert status == {"fork-a": "ok", "fork-b": "ok", "light": "ok", "pages": "ok", "gone": "unreachable",
                      "broken": "invalid", "hostile": "invalid", "hostile-data": "invalid"}
    nodes = {n.name: n for n in federation.nodes}
    broken = [str(f) for f in nodes["broken"].findings]
    assert any(f.startswith("peers/broken/members/dan.yaml:2:1: invalid YAML") for f in broken)
    assert any(f.startswith("peers/broken/community.yaml:1:") and "missing required key 'mission'" in f for f in broken)
    hostile = {(f.path, f.severity) for f in nodes["hostile"].findings}
    assert ("peers/hostile/members/evil.yaml", "warning") in hostile
    assert ("peers/hostile/events/more", "warning") in hostile
    assert ("peers/hostile/community.yaml", "error") in hostile  # the link is not the file: it is missing
    [data_finding] = nodes["hostile-data"].findings
    assert data_finding.path == "peers/hostile-data/data/datapackage.json" and "leaves data/" in data_finding.message
    assert nodes["gone"].findings[0].message.startswith("no copy of branch 'main' yet")
    # nothing from /etc/passwd anywhere, and no peer finding fails this node's build
    assert "root:" not in repr(federation)
    assert federation.warnings and all(f.severity == "warning" for f in federation.warnings)
    assert [n.name for n in federation.ok_nodes] == ["fork-a", "fork-b", "light", "pages"]
    assert nodes["light"].url == "" and nodes["fork-a"].model.root == Path("peers/fork-a")


def test_ahead_behind_and_the_work_that_flowed(world, tmp_path):
    up, ids = world
    fetch_all(up, tmp_path)
    federation = load_peers(load_community(up), tmp_path / "cache")
    assert federation.head == ids["U4"]
    a = federation.nodes[0].flow
    # fork-a: A3 is not in up (ahead 1); U3, M1, U4 are not in fork-a (behind 3).
    assert (a.related, a.merge_base, a.ahead, a.behind) == (True, ids["A2"], 1, 3)
    assert a.upstream == "self" and a.fork_point == ids["U2"] and a.fork_point_exact
    assert set(a.flowed) == {ids["A1"], ids["A2"]}  # merged by pull request #1
    assert a.flowed_authors == (Author("Bea Santos", 2),)  # A2's old address mapped by .mailmap
    assert a.only_in_fork == (ids["A3"],) and a.only_in_fork_authors == (Author("Bea Santos", 1),)
    b = federation.nodes[1].flow
    # fork-b: B1-B3 are not in up; U3, A1, A2, M1, U4 are not in fork-b.
    assert (b.merge_base, b.ahead, b.behind, b.flowed) == (ids["U2"], 3, 5, ())
    assert set(b.only_in_fork) == {ids["B1"], ids["B2"], ids["B3"]}
    assert b.only_in_fork_authors == (Author("Carl Nowak", 2), Author("Dora Lind", 1))
    assert "@" not in repr(federation.nodes[0].flow) + repr(federation.nodes[1].flow)


def test_shared_history_is_counted_once(world, tmp_path):
    up, ids = world
    fetch_all(up, tmp_path)
    shared = load_peers(load_community(up), tmp_path / "cache").shared
    # up: U1 U2 U3 A1 A2 U4 (6); fork-a: U1 U2 A1 A2 A3 (5); fork-b: U1 U2 B1 B2 B3 (5):
    # 16 when summed, 10 distinct commits.
    assert shared.commits == 10
    figures = {n.name: (n.commits, n.unique, n.first_counted) for n in shared.nodes}
    assert figures == {"": (6, 2, 6), "fork-a": (5, 1, 1), "fork-b": (5, 3, 3)}
    # 7 contributors when summed per node (2 + 2 + 3), 4 people.
    assert shared.contributors == (Author("Ana Lopez", 4, member="ana"), Author("Bea Santos", 3),
                                   Author("Carl Nowak", 2), Author("Dora Lind", 1))


def test_dedupe_commit_ids_gives_each_commit_to_the_first_node():
    got = dedupe_commit_ids({"": ["a", "b", "c"], "fork": ["a", "b", "d"], "other": ["d", "e"]})
    assert got == {"": frozenset("abc"), "fork": frozenset("d"), "other": frozenset("e")}


def test_a_sync_merge_does_not_make_upstream_work_the_forks(world, tmp_path):
    """fork-b pulls from up (a merge of U4, which brings A1 and A2) and then adds B5: A1 and A2
    are not fork-b's own work, so nothing flowed from fork-b and they are not only in it."""
    up, ids = world
    fb = tmp_path / "fork-b"
    clock = Clock()
    clock.day = 20
    git(fb, "pull", "-q", "--no-rebase", "--no-edit", str(up), "main", env=identity(DORA, clock.next()))
    ids["B5"] = commit(fb, {"pages/b-5.md": page("B5")}, "B5", DORA, clock)
    fetch_all(up, tmp_path)
    b = load_peers(load_community(up), tmp_path / "cache").nodes[1].flow
    assert (b.merge_base, b.ahead, b.behind) == (ids["U4"], 5, 0)  # B1 B2 B3, the sync merge, B5
    assert b.fork_point == ids["U2"] and b.flowed == ()
    assert set(b.only_in_fork) == {ids["B1"], ids["B2"], ids["B3"], ids["B5"]}
    assert b.only_in_fork_authors == (Author("Carl Nowak", 2), Author("Dora Lind", 2))


def test_the_same_flow_seen_from_the_fork(world, tmp_path):
    """In fork-a's clone, up is the upstream: A1 and A2 are our work that reached it."""
    _, ids = world
    fa = tmp_path / "fork-a"
    git(fa, "fetch", "-q", str(tmp_path / "up"), "main:upstream")
    repo = pygit2.Repository(str(fa))
    people = AuthorResolver(lambda n, e: (n, e))  # no mailmap: A2 keeps its old name and address
    flow = relate(repo, ids["A3"], ids["U4"], "upstream", people)
    assert (flow.ahead, flow.behind, flow.upstream, flow.fork_point) == (3, 1, "peer", ids["U2"])
    assert set(flow.flowed) == {ids["A1"], ids["A2"]} and flow.only_in_fork == (ids["A3"],)
    assert flow.flowed_authors == (Author("Bea Santos", 1), Author("bea b", 1))
    git(fa, "fetch", "-q", str(tmp_path / "broken"), "main:unrelated")
    other = git(fa, "rev-parse", "unrelated").strip()
    assert relate(pygit2.Repository(str(fa)), ids["A3"], other, "peer", people) == Flow(related=False)


# -- light federation (mode: data) -------------------------------------------------------------

def test_data_mode_peers_are_self_reported(world, tmp_path):
    up, _ = world
    fetch_all(up, tmp_path)
    nodes = {n.name: n for n in load_peers(load_community(up), tmp_path / "cache").nodes}
    for name, title in (("light", "Huerta Commons"), ("pages", "Huerta Commons")):
        node = nodes[name]
        assert node.ok and node.self_reported and node.model is None and node.flow is None
        assert node.title == title  # the profile's name: no title in federation.yaml
        assert node.profile.areas == ("urban-commons", "citizen-science") and node.profile.scope == "local"
        assert node.profile.license == "CC-BY-4.0" and node.profile.governance == "Open assembly"
        assert node.dimensions["community_building"] == {"active_contributors": 7}
        assert node.dimensions["monetary_value"] == {"income": {"EUR": Decimal("250.00")}}
        assert node.data.contributors == 3 and node.data.commit == "a" * 40
    assert nodes["pages"].data.title == "Huerta Pages"


def test_directory_rows_and_areas(world, tmp_path):
    up, _ = world
    fetch_all(up, tmp_path)
    model = load_community(up)
    federation = load_peers(model, tmp_path / "cache")
    rows = directory_rows(federation, model, {"community_building": {"active_contributors": 2}})
    assert [(r["name"], r["title"], r["self_reported"]) for r in rows] == [
        ("", "Seed Library", False), ("light", "Huerta Commons", True), ("pages", "Huerta Commons", True),
        ("fork-a", "Seed Library North", False), ("fork-b", "Seed Library South", False)]
    assert rows[0]["dimensions"] == {"community_building": {"active_contributors": 2}}
    assert rows[3]["profile"].areas == ("urban-commons", "open-data-commons")
    by_area = rows_by_area(rows)
    assert list(by_area) == ["citizen-science", "open-data-commons", "urban-commons"]
    assert [r["name"] for r in by_area["citizen-science"]] == ["light", "pages"]
    assert [r["name"] for r in by_area["open-data-commons"]] == ["", "fork-a", "fork-b"]
    assert len(by_area["urban-commons"]) == 5


def test_open_data_is_read_as_hostile_input(tmp_path):
    def read(**files):
        folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
        write_data(folder, **files)
        findings = Findings()
        return read_open_data(LocalDataReader(folder, findings), findings), [str(f) for f in findings.items]

    data, findings = read()
    assert data is not None and findings == []
    _, findings = read(**{"data/value.json": '{"dimensions": {"reputation": {"kudos": NaN}}}'})
    assert findings and "NaN" in findings[0]
    _, findings = read(**{"data/value.json": '{"dimensions": {"reputation": {"kudos": 1e999}}}'})
    assert findings and "1e999" in findings[0]
    _, findings = read(**{"data/contributors.csv": "id,commits,value\nrosa,1e3,0.5\n"})
    assert findings and findings[0].startswith("data/contributors.csv:1:1: row 2: '1e3' is not a whole number")
    _, findings = read(**{"data/contributors.csv": "id,commits,value\nrosa,1,inf\n"})
    assert findings and "not an exact decimal" in findings[0]
    _, findings = read(**{"data/community.json": json.dumps({**PROFILE, "areas": ["<script>"]})})
    assert any("is not allowed" in f for f in findings)
    _, findings = read(**{"data/value.json": '{"a": 1, "a": 2}'})
    assert findings and "appears twice" in findings[0]
    _, findings = read(**{"data/value.json": "[" * 5000 + "]" * 5000})
    assert findings and "nested" in findings[0]
    # a link inside data/ is not followed
    folder = tmp_path / "linked"
    write_data(folder)
    (folder / "data" / "value.json").unlink()
    os.symlink("/etc/passwd", folder / "data" / "value.json")
    findings = Findings()
    assert read_open_data(LocalDataReader(folder, findings), findings) is None
    assert any("symbolic link" in f.message for f in findings.items)


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "a/../../x", "https://evil.example/x.csv",
                                  "..\\x", "C:/x", "~/x", "", "./", ["a.csv", "b.csv"]])
def test_resource_paths_must_stay_inside_data(path):
    with pytest.raises(ValueError):
        safe_resource_path(path)


def test_resource_paths_inside_data():
    assert safe_resource_path("contributors.csv") == "data/contributors.csv"
    assert safe_resource_path("monthly/indicators.csv") == "data/monthly/indicators.csv"


def test_strict_numbers():
    assert strict_json(b'{"a": 1, "b": 2.50, "c": -0.1}') == {"a": 1, "b": Decimal("2.50"), "c": Decimal("-0.1")}
    assert strict_json(b"[2e-06, 1E5]") == [Decimal("0.000002"), Decimal("100000")]  # as Python writes floats
    for bad in (b"[Infinity]", b"[-Infinity]", b"[NaN]", b"[1e31]", b"[1e-99]", b"[1" + b"0" * 40 + b"]"):
        with pytest.raises(ValueError):
            strict_json(bad)
    assert strict_csv(b"n,x\n3,\n", [("n", "integer"), ("x", "number")]) == [{"n": 3, "x": None}]
    with pytest.raises(ValueError):
        strict_csv(b"n\n0x10\n", [("n", "integer")])
    with pytest.raises(ValueError):
        strict_csv(b"m,n\n1\n", None)


def test_a_peers_mailmap_never_renames_our_people(world, tmp_path):
    up, ids = world
    clock = Clock()
    clock.day = 20
    commit(tmp_path / "fork-b", {".mailmap": "Evil Name <bea@fork-a.example>\nEvil Name <bea@old.example>\n"
                                             "Evil Name <ana@example.org>\nCarl N. <carl@fork-b.example>\n"},
           "B4", CARL, clock)
    fetch_all(up, tmp_path)
    federation = load_peers(load_community(up), tmp_path / "cache")
    assert federation.nodes[0].flow.flowed_authors == (Author("Bea Santos", 2),)
    assert federation.shared.contributors == (Author("Ana Lopez", 4, member="ana"), Author("Bea Santos", 3),
                                              Author("Carl N.", 3), Author("Dora Lind", 1))


def test_hidden_members_are_counted_without_a_name(world, tmp_path):
    _, ids = world
    fb = tmp_path / "fork-b"
    git(fb, "fetch", "-q", str(tmp_path / "up"), "main:upstream")
    people = AuthorResolver(lambda n, e: (n, e), [("carl", "Carl Nowak", ("CARL@fork-b.example",), "hidden"),
                                          ("dora", "Dora L.", ("dora@fork-b.example",), "pseudonymous")])
    flow = relate(pygit2.Repository(str(fb)), ids["U4"], ids["B3"], "fork", people)
    assert flow.only_in_fork_authors == (Author("", 2, member="carl", visibility="hidden"),
                                         Author("Dora L.", 1, member="dora", visibility="pseudonymous"))


def test_a_peer_in_a_subfolder_and_its_value(world, tmp_path):
    up, ids = world
    clock = Clock()
    clock.day = 20
    nested = tmp_path / "nested"
    nested.mkdir()
    git(nested, "init", "-q", "-b", "trunk")
    commit(nested, {f"site/{k}": v for k, v in MINIMAL.items()}, "first", CARL, clock)
    commit(nested, {"site/pages/more.md": page("More")}, "second", DORA, clock)
    fed = FEDERATION + ("  - name: nested\n    url: ../nested\n    branch: trunk\n    path: site\n    relation: peer\n"
                        "  - name: misplaced\n    url: ../nested\n    branch: trunk\n    path: nowhere\n"
                        "    relation: peer\n")
    commit(up, {"federation.yaml": fed}, "U5", ANA, clock)
    fetch_all(up, tmp_path)
    federation = load_peers(load_community(up), tmp_path / "cache")
    nodes = {n.name: n for n in federation.nodes}
    assert nodes["nested"].ok and sorted(nodes["nested"].model.pages) == ["about", "more"]
    assert nodes["nested"].flow == Flow(related=False)  # no history in common with up
    assert nodes["misplaced"].status == "invalid"
    assert str(nodes["misplaced"].findings[0]) == (
        "peers/misplaced:1:1: folder 'nowhere' is not in branch 'trunk': fix 'path' in federation.yaml")

    from generator.federation.nodes import compute_values
    from generator.valuation import community_data

    compute_values(federation, data_of=community_data, cache_root=tmp_path / "value-cache")
    assert nodes["fork-a"].dimensions["community_building"]["members"] == 3  # from the peer's member files
    assert nodes["nested"].dimensions["objective_accomplishment"]["commits"] == 2
    assert nodes["fork-a"].dimensions["objective_accomplishment"]["commits"] == 5
    assert nodes["light"].dimensions["objective_accomplishment"] == {"commits": 120}  # left as published


def test_the_indicators_table_our_portal_publishes(tmp_path):
    """The shape generator/datapackage.py writes: CSV resources only, indicators flattened by part."""
    fields = [{"name": n, "type": t} for n, t in (("dimension", "string"), ("indicator", "string"),
                                                  ("part", "string"), ("value", "number"), ("unit", "string"))]
    package = {"name": "seed-library", "title": "Seed Library", "licenses": [{"name": "ODbL-1.0"}],
               "keywords": ["urban-commons", "not-an-area"],
               "resources": [{"name": "indicators", "path": "indicators.csv", "format": "csv",
                              "schema": {"fields": fields}},
                             {"name": "indicators-monthly", "path": "indicators-monthly.csv", "format": "csv",
                              "schema": {"fields": [{"name": "month", "type": "string"}] + fields}}]}
    folder = tmp_path / "site"
    write_files(folder, {
        "data/datapackage.json": json.dumps(package),
        "data/indicators.csv": "dimension,indicator,part,value,unit\n"
                               "community_building,active_contributors,,4,people\n"
                               "community_building,retention,,0.333333,share\n"
                               "monetary_value,income,EUR,250.00,currency\n"
                               "monetary_value,income,USD,10,currency\n"
                               "social_use_value,documentation_share,,2e-06,share\n",
        "data/indicators-monthly.csv": "month,dimension,indicator,part,value,unit\n"
                                       "2024-03,community_building,active_contributors,,9,people\n",
    })
    findings = Findings()
    data = read_open_data(LocalDataReader(folder, findings), findings)
    assert findings.items == []
    assert data.dimensions == {
        "community_building": {"active_contributors": 4, "retention": Decimal("0.333333")},
        "monetary_value": {"income": {"EUR": Decimal("250.00"), "USD": 10}},
        "social_use_value": {"documentation_share": Decimal("0.000002")}}
    assert data.profile == {"license": "ODbL-1.0", "areas": ("urban-commons",)} and data.title == "Seed Library"


# -- the portal --------------------------------------------------------------------------------

def test_federation_and_directory_pages(world, tmp_path, capsys):
    from generator.build import build
    from generator.cli import main

    up, ids = world
    assert main(["fetch", str(up)]) == 0  # "gone" is unreachable: a warning, not a failure
    assert "gone: failed" in capsys.readouterr().err
    out = tmp_path / "site"
    result = build(up, out)  # broken and hostile peers never fail this node's build
    assert any(str(w).startswith("peers/broken/") for w in result.model.warnings)
    page = (out / "federation/index.html").read_text()
    shared = page[page.index('id="shared"'):page.index('id="peers"')]
    assert '<th scope="row">Seed Library North</th>' in shared  # each peer by its title, never its slug
    peers = page[page.index('id="peers"'):]
    north = peers[peers.index("Seed Library North"):peers.index("Seed Library South")]
    assert "<dt>Ahead</dt><dd>1 commit this node does not have</dd>" in north
    assert "<dt>Behind</dt><dd>3 commits of this node it does not have</dd>" in north
    assert "2 commits made in the fork, now upstream: Bea Santos (2)" in north
    assert "<dt>Only in the fork</dt><dd>1 commit (merges not included): Bea Santos (1)</dd>" in north
    south = peers[peers.index("Seed Library South"):]
    assert "<dt>Only in the fork</dt><dd>3 commits (merges not included): Carl Nowak (2), Dora Lind (1)</dd>" in south
    # the public sees each peer as of the commit read, and nothing of the operator's problems:
    # a peer that failed to fetch or whose data is broken is left out, and reported to the log
    assert re.search(r'As of <time datetime="\d{4}-\d\d-\d\d">', north)
    assert "fetch" not in page.lower() and "problem" not in page.lower() and "left out" not in page
    assert 'id="peer-broken"' not in page and 'id="peer-gone"' not in page
    logged = {re.match(r"peers/([\w-]+)", str(w)).group(1) for w in result.model.warnings if str(w).startswith("peers/")}
    assert {"broken", "gone"} <= logged
    assert main(["build", str(up), "-o", str(tmp_path / "again")]) == 0  # the build's transcript names them
    logged = capsys.readouterr().err
    assert "peers/broken/" in logged and "peers/gone" in logged
    assert "self-reported figures" in page
    assert "@" not in page.replace("mailto:", "")
    directory = (out / "directory/index.html").read_text()
    assert "Huerta Commons" in directory and "self-reported" in directory
    assert (out / "directory/urban-commons/index.html").exists()
    citizen_science = (out / "directory/citizen-science/index.html").read_text()
    assert "Huerta Commons" in citizen_science and "(this node)" not in citizen_science  # one area per page
    assert "/etc/passwd" not in directory and "root:x:" not in page


def test_a_directory_reads_the_open_data_our_portal_publishes(community, tmp_path):
    from generator.build import build
    from generator.federation import load_peers

    node = community(name="node")
    commit_all(node, "Start")
    build(node, tmp_path / "published")
    directory = community({"federation.yaml": "peers:\n  - name: seeds\n    url: ../published\n"
                                              "    relation: peer\n    mode: data\n"}, name="directory")
    federation = load_peers(load_community(directory), tmp_path / "cache")
    (peer,) = federation.nodes
    assert peer.status == "ok" and peer.self_reported, peer.findings
    assert peer.profile.name == "Seed Library"
    assert peer.profile.areas == ("urban-commons", "open-data-commons")
    assert peer.dimensions["objective_accomplishment"]["commits"] == 1


def test_a_linked_mirror_is_neither_fetched_into_nor_read(world, tmp_path):
    up, _ = world
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "cache").mkdir()
    mirror(tmp_path, "fork-a").symlink_to(elsewhere)
    results = {r.name: r for r in fetch_all(up, tmp_path)}
    assert not results["fork-a"].ok and "is a link" in results["fork-a"].message
    assert results["fork-b"].ok  # the other peers are fetched as usual
    assert list(elsewhere.iterdir()) == []
    federation = load_peers(load_community(up), tmp_path / "cache")
    node = next(n for n in federation.nodes if n.name == "fork-a")
    assert node.status == "unreachable" and any("is a link" in str(f) for f in node.findings)


def test_mirrors_live_in_the_git_folder_where_no_commit_can_put_one(world, tmp_path):
    from generator.cache.folders import peers_dir

    up, ids = world
    cache = peers_dir(up)
    git_dir = Path(pygit2.discover_repository(str(up))).resolve()
    assert cache.parent == git_dir / "commonplace-cache" and cache.name.startswith("peers-")
    # A bare repository committed where mirrors used to live, its config telling git to run a
    # command on the next fetch: it is never opened.
    planted = up / ".commonplace-cache" / "peers" / "fork-a.git"
    subprocess.run(["git", "init", "-q", "--bare", str(planted)], check=True)
    marker = tmp_path / "ran"
    with open(planted / "config", "a") as config:
        config.write(f'[url "ext::sh -c touch% {marker}"]\n\tinsteadOf = {up.parent}\n'
                     f'[core]\n\tsshCommand = touch {marker}\n')
    planted_config = (planted / "config").read_bytes()
    results = {r.name: r for r in fetch_peers(load_community(up), cache, timeout=60)}
    assert results["fork-a"].ok and results["fork-a"].mirror.parent == cache
    assert not marker.exists() and (planted / "config").read_bytes() == planted_config
    federation = load_peers(load_community(up), cache)
    assert next(n for n in federation.nodes if n.name == "fork-a").head == ids["A3"]
    outside = tmp_path / "plain"  # not a repository: the work tree's cache folder is all there is
    outside.mkdir()
    assert peers_dir(outside) == outside / ".commonplace-cache" / "peers"


def test_peers_are_fetched_at_once_and_reported_in_declared_order(monkeypatch, tmp_path):
    import threading

    from generator.federation import mirrors
    from generator.model import Peer

    peers = [Peer(name=f"p{i}", url=f"https://example.org/p{i}.git", relation="peer", source="federation.yaml", line=i + 2)
             for i in range(3)]
    together = threading.Barrier(3, timeout=10)  # only passed when all three fetches run at the same time

    def fetch_peer(peer, cache_dir, *, base, timeout):
        together.wait()
        return mirrors.FetchResult(peer.name, peer.url, Path(cache_dir) / peer.name, "main", ok=True)

    monkeypatch.setattr(mirrors, "fetch_peer", fetch_peer)
    seen = []
    results = mirrors.fetch_peers(peers, tmp_path, progress=lambda r: seen.append(r.name))
    assert [r.name for r in results] == seen == ["p0", "p1", "p2"]


# -- nothing a peer sends that reads as an e-mail address is republished ---------------------------

from generator.build import build  # noqa: E402 - the tests below build sites
from generator.cache.folders import peers_dir  # noqa: E402

ADDRESS_FORMS = ["rosa@peer.example", "mailto:sam@peer.example", "tea%40peer.example", "uma&#64;peer.example",
                 "vic&#x40;peer.example", "wen%2540peer.example", "xia\uff20peer.example"]


def test_a_data_peer_s_addresses_are_dropped_from_everything_republished(tmp_path):
    light = tmp_path / "light" / "data"
    light.mkdir(parents=True)
    figures = "dimension,indicator,part,value\ncommunity_building,active_contributors,,7\n" + "".join(
        f"monetary_value,income,{form},{i + 1}\n" for i, form in enumerate(ADDRESS_FORMS)) + \
        "monetary_value,income,EUR,250.00\nreputation,by rosa@peer.example,,3\n"
    profile = {"name": "Huerta Commons", "tagline": "Write to rosa@peer.example", "areas": ["urban-commons"],
               "mission": "Gardens.", "scope": "local", "location": "mailto:sam@peer.example", "license": "CC-BY-4.0"}
    files = {"community.json": json.dumps(profile), "indicators.csv": figures}
    resources = [{"name": "community", "path": "community.json", "format": "json"},
                 {"name": "indicators", "path": "indicators.csv", "format": "csv"}]
    for name, text in files.items():
        (light / name).write_text(text, encoding="utf-8")
    (light / "datapackage.json").write_text(json.dumps({"name": "huerta", "title": "Huerta tea%40peer.example",
                                                        "resources": resources}))
    node = write_files(tmp_path / "node", {**MINIMAL, "federation.yaml":
                                           "peers:\n  - name: light\n    url: ../light\n    relation: peer\n"
                                           "    mode: data\n"})
    commit_all(node, "Start")
    site = tmp_path / "site"
    build(node, site)
    figures_csv = (site / "data" / "directory-figures.csv").read_text(encoding="utf-8")
    assert "light,monetary_value,income,EUR,250.00" in figures_csv and "light,community_building" in figures_csv
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8")
            for local in ("rosa", "sam", "tea", "uma", "vic", "wen", "xia"):
                assert f"{local}@" not in text and f"{local}%" not in text and f"{local}&" not in text \
                    and f"{local}\uff20" not in text and "mailto:sam" not in text, (path, local)
    assert "Huerta Commons" in (site / "directory" / "index.html").read_text(encoding="utf-8")
    assert ",Write to," in (site / "data" / "directory.csv").read_text(encoding="utf-8")  # the rest of the tagline


def test_a_git_peer_author_named_by_an_address_is_not_shown_and_the_guard_knows_its_addresses(tmp_path):
    from generator.federation import compute_values
    from generator.publish.addresses import known_addresses

    node = write_files(tmp_path / "node", {**MINIMAL, "federation.yaml":
                                           "peers:\n  - name: fork\n    url: ../fork\n    relation: fork\n"})
    commit_all(node, "Start")
    git(tmp_path, "clone", "-q", str(node), str(tmp_path / "fork"))
    fork = tmp_path / "fork"
    commit_all(fork, "Mine", author=("zed@fork.example", "zed@fork.example"), date="2024-06-01T12:00:00+02:00",
               allow_empty=True)
    model = load_community(node)
    fetch_peers(model, peers_dir(node), timeout=60)
    federation = load_peers(model, peers_dir(node))
    [got] = federation.nodes
    assert got.ok and got.flow is not None and len(got.flow.only_in_fork) == 1
    [author] = got.flow.only_in_fork_authors
    assert author.name == "" and author.visibility == "hidden" and author.commits == 1
    compute_values(federation)
    known = known_addresses(model, None, federation)
    assert known.get("zed@fork.example") == "someone of peer 'fork'" and "ana@example.org" in known

    site = tmp_path / "site"
    build(node, site)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".xml"):
            assert "zed@" not in path.read_text(encoding="utf-8"), path
