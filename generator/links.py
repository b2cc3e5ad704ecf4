"""The link policy shared by loading and rendering: which link targets the portal may show.

A link keeps only an http:, https: or mailto: scheme, or none (a relative target); anything else
(`javascript:`, `data:`, a backslash path a browser reads as another host) is refused. Loading
applies it to addresses found in the ecosystem's files, rendering to every Markdown link.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def is_safe_link(url: str) -> bool:
    match = _SCHEME.match(url)
    if match is None:
        return not url.strip().startswith("\\")
    return match.group(1).lower() in _ALLOWED_SCHEMES


def has_scheme(url: str) -> bool:
    """Whether `url` names a scheme (`https:`, `data:`, ...), allowed or not."""
    return bool(_SCHEME.match(url))
