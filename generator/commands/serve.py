"""`commonplace serve`: build, serve on localhost, rebuild when a file changes, reload the tab.

The files are watched with native events (see `serve_watch`), and the paths that changed go to
one builder that lives as long as serve and keeps what its builds worked out in memory (see
`generator.session`): a save reads again only those files. The open tab listens to
`EVENTS_PATH` (server-sent events) and reloads when a rebuild changed something; the script
that listens is added to HTML responses by the server only, never written to the site. A build
that fails shows its findings as an error page in the browser, and the server keeps watching,
so fixing the file brings the site back.

Ctrl-C, SIGTERM and SIGHUP stop serve the same way: the builder process and the workers it
forked are stopped, the sockets closed, and nothing serve started keeps running.
"""

from __future__ import annotations

import atexit
import html
import multiprocessing
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from value.forkpool import die_with_parent, fork_is_safe

from ..cache.folders import serve_dir
from ..errors import CommonplaceError, DataError
from ..session import BuildSession
from . import community_folder, counted
from .serve_watch import WatchedInputs, watch_inputs

EVENTS_PATH = "/__commonplace/events"
# `v`: the site's version the page was served at. A tab whose version is out of date when it
# connects (a rebuild came between the page and the connection, or serve was restarted) is
# told at once; `retry` makes the browser reconnect soon after serve comes back.
RELOAD = """<script>(function(){var s=new EventSource("%s?v=%s");
s.addEventListener("reload",function(){s.close();location.reload()})})();</script>"""
KEEPALIVE_SECONDS = 15  # a comment line this often: a closed tab's connection is noticed and ended
# What stops serve: Ctrl-C, `kill`, a closed terminal.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_SECONDS = 5  # how long a stopping builder may take to finish its build before it is made to stop


class Site:
    """The state shared by the watcher and the request handlers."""

    def __init__(self, source: Path, out_dir: Path, base_url: str):
        self.source = source
        self.out_dir = out_dir
        self.base_url = base_url
        self.inputs = WatchedInputs(self.source)
        self.started = f"{time.time_ns():x}"  # a restarted serve has other versions: open tabs reload
        self.version = 0
        self.error: str | None = None  # an HTML fragment describing the failed build
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)  # notified on each new version, and on closing
        self.closing = False
        self.builder: Builder | None = None
        self.session = None  # builds in this process when no builder could be forked (see `rebuild`)
        self.first_build = 0.0  # when the first build began: edits after it are looked for once watching

    def start_builder(self, server_fd: int | None = None) -> None:
        """Build in a child process from now on, when this process may fork it safely
        (`server_fd`: the listening socket, which the child closes)."""
        if self.builder is None and fork_is_safe():
            self.builder = Builder(self.source, self.out_dir, self.base_url, server_fd)
            self.builder.start()  # a stop signal may arrive here: `close` stops the builder all the same

    def close(self) -> None:
        with self.lock:
            self.closing = True
            self.changed.notify_all()
        if self.builder is not None:
            self.builder.close()
            self.builder = None
        if self.session is not None:
            self.session.close()
            self.session = None

    def rebuild(self, changed: list[str] | None = None) -> None:
        """Build; open tabs reload when pages changed or the build failed or recovered.
        `changed`: the paths that made this rebuild, named on the terminal."""
        builder = self.builder
        if self.closing:
            return  # changes seen as serve stops: never built in this process instead
        started = time.monotonic()
        if self.version == 0:
            self.first_build = time.time()
        later = None
        if builder is not None:
            error, message, fresh = builder.build(changed)  # the builder brings the search index up to date itself
        else:
            if self.session is None:
                self.session = BuildSession(self.source, self.out_dir, self.base_url)
            error, message, fresh, later = build_once(self.session, changed)
        with self.lock:
            if fresh or error != self.error or self.version == 0:
                self.version += 1
                self.changed.notify_all()
            self.error = error
        cause = f"{self.inputs.describe(changed)} changed: " if changed else ""
        print(f"[{time.strftime('%H:%M:%S')}] {cause}{message} ({time.monotonic() - started:.2f} s)", file=sys.stderr)
        if later is not None:
            index_search(later)

    def token(self) -> str:
        with self.lock:
            return self._token()

    def _token(self) -> str:
        return f"{self.started}-{self.version}{'e' if self.error else ''}"

    def next_token(self, seen: str, timeout: float) -> str | None:
        """The site's version once it differs from `seen` (at once if it does already), or
        `seen` after `timeout` seconds; None when serve is closing."""
        with self.lock:
            self.changed.wait_for(lambda: self.closing or self._token() != seen, timeout)
            return None if self.closing else self._token()


