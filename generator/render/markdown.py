"""Markdown to HTML for untrusted text: CommonMark + tables + strikethrough, no raw HTML.

Links keep only http:, https:, mailto: and relative targets; images from other hosts become plain
links (the portal loads nothing from elsewhere); heading ids get a prefix so an author cannot
name a heading `location` and clobber a page global.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

HEADING_PREFIX = "section-"
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def is_safe_link(url: str) -> bool:
    match = _SCHEME.match(url)
    if match is None:
        return not url.strip().startswith("\\")
    return match.group(1).lower() in _ALLOWED_SCHEMES


def _is_remote(url: str) -> bool:
    return bool(_SCHEME.match(url)) or url.strip().startswith("//")


def _heading_id(text: str) -> str:
    """An anchor for a heading: Unicode letters kept (a reader sees it in the address), unlike file and
    contributor slugs (`value.identities.slugify`), with a prefix (see the module doc)."""
    words = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE).split()
    return HEADING_PREFIX + ("-".join(words) or "heading")


def _demote_headings(state) -> None:
    """Page titles are the h1, so a body's `#` becomes h2 and the outline stays in order."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"


def _render_image(renderer, tokens, idx, options, env):
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if _is_remote(src):
        alt = renderer.renderInlineAsText(token.children or [], options, env) or src
        return f'<a href="{escape(src)}" rel="nofollow noopener">{escape(alt)}</a>'
    return renderer.image(tokens, idx, options, env)


def _make() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = is_safe_link
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_id)
    md.core.ruler.push("demote_headings", _demote_headings)
    md.add_render_rule("image", _render_image)
    return md


_MD = _make()


# HTML from earlier builds, by text (see buildcache), and what this process rendered since
# `begin`: the build keeps both for the next one. Rendering is a pure function of the text.
_STORE: dict[str, str] = {}
_MADE: dict[str, str] = {}
_USED: set[str] = set()


def begin(store: dict[str, str]) -> None:
    """Start a build that may take its HTML from `store`."""
    global _STORE
    _STORE = store
    _MADE.clear()
    _USED.clear()


def harvest() -> tuple[dict[str, str], list[str]]:
    """(texts rendered since `begin` with their HTML, texts taken from the store); then forgets them."""
    made, used = dict(_MADE), list(_USED)
    _MADE.clear()
    _USED.clear()
    return made, used


def render_markdown(text: str) -> str:
    """HTML for a Markdown text from the repository (safe to insert into a page)."""
    text = text or ""
    html = _STORE.get(text)
    if html is not None:
        _USED.add(text)
        return html
    html = _MADE.get(text)
    if html is None:
        html = _MADE[text] = _MD.render(text)
    return html
