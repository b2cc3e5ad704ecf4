"""`commonplace serve`: pages with a reload hook, rebuilds on change (native file events, one per
save), a reload sent as a server-sent event, errors shown in the browser."""

from __future__ import annotations

import http.client
import multiprocessing
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from communities import write_files
from generator.commands.serve import EVENTS_PATH, make_server, watch

REBUILD = re.compile(r"^\[\d\d:\d\d:\d\d\] .+ changed: ")
# Only a hang reaches these, however loaded the machine: a test waits for what it expects.
SAFETY = 300


@contextmanager
def serving(root, watching: bool = True):
    """`commonplace serve` in this process on a free port (`watching`: its files watched from
    the start); stopped on leaving, with every thread it started ended."""
    for thread in threading.enumerate():  # an earlier test's threads, ending: serve forks its builder only without them
        if thread is not threading.main_thread():
            thread.join(SAFETY)
    assert threading.active_count() == 1, f"threads left by an earlier test: {threading.enumerate()}"
    server, site = make_server(root, 0)
    stop, ready = threading.Event(), threading.Event()
    site.watcher = threading.Thread(target=watch, args=(site, stop, ready), daemon=True)
    server_thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    try:
        server_thread.start()
        if watching:
            site.watcher.start()
            assert ready.wait(SAFETY), "the watcher did not start"
        yield site
    finally:
        stop.set()
        server.shutdown()
        site.close()  # ends the event streams too
        server.server_close()
        for thread in threading.enumerate():  # the watcher's, the server's and the requests' threads
            if thread is not threading.main_thread():
                thread.join(SAFETY)


@pytest.fixture
def served(community):
    root = community()
    with serving(root) as site:
        yield root, site


def get(base_url: str, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + path, timeout=SAFETY) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Events:
    """A connection to the events endpoint, as the page's EventSource makes it."""

    def __init__(self, base_url: str, version: str):
        host, port = base_url.removeprefix("http://").rstrip("/").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=SAFETY)
        self.conn.request("GET", f"{EVENTS_PATH}?v={version}")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next_event(self, timeout: float = SAFETY) -> tuple[str, str]:
        """(event name, data) of the next event, within `timeout` seconds (a comment line that
        keeps the connection alive comes every 15 s)."""
        name, data = "message", ""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.response.fp.readline().decode()
            if not line:
                raise AssertionError("the event stream ended")
            line = line.rstrip("\n")
            if line == "" and data:
                return name, data
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = line.removeprefix("data: ")
        raise AssertionError(f"no event within {timeout} s")

    def close(self) -> None:
        self.conn.close()


def version_of(page: str) -> str:
    found = re.search(re.escape(EVENTS_PATH) + r"\?v=([\w-]+)", page)
    assert found, "no reload script in the page"
    return found.group(1)


def wait_for(site, old: str) -> str:
    """The version after the next reload event (sent at once if the site moved on already)."""
    events = Events(site.base_url, old)
    try:
        name, version = events.next_event()
    finally:
        events.close()
    assert name == "reload" and version != old
    return version


def test_serves_pages_with_a_reload_hook_only_over_http(served):
    root, site = served
    assert site.base_url.startswith("http://127.0.0.1:")
    status, page = get(site.base_url, "/projects/catalogue/")
    assert status == 200 and "Seed catalogue" in page and f'new EventSource("{EVENTS_PATH}?v=' in page
    assert version_of(page) == site.token()
    assert EVENTS_PATH not in (site.out_dir / "projects/catalogue/index.html").read_text()
    assert not any(EVENTS_PATH in p.read_text(errors="replace") for p in site.out_dir.rglob("*") if p.is_file())
    status, page = get(site.base_url, "/no/such/page/")
    assert status == 404 and "Page not found" in page and EVENTS_PATH in page


def test_edit_rebuilds_and_an_error_shows_then_recovers(served):
    root, site = served
    token = site.token()
    write_files(root, {"pages/about.md": "---\ntitle: About the library\n---\nNew text.\n"})
    token = wait_for(site, token)
    assert "About the library" in get(site.base_url, "/about/")[1]
    write_files(root, {"members/ana.yaml": "name: Ana\nemial: typo\n"})
    token = wait_for(site, token)
    status, page = get(site.base_url, "/about/")
    assert status == 500 and "members/ana.yaml:2:1: unknown key &#x27;emial&#x27;" in page
    assert version_of(page) == token  # the error page reloads itself once fixed
    write_files(root, {"members/ana.yaml": "name: Ana Lopez\n"})
    wait_for(site, token)
    status, page = get(site.base_url, "/members/ana/")
    assert status == 200 and "Ana Lopez" in page


