"""Published portals served from 127.0.0.1, for the web federation tests and bench/federation.py.

`PortalServer(root)` serves the files under `root` (a folder per portal) with an ETag and
Last-Modified, answering `304 Not Modified` to a matching `If-None-Match`, and logs every request
path. A path prefix can be given a hostile behaviour instead (`server.behave(prefix, kind)`):

- "slow": headers at once, then the body one byte every 50 ms, for ever
- "silent": accepts the connection and never answers
- "huge": an endless body of spaces (no Content-Length)
- "huge-length": a Content-Length of 10 GB
- "loop": a redirect to itself
- "error": HTTP 500

Stopping the server ends every hostile answer (they check a stop event) and every connection a
client kept open, and waits for their threads, so tests never hang and leave no thread behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet: the log is `server.requests`
        pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        with owner.lock:
            owner.requests.append(path)
        for prefix, kind in owner.behaviours.items():
            if path.startswith(prefix):
                return getattr(self, "_" + kind.replace("-", "_"))(path)
        file = (owner.root / path.lstrip("/")).resolve()
        if not file.is_relative_to(owner.root.resolve()) or not file.is_file():
            return self._plain(404, b"not found")
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            with owner.lock:
                owner.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json" if path.endswith(".json") else "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(file.stat().st_mtime, usegmt=True))
        self.end_headers()
        self.wfile.write(body)

    def _plain(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, path: str) -> None:
        self._plain(500, b"broken")

    def _loop(self, path: str) -> None:
        self.send_response(302)
        self.send_header("Location", path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _silent(self, path: str) -> None:
        self.server.owner.stopping.wait()
        self.close_connection = True

    def _slow(self, path: str) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            while not self.server.owner.stopping.wait(0.05):
                self.wfile.write(b" ")
                self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True

    def _huge(self, path: str) -> None:
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b" " * 65536
        try:
            while not self.server.owner.stopping.is_set():
                self.wfile.write(chunk)
        except OSError:
            pass
        self.close_connection = True

    def _huge_length(self, path: str) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(10 ** 10))
        self.end_headers()
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every connection's thread
    request_queue_size = 256
    owner: "PortalServer"

    def process_request(self, request, client_address) -> None:
        with self.owner.lock:
            self.owner.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self.owner.lock:
            self.owner.connections.discard(request)
        super().shutdown_request(request)


class PortalServer:
    """A file server on 127.0.0.1 (a free port) in a thread; use as a context manager."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.behaviours: dict[str, str] = {}
        self.requests: list[str] = []
        self.not_modified = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.connections: set[socket.socket] = set()  # open ones: a client may keep one alive, idle
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def behave(self, prefix: str, kind: str) -> str:
        """Give the portal at `/<prefix>/` a hostile behaviour; its address."""
        self.behaviours[f"/{prefix}/"] = kind
        return f"{self.url}{prefix}/"

    def start(self) -> "PortalServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end every connection (an idle kept-alive one too) and wait for their threads."""
        self.stopping.set()
        self.httpd.shutdown()
        self.thread.join()
        with self.lock:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):  # closed meanwhile
                connection.shutdown(socket.SHUT_RDWR)
        self.httpd.server_close()

    def reset_log(self) -> None:
        with self.lock:
            self.requests.clear()
            self.not_modified = 0

    def __enter__(self) -> "PortalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until(predicate, seconds: float = 5.0) -> bool:
    """Poll `predicate` for up to `seconds` (for servers started in another process)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
