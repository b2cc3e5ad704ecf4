"""The portal loads nothing from another host: no tracker, font, script, style or image.

Markdown from the data cannot ask for one (raw HTML is off, and an image from elsewhere becomes a
plain link), but a community's own theme can, and a pull request may change the theme. So every
page and theme asset is checked as it is made, and the build stops, before anything is
published, at the first thing that would load from elsewhere. Links that only navigate (`<a>`,
`<link rel="me">`, a feed's `alternate`) load nothing and pass.
"""

from __future__ import annotations

import re

from ..errors import CommonplaceError

# Elements that load what their URL attributes name, and those attributes.
_TAG = re.compile(rb"<(script|img|iframe|frame|video|audio|source|track|embed|object|image|input|link|use|base|a|area)"
                  rb"\b[^>]*>", re.IGNORECASE)
_URL_ATTR = re.compile(rb"""\s(src|href|xlink:href|data|poster|srcset|imagesrcset|ping)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""",
                       re.IGNORECASE)
# What loads: a link's `href` only for the relations below, a hyperlink's `ping` (sent on every
# click), `<base href>` (every relative address then points there), everything else's URLs.
_NAVIGATE_ONLY = frozenset({b"a", b"area"})
_REL = re.compile(rb"""\srel\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
# A <link> loads something only for these relations.
_LOADING_RELS = frozenset({b"stylesheet", b"icon", b"apple-touch-icon", b"mask-icon", b"manifest", b"preload",
                           b"prefetch", b"preconnect", b"dns-prefetch", b"modulepreload", b"prerender"})
# `url(...)` and `@import` in CSS: a style sheet, a <style> element or a style attribute (never the
# page's text: a page may well write "url(https://...)" for its readers).
_STYLE_ATTR = re.compile(rb"""\sstyle\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
_CSS = re.compile(rb"""(?:url\(|@import)\s*["']?\s*([a-z][a-z0-9+.-]*:)?//([^/"'\s)>]*)""", re.IGNORECASE)
# An address written as a string in a script: quoted, with a host name.
_SCRIPT_URL = re.compile(rb"""["'`](?:[a-z][a-z0-9+.-]*:)?//([a-z0-9-]+(?:\.[a-z0-9-]+)+)""", re.IGNORECASE)
_REMOTE = re.compile(rb"""^\s*(?:[a-z][a-z0-9+.-]*:)?//([^/?#\s]*)""", re.IGNORECASE)


def remote_hosts(data: bytes, own_host: str = "", css: bool = False) -> list[str]:
    """The other hosts a page or SVG (or with `css`, a style sheet) would load something from.

    Only what surrounds each `//` is looked at: a page holds few, and this runs on every page."""
    own = own_host.lower().encode()
    if css:
        return [m.group(2).decode("utf-8", "replace") for m in _CSS.finditer(data) if m.group(2).lower() != own]
    found: list[str] = []
    # Elements whose text can load: a style sheet's url(), and an inline script's addresses
    # (an analytics snippet builds its <script> element from a string).
    bodies = [name for name in (b"style", b"script") if b"<" + name in data or b"<" + name.upper() in data]
    done = -1  # where the last tag or element looked at ends
    pos = data.find(b"//")
    while pos != -1:
        if pos > done:
            start, close = data.rfind(b"<", 0, pos), data.rfind(b">", 0, pos)
            if start > close:  # inside a tag
                end = data.find(b">", pos)
                end = len(data) if end == -1 else end
                found += _tag_hosts(data[start:end + 1], own)
                done = end
            else:
                for name in bodies:
                    if _inside(data, pos, name):
                        end = data.lower().find(b"</" + name, pos)
                        end = len(data) if end == -1 else end
                        text = data[close + 1:end]
                        found += remote_hosts(text, own_host, css=True) if name == b"style" else [
                            m.group(1).decode("utf-8", "replace") for m in _SCRIPT_URL.finditer(text)
                            if m.group(1).lower() != own]
                        done = end
                        break
        pos = data.find(b"//", pos + 2)
    return found


def _inside(data: bytes, pos: int, name: bytes) -> bool:
    head = data[:pos].lower()
    return head.rfind(b"<" + name) > head.rfind(b"</" + name)


def _tag_hosts(text: bytes, own: bytes) -> list[str]:
    found: list[str] = []
    if b"style" in text or b"STYLE" in text:
        style = _STYLE_ATTR.search(text)
        if style:
            found += [m.group(2).decode("utf-8", "replace") for m in _CSS.finditer(style.group(1))
                      if m.group(2).lower() != own]
    tag = _TAG.match(text)
    if tag is None:
        return found
    name = tag.group(1).lower()
    if name in _NAVIGATE_ONLY and b"ping" not in text.lower():
        return found  # the most common tag with a `//`: a link to another site
    if name == b"link":
        rel = _REL.search(text)
        rels = set(rel.group(1).strip(b"\"'").lower().split()) if rel else set()
        if not rels & _LOADING_RELS:
            return found
    for attr in _URL_ATTR.finditer(text):
        if name in _NAVIGATE_ONLY and attr.group(1).lower() != b"ping":
            continue
        value = attr.group(2).strip(b"\"'")
        candidates = [part.split()[0] for part in value.split(b",") if part.strip()] \
            if attr.group(1).lower().endswith(b"srcset") else [value]
        for url in candidates:
            match = _REMOTE.match(url)
            if match and match.group(1).lower() != own:
                found.append(match.group(1).decode("utf-8", "replace"))
    return found


def check(rel: str, data: bytes, own_host: str = "", made_by: str = "") -> None:
    """Stop the build if the file at `rel` (a page, an SVG or a style sheet) would load anything
    from another host."""
    hosts = remote_hosts(data, own_host, css=rel.endswith(".css"))
    if hosts:
        by = f" (made with the template {made_by})" if made_by else ""
        raise CommonplaceError(
            f"{rel}{by} loads something from {hosts[0]}, another host: the portal loads nothing from elsewhere "
            "(no trackers, fonts, scripts or images from other sites). Put the file in theme/assets/ and refer "
            "to it with a relative path")
