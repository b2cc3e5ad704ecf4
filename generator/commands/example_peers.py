"""The living demo with its two peers: the network it forked from, and a community that
publishes only its open data (`commonplace new --example DIR`).

Beside DIR:
- `DIR-upstream` is Cartografia Oberta, the network whose repository Barrio Maps forked on the
  day it was founded. The two histories share the field guide (`pages/field-guide.md`): the
  network writes chapters that Barrio Maps pulls in (merges of the network's branch), and two
  Barrio Maps members write chapters on a branch of the network's history that both sides merge
  as pull requests. So the federation page has something to show: ahead, behind, what flowed.
- `DIR-open-data` is Ciutat Verda, with its own replayed history on `main` and, on `gh-pages`,
  only the `data/` folder its own portal publishes (built here with Commonplace itself).

Both histories of the fork are written in one `git fast-import` stream (they share commits),
then each repository fetches its own branch and tags from it. DIR's `federation.yaml` points at
the two folders, and they are fetched, as `commonplace fetch` does.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errors import CommonplaceError
from .example_history import (
    SEED,
    Change,
    Grown,
    Replay,
    Stream,
    _git,
    _paragraphs,
    check_ends,
    example_source,
    new_example,
)

GUIDE = "pages/field-guide.md"
UPSTREAM, OPEN_DATA = "cartografia-oberta", "ciutat-verda"
SUFFIX = {UPSTREAM: "-upstream", OPEN_DATA: "-open-data"}
UPSTREAM_REF, MAIN = "refs/heads/upstream", "refs/heads/main"


@dataclass(frozen=True)
class Step:
    """One step of the field guide's history. `chunks`: the guide's paragraphs and headings
    written once the step is done.
    write: the network writes them; sync: Barrio Maps pulls the network's branch; offer: a
    Barrio Maps member writes them on top of the network's last pulled commit, Barrio Maps
    merges it at once and the network on `taken`."""
    kind: str
    day: date
    who: str = ""
    chunks: int = 0
    taken: date | None = None


STEPS = (
    Step("write", date(2021, 10, 16), "neus-ferrando", 1),
    Step("write", date(2022, 1, 22), "neus-ferrando", 3),
    Step("write", date(2022, 5, 7), "vicent-llorens", 5),
    Step("write", date(2023, 3, 18), "neus-ferrando", 7),
    Step("sync", date(2023, 4, 1)),
    Step("offer", date(2023, 6, 10), "amina-belkacem", 9, taken=date(2023, 6, 24)),
    Step("write", date(2024, 2, 3), "hugo-pastor", 11),
    Step("sync", date(2024, 2, 17)),
    Step("offer", date(2025, 9, 27), "tomas-navarro", 13, taken=date(2025, 10, 20)),
    Step("write", date(2026, 5, 9), "neus-ferrando", 15),
    Step("sync", date(2026, 5, 23)),
)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def local_federation(text: str, urls: dict[str, str]) -> str:
    """federation.yaml with the `url` of each peer named in `urls` replaced, the rest kept."""
    out, name = [], None
    for line in text.splitlines(keepends=True):
        m = re.match(r"^  - name: (\S+)", line)
        if m:
            name = m.group(1)
        if name in urls and re.match(r"^    url: ", line):
            line = f"    url: {urls[name]}\n"
        out.append(line)
    return "".join(out)


class Fork:
    """Barrio Maps (`demo`) forked from the network (`upstream`), both replayed in one stream."""

    def __init__(self, source: Path, upstream_source: Path, seed: int) -> None:
        self.demo = Replay(source, seed, ref=MAIN, shared=(GUIDE,))
        self.upstream = Replay(upstream_source, seed + 1, ref=UPSTREAM_REF, tag_prefix="network-data-",
                               shared=(GUIDE,))
        self.upstream.files[GUIDE] = Grown(self.demo.files[GUIDE].final, "text")
        self.pulled: int | None = None  # the network's commit Barrio Maps last merged
        self.offers = 0

    def plan(self) -> list[tuple[datetime, int, int, object]]:
        """Every commit of both histories in time order: (when, side, order, write(stream))."""
        self.demo.plan()
        self.upstream.plan()
        events = [(c.when, 0, c.order, self._own(self.demo, c)) for c in self.demo.changes]
        events += [(c.when, 1, c.order, self._own(self.upstream, c)) for c in self.upstream.changes]
        for n, step in enumerate(STEPS):
            if step.kind == "write":
                events.append((_at(step.day, 18), 2, n, self._write(step)))
            elif step.kind == "sync":
                events.append((_at(step.day, 19), 2, n, self._sync(step)))
            else:
                events.append((_at(step.day, 20), 2, n, self._offer(step)))
                events.append((_at(step.taken, 12), 2, n, self._taken(step)))
        return sorted(events, key=lambda e: e[:3])

    def _own(self, replay: Replay, change: Change):
        def write(stream: Stream) -> None:
            if replay is self.demo and replay.tip is None:
                self._fork(stream, change)
            else:
                replay.write(stream, change)
        return write

    def _fork(self, stream: Stream, change: Change) -> None:
        """Barrio Maps' first commit: on the network's commit of that day, its own files for the
        network's, the field guide kept."""
        demo, up = self.demo, self.upstream
        if up.tip is None:
            raise CommonplaceError("the network's history must start before Barrio Maps forks it")
        paths = change.edit.apply(demo.files)
        demo.files[GUIDE].shown = up.files[GUIDE].shown
        files = {rel: demo.files[rel].render() for rel in [*paths, GUIDE]}
        demo.written.update(files)
        demo.tip = stream.commit(demo.ref, demo.person(change.author, change.when),
                                 demo.person(change.author, change.when), demo.message(change), [up.tip], files,
                                 deleteall=True)
        demo.days.append((change.when.date(), demo.tip))
        self.pulled = up.tip

    def _write(self, step: Step):
        def write(stream: Stream) -> None:
            up = self.upstream
            up.files[GUIDE].shown = step.chunks
            heading = _heading(up.files[GUIDE].final, step.chunks)
            up.tip = up.commit(stream, step.who, _at(step.day, 18), f"Field guide: {heading}\n", [GUIDE],
                               [up.tip] if up.tip else [])
            up.days.append((step.day, up.tip))
        return write

    def _sync(self, step: Step):
        def write(stream: Stream) -> None:
            demo, up = self.demo, self.upstream
            demo.files[GUIDE].shown = up.files[GUIDE].shown
            who = demo.founders[0]
            demo.tip = demo.commit(stream, who, _at(step.day, 19), "Merge remote-tracking branch 'upstream/main'\n",
                                   [GUIDE], [demo.tip, up.tip])
            demo.days.append((step.day, demo.tip))
            self.pulled = up.tip
        return write

    def _offer(self, step: Step):
        def write(stream: Stream) -> None:
            demo = self.demo
            if demo.files[GUIDE].shown != self.upstream.files[GUIDE].shown:
                raise CommonplaceError(f"the field guide offered on {step.day} is not based on the network's")
            self.offers += 1
            branch = f"field-guide-{self.offers}"
            demo.files[GUIDE].shown = step.chunks
            when = _at(step.day, 20)
            heading = _heading(demo.files[GUIDE].final, step.chunks)
            side = demo.commit(stream, step.who, when, f"Field guide: {heading}\n", [GUIDE], [self.pulled],
                               ref=f"refs/heads/{branch}")
            demo.merge_pull(stream, Change(when, step.who, f"Field guide: {heading}", None, branch=branch,
                                           merger=demo._merger(step.who)), side, [GUIDE])
            self.offered = (side, branch, heading)
        return write

    def _taken(self, step: Step):
        def write(stream: Stream) -> None:
            up = self.upstream
            side, branch, heading = self.offered
            if up.files[GUIDE].shown != step.chunks - 2:
                raise CommonplaceError(f"the network wrote the field guide before merging the offer of {step.day}")
            up.files[GUIDE].shown = step.chunks
            change = Change(_at(step.taken, 12), step.who, f"Field guide: {heading}", None, branch=branch,
                            merger=up.founders[0])
            up.merge_pull(stream, change, side, [GUIDE], title=f"Merge pull request #{up.pull_number + 1} "
                                                                 f"from barrio-maps/{branch}")
        return write

    def stream(self) -> Stream:
        stream = Stream()
        for *_, write in self.plan():
            write(stream)
        self.demo.write_tags(stream)
        self.upstream.write_tags(stream)
        return stream


