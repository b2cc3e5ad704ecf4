"""Who is counted (VALUE.md, "Community building"): one definition of each population, every
number of people on the built pages one of them, the dashboard's line relating them, and
charts that never show a fraction of a person.

The community, worked out by hand (the report's day is 2024-05-10, the window 180 days):
- Ana (member, public): commits in January and February 2021, and on 2024-05-10;
- Ben (member, pseudonymous): a commit on 2024-03-01;
- Cy (member, hidden): a commit on 2024-04-01;
- Zoe (not a member): a commit on 2024-04-15;
- Dee (member): no commit, a mentoring record in contributions/ on 2024-04-05 (active);
- Eve (member): no commit, only kudos received from Ana on 2024-04-10 (a contributor, not active);
- Fay (member): nothing recorded;
- renovate[bot]: a commit on 2024-04-20 (counted apart).
So: 6 members; 6 contributors (Ana, Ben, Cy, Dee, Eve: 5 members; Zoe: 1 other), 1 of them not
listed (Cy); 5 active in the last 180 days (Ana, Ben, Cy, Zoe, Dee); 4 people with a commit.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.valuation import value_report
from gitrepo import commit_all
from value.kinds import KINDS
from value.populations import activity_days, makes_active

NS = "{http://www.w3.org/2000/svg}"
SVG = re.compile(r"<svg\b.*?</svg>", re.S)

FILES = {
    "commonplace.yaml": MINIMAL["commonplace.yaml"],
    "community.yaml": MINIMAL["community.yaml"],
    "members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org]\n",
    "members/ben.yaml": "name: Ben Okafor\nemails: [ben@example.net]\nvisibility: pseudonymous\n",
    "members/cy.yaml": "name: Cy Hidden\nemails: [cy@example.com]\nvisibility: hidden\n",
    "members/dee.yaml": "name: Dee Carer\nemails: [dee@example.org]\n",
    "members/eve.yaml": "name: Eve Thanked\nemails: [eve@example.org]\n",
    "members/fay.yaml": "name: Fay Quiet\nemails: [fay@example.org]\n",
    "contributions/2024.yaml": "records:\n  - date: 2024-04-05\n    who: dee\n    kind: mentoring\n"
                               "    description: Paired with a newcomer on the catalogue.\n",
    "kudos/2024.yaml": "kudos:\n  - from: ana\n    to: eve\n    date: 2024-04-10\n    for: Thank you.\n",
}

COMMITS = [  # (author, e-mail, date)
    ("Ana Lopez", "ana@example.org", "2021-01-10T10:00:00+00:00"),
    ("Ana Lopez", "ana@example.org", "2021-02-10T10:00:00+00:00"),
    ("Ben Okafor", "ben@example.net", "2024-03-01T10:00:00+00:00"),
    ("Cy Hidden", "cy@example.com", "2024-04-01T10:00:00+00:00"),
    ("Zoe Stranger", "zoe@example.io", "2024-04-15T10:00:00+00:00"),
    ("renovate[bot]", "bot@example.io", "2024-04-20T10:00:00+00:00"),
    ("Ana Lopez", "ana@example.org", "2024-05-10T10:00:00+00:00"),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("populations") / "community"
    write_files(root, FILES)
    for n, (name, email, when) in enumerate(COMMITS):
        write_files(root, {f"notes/{n}.txt": f"note {n}\n"})
        commit_all(root, f"Note {n}", author=(name, email), date=when)
    return root


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build(repo, out, search=False)
    return out


@pytest.fixture(scope="module")
def report(repo):
    return value_report(repo)


def text(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(" .", ".")


def series(site: Path, page: str, title: str) -> dict[str, list[tuple[str, str]]]:
    """{series: [(label, value), ...]} of the chart with this title on a page."""
    html = (site / page).read_text(encoding="utf-8")
    for svg in SVG.findall(html):
        root = ET.fromstring(svg)
        if root.find(f"{NS}title").text == title:
            return {g.get("data-series"): [(m.get("data-label"), m.get("data-value")) for m in g]
                    for g in root.iter(f"{NS}g") if g.get("data-series")}
    raise AssertionError(f"no chart {title!r} on {page}")


def test_what_makes_a_person_active():
    assert all(makes_active(k, KINDS) for k in ("commit", "coauthor", "review", "event_organised", "event_attended",
                                               "mentoring", "welcome"))
    assert not any(makes_active(k, KINDS) for k in ("kudos_received", "cred", "goal_done", "usage", "replacement_cost",
                                                   "documentation", "income_raised"))
    assert makes_active("translation", KINDS)  # a community's own kind: only contributions files may hold one
    records = [("2024-04-05", "dee", "mentoring"), ("2024-04-10", "eve", "kudos_received"),
               ("2024-04-30", "eve", "cred"), ("2024-06-01", "ana", "event_attended")]
    # dated by the record's own day; work dated after the report's day has not happened yet
    assert activity_days(records, KINDS, until="2024-05-10") == {"dee": ["2024-04-05"]}


def test_community_indicators_count_what_people_did(report):
    cb = report.dimensions["community_building"]
    assert cb["active_contributors"] == 5  # Ana, Ben, Cy, Zoe and Dee (care work); not Eve (kudos), not the bot
    assert cb["new_contributors"] == 4  # Ben, Cy, Zoe, Dee: Ana began in 2021
    assert cb["inactive_contributors"] == 0
    assert cb["members"] == 6
    assert sum(cb["roles"].values()) == 4  # the onion sorts the people with a commit
    months = report.monthly["months"]
    active = dict(zip(months, report.monthly["community_building"]["active_contributors"]))
    assert active["2024-04"] == 3 and active["2024-03"] == 1  # April: Cy, Zoe, Dee; March: Ben
    assert active["2021-02"] == 1 and active["2022-01"] == 0
    inactive = dict(zip(months, report.monthly["community_building"]["inactive_contributors"]))
    assert inactive["2021-06"] == 0 and inactive["2021-08"] == 1  # Ana, 180 days after her February commit


def test_the_dashboard_relates_the_populations_in_one_line(site):
    line = ("6 contributors: 5 members and 1 other; 1 not listed at their request; 1 more member with no record "
            "yet. 5 active in the last 180 days. 1 automated account counted apart.")
    assert line in text(site, "value/index.html")
    assert line in text(site, "value/contributors/index.html")
    assert "The 5 listed contributors, dimension by dimension" in text(site, "value/index.html")


POPULATIONS = {  # a noun on the pages -> the counts it may name
    "members?": {6, 5},  # every member file; the members among the contributors
    "contributors?": {6, 5},  # contributors; the listed ones (Cy is not)
    "others?": {1},
    "active": {5},
    "people with a commit": {4},
    "not listed at their request": {1},
    "more members? with no record yet": {1},
    "automated accounts?": {1},
}


def test_every_count_of_people_is_a_defined_population(site):
    pages = ["index.html", "members/index.html", "value/index.html", "value/contributors/index.html",
             "value/community-building/index.html"]
    seen = set()
    for page in pages:
        words = text(site, page)
        for noun, allowed in POPULATIONS.items():
            for m in re.finditer(rf"\b(\d+) (?:listed )?({noun})\b", words):
                assert int(m.group(1)) in allowed, (page, m.group(0))
                seen.add(noun)
        for m in re.finditer(r"(\d+) (?:person is|people are) not listed", words):
            assert m.group(1) == "1", page
    assert seen == set(POPULATIONS)
    assert "Seed Library has 6 members; 1 of them prefers not to be listed." in text(site, "members/index.html")
    assert "The onion of participation: 4 people with a commit" in text(site, "value/community-building/index.html")


def test_a_year_counts_each_person_once(site, report):
    chart = series(site, "value/community-building/index.html", "Contributors over time")
    active = dict(chart["Active"])
    # Ana, active in January and February 2021: one person, not 2 nor 2/12, whatever the bar's length
    first = next(iter(active))
    assert first.startswith("2021") and active[first] == "1"
    assert dict(chart["New"])[first] == "1" and dict(chart["Returning"])[first] == "0"
    # months shown one by one are the report's own figures
    months = report.monthly["months"]
    monthly = dict(zip(months, report.monthly["community_building"]["active_contributors"]))
    assert all(str(monthly[label]) == value for label, value in chart["Active"] if re.fullmatch(r"\d{4}-\d\d", label))
    page = text(site, "value/community-building/index.html")
    assert re.fullmatch(r"\d{4}-\d\d", first) or "each person counted once in the period" in page
    assert "one point per year: each person counted once in the year" in page  # the line charts' years
    trend = dict(series(site, "value/community-building/index.html", "Active contributors per month")["Active contributors"])
    assert trend["2021"] == "1"


def test_no_chart_shows_a_fraction_of_a_person_or_an_event(site):
    for page in ("value/community-building/index.html", "value/objective-accomplishment/index.html",
                 "value/reputation/index.html", "value/social-use-value/index.html", "value/contributors/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        for svg in SVG.findall(html):
            for g in ET.fromstring(svg).iter(f"{NS}g"):
                if g.get("data-series") in (None, "Percent"):  # shares are percentages
                    continue
                for mark in g:
                    value = mark.get("data-value")
                    assert value is None or re.fullmatch(r"-?\d+", value), (page, g.get("data-series"), value)


def test_the_open_data_lists_the_listed_contributors(site):
    import csv

    with (site / "data/contributors.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5  # the 6 contributors but Cy, who asked not to be listed; Fay has no record
    assert {r["member"] for r in rows if r["id"] == "zoe-stranger" or r["name"] == "Zoe Stranger"} == {"false"}
    assert not any(r["name"] in ("Cy Hidden", "Fay Quiet") for r in rows)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The living demo (`commonplace new --example`), built: its figures must reconcile."""
    from generator.commands.example_peers import new_demo

    root = tmp_path_factory.mktemp("demo") / "demo"
    new_demo(root)
    out = root.parent / "site"
    build(root, out, search=False)
    return root, out


