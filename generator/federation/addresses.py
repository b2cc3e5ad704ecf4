"""Which portal addresses a node reads and publishes: only `https://`, except the loopback
addresses, which may use `http://` so that tests and local previews can serve portals; no
credentials in an address, no other scheme. The web client (web.py) holds every address it
requests to this policy, redirects included; a node's published data keeps only addresses that
pass it."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def address_problem(url: str) -> str:
    """Why `url` may not be read ("" when it may): https://, or http:// on a loopback address."""
    if not isinstance(url, str) or len(url) > 2000 or any(c.isspace() or ord(c) < 32 for c in url):
        return "is not a web address"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "is not a web address"
    if parts.username is not None or parts.password is not None:
        return "holds a user name or password: publish the portal without them"
    if not host:
        return "names no host"
    if parts.scheme == "https":
        return ""
    if parts.scheme == "http" and host in LOOPBACK:
        return ""
    if parts.scheme == "http":
        return "uses http://: only https:// is read (http:// only on 127.0.0.1, localhost or [::1])"
    return f"uses '{parts.scheme}:': only https:// portals are read"
