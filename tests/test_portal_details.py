"""The details of issue #30 on the living demo's built pages: numbers written by the language's
rules, ledger kinds in words, figures in words set as text, a data-mode peer's card and the
federation's counts that reconcile, the founding marked on time charts, progress bars kept out
of the search index."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.commands.example_peers import new_demo
from generator.publish.search import available


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The living demo, built once, with its search index when Pagefind is installed."""
    folder = tmp_path_factory.mktemp("details") / "demo"
    new_demo(folder)
    out = folder.parent / "site"
    build(folder, out, base_url="http://127.0.0.1/", incremental=False, search=available())
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def section(page: str, start: str, end: str | None = None) -> str:
    rest = page[page.index(start):]
    return rest[:rest.index(end)] if end else rest


def test_the_directory_writes_a_peers_figures_as_every_other_number(demo):
    row = section(read(demo, "directory/index.html"), "Ciutat Verda", "</tr>")
    assert '<td class="num" data-label="Downloads">1,065</td>' in row  # published as "1065"
    assert "1065" not in row


def test_ledger_kinds_are_words(demo):
    page = read(demo, "ledger/index.html")
    kinds = set(re.findall(r'<td data-label="Kind">([^<]*)</td>', page))
    assert {"Donation", "Expense", "Grant", "Reward", "Sale"} <= kinds
    assert not {k for k in kinds if k[:1].islower() or "_" in k}
    by_kind = section(page, 'id="kinds"', "</table>")
    assert '<th scope="row">Expense</th>' in by_kind and '<th scope="row">Opening balance</th>' in by_kind


def test_chart_figures_are_grouped_by_the_language(demo):
    page = read(demo, "ledger/index.html")
    twins = re.findall(r'<td class="num">([^<]*)</td>', section(page, "chart-table", "</table>"))  # the balance's
    assert twins and all(re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d+)?", t) for t in twins), twins[:10]
    assert any("," in t for t in twins)  # the demo has amounts of thousands


def test_figures_in_words_are_not_headline_figures(demo):
    goals = section(read(demo, "value/objective-accomplishment/index.html"), '<div class="figure" id="goals">', "</dd>")
    assert '<dd class="figure-value figure-words"><ul><li>' in goals
    assert goals.count("<li>") == 4  # one per project: "Street trees inventory: 1 of 4"
    channels = section(read(demo, "value/monetary-value/index.html"), '<div class="figure" id="funding-channels">',
                       "</dd>")
    assert '<dd class="figure-value figure-words">' in channels
    commits = section(read(demo, "value/objective-accomplishment/index.html"), '<div class="figure" id="commits">',
                      "</dd>")
    assert '<dd class="figure-value">' in commits  # a number stays a headline figure


def test_a_data_mode_peer_shows_what_it_publishes(demo):
    card = section(read(demo, "federation/index.html"), 'aria-labelledby="peer-ciutat-verda"', "</article>")
    assert "Every street tree of Castelló, counted and cared for" in card  # its tagline
    assert "<dt>Where</dt><dd>Castelló de la Plana, Spain</dd>" in card
    assert "<dt>Downloads</dt><dd>1,065</dd>" in card and "<dt>Commits</dt><dd>13</dd>" in card
    assert "not checked against its history" in card
    assert '<a href="https://example.org/ciutat-verda/data/" rel="noopener">Its open data</a>' in card


@pytest.mark.parametrize("portal, linked", [
    ("https://example.org/peer/", "https://example.org/peer/data/"),
    ("https://example.org/peer", "https://example.org/peer/data/"),
    ("javascript:alert(1)", ""), ("http://example.org/", ""), ("", ""), ("https://user:pw@example.org/", ""),
])
def test_a_peers_open_data_is_linked_only_at_a_web_address(portal, linked):
    from generator.views.federation import open_data_address

    assert open_data_address(portal) == linked


def test_federation_names_peers_and_its_counts_reconcile(demo):
    page = read(demo, "federation/index.html")
    shared = section(page, 'id="shared"', "</table>")
    assert "cartografia-oberta" not in shared
    assert '<th scope="row">Cartografia Oberta (Valencian network of mapping groups)</th>' in shared
    upstream = section(page, 'aria-labelledby="peer-cartografia-oberta"', "</article>")
    behind = re.search(r"<dt>Behind</dt><dd>(\d+) commits of this node it does not have \(merges included: "
                       r"(\d+) made in the fork, listed below, and (\d+) merge commits\)</dd>", upstream)
    only = re.search(r"<dt>Only in the fork</dt><dd>(\d+) commits \(merges not included\)", upstream)
    assert behind and only, upstream
    total, made, merges = map(int, behind.groups())
    assert total == made + merges and made == int(only.group(1)) and merges > 0


def test_time_charts_mark_the_founding_and_name_the_earlier_history(demo):
    page = read(demo, "value/community-building/index.html")
    assert 'class="before-founding"' in page and 'class="founding"' in page
    assert '<span class="mark-founding"' in page
    assert ("Barrio Maps was founded on September 17, 2022; the shaded history before it is that of Cartografia "
            "Oberta (Valencian network of mapping groups), the upstream network it grew from.") in page
    # the ledger starts after the founding: nothing to mark
    assert 'class="founding"' not in read(demo, "ledger/index.html")


def test_progress_bars_are_not_search_text(demo):
    for rel in ("index.html", "projects/index.html", "projects/street-trees/index.html"):
        bars = re.findall(r"<progress\b[^>]*>", read(demo, rel))
        assert bars and all("data-pagefind-ignore" in b for b in bars), rel


def test_search_text_has_no_progress_bar(demo):
    """Pagefind's fragments (gzip: a signature, then the page's JSON) hold the text an excerpt is
    cut from: a project's goals are words there, never the bar's fallback "25%"."""
    if not available():
        pytest.skip("Pagefind is not installed (pip install '.[search]')")
    texts = []
    for fragment in sorted((demo / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        texts.append(json.loads(raw[raw.index(b"{"):])["content"])
    projects = [t for t in texts if "goals done" in t]
    assert projects, "no project text in the search index"
    assert not [t for t in projects if re.search(r"goals? done\.? \d+%", t)]


def test_dated_lists_put_the_title_beside_its_date(demo):
    events = section(read(demo, "events/index.html"), '<ol class="event-list">', "</ol>")
    items = re.findall(r"<li>\s*(<time[^>]*>[^<]*</time>)\s*<span><a ", events)
    assert len(items) == events.count("<li>") >= 3
    activity = section(read(demo, "index.html"), '<ol class="activity">', "</ol>")
    assert len(re.findall(r"</time>\s*<span><a ", activity)) == activity.count("<li>")
