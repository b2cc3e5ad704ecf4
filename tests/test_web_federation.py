"""Federation over the web: published portals read over HTTP from local servers, discovery of
peers of peers, and the directory a node republishes.

Every portal is served from 127.0.0.1 by tests/portalserver.py (started and stopped here). The
node under test is a small community (communities.MINIMAL, base_url
https://seeds.example.org/library/) whose federation.yaml names the portals.

Synthetic portals (`write_portal`) hold what a Commonplace portal publishes for federation:
datapackage.json listing community.json, federation.json and an indicators table, each with
its sha256 hash. One test serves a portal really built by `commonplace build`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from gitrepo import commit_all
from portalserver import PortalServer

from generator.build import build
from generator.cache.folders import peers_dir
from generator.commands.fetch import fetch_federation
from generator.federation.nodes import directory_rows, load_peers
from generator.federation.portals import portal_dir
from generator.federation.addresses import address_problem
from generator.federation.web import WebLimits, normalize
from generator.load.loader import load_community

OWN = "https://seeds.example.org/library/"
# Short enough for the hostile portals to cost little, long enough for a good one to answer on a
# loaded machine (two suites at once on two cores).
FAST = WebLimits(timeout=2.0, deadline=4.0, max_bytes=200_000, max_redirects=3, at_once=8)


def _json(value) -> str:
    return json.dumps(value, indent=1, sort_keys=True) + "\n"


def write_portal(root: Path, prefix: str, name: str, *, areas=("urban-commons",), peers=(), active=3,
                 tagline="A commons") -> None:
    """A synthetic published portal at `root/prefix/data/`: profile, peers and figures."""
    data = root / prefix / "data"
    data.mkdir(parents=True, exist_ok=True)
    files = {
        "community.json": _json({"name": name, "tagline": tagline, "mission": "Keep things in common.",
                                 "areas": list(areas), "scope": "local",
                                 "license": "CC-BY-4.0"}),
        "federation.json": _json({"schema": "commonplace.federation/1", "portal": "",
                                  "peers": [{"name": f"p{i}", "title": "", "relation": "peer", "mode": "data",
                                             "url": "", "portal": url} for i, url in enumerate(peers)]}),
        "indicators.csv": "dimension,indicator,part,value\n"
                          f"community_building,active_contributors,,{active}\n"
                          "monetary_value,income,EUR,250.00\n",
    }
    resources = []
    for file, text in files.items():
        (data / file).write_text(text, encoding="utf-8")
        entry = {"name": file.split(".")[0], "path": file, "format": file.split(".")[1],
                 "hash": "sha256:" + hashlib.sha256(text.encode()).hexdigest()}
        if file.endswith(".csv"):
            entry["schema"] = {"fields": [{"name": "dimension", "type": "string"},
                                          {"name": "indicator", "type": "string"},
                                          {"name": "part", "type": "string"},
                                          {"name": "value", "type": "number"}]}
        resources.append(entry)
    (data / "datapackage.json").write_text(_json({"name": prefix, "title": name, "resources": resources}))


def make_node(path: Path, peers: list[tuple[str, str]], discover: dict | None = None) -> Path:
    lines = ["peers:"]
    for name, url in peers:
        lines += [f"  - name: {name}", f"    url: {url}", "    relation: peer", "    mode: data"]
    if discover:
        lines += ["discover:", f"  depth: {discover['depth']}", f"  max: {discover['max']}"]
    write_files(path, {**MINIMAL, "federation.yaml": "\n".join(lines) + "\n"})
    commit_all(path, "Start")
    return path


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    with PortalServer(root) as server:
        yield server


def fetch(node: Path, limits: WebLimits = FAST):
    model = load_community(node)
    return fetch_federation(model, peers_dir(node), limits=limits)


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


# -- reading one portal ------------------------------------------------------------------------

def test_a_built_portal_is_read_over_http_and_an_unchanged_one_costs_one_request(served, tmp_path):
    peer = write_files(tmp_path / "peer", {**MINIMAL, "community.yaml": MINIMAL["community.yaml"].replace(
        "Seed Library", "Tool Library")})
    commit_all(peer, "Start")
    build(peer, served.root / "tools", search=False)
    node = make_node(tmp_path / "node", [("tools", served.url + "tools/")])

    _, portals = fetch(node)
    assert [(p.name, p.ok, p.changed) for p in portals] == [("tools", True, True)]
    first = list(served.requests)
    assert first[0] == "/tools/data/datapackage.json" and "/tools/data/community.json" in first
    federation = load_peers(load_community(node), peers_dir(node))
    got = federation.nodes[0]
    assert got.ok and got.self_reported and got.title == "Tool Library" and str(got.as_of) == today()
    assert got.profile.areas == ("urban-commons", "open-data-commons")
    assert got.dimensions["community_building"]["members"] == 3  # hidden members are counted in totals
    assert got.portal == served.url + "tools/"

    served.reset_log()
    _, again = fetch(node)
    assert (again[0].ok, again[0].changed) == (True, False)
    assert served.requests == ["/tools/data/datapackage.json"] and served.not_modified == 1

    # One resource changes: the package (its hash) changes, and only those two are asked for.
    data = served.root / "tools" / "data"
    profile = json.loads((data / "community.json").read_text())
    profile["tagline"] = "Tools kept in common"
    text = json.dumps(profile, indent=2, sort_keys=True) + "\n"
    (data / "community.json").write_text(text)
    package = json.loads((data / "datapackage.json").read_text())
    for res in package["resources"]:
        if res["name"] == "community":
            res["hash"] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    (data / "datapackage.json").write_text(json.dumps(package))
    served.reset_log()
    _, changed = fetch(node)
    assert changed[0].changed and sorted(served.requests) == ["/tools/data/community.json",
                                                              "/tools/data/datapackage.json"]
    assert load_peers(load_community(node), peers_dir(node)).nodes[0].profile.tagline == "Tools kept in common"


def test_a_failing_portal_keeps_the_copy_read_before(served, tmp_path):
    write_portal(served.root, "huerta", "Huerta Commons")
    node = make_node(tmp_path / "node", [("huerta", served.url + "huerta/")])
    fetch(node)
    (served.root / "huerta" / "data" / "datapackage.json").write_text('{"resources": [')
    _, portals = fetch(node)
    assert not portals[0].ok and portals[0].kept and "not valid JSON" in portals[0].message
    got = load_peers(load_community(node), peers_dir(node)).nodes[0]
    assert got.ok and got.stale and str(got.as_of) == today() and got.title == "Huerta Commons"
    served.behave("huerta", "error")
    _, portals = fetch(node)
    assert portals[0].kept and "HTTP 500" in portals[0].message
    assert load_peers(load_community(node), peers_dir(node)).nodes[0].dimensions["monetary_value"] == {
        "income": {"EUR": Decimal("250.00")}}


def test_hostile_portals_neither_fail_nor_stall_the_build(served, tmp_path):
    write_portal(served.root, "good", "Good Commons")
    write_portal(served.root, "malformed", "Bad")
    (served.root / "malformed" / "data" / "community.json").write_text('{"name": "x", "name": "y"}')
    hostile = {kind: served.behave(kind, kind) for kind in ("slow", "silent", "huge", "huge-length", "loop")}
    declared = [("good", served.url + "good/"), ("malformed", served.url + "malformed/")] + [
        (kind, url) for kind, url in hostile.items()]
    node = make_node(tmp_path / "node", declared)
    _, portals = fetch(node)
    why = {p.name: p.message for p in portals}
    assert {p.name for p in portals if p.ok} == {"good"}
    assert "appears twice" in why["malformed"]
    assert "not read whole within 4 s" in why["slow"]
    assert "no answer within 2 s" in why["silent"]
    assert "larger than 200 kB" in why["huge"] and "larger than 200 kB" in why["huge-length"]
    assert "more than 3 redirects" in why["loop"]

    result = build(node, tmp_path / "site", search=False)
    status = {n.name: n.status for n in load_peers(load_community(node), peers_dir(node)).nodes}
    assert status == {"good": "ok", "malformed": "unreachable", "slow": "unreachable", "silent": "unreachable",
                      "huge": "unreachable", "huge-length": "unreachable", "loop": "unreachable"}
    assert any("peers/slow" in w for w in result.warnings)
    directory = (tmp_path / "site" / "directory" / "index.html").read_text()
    assert "Good Commons" in directory and "Bad" not in directory


def test_addresses_outside_https_and_loopback_are_refused(tmp_path):
    assert address_problem("https://tree.example.org/") == ""
    for ok in ("http://127.0.0.1:8000/x/", "http://localhost/", "http://[::1]:9/"):
        assert address_problem(ok) == ""
    assert "only https://" in address_problem("http://example.org/")
    assert "user name or password" in address_problem("https://me:secret@example.org/")
    assert "only https://" in address_problem("ftp://example.org/")
    assert normalize("HTTPS://Tree.Example.org:443/club") == "https://tree.example.org/club/"
    node = write_files(tmp_path / "node", {**MINIMAL, "federation.yaml":
                                           "peers:\n  - name: x\n    url: http://example.org/\n"
                                           "    relation: peer\n    mode: data\n"})
    from generator.errors import DataError
    with pytest.raises(DataError) as caught:
        load_community(node)
    assert any(f.path == "federation.yaml" and f.line == 3 for f in caught.value.findings)


def test_a_redirect_to_a_plain_http_address_is_not_followed(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Away(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            self.send_response(301)
            self.send_header("Location", "http://insecure.example.org/data/datapackage.json")
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Away)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        node = make_node(tmp_path / "node", [("away", f"http://127.0.0.1:{httpd.server_address[1]}/")])
        _, portals = fetch(node)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert not portals[0].usable and "insecure.example.org" in portals[0].message
    assert "only https://" in portals[0].message


# -- discovery ---------------------------------------------------------------------------------

def test_discovery_is_breadth_first_each_community_once_within_depth_and_count(served, tmp_path):
    u = served.url
    # a -> b, c and back to the node itself; b -> c, d, a; c -> a; d -> e
    write_portal(served.root, "a", "Alpha", peers=[u + "b/", u + "c/", OWN])
    write_portal(served.root, "b", "Beta", peers=[u + "c/", u + "d", u + "a/"], areas=("citizen-science",))
    write_portal(served.root, "c", "Gamma", peers=[u + "a/"])
    write_portal(served.root, "d", "Delta", peers=[u + "e/"])
    write_portal(served.root, "e", "Epsilon")
    node = make_node(tmp_path / "node", [("alpha", u + "a/")], {"depth": 2, "max": 10})
    _, portals = fetch(node)
    assert [(p.url, p.depth, p.via) for p in portals] == [
        (u + "a/", 1, ""), (u + "b/", 2, "alpha"), (u + "c/", 2, "alpha")]
    packages = [r for r in served.requests if r.endswith("datapackage.json")]
    assert sorted(packages) == ["/a/data/datapackage.json", "/b/data/datapackage.json", "/c/data/datapackage.json"]

    node = make_node(tmp_path / "deeper", [("alpha", u + "a/")], {"depth": 3, "max": 10})
    _, portals = fetch(node)
    assert [(p.url.removeprefix(u), p.depth) for p in portals] == [("a/", 1), ("b/", 2), ("c/", 2), ("d/", 3)]

    node = make_node(tmp_path / "capped", [("alpha", u + "a/")], {"depth": 3, "max": 1})
    _, portals = fetch(node)
    assert [p.url.removeprefix(u) for p in portals] == ["a/", "b/"]

    federation = load_peers(load_community(tmp_path / "deeper"), peers_dir(tmp_path / "deeper"))
    assert [n.title for n in federation.nodes] == ["Alpha"]  # the federation page: declared peers
    assert [(n.title, n.depth) for n in federation.discovered] == [("Beta", 2), ("Gamma", 2), ("Delta", 3)]
    rows = directory_rows(federation, load_community(tmp_path / "deeper"))
    assert [r["title"] for r in rows] == ["Seed Library", "Alpha", "Beta", "Delta", "Gamma"]


def test_discovered_portals_that_fail_are_one_warning_and_forgotten_when_gone(served, tmp_path):
    u = served.url
    write_portal(served.root, "a", "Alpha", peers=[u + "b/", u + "c/"])
    write_portal(served.root, "b", "Beta")
    served.behave("c", "silent")
    node = make_node(tmp_path / "node", [("alpha", u + "a/")], {"depth": 2, "max": 10})
    fetch(node)
    federation = load_peers(load_community(node), peers_dir(node))
    assert [n.title for n in federation.discovered] == ["Beta"] and federation.undiscovered == 1
    assert [w.message for w in federation.warnings if w.path == "federation.yaml"] == [
        "1 discovered communities could not be read (run `commonplace fetch`; their own portals may be down)"]
    assert portal_dir(peers_dir(node), u + "b/").is_dir()
    write_portal(served.root, "a", "Alpha", peers=[])
    fetch(node)
    assert not portal_dir(peers_dir(node), u + "b/").exists()
    assert load_peers(load_community(node), peers_dir(node)).discovered == []


# -- what a node publishes ---------------------------------------------------------------------

def test_a_directory_node_republishes_the_combined_dataset(served, tmp_path):
    u = served.url
    write_portal(served.root, "a", "Alpha", peers=[u + "b/"], active=5)
    write_portal(served.root, "b", "Beta", areas=("citizen-science",), active=9)
    node = make_node(tmp_path / "node", [("alpha", u + "a/")], {"depth": 2, "max": 10})
    fetch(node)
    site = tmp_path / "site"
    build(node, site, search=False)
    data = site / "data"
    rows = list(csv.DictReader(io.StringIO((data / "directory.csv").read_text())))
    assert [(r["community"], r["title"], r["depth"], r["active_contributors"]) for r in rows] == [
        ("seed-library", "Seed Library", "0", rows[0]["active_contributors"]),
        ("alpha", "Alpha", "1", "5"), (rows[2]["community"], "Beta", "2", "9")]
    assert rows[2]["areas"] == "citizen-science" and rows[2]["as_of"] == today()
    assert rows[1]["portal"] == u + "a/" and rows[2]["portal"] == u + "b/"
    as_json = json.loads((data / "directory.json").read_text())
    assert [r["title"] for r in as_json] == ["Seed Library", "Alpha", "Beta"]
    figures = list(csv.DictReader(io.StringIO((data / "directory-figures.csv").read_text())))
    assert {"community": "alpha", "dimension": "monetary_value", "indicator": "income", "part": "EUR",
            "value": "250.00"} in figures
    package = json.loads((data / "datapackage.json").read_text())
    listed = {r["name"]: r for r in package["resources"]}
    assert {"directory", "directory-figures", "federation", "community"} <= set(listed)
    for res in listed.values():
        content = (data / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
    published = json.loads((data / "federation.json").read_text())
    assert published == {"schema": "commonplace.federation/1", "portal": OWN, "peers": [
        {"name": "alpha", "title": "Alpha", "relation": "peer", "mode": "data", "url": "", "portal": u + "a/"}]}

    # Another node reads this one over HTTP: its own figures, not the directory's, and its peers.
    shutil.copytree(site, served.root / "dir")
    reader = make_node(tmp_path / "reader", [("dir", u + "dir/")], {"depth": 2, "max": 10})
    _, portals = fetch(reader)
    assert [(p.url.removeprefix(u), p.ok) for p in portals] == [("dir/", True), ("a/", True)]
    got = load_peers(load_community(reader), peers_dir(reader)).nodes[0]
    assert got.title == "Seed Library" and got.dimensions.get("community_building", {}).get(
        "active_contributors") != 5


def test_a_build_after_a_fetch_with_nothing_new_is_skipped_and_a_new_fetch_rebuilds(served, tmp_path):
    write_portal(served.root, "a", "Alpha")
    node = make_node(tmp_path / "node", [("alpha", served.url + "a/")])
    fetch(node)
    assert not build(node, search=False).unchanged
    assert build(node, search=False).unchanged
    write_portal(served.root, "a", "Alpha renamed")
    fetch(node)
    assert not build(node, search=False).unchanged
    assert "Alpha renamed" in (node / "_site" / "directory" / "index.html").read_text()


# -- a peer that trickles its headers --------------------------------------------------------------

class HeaderTrickler:
    """A server on 127.0.0.1 that answers every connection with a status line and headers, one
    byte every 20 ms, for ever (until stopped): each read gets a byte well within any timeout."""

    def __init__(self) -> None:
        import socket
        import threading

        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/"
        self.stopping = threading.Event()
        self.served = threading.Event()  # a connection was answered
        self.threads = [threading.Thread(target=self._accept)]

    def _accept(self) -> None:
        import threading

        self.listener.settimeout(0.05)
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            thread = threading.Thread(target=self._trickle, args=(conn,))
            self.threads.append(thread)
            thread.start()

    def _trickle(self, conn) -> None:
        text = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Slow-%d: %s\r\n" % (i, b"z" * 40) for i in range(99))
        self.served.set()
        with conn:
            for i in range(10 ** 9):
                if self.stopping.wait(0.02):
                    return
                try:
                    conn.sendall(text[i % len(text): i % len(text) + 1])
                except OSError:
                    return

    def __enter__(self) -> "HeaderTrickler":
        self.threads[0].start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in list(self.threads):
            thread.join()
        self.listener.close()


def test_a_peer_trickling_its_headers_is_cut_off_by_the_deadline_on_the_whole_exchange(tmp_path):
    import threading

    from generator.federation.web import WebClient, WebError

    with HeaderTrickler() as peer:
        before = set(threading.enumerate())
        with WebClient(FAST) as client:
            with pytest.raises(WebError, match=rf"not read whole within {FAST.deadline:g} s"):
                client.get(peer.url + "data/datapackage.json")
        assert peer.served.is_set()
        # the watchdog's timer is joined: nothing of the request is left running
        assert not [t for t in threading.enumerate() if t not in before and t not in peer.threads]

        node = make_node(tmp_path / "node", [("trickle", peer.url)])
        _, portals = fetch(node)
        assert [(p.name, p.ok) for p in portals] == [("trickle", False)]
        assert f"not read whole within {FAST.deadline:g} s" in portals[0].message