def test_the_demo_dashboard_reconciles_on_one_line(demo):
    root, out = demo
    report = value_report(root)
    rows = [r for r in report.contributors if r.get("records")]
    members = len(list((root / "members").glob("*.yaml")))
    with_file = sum(1 for r in rows if r["member"])
    hidden = sum(1 for r in rows if r.get("visibility") == "hidden")
    active = report.dimensions["community_building"]["active_contributors"]
    line = (f"{len(rows)} contributors: {with_file} members and {len(rows) - with_file} others; {hidden} not listed "
            f"at their request. {active} active in the last 180 days.")
    assert hidden and with_file == members  # the demo has a hidden member, and every member has a record
    assert line in text(out, "value/index.html")
    listed = len(rows) - hidden
    assert f"The {listed} listed contributors, dimension by dimension" in text(out, "value/index.html")
    committers = sum(report.dimensions["community_building"]["roles"].values())
    assert f"The onion of participation: {committers} people with a commit" in text(out, "value/community-building/index.html")
    assert f"This node alone: {committers} people with a commit." in text(out, "federation/index.html")
    assert re.search(r"the federation holds [\d,]+ commits by [\d,]+ commit authors, this node's and its peers' together",
                     text(out, "federation/index.html"))
    for page in ("value/community-building/index.html", "value/reputation/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        for svg in SVG.findall(html):
            for g in ET.fromstring(svg).iter(f"{NS}g"):
                if g.get("data-series") not in (None, "Percent"):
                    assert all(re.fullmatch(r"\d+", m.get("data-value")) for m in g if m.get("data-value")), page
