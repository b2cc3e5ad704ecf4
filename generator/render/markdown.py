"""Markdown to HTML for untrusted text: CommonMark + tables + strikethrough, no raw HTML.

Links keep only http:, https:, mailto: and relative targets (`generator.links`); images from other hosts become plain
links (the portal loads nothing from elsewhere); heading ids get a prefix so an author cannot
name a heading `location` and clobber a page global.
"""

from __future__ import annotations

import hashlib

import re
from html import escape

from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin

from ..links import has_scheme, is_safe_link

HEADING_PREFIX = "section-"


def _is_remote(url: str) -> bool:
    return has_scheme(url) or url.strip().startswith("//")


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


# The parser, configured once; it keeps nothing of the texts it renders.
_MD = _make()


def render_markdown(text: str) -> str:
    """HTML for a Markdown text from the repository (safe to insert into a page), rendered now:
    a build renders through its `MarkdownRenderer`, which keeps what earlier builds rendered."""
    text = text or ""
    plain = plain_paragraphs(text)
    return plain if plain is not None else _MD.render(text)


# Most texts of a community (a bio, a summary, an event's note) are a few paragraphs of words.
# Such a text is rendered without the parser: the same HTML, in a fraction of the time, when
# nothing in it can start a construct. Inline, the characters below start every one the parser
# knows here (the others, `# : + - = $ % @ ^ { }`, only matter at a line's start, or not at all);
# at a line's start, `# > - + * =` and digits start blocks; a line starting or ending with white
# space may be code or a hard break, and the parser strips paragraphs of Unicode white space.
# `tests/test_markdown_plain.py` holds the two renderings equal.
_INLINE = frozenset("\\`*_[]<>&!~|")
_LINE_START = frozenset("#>-+*=0123456789")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")  # tabs, carriage returns, NUL (the parser replaces it)


def plain_paragraphs(text: str) -> str | None:
    """The HTML of a text made only of plain paragraphs, or None when it may be anything else."""
    if _CONTROL.search(text):
        return None
    if not _INLINE.isdisjoint(text):
        return None
    out, paragraph = [], []
    for line in text.split("\n"):
        if not line:
            if paragraph:
                out.append("<p>" + "\n".join(paragraph).replace('"', "&quot;") + "</p>\n")
                paragraph = []
            continue
        if line[0] in _LINE_START or line[0].isspace() or line[-1].isspace():
            return None
        paragraph.append(line)
    if paragraph:
        out.append("<p>" + "\n".join(paragraph).replace('"', "&quot;") + "</p>\n")
    return "".join(out)


def text_digest(text: str) -> str:
    """A short name for a Markdown text: the build cache records which texts each page rendered,
    so a page that is not rendered again keeps its texts' HTML in the cache."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class MarkdownRenderer:
    """Markdown to HTML for one build, taking HTML from earlier builds where it can.

    `store` holds HTML from earlier builds, by text (see buildcache). The build keeps what this
    renderer rendered and what it took from the store for the next one: `harvest` hands it over.
    Rendering is a pure function of the text. A forked worker renders with its own copy and
    sends back what it harvested.
    """

    def __init__(self, store: dict[str, str]):
        self.store = store
        self.made: dict[str, str] = {}  # rendered here, by text: reused for the rest of the build
        self.fresh: list[str] = []  # the texts of `made` not harvested yet
        self.used: set[str] = set()  # texts taken from the store since the last harvest
        self.texts: set[str] | None = None  # when a set: every text rendered, from wherever (see text_digest)

    def harvest(self) -> tuple[dict[str, str], list[str]]:
        """(texts rendered since the last harvest with their HTML, texts taken from the store since then)."""
        made, used = {text: self.made[text] for text in self.fresh}, list(self.used)
        self.fresh.clear()
        self.used.clear()
        return made, used

    def render(self, text: str) -> str:
        """HTML for a Markdown text from the repository (safe to insert into a page)."""
        text = text or ""
        if self.texts is not None:
            self.texts.add(text)
        html = self.store.get(text)
        if html is not None:
            self.used.add(text)
            return html
        html = self.made.get(text)
        if html is None:
            html = self.made[text] = render_markdown(text)
            self.fresh.append(text)
        return html

    def markup(self, text: str) -> Markup:
        """Rendered Markdown for a template (the `md` filter); the renderer escapes every raw
        HTML tag, so the result is safe."""
        return Markup(self.render(text))