def build_once(session: BuildSession, changed: list[str] | None = None):
    """Build in `session` after `changed` (None: anything may have); (an HTML fragment
    describing the failure or None, a line for the terminal, whether any page changed, what
    brings the search index up to date or None).

    The pages come first: re-indexing search takes seconds on a large site, so the tab reloads
    with the old index, which is replaced once the new one is ready (see `index_search`).
    """
    try:
        result = session.build(changed)
    except DataError as exc:
        for finding in exc.findings:
            print(finding, file=sys.stderr)
        error = "<ul>" + "".join(f"<li><code>{html.escape(str(f))}</code></li>" for f in exc.findings) + "</ul>"
        return error, f"{counted(len(exc.findings), 'problem', 'problems')} in the community's files", False, None
    except CommonplaceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return f"<p><code>{html.escape(str(exc))}</code></p>", str(exc), False, None
    message = ("nothing changed" if result.unchanged else
               f"built {counted(result.pages, 'page', 'pages')}, {counted(len(result.written), 'file', 'files')} written")
    if result.index_later is not None:
        message += "; updating the search index"
    return None, message, bool(result.written) and not result.unchanged, result.index_later


def index_search(later) -> None:
    """Run a build's deferred search indexing; a failure is reported and the pages stay served."""
    started = time.monotonic()
    try:
        written = later()
    except CommonplaceError as exc:
        print(f"[{time.strftime('%H:%M:%S')}] search index not updated: {exc}", file=sys.stderr)
        return
    print(f"[{time.strftime('%H:%M:%S')}] search index updated, {counted(len(written), 'file', 'files')} written "
          f"({time.monotonic() - started:.2f} s)", file=sys.stderr)


class Builder:
    """A child process that makes the builds, forked before the server starts a thread.

    The server answers requests and watches files on threads, and a process with threads must
    not fork: its builds would render on one core. The child has one thread, so its builds
    fork workers like `commonplace build` does. It lives no longer than the server: it is
    stopped by `close`, it leaves when the server's end of the pipe closes, and on Linux it is
    sent SIGTERM if the server dies (see `_builder_loop`).
    """

    def __init__(self, source: Path, out_dir: Path, base_url: str, server_fd: int | None = None):
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        # Not a daemon: a daemon may not start the workers this process exists for.
        self.process = context.Process(target=_builder_loop, name="commonplace-builder",
                                       args=(child, self.conn, source, out_dir, base_url, server_fd, os.getpid()))
        self._child_end = child

    def start(self) -> None:
        # No stop signal between the fork and the child's own handlers (it would run the
        # server's): blocked around the fork, and held until the child has set its own.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            atexit.register(self.close)
            self.process.start()
        finally:
            self._child_end.close()
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def build(self, changed: list[str] | None = None) -> tuple[str | None, str, bool]:
        """Build after `changed` (None: anything may have)."""
        try:
            self.conn.send(("build", changed))
            return self.conn.recv()
        except (EOFError, OSError):
            return ("<p><code>the build process stopped: restart commonplace serve</code></p>",
                    "the build process stopped", False)

    def close(self) -> None:
        """Stop the builder and wait for it: asked to (it finishes the build under way), made to
        after STOP_SECONDS (SIGTERM: it stops its workers and leaves), killed as a last resort."""
        atexit.unregister(self.close)
        if self.process.pid is not None:  # started
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(timeout=STOP_SECONDS)
            if self.process.exitcode is None:
                self.process.terminate()
                self.process.join(timeout=STOP_SECONDS)
            if self.process.exitcode is None:
                self.process.kill()  # its workers get SIGTERM from the system (die_with_parent)
                self.process.join()
        self.conn.close()


def _builder_loop(conn, server_end, source: Path, out_dir: Path, base_url: str, server_fd: int | None,
                  server: int) -> None:
    """Build at each request of the server (process `server`) until it sends None or goes."""
    # Ctrl-C and a closed terminal reach the whole process group: the server stops this process
    # itself (Builder.close). SIGTERM, from the server or from the system when the server died,
    # ends it at once, its build's workers ended on the way out.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    server_end.close()  # the server's end, inherited: once the server is gone, recv() sees the end
    if server_fd is not None:
        os.close(server_fd)  # the port belongs to the server alone
    if not die_with_parent(signal.SIGTERM, server):
        return
    # What one build worked out stays here for the next (see generator.session), and is written
    # down when serve stops.
    session = BuildSession(source, out_dir, base_url)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            request = None  # the server is gone
        if request is None:
            session.close()
            return
        try:
            error, message, fresh, later = build_once(session, request[1])
        except Exception as exc:  # noqa: BLE001 - shown in the browser, and the builder lives on
            error, message, fresh, later = (f"<p><code>{html.escape(f'{type(exc).__name__}: {exc}')}</code></p>",
                                            f"build failed: {type(exc).__name__}: {exc}", False, None)
        conn.send((error, message, fresh))
        # The server's next request waits until this is done: builds never overlap.
        if later is not None:
            try:
                index_search(partial(later, stop=conn.poll))  # a new request (a save, or stop) comes first
            except Exception as exc:  # noqa: BLE001 - the builder lives on
                print(f"search index not updated: {type(exc).__name__}: {exc}", file=sys.stderr)
        try:
            session.settle()  # the build's record, written once the tab has its answer
        except Exception as exc:  # noqa: BLE001 - the next build starts afresh, and the builder lives on
            print(f"the build's record not kept: {type(exc).__name__}: {exc}", file=sys.stderr)


