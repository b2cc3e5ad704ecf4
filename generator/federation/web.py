"""HTTP(S) for federation: one bounded, conditional GET at a time, over urllib3.

Every answer is hostile input, so every request is bounded: a connect and read timeout (per
network wait), a deadline for the whole exchange (connecting, the headers and the body: a peer
trickling bytes, headers included, is cut off), a size bound (checked on Content-Length and
again while reading), and a number of redirects, each redirect checked against the same
address policy as the first address.

The deadline is kept by a watchdog: a timer that shuts the exchange's sockets down when it
passes (a read blocked inside http.client then returns at once). urllib3 reads the status line
and headers in one call with a timeout per read only, so nothing between reads could look at a
clock. The timer is cancelled and joined when the request returns: no thread outlives it.

Address policy (addresses.py): only `https://`, except the loopback addresses (`127.0.0.1`,
`localhost`, `[::1]`), which may use `http://` so that tests and local previews can serve
portals. No credentials in an address, no other scheme.

Conditional requests: `get(url, etag, last_modified)` sends `If-None-Match` /
`If-Modified-Since`, and a `304 Not Modified` comes back as `status == 304` with no body, so an
unchanged peer costs one small request.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from .addresses import address_problem
from .peerdata import MAX_FILE

USER_AGENT = "Commonplace-federation/1 (+https://commonplace.example/federation)"


@dataclass(frozen=True)
class WebLimits:
    """Bounds on reading published portals (tests shorten the times).

    timeout: seconds for connecting and for each wait on the network. deadline: seconds for one
    whole answer. max_bytes: one file. max_redirects: per request. max_resources: files listed
    in one data package. at_once: portals read at the same time.
    """

    timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = MAX_FILE
    max_redirects: int = 3
    max_resources: int = 50
    at_once: int = 16


class WebError(Exception):
    """A request that failed; the message is fit to show (no credentials, no body)."""


def is_web(url: str) -> bool:
    """An http(s) address (whether the policy then allows it or not)."""
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def normalize(url: str) -> str:
    """The one spelling of a portal's address: scheme and host lower-case, no default port,
    no query or fragment, the path ending in '/' (the folder the portal's `data/` is in)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("https", 443), ("http", 80)) else f"{host}:{port}"
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((scheme, netloc, path, "", ""))


@dataclass(frozen=True)
class Answer:
    """status: 200 or 304. body: the bytes (b"" for 304). etag / last_modified: the validators
    to send next time (empty when the server gave none)."""

    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


class _Watchdog:
    """Shuts down every socket of one exchange once `seconds` have passed (see the module doc).

    Each socket is watched through a duplicate of its descriptor, owned here and closed on exit:
    shutting a duplicate down ends the connection, and the number can never be another socket's
    by then (a TLS wrapper replaces the socket object it was made from, the duplicate stays)."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._copies: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)

    def watch(self, sock) -> None:
        try:
            copy = socket.socket(fileno=os.dup(sock.fileno()))
        except (OSError, ValueError):  # already closed: nothing left to cut off
            return
        with self._lock:
            self._copies.append(copy)
            if self.fired:
                _shut(copy)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for copy in self._copies:
                _shut(copy)

    def __enter__(self) -> "_Watchdog":
        _EXCHANGE.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        _EXCHANGE.watchdog = None
        self._timer.cancel()
        self._timer.join()
        with self._lock:
            for copy in self._copies:
                copy.close()
            self._copies.clear()


def _shut(copy: socket.socket) -> None:
    try:
        copy.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


# The watchdog of the request this thread is making: urllib3 opens and reuses connections deep
# inside one call, with no argument that could carry it there.
_EXCHANGE = threading.local()


def _watched(sock):
    watchdog = getattr(_EXCHANGE, "watchdog", None)
    if watchdog is not None and sock is not None:
        watchdog.watch(sock)
    return sock


@lru_cache(maxsize=None)
def _guarded_pools(urllib3) -> dict:
    """urllib3's connection pools, with connections that put their sockets under the current
    exchange's watchdog: a new socket as soon as it exists (before TLS and the request), a
    pooled one when its answer is read."""
    from urllib3.connection import HTTPConnection, HTTPSConnection

    def guarded(base):
        class Guarded(base):
            def _new_conn(self):
                return _watched(super()._new_conn())

            def getresponse(self, *args, **kwargs):
                _watched(self.sock)
                return super().getresponse(*args, **kwargs)

        Guarded.__name__ = f"Guarded{base.__name__}"
        return Guarded

    class HTTPPool(urllib3.HTTPConnectionPool):
        ConnectionCls = guarded(HTTPConnection)

    class HTTPSPool(urllib3.HTTPSConnectionPool):
        ConnectionCls = guarded(HTTPSConnection)

    return {"http": HTTPPool, "https": HTTPSPool}


class WebClient:
    """One connection pool for a whole fetch; safe to share between threads."""

    def __init__(self, limits: WebLimits | None = None):
        import urllib3

        self.limits = limits or WebLimits()
        self._urllib3 = urllib3
        self.pool = urllib3.PoolManager(
            num_pools=64, maxsize=max(1, self.limits.at_once), block=False, retries=False,
            timeout=urllib3.Timeout(connect=self.limits.timeout, read=self.limits.timeout),
            headers={"User-Agent": USER_AGENT},
        )
        self.pool.pool_classes_by_scheme = _guarded_pools(urllib3)
        self.requests = 0

    def close(self) -> None:
        self.pool.clear()

    def __enter__(self) -> "WebClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, etag: str = "", last_modified: str = "", *, missing_ok: bool = False) -> Answer | None:
        """GET `url` within the limits: an `Answer`, None for a 404 when `missing_ok`; raises
        `WebError` for anything else (a refused address, a timeout, too large, too many
        redirects, any other status, the whole exchange not done within the deadline)."""
        late = f"{_shown(url)}: not read whole within {self.limits.deadline:g} s"
        with _Watchdog(self.limits.deadline) as watchdog:
            try:
                answer = self._get(url, etag, last_modified, missing_ok)
            except WebError:
                if watchdog.fired:
                    raise WebError(late) from None
                raise
            # The watchdog ends an exchange by shutting its socket, and http.client reads that
            # end of file as the end of the headers or of a body without a length: an answer
            # cut short can come back as if whole (seen once in ten runs, as invalid JSON).
            if watchdog.fired:
                raise WebError(late)
            return answer

    def _get(self, url: str, etag: str, last_modified: str, missing_ok: bool) -> Answer | None:
        limits = self.limits
        headers = {"Accept": "application/json, text/csv;q=0.9, */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        for _hop in range(limits.max_redirects + 1):
            problem = address_problem(url)
            if problem:
                raise WebError(f"{_shown(url)} {problem}")
            response = self._open(url, headers)
            whole = False  # read to its end: the connection can serve the next request
            try:
                status = response.status
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location", "")
                    if not location:
                        raise WebError(f"{_shown(url)}: redirect without a Location")
                    url = urljoin(url, location)
                    continue
                if status == 304:
                    whole = True
                    return Answer(304, b"", etag, last_modified)
                if status == 404 and missing_ok:
                    return None
                if status != 200:
                    raise WebError(f"{_shown(url)}: HTTP {status}")
                body = self._body(response, url, started)
                whole = True
                return Answer(200, body, _header(response, "ETag"), _header(response, "Last-Modified"))
            finally:
                if not whole:  # never read what is left of a hostile answer: drop the connection
                    response.close()
                response.release_conn()
        raise WebError(f"{_shown(url)}: more than {limits.max_redirects} redirects")

    def _open(self, url: str, headers: dict):
        urllib3 = self._urllib3
        self.requests += 1
        try:
            return self.pool.request("GET", url, headers=headers, redirect=False, preload_content=False,
                                     decode_content=True)
        except urllib3.exceptions.TimeoutError:
            raise WebError(f"{_shown(url)}: no answer within {self.limits.timeout:g} s") from None
        except urllib3.exceptions.HTTPError as exc:
            reason = getattr(exc, "reason", None) or exc
            raise WebError(f"{_shown(url)}: {_short(reason)}") from None

    def _body(self, response, url: str, started: float) -> bytes:
        limits = self.limits
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limits.max_bytes:
            raise WebError(f"{_shown(url)}: larger than {limits.max_bytes // 1000} kB")
        chunks, size = [], 0
        urllib3 = self._urllib3
        try:
            while True:
                if time.monotonic() - started > limits.deadline:
                    raise WebError(f"{_shown(url)}: not read whole within {limits.deadline:g} s")
                chunk = response.read1(65536)  # what has arrived: a trickle cannot hold a read
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.max_bytes:
                    raise WebError(f"{_shown(url)}: larger than {limits.max_bytes // 1000} kB")
                chunks.append(chunk)
        except urllib3.exceptions.TimeoutError:
            raise WebError(f"{_shown(url)}: no answer within {limits.timeout:g} s") from None
        except urllib3.exceptions.HTTPError as exc:
            raise WebError(f"{_shown(url)}: {_short(exc)}") from None
        return b"".join(chunks)


def _header(response, name: str) -> str:
    value = response.headers.get(name, "")
    return value[:200] if value.isprintable() else ""


def _short(reason) -> str:
    text = str(reason)
    return text.split(": ", 1)[-1][:160] if "object at 0x" in text else text[:160]


def _shown(url: str) -> str:
    """An address fit to print: no user name or password, at most 160 characters."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        url = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        url = "the address"
    return url[:160]


def join(base: str, rel: str) -> str:
    """`rel` (a checked relative path such as `data/x.csv`) under the portal `base`."""
    return urljoin(normalize(base), rel)