def test_a_tab_served_an_old_version_is_told_at_once(served):
    root, site = served
    old = site.token()
    write_files(root, {"pages/about.md": "---\ntitle: Changed before connecting\n---\nText.\n"})
    assert site.next_token(old, SAFETY) != old  # the test waits for the rebuild; the page never polls
    assert wait_for(site, old) == site.token()


def test_a_new_folder_is_watched_from_then_on(served):
    root, site = served
    base = (Path(__file__).parents[1] / "themes/default/base.html").read_text()
    token = site.token()
    write_files(root, {"theme/base.html": base.replace("</footer>", "<p>A theme of our own</p></footer>")})
    token = wait_for(site, token)
    assert "A theme of our own" in get(site.base_url, "/about/")[1]
    write_files(root, {"theme/base.html": base.replace("</footer>", "<p>Edited in the new folder</p></footer>")})
    wait_for(site, token)
    assert "Edited in the new folder" in get(site.base_url, "/about/")[1]


def test_builds_run_in_a_child_process_that_may_fork_workers(served):
    root, site = served
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork start method here")
    assert site.builder is not None and site.builder.process.is_alive() and site.builder.process.pid != os.getpid()
    token = site.token()
    write_files(root, {"pages/about.md": "---\ntitle: Built elsewhere\n---\nText.\n"})
    wait_for(site, token)
    assert "Built elsewhere" in get(site.base_url, "/about/")[1]
    site.close()
    assert site.builder is None


def test_with_search_the_page_reloads_first_and_the_index_follows(community, monkeypatch, tmp_path):
    import generator.build
    from generator.build import build
    from generator.publish.search import available

    if not available():
        pytest.skip("the search extra is not installed")
    monkeypatch.setattr(generator.build, "search_available", lambda: True)
    root = community()
    with serving(root) as site:
        assert get(site.base_url, "/pagefind/pagefind-ui.js")[0] == 200  # the first build indexes before serving
        token = site.token()
        write_files(root, {"pages/about.md": "---\ntitle: About the seeds\n---\nText.\n"})
        wait_for(site, token)
        assert "About the seeds" in get(site.base_url, "/about/")[1]
        clean = tmp_path / "clean"
        build(root, clean, base_url=site.base_url, search=True, incremental=False)
        expected = {p.relative_to(clean).as_posix(): p.read_bytes() for p in (clean / "pagefind").rglob("*") if p.is_file()}
        deadline = time.monotonic() + SAFETY
        while time.monotonic() < deadline:
            served_bundle = {p.relative_to(site.out_dir).as_posix(): p.read_bytes()
                             for p in (site.out_dir / "pagefind").rglob("*") if p.is_file()}
            if served_bundle == expected:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the search index was not brought up to date")


def test_serve_keeps_its_site_in_the_git_folder(community):
    from gitrepo import commit_all

    root = community()
    commit_all(root, "Start")
    with serving(root) as site:
        assert site.out_dir.resolve().is_relative_to((root / ".git").resolve())
        assert get(site.base_url, "/about/")[0] == 200
    assert not (root / ".commonplace-cache").exists()


@pytest.mark.parametrize("in_git", [False, True], ids=["folder", "repository"])
def test_editors_and_caches_never_make_a_rebuild_too_many(community, in_git):
    """A real `commonplace serve` process: an editor's save is one rebuild, the open tab hears of
    it, what the build does not read makes none (serve's own output and caches, in the git folder
    or in .commonplace-cache), and Ctrl-C ends it cleanly."""
    from generator.cli import main
    from gitrepo import commit_all

    root = community()
    if in_git:
        commit_all(root, "Start")
    about = root / "pages/about.md"
    with ServeProcess(root) as serve:
        page = get(serve.base_url, "/about/")[1]
        events = Events(serve.base_url, version_of(page))

        tmp = root / "pages/.about.md.tmp1234"  # an atomic save: a temporary file renamed over
        tmp.write_text("---\ntitle: Saved atomically\n---\nText.\n")
        os.replace(tmp, about)
        assert serve.rebuilds() == ["pages/about.md"]
        name, version = events.next_event()
        assert name == "reload"
        assert "Saved atomically" in get(serve.base_url, "/about/")[1]

        with serve.paused():  # three writes in a row, as quick as serve can see
            for n in range(3):
                about.write_text(f"---\ntitle: Written {n} times\n---\nText.\n")
        assert serve.rebuilds() == ["pages/about.md"]
        assert events.next_event()[0] == "reload"
        events.close()

        # vim: a write probe, the original renamed to a backup, the new text, the backup
        # removed, a swap file written and written again
        with serve.paused():
            (root / "pages/4913").write_text("")
            (root / "pages/4913").unlink()
            os.replace(about, root / "pages/about.md~")
            about.write_text("---\ntitle: Saved by vim\n---\nText.\n")
            (root / "pages/about.md~").unlink()
            for _ in range(2):
                (root / "pages/.about.md.swp").write_bytes(b"b0VIM")
        assert serve.rebuilds() == ["pages/about.md"]
        (root / "pages/.about.md.swp").unlink()
        assert serve.rebuilds(expected=0) == []

        assert main(["build", str(root)]) == 0  # the output folder, SOURCE/_site
        cache = ".git/commonplace-cache" if in_git else ".commonplace-cache"
        assert next((root / cache).glob("serve*/index.html"))  # serve's own output is there
        write_files(root, {f"{cache}/serve/notes.txt": "x", f"{cache}/other.json": "{}",
                           "_site/extra.html": "<p>x</p>", "README.md": "# x\n",
                           "members/notes~": "x", "members/#ana.yaml#": "x"})
        if in_git:
            write_files(root, {".git/description": "x"})
        assert serve.rebuilds(expected=0) == []

        write_files(root, {"commonplace.yaml": (root / "commonplace.yaml").read_text() + "\n"})
        assert serve.rebuilds() == ["commonplace.yaml"]
    assert serve.returncode == 0 and "Traceback" not in serve.stderr