def _leave(signum, frame) -> None:
    """SIGTERM in the builder: unwind (a pool's workers are ended, a staging folder discarded,
    a Pagefind run killed on the way), once: a second signal does not cut that short."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(0)


def reload_script(site: Site) -> str:
    return RELOAD % (EVENTS_PATH, site.token())


def error_page(site: Site) -> bytes:
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title>
<style>body{{font:16px system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d232a}}
h1{{color:#8a3b00}}code{{background:#f1eee4;padding:.1rem .3rem}}li{{margin:.4rem 0}}</style></head>
<body><main><h1>The build failed</h1><p>Fix the problems below and save: this page reloads by itself.</p>
{site.error}</main>{reload_script(site)}</body></html>"""
    return body.encode()


class Handler(SimpleHTTPRequestHandler):
    site: Site

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the terminal shows builds, not every request

    def do_GET(self):
        site = self.site
        if self.path.split("?")[0] == EVENTS_PATH:
            return self._send_events()
        if site.error is not None:
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(site), "text/html; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            missing = site.out_dir / "404.html"
            data = missing.read_bytes() if missing.is_file() else b"Not found"
            return self._send(HTTPStatus.NOT_FOUND, self._inject(data), "text/html; charset=utf-8")
        data = path.read_bytes()
        if path.suffix == ".html":
            return self._send(HTTPStatus.OK, self._inject(data), "text/html; charset=utf-8")
        return super().do_GET()

    def _send_events(self) -> None:
        """A stream of server-sent events: `reload` each time the site's version moves on from
        the one the page was served at."""
        seen = parse_qs(urlsplit(self.path).query).get("v", [""])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            while (token := self.site.next_token(seen, KEEPALIVE_SECONDS)) is not None:
                if token != seen:
                    self.wfile.write(f"event: reload\ndata: {token}\n\n".encode())
                    seen = token
                else:
                    self.wfile.write(b": still here\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab closed or reloaded

    def _inject(self, data: bytes) -> bytes:
        script = reload_script(self.site).encode()
        index = data.rfind(b"</body>")
        return data[:index] + script + data[index:] if index >= 0 else data + script

    def _send(self, status, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def watch(site: Site, stop: threading.Event, ready: threading.Event | None = None) -> None:
    """Rebuild `site` after each change to its inputs until `stop` is set (`ready`: set once
    the files are watched)."""
    watching = ready or threading.Event()

    def catch_up() -> list[str]:  # an edit saved while the first build ran, before the files were watched
        while not watching.wait(0.2):  # however long a loaded machine takes to start watching
            if stop.is_set():
                return []
        return site.inputs.changed_since(site.first_build)

    watch_inputs(site.inputs, site.rebuild, stop, watching, before=catch_up)


def make_server(source: Path, port: int) -> tuple[ThreadingHTTPServer, Site]:
    """Bind first (port 0 picks a free port), then build for the address actually bound. On any
    failure or stop signal during the first build, what was started is stopped again."""
    out_dir = serve_dir(Path(source))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    site = Site(Path(source), out_dir, base_url)
    bound = type("BoundHandler", (Handler,), {"site": site})
    server.RequestHandlerClass = partial(bound, directory=str(out_dir))
    try:
        site.start_builder(server.fileno())
        site.rebuild()
    except BaseException:
        server.server_close()
        site.close()
        raise
    return server, site


@contextmanager
def stop_signals():
    """SIGTERM and SIGHUP stop serve as Ctrl-C does (KeyboardInterrupt in the main thread).
    After the first, these signals are ignored, so the shutdown runs to its end. Elsewhere than
    in the main thread (where no handler can be set), nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def serve(source: Path, port: int = 8000) -> int:
    with stop_signals():
        server = site = None
        stop, ready = threading.Event(), threading.Event()
        try:
            try:
                server, site = make_server(source, port)  # stopped during the first build: stopped again
            except OSError as exc:
                raise CommonplaceError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}): "
                                       "pick another with --port") from None
            watcher = threading.Thread(target=watch, args=(site, stop, ready), name="commonplace-rebuild", daemon=True)
            watcher.start()
            ready.wait(5)  # "Serving" means an edit from now on is seen
            print(f"Serving {source} at {site.base_url} (Ctrl-C to stop)", file=sys.stderr)
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            if site is not None:
                server.server_close()
                site.close()
    return 0


def run(args) -> int:
    return serve(community_folder(args.source), args.port)
