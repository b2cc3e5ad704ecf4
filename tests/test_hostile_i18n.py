"""A community's translation catalogue is untrusted: every msgstr of the theme's catalogue, made
hostile (quotes, `<`, `>`, `&`, an `onfocus=` handler), lands escaped wherever the theme puts it,
in text and in attributes, through `_`, `_n` and `| tr` alike.

The catalogue is generated from the shipped Spanish one, so a message the theme adds later is
covered without editing this test.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from communities import MINIMAL, ROOT, write_files
from generator.build import build
from gitrepo import commit_all

SPANISH = ROOT / "themes" / "default" / "i18n" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")
# Breaks out of a double- or single-quoted attribute, opens an element, starts an entity.
PAYLOAD = "Zq\" onfocus=\"alert(1)\" x='y' <inj>&amp ;"

# Every attribute name the theme writes; `aria-*` and `data-*` besides. Never an `on*` handler.
ALLOWED = {
    "href", "src", "class", "id", "lang", "dir", "charset", "name", "content", "rel", "type", "title", "alt",
    "role", "style", "hidden", "tabindex", "width", "height", "loading", "datetime", "scope", "colspan",
    "rowspan", "for", "value", "action", "method", "placeholder", "autocomplete", "media", "sizes",
    "hreflang", "download", "viewbox", "xmlns", "preserveaspectratio", "d", "x", "y", "cx", "cy", "r",
    "fill", "fill-opacity", "stroke", "stroke-width", "points", "vector-effect", "focusable", "open",
    "property", "http-equiv", "crossorigin", "integrity", "defer", "async", "translate", "accesskey",
    "start", "reversed", "label", "selected", "checked", "disabled", "required", "pattern", "min", "max",
    "step", "list", "spellcheck", "inputmode", "enterkeyhint", "headers", "abbr", "span", "cite",
    "referrerpolicy", "target", "ping", "srcset", "decoding", "fetchpriority", "nonce", "aria", "summary",
    "x1", "x2", "y1", "y2", "rx", "ry", "text-anchor", "transform", "dominant-baseline", "font-size",
    "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "opacity", "shape-rendering",
}

DATA = {
    "ledger/2024.yaml": """\
        currency: EUR
        entries:
          - {date: 2024-03-14, amount: "12345.67", kind: grant, from: City Council, by: ana}
          - {date: 2024-03-20, amount: "1234.5", kind: expense, to: Print shop}
          - {date: 2024-04-01, amount: "40.00", kind: reward, to: ana}
        """,
    "kudos/2024.yaml": """\
        kudos:
          - {from: ben, to: ana, date: 2024-04-07, for: the swap}
        """,
    "usage/2024.yaml": """\
        records:
          - {date: 2024-04-10, kind: downloads, count: 120, project: catalogue}
        """,
    "decisions/open-assembly.md": """\
        ---
        title: Open assembly
        date: 2024-02-01
        status: accepted
        proposed_by: ana
        ---
        We meet monthly.
        """,
}


# A peer read from its published data in a plain folder: the directory page lists it.
PEER = {
    "federation.yaml": "peers:\n  - name: light\n    url: ../light\n    relation: peer\n    mode: data\n",
}
PEER_DATA = {
    "data/datapackage.json": json.dumps({"name": "huerta", "title": "Huerta Commons", "resources": [
        {"name": "community", "path": "community.json", "format": "json"}]}),
    "data/community.json": json.dumps({"name": "Huerta Commons", "mission": "Gardens in common.",
                                       "areas": ["urban-commons"], "scope": "local"}),
}


def hostile_catalogue() -> str:
    """Every message of the theme's Spanish catalogues, each translated as PAYLOAD (with the
    English text's placeholders, so that none is left out as a bad translation)."""
    hostile = Catalog(locale="es")
    for name in ("messages.po", "terms.po"):
        with open(SPANISH / name, "rb") as handle:
            shipped = read_po(handle, locale="es")
        for message in shipped:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            fills = " ".join(dict.fromkeys(p for i in ids for p in PLACEHOLDER.findall(i)))
            text = f"{PAYLOAD} {fills}".strip()
            hostile.add(message.id, (text, text) if len(ids) > 1 else text, context=message.context)
    buffer = io.BytesIO()
    write_po(buffer, hostile, width=0)
    return buffer.getvalue().decode("utf-8")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            self.values.append(value or "")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-i18n") / "community"
    config = textwrap.dedent(MINIMAL["commonplace.yaml"]).rstrip() + "\nlanguage: es\n"
    write_files(root, {**MINIMAL, **DATA, **PEER, "commonplace.yaml": config, "theme/i18n/es.po": hostile_catalogue()})
    write_files(root.parent / "light", PEER_DATA)
    commit_all(root, "Start")
    out = root.parent / "site"
    result = build(root, out)
    assert not [w for w in result.model.warnings if "i18n" in w.path], result.model.warnings
    return out


def test_the_generated_catalogue_translates_every_message():
    text = hostile_catalogue()
    assert text.count("onfocus") > 300 and 'msgstr[1] "Zq' in text


def test_no_translation_opens_an_element_or_an_attribute_on_any_page(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    seen_in_text = seen_in_attributes = 0
    for path in pages:
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        page.close()
        rel = path.relative_to(site).as_posix()
        assert "inj" not in page.tags, rel
        handlers = sorted(a for a in page.attributes if a.startswith("on"))
        assert not handlers, (rel, handlers)
        unknown = sorted(a for a in page.attributes - ALLOWED if not a.startswith(("aria-", "data-")))
        assert not unknown, (rel, unknown)
        seen_in_text += sum(PAYLOAD in chunk for chunk in page.text)
        seen_in_attributes += sum(PAYLOAD in value for value in page.values)
    # the translations did land, whole, as text and as attribute values
    assert seen_in_text > 100 and seen_in_attributes > 5, (seen_in_text, seen_in_attributes)


@pytest.mark.parametrize("rel", ["directory/index.html", "ledger/index.html", "members/ana/index.html",
                                 "value/index.html"])
def test_the_pages_that_took_a_handler_hold_the_payload_escaped(site, rel):
    html = (site / rel).read_text(encoding="utf-8")
    assert 'onfocus="' not in html and "<inj>" not in html
    assert "Zq&#34; onfocus=&#34;alert(1)&#34; x=&#39;y&#39; &lt;inj&gt;&amp;amp ;" in html