class ServeProcess:
    """`python -m generator serve ROOT --port 0` in a process of its own, its terminal lines read
    as they come; Ctrl-C (SIGINT) on leaving."""

    MARKER = "pages/zz-marker.md"  # a file the build reads, written to learn that serve caught up

    def __init__(self, root: Path):
        self.root = root
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.markers = 0

    def __enter__(self):
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(self.root), "--port", "0"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, env=env)
        threading.Thread(target=self._read, daemon=True).start()
        while True:
            line = self._next(SAFETY)
            if line is None:
                raise AssertionError(f"serve did not start: {self.seen}")
            if found := re.search(r" at (http://127\.0\.0\.1:\d+/) ", line):
                self.base_url = found.group(1)
                return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGINT)
        try:
            self.returncode = self.process.wait(timeout=SAFETY)
        finally:
            if self.process.poll() is None:
                self.process.kill()  # its builder follows it (it dies with its parent)
                self.process.wait()
        self.stderr = "\n".join(self.seen + self._rest())

    @contextmanager
    def paused(self):
        """Serve stopped (SIGSTOP) while the block writes: an editor's writes come within a few
        milliseconds, which a loaded machine may stretch; here none is seen before all are made."""
        os.kill(self.process.pid, signal.SIGSTOP)
        while _state(self.process.pid) != "T":
            time.sleep(0.001)  # stopping is asynchronous
        try:
            yield
        finally:
            os.kill(self.process.pid, signal.SIGCONT)

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def _next(self, timeout: float) -> str | None:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        self.seen.append(line)
        return line

    def _rest(self) -> list[str]:
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return rest

    def rebuilds(self, expected: int = 1) -> list[str]:
        """What each rebuild line names as changed: the `expected` first ones, then any other
        until serve rebuilds for a marker file written after them. Events reach serve in the
        order the files were written, so a rebuild too many comes before the marker's own (or
        with it, named beside it)."""
        found = []
        while len(found) < expected:
            found.append(self._rebuilt())
        self.markers += 1
        write_files(self.root, {self.MARKER: f"---\ntitle: Marker {self.markers}\n---\nText.\n"})
        while (named := self._rebuilt()) != self.MARKER:
            found.append(named)
        return found

    def _rebuilt(self) -> str:
        """What the next rebuild line names as changed."""
        while True:
            line = self._next(SAFETY)
            if line is None:
                raise AssertionError(f"no rebuild; the terminal said: {self.seen}")
            if REBUILD.match(line):
                return re.match(r"^\[[\d:]+\] (.+?) changed: ", line).group(1)


def _state(pid: int) -> str:
    """A process's state letter (R, S, T for stopped...) from /proc."""
    with open(f"/proc/{pid}/stat") as handle:
        stat = handle.read()
    return stat[stat.rindex(")") + 2]


def test_an_edit_made_during_the_first_build_is_not_lost(community):
    """Saved after the first build began but before the files were watched: one look at start
    finds it."""
    root = community()
    with serving(root, watching=False) as site:
        token = site.token()
        about = root / "pages/about.md"
        # saved until its modification time is later than the first build's start, whatever the
        # file system's clock granularity
        while about.stat().st_mtime <= site.first_build:
            write_files(root, {"pages/about.md": "---\ntitle: Saved while building\n---\nText.\n"})
        site.watcher.start()
        wait_for(site, token)
        assert "Saved while building" in get(site.base_url, "/about/")[1]
