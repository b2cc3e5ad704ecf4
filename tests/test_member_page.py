"""A member page puts the person first: who they are, their projects, events, kudos and
recognition, and their value in one sentence naming its population; then their value profile;
then their records, the newest few shown and the rest folded. Also the main menu's About group.
Read from the built HTML of the records' community (tests/test_contribution_records.py), so
every figure here can be worked out from that fixture."""

from __future__ import annotations

import json
import re

from generator.render.navigation import nav_links
from generator.views.records import RECENT, SHOWN, Source, source_of
from test_contribution_records import site  # noqa: F401 - the fixture: a community with many records


def _main(out, handle: str) -> str:
    page = (out / "members" / handle / "index.html").read_text()
    return page[page.index("<main"):page.index("</main>")]


def test_the_person_comes_before_the_records_and_the_records_are_folded(site):  # noqa: F811
    out, _commits = site
    main = _main(out, "ana")
    contributors = json.loads((out / "data" / "contributors.json").read_text())
    ana = next(c for c in contributors if c["id"] == "ana")
    # the one sentence: their share of the value, of the people with contribution records
    sentence = re.search(r'<p class="value-line">(.*?)</p>', main, re.S).group(1)
    assert f"<strong>{100 * ana['value']:.2f}%</strong>" in sentence
    assert re.search(r"of the value of <a [^>]*>the \d+ people with contribution records</a>", sentence)
    # order: who they are, then the value profile, then the records
    order = [main.index(mark) for mark in ('class="value-line"', 'id="value"', 'id="records"')]
    assert order == sorted(order)
    # SHOWN records in view, the next ones folded, the rest in the open data
    shown, folded = main.split('<details class="earlier-records">')
    assert shown[shown.index('id="records"'):].count("<tr><td><time") == SHOWN
    assert folded.count("<tr><td><time") == RECENT - SHOWN
    # units named; a month's cred links to how cred is computed
    assert "Weight (points)" in main and "counted in points" in main
    assert re.search(r'<a href="\.\./\.\./value/methodology/#cred">cred/2024-\d\d</a>', main)


def test_a_months_cred_is_a_source_that_says_so():
    assert source_of("cred/2026-08", None) == Source("cred/2026-08", cred=True)
    assert source_of("cred/notamonth", None) == Source("cred/notamonth")
    assert source_of("usage/2024.yaml:3", None).cred is False


ITEMS = [("Members", "members/"), ("Search", "search/"),
         ("About", None, (("About us", "about/"), ("Join", "join/")))]


def test_the_free_pages_fold_under_about_on_a_wide_screen_and_stay_in_line_in_the_phone_menu():
    wide = nav_links(ITEMS, "../", "join/")
    assert '<li class="nav-group"><details><summary class="current">About</summary>' in wide
    assert '<a href="../join/" aria-current="page">Join</a>' in wide
    phone = nav_links(ITEMS, "../", "join/", folded=False)
    assert "<details" not in phone
    assert re.findall(r'href="([^"]+)"', phone) == re.findall(r'href="([^"]+)"', wide)
    # pages of one section share the menu's HTML (made once per section and depth)
    assert nav_links(ITEMS, "../../", "members/ana/") is nav_links(ITEMS, "../../", "members/ben/")
    assert 'class="current"' not in nav_links(ITEMS, "", "")
