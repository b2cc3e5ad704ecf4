"""A small JSON client for forge APIs, on the federation's bounded urllib3 client.

Each request keeps the federation's bounds (a timeout per network wait, a deadline for the whole
answer, a size bound, the address policy: https://, or http:// on a loopback address only). On
top of them:

- the token goes in an `Authorization` header and never leaves the API's host: a next page or a
  redirect elsewhere is refused, and no message ever holds it;
- a GraphQL query is a POST of JSON (`get(url, payload)`), never redirected;
- pagination follows `Link: <...>; rel="next"` (GitHub, GitLab) or GitLab's `X-Next-Page`;
- a rate limit (403 with `X-RateLimit-Remaining: 0` or GitLab's `RateLimit-Remaining: 0`, or 429;
  the wait from `Retry-After`, else the reset time) is waited out when the wait is short
  (`RateLimits`: two minutes on a terminal, five seconds elsewhere, so CI never hangs); a longer
  one stops the fetch with the time to retry at;
- a 5xx answer or a dropped connection is retried a few times, then stops the fetch.

Every failure is a `ForgeError` whose message is fit to print.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..federation.addresses import address_problem
from ..federation.web import USER_AGENT, WebLimits, _guarded_pools, _shown, _short, _Watchdog

MAX_PAGE = 8_000_000  # bytes of one page of JSON: 100 items with their bodies stay far below
MAX_PAGES = 10_000  # pages of one listing: a server sending "next" forever is cut off
_NEXT = re.compile(r'<([^<>\s]+)>\s*;[^,]*\brel="?next"?', re.IGNORECASE)


class ForgeError(Exception):
    """A request that failed; the message is fit to show (no token, no body)."""


@dataclass(frozen=True)
class RateLimits:
    """How long a rate limit or a failing server may be waited out, in seconds."""

    longest_wait: float = 5.0
    retries: int = 3  # after a 5xx answer or a dropped connection
    backoff: float = 1.0  # seconds before the first retry, doubled before each next one


class ForgeClient:
    """GETs JSON from one forge API (`base`), with `token` when given."""

    def __init__(self, base: str, token: str = "", *, limits: WebLimits | None = None,
                 rates: RateLimits | None = None, sleep=time.sleep, now=time.time):
        import urllib3

        self.base = base.rstrip("/") + "/"
        problem = address_problem(self.base)
        if problem:
            raise ForgeError(f"the forge API address {_shown(self.base)} {problem} (forge: api: in commonplace.yaml)")
        self.origin = _origin(self.base)
        self.limits = limits or WebLimits(timeout=20.0, deadline=60.0, max_bytes=MAX_PAGE)
        self.rates = rates or RateLimits()
        self._sleep, self._now = sleep, now
        self._urllib3 = urllib3
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._headers = headers
        self.pool = urllib3.PoolManager(num_pools=4, maxsize=1, block=False, retries=False,
                                        timeout=urllib3.Timeout(connect=self.limits.timeout, read=self.limits.timeout),
                                        headers=headers)
        self.pool.pool_classes_by_scheme = _guarded_pools(urllib3)
        self.requests = 0

    def close(self) -> None:
        self.pool.clear()

    def __enter__(self) -> "ForgeClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def url(self, path: str, **query) -> str:
        """The API address of `path` (relative to the base) with `query`."""
        url = urljoin(self.base, path.lstrip("/"))
        return f"{url}?{urlencode(query)}" if query else url

    def pages(self, url: str):
        """Each item of a paginated JSON list, page after page."""
        for _ in range(MAX_PAGES):
            data, headers = self.get(url)
            if not isinstance(data, list):
                raise ForgeError(f"{_shown(url)}: the answer is not a list")
            yield from data
            url = self._next(url, headers)
            if not url:
                return
        raise ForgeError(f"{_shown(url)}: more than {MAX_PAGES} pages")

    def get(self, url: str, payload: dict | None = None) -> tuple[object, dict]:
        """(the parsed JSON, the answer's headers), waiting out short rate limits and retrying
        5xx answers and dropped connections. With `payload`, a POST of it as JSON (GraphQL)."""
        failures = 0
        body_out = None if payload is None else json.dumps(payload, sort_keys=True).encode("utf-8")
        while True:
            status, headers, body, failure = self._exchange(url, body_out)
            if status == 200:
                try:
                    return json.loads(body), headers
                except ValueError:
                    raise ForgeError(f"{_shown(url)}: the answer is not JSON") from None
            wait = self._rate_limited(status, headers)
            if wait is not None:
                if wait > self.rates.longest_wait:
                    at = datetime.fromtimestamp(self._now() + wait, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                    raise ForgeError(f"{_shown(url)}: the forge's rate limit is reached; try again after {at}"
                                     + ("" if "Authorization" in self._headers else
                                        " (a token in GITHUB_TOKEN or GITLAB_TOKEN raises the limit)"))
                self._sleep(max(0.0, wait))
                continue
            if failure or status >= 500:
                failures += 1
                if failures > self.rates.retries:
                    what = failure or f"HTTP {status}"
                    raise ForgeError(f"{_shown(url)}: {what}, {failures} times; try again later")
                self._sleep(self.rates.backoff * 2 ** (failures - 1))
                continue
            raise ForgeError(f"{_shown(url)}: HTTP {status}{_hint(status)}")

    def _rate_limited(self, status: int, headers: dict) -> float | None:
        """Seconds to wait when the answer is a rate limit, else None."""
        if status not in (403, 429):
            return None
        after = headers.get("retry-after", "")
        if after.strip().isdigit():
            return float(after.strip())
        # GitHub says X-RateLimit-*, GitLab RateLimit-*
        remaining = headers.get("x-ratelimit-remaining", headers.get("ratelimit-remaining", "")).strip()
        if remaining == "0" or status == 429:
            reset = headers.get("x-ratelimit-reset", headers.get("ratelimit-reset", "")).strip()
            if reset.isdigit():
                return max(0.0, int(reset) - self._now())
            return 60.0
        return None

    def _exchange(self, url: str, payload: bytes | None = None) -> tuple[int, dict, bytes, str]:
        """(status, headers lower-cased, body, why it failed: "" unless the connection did)."""
        for _hop in range(self.limits.max_redirects + 1):
            problem = address_problem(url)
            if problem:
                raise ForgeError(f"{_shown(url)} {problem}")
            if _origin(url) != self.origin:
                raise ForgeError(f"{_shown(url)}: not on the forge API's host {self.origin}; refused")
            with _Watchdog(self.limits.deadline) as watchdog:
                try:
                    status, headers, body = self._request(url, payload)
                except ForgeError as exc:
                    return 0, {}, b"", ("no answer in time" if watchdog.fired else str(exc))
                if watchdog.fired:
                    return 0, {}, b"", f"not read whole within {self.limits.deadline:g} s"
            if status in (301, 302, 307, 308) and headers.get("location") and payload is None:
                url = urljoin(url, headers["location"])
                continue
            return status, headers, body, ""
        raise ForgeError(f"{_shown(url)}: more than {self.limits.max_redirects} redirects")

    def _request(self, url: str, payload: bytes | None = None) -> tuple[int, dict, bytes]:
        urllib3 = self._urllib3
        self.requests += 1
        try:
            if payload is None:
                response = self.pool.request("GET", url, redirect=False, preload_content=False, decode_content=True)
            else:
                response = self.pool.request("POST", url, body=payload, headers={**self._headers, "Content-Type":
                                             "application/json"}, redirect=False, preload_content=False,
                                             decode_content=True)
        except urllib3.exceptions.TimeoutError:
            raise ForgeError(f"no answer within {self.limits.timeout:g} s") from None
        except urllib3.exceptions.HTTPError as exc:
            raise ForgeError(_short(getattr(exc, "reason", None) or exc)) from None
        try:
            headers = {k.lower(): v for k, v in response.headers.items() if v.isprintable()}
            body = b""
            if response.status == 200:
                length = headers.get("content-length", "")
                if length.isdigit() and int(length) > self.limits.max_bytes:
                    raise ForgeError(f"{_shown(url)}: larger than {self.limits.max_bytes // 1000} kB")
                chunks, size = [], 0
                while True:
                    chunk = response.read1(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.limits.max_bytes:
                        raise ForgeError(f"{_shown(url)}: larger than {self.limits.max_bytes // 1000} kB")
                    chunks.append(chunk)
                body = b"".join(chunks)
            return response.status, headers, body
        except urllib3.exceptions.HTTPError as exc:
            raise ForgeError(_short(exc)) from None
        finally:
            response.close()
            response.release_conn()

    def _next(self, url: str, headers: dict) -> str:
        """The next page's address, or "" on the last page."""
        for match in _NEXT.finditer(headers.get("link", "")):
            return urljoin(url, match.group(1))
        page = headers.get("x-next-page", "").strip()
        if page.isdigit():
            parts = urlsplit(url)
            query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", page)]
            return urlunsplit(parts._replace(query=urlencode(query)))
        return ""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _hint(status: int) -> str:
    if status == 401:
        return ": the token was refused (GITHUB_TOKEN / GITLAB_TOKEN)"
    if status == 403:
        return ": access refused (a private repository needs a token in GITHUB_TOKEN / GITLAB_TOKEN)"
    if status == 404:
        return ": no such repository, or a private one (check forge: repo in commonplace.yaml, or set a token)"
    return ""