def _heading(text: str, chunks: int) -> str:
    """The title of the last section a step of the guide writes."""
    written = _paragraphs(text)[1][:chunks]
    titles = [c.strip().lstrip("#").strip() for c in written if c.startswith("## ")]
    return f"add '{titles[-1]}'" if titles else "start the guide"


def _from_stream(target: Path, objects: Path, refspecs: list[str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    _git(target, "init", "-q", "--template=", "-b", "main")
    _git(target, "fetch", "-q", "--no-tags", "--update-head-ok", str(objects), *refspecs)
    _git(target, "checkout", "-q", "-f", "main")


def _publish_open_data(peer: Path) -> int:
    """Build the peer's portal and commit its `data/` folder alone to `gh-pages`, as its last
    commit's author on that commit's date: the number of files published."""
    from ..build import build

    with tempfile.TemporaryDirectory(prefix="commonplace-peer-") as tmp:
        site = Path(tmp) / "site"
        build(peer, site, search=False, incremental=False)
        files = {f"data/{p.relative_to(site / 'data').as_posix()}": p.read_text(encoding="utf-8")
                 for p in sorted((site / "data").rglob("*")) if p.is_file()}
    shutil.rmtree(peer / ".commonplace-cache", ignore_errors=True)
    who = _git(peer, "log", "-1", "--format=%aN <%aE> %ad", "--date=raw")
    stream = Stream()
    stream.commit("refs/heads/gh-pages", who, who, "Publish the open data\n", [], files)
    _git(peer, "fast-import", "--quiet", "--done", stdin=stream.data() + b"done\n")
    return len(files)


def new_demo(target: Path, source: Path | None = None, seed: int = SEED) -> dict[str, int]:
    """Create the living demo in `target` and its two peers beside it, then fetch them.
    Returns the number of commits of each repository made, by folder."""
    target = Path(target)
    source = source or example_source()
    name = target.resolve().name
    folders = {peer: target.parent / f"{name}{suffix}" for peer, suffix in SUFFIX.items()}
    for folder in (target, *folders.values()):
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise CommonplaceError(f"{folder} exists and is not empty: choose a new folder for the demo")

    fork = Fork(source, source / "peers" / UPSTREAM, seed)
    federation = fork.demo.files["federation.yaml"]
    federation.final = local_federation(federation.final, {p: f"../{f.name}" for p, f in folders.items()})
    stream = fork.stream()
    check_ends(fork.demo, "the example")
    check_ends(fork.upstream, UPSTREAM)

    with tempfile.TemporaryDirectory(prefix="commonplace-demo-") as tmp:
        objects = Path(tmp)
        _git(objects, "init", "-q", "--bare", "--template=")
        _git(objects, "fast-import", "--quiet", "--done", stdin=stream.data() + b"done\n")
        _from_stream(target, objects, [f"{MAIN}:{MAIN}", "refs/tags/data-*:refs/tags/data-*"])
        _from_stream(folders[UPSTREAM], objects, [f"{UPSTREAM_REF}:{MAIN}",
                                                  "refs/tags/network-data-*:refs/tags/network-data-*"])
    peer = folders[OPEN_DATA]
    new_example(peer, source / "peers" / OPEN_DATA, seed + 2)
    _publish_open_data(peer)
    _fetch(target)
    return {target.name: _count(target), folders[UPSTREAM].name: _count(folders[UPSTREAM]),
            peer.name: _count(peer)}


def _count(repo: Path) -> int:
    return int(_git(repo, "rev-list", "--count", "--all"))


def _fetch(target: Path) -> None:
    """`commonplace fetch` for the demo, quietly: its peers are the folders just made."""
    from ..cache.folders import peers_dir
    from ..federation.mirrors import fetch_peers
    from ..load.loader import load_community

    model = load_community(target)
    failed = [r for r in fetch_peers(model, peers_dir(target)) if not r.usable]
    if failed:
        raise CommonplaceError(f"the demo's peers could not be fetched: {'; '.join(str(r) for r in failed)}")
