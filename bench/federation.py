#!/usr/bin/env python3
"""Benchmark: a directory node reading 1,000 published portals, beside plain sequential requests.

    python bench/federation.py [--communities 1000] [--hubs 10] [--servers 4] [--runs 3] [--keep]

Makes --communities synthetic published portals (each a `data/` folder as a Commonplace portal
publishes it: datapackage.json with hashes, community.json, federation.json and an indicators
table), served by --servers local HTTP servers on 127.0.0.1 (tests/portalserver.py, each in its
own process). A directory node (a real community in a git repository) declares --hubs of them;
each hub's federation.json names an equal share of the others, and `discover: {depth: 2}` reaches
them all. Then prints, each the median of --runs runs (fresh processes, timed from outside):

- first: `commonplace fetch` then `commonplace build` with an empty cache and no site;
- refresh: the same two commands again with nothing changed;

beside the same reading done by plain sequential requests (urllib.request, one file after the
other, no conditional request: what a script fetching the portals would do), measured in the same
run, with the ratios and the peak memory (ru_maxrss) of the Commonplace processes.

Targets (issue 19), on a 2-core machine: first at most 60 s, refresh at most 5 s, peak memory
under 1 GiB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AREAS = ("urban-commons", "open-data-commons", "citizen-science", "free-software-social-networks", "open-technology")
DIMENSIONS = ("community_building", "objective_accomplishment", "monetary_value", "social_use_value", "reputation")
SERVER = """
import sys, time
sys.path.insert(0, {tests!r})
from portalserver import PortalServer
server = PortalServer({root!r}).start()
print(server.url, flush=True)
sys.stdin.read()
server.stop()
"""


def portal_files(i: int, peers: list[str]) -> dict[str, str]:
    def dump(value) -> str:
        return json.dumps(value, indent=1, sort_keys=True) + "\n"

    rows = ["dimension,indicator,part,value"]
    for d, dimension in enumerate(DIMENSIONS):
        for k in range(4):
            rows.append(f"{dimension},figure_{k},,{(i * 7 + d * 3 + k) % 97}")
    rows.append(f"community_building,active_contributors,,{i % 40 + 1}")
    rows.append(f"monetary_value,income,EUR,{i * 13 % 5000}.50")
    files = {
        "community.json": dump({"name": f"Community {i:04d}", "tagline": f"Commons number {i}",
                                "mission": "Keep things in common.", "areas": [AREAS[i % len(AREAS)]],
                                "scope": "local", "license": "CC-BY-4.0"}),
        "federation.json": dump({"schema": "commonplace.federation/1", "portal": "", "peers": [
            {"name": f"p{n}", "title": "", "relation": "peer", "mode": "data", "url": "", "portal": url}
            for n, url in enumerate(peers)]}),
        "indicators.csv": "\n".join(rows) + "\n",
    }
    resources = []
    for name, text in files.items():
        entry = {"name": name.split(".")[0], "path": name, "format": name.split(".")[1],
                 "hash": "sha256:" + hashlib.sha256(text.encode()).hexdigest()}
        if name.endswith(".csv"):
            entry["schema"] = {"fields": [{"name": "dimension", "type": "string"}, {"name": "indicator", "type": "string"},
                                          {"name": "part", "type": "string"}, {"name": "value", "type": "number"}]}
        resources.append(entry)
    files["datapackage.json"] = dump({"name": f"c{i}", "title": f"Community {i:04d}", "resources": resources})
    return files


def make_world(work: Path, communities: int, hubs: int, servers: int):
    roots = [work / f"served{s}" for s in range(servers)]
    procs, urls = [], []
    for root in roots:
        root.mkdir(parents=True)
        proc = subprocess.Popen([sys.executable, "-c", SERVER.format(tests=str(ROOT / "tests"), root=str(root))],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        urls.append(proc.stdout.readline().strip())
    address = [f"{urls[i % servers]}c{i}/" for i in range(communities)]
    others = list(range(hubs, communities))
    share = -(-len(others) // hubs)
    for i in range(communities):
        peers = [address[j] for j in others[i * share:(i + 1) * share]] if i < hubs else []
        data = roots[i % servers] / f"c{i}" / "data"
        data.mkdir(parents=True)
        for name, text in portal_files(i, peers).items():
            (data / name).write_text(text)
    node = work / "node"
    write(node, {
        "commonplace.yaml": "title: Commons Directory\nbase_url: https://directory.example.org/\n",
        "community.yaml": "name: Commons Directory\nmission: Every commons in one place.\nlicense: CC-BY-SA-4.0\n"
                          "areas: [open-data-commons]\nscope: international\n",
        "members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org]\n",
        "federation.yaml": "peers:\n" + "".join(
            f"  - name: hub-{i}\n    url: {address[i]}\n    relation: peer\n    mode: data\n" for i in range(hubs))
        + f"discover:\n  depth: 2\n  max: {communities}\n",
    })
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ana Lopez", "GIT_AUTHOR_EMAIL": "ana@example.org",
           "GIT_COMMITTER_NAME": "Ana Lopez", "GIT_COMMITTER_EMAIL": "ana@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Start"]):
        subprocess.run(["git", *args], cwd=node, env=env, check=True)
    files = [address[i] + "data/" + name for i in range(communities)
             for name in ("datapackage.json", "community.json", "federation.json", "indicators.csv")]
    return node, procs, files


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))


def timed(*commands: list[str]) -> float:
    start = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - start


def sequential(files: list[str]) -> float:
    start = time.perf_counter()
    for url in files:
        with urllib.request.urlopen(url, timeout=20) as answer:
            answer.read()
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--communities", type=int, default=1000)
    ap.add_argument("--hubs", type=int, default=10)
    ap.add_argument("--servers", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="commonplace-bench-federation-"))
    node, procs, files = make_world(work, args.communities, args.hubs, args.servers)
    commonplace = str(BIN / "commonplace")
    fetch, build = [commonplace, "fetch", str(node)], [commonplace, "build", str(node)]
    cache = node / ".git" / "commonplace-cache"
    firsts, refreshes, seq_first, seq_refresh = [], [], [], []
    try:
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(node / "_site", ignore_errors=True)
            firsts.append(timed(fetch, build))
            refreshes.append(timed(fetch, build))
            seq_first.append(sequential(files))
            seq_refresh.append(sequential(files))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB (servers still run)
        rows = json.loads((node / "_site" / "data" / "directory.json").read_text())
    finally:
        for proc in procs:
            proc.stdin.close()
            proc.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    first, refresh = statistics.median(firsts), statistics.median(refreshes)
    s_first, s_refresh = statistics.median(seq_first), statistics.median(seq_refresh)
    print(f"{args.communities} portals ({len(files)} files) on {args.servers} local servers, "
          f"{os.cpu_count()} cores, median of {args.runs} runs; directory rows built: {len(rows)}")
    print(f"{'':34}{'commonplace':>12}{'sequential':>12}{'ratio':>8}{'target':>9}")
    print(f"{'first fetch + build (s)':34}{first:12.2f}{s_first:12.2f}{first / s_first:8.2f}{'<= 60':>9}")
    print(f"{'refresh, nothing changed (s)':34}{refresh:12.2f}{s_refresh:12.2f}{refresh / s_refresh:8.2f}{'<= 5':>9}")
    print(f"{'peak memory (MiB)':34}{peak:12.0f}{'':>12}{'':>8}{'< 1024':>9}")
    print("sequential: plain urllib.request GETs of every file, one after the other (fetch only, no build)")
    if args.keep:
        print(f"kept: {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
