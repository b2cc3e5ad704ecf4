"""Value in the portal: dashboard, member pages, ledger, rewards and open data agree with the value
report, the pictures draw the same numbers, and nobody's e-mail or hidden identity is published."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.people import pseudonym
from generator.valuation import value_report
from gitrepo import commit_all, git
from value.registry import DIMENSION_TITLES

SVG = re.compile(r"<svg\b.*?</svg>", re.S)

FILES = {
    **MINIMAL,
    "commonplace.yaml": """\
        title: Seed Library
        base_url: https://seeds.example.org/library/
        privacy:
          non_members: pseudonym
        """,
    "members/ben.yaml": "name: Benedikt Okonkwo\nemails: [ben@example.net]\nvisibility: pseudonymous\n",
    "members/cy.yaml": None,
    "members/cyrus-hiddenfield.yaml": "name: Cyrus Hiddenfield\nemails: [cyrus@example.com]\nvisibility: hidden\n",
    "events/swap-2024.md": "---\ntitle: Spring seed swap\ndate: 2024-04-06\nkind: meetup\norganisers: [ana]\n"
                           "participants: [ben, cyrus-hiddenfield]\nguests: 12\n---\nWe swapped.\n",
    "ledger/2024.yaml": """\
        currency: EUR
        entries:
          - {date: 2024-01-10, amount: "300.00", kind: donation, from: Friends of Seeds}
          - {date: 2024-02-01, amount: "100.00", kind: grant, from: City Council}
          - {date: 2024-02-15, amount: "60.00", kind: expense, to: Print Shop}
          - {date: 2024-03-01, amount: "40.00", kind: reward, to: ana}
          - {date: 2024-03-02, amount: "20.00", kind: reward, to: cyrus-hiddenfield}
        """,
    "rewards/spring.yaml": """\
        title: Spring rewards
        budget: "100.00"
        currency: EUR
        policy: balanced
        period: {start: 2024-01-01, end: 2024-06-30}
        """,
    ".mailmap": "Ana Lopez <ana@example.org> <ana.old@example.org>\n",
}

ADDRESSES = ["ana@example.org", "ana.old@example.org", "ben@example.net", "cyrus@example.com",
             "zoe@example.io", "renovate@example.io", "reviewer@example.org"]


def commit(root: Path, message: str, who: tuple[str, str], when: str, files: dict | None = None) -> None:
    if files:
        write_files(root, files)
    commit_all(root, message, author=who, date=when, allow_empty=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A community with a history: 3 commits by Ana (one under her old address), one each by the
    pseudonymous Ben, the hidden Cyrus, a non-member and a bot."""
    root = tmp_path_factory.mktemp("value") / "community"
    write_files(root, FILES)
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start the seed library", ("Ana Lopez", "ana@example.org"), "2024-01-05T10:00:00+00:00")
    commit(root, "Add catalogue notes", ("Ana Lopez", "ana.old@example.org"), "2024-02-03T10:00:00+00:00",
           {"notes/a.md": "one\ntwo\n"})
    commit(root, "Fix typo\n\nReviewed-by: Reviewer <reviewer@example.org>", ("Benedikt Okonkwo", "ben@example.net"),
           "2024-02-20T10:00:00+00:00", {"notes/a.md": "one\nthree\n"})
    commit(root, "Add the swap page", ("Cyrus Hiddenfield", "cyrus@example.com"), "2024-03-05T10:00:00+00:00",
           {"notes/b.md": "swap\n"})
    commit(root, "Translate notes\n\nCo-authored-by: Ana Lopez <ana@example.org>", ("Zoe Stranger", "zoe@example.io"),
           "2024-04-01T10:00:00+00:00", {"notes/c.md": "uno\ndos\ntres\n"})
    commit(root, "Bump dependencies", ("renovate[bot]", "renovate@example.io"), "2024-04-02T10:00:00+00:00",
           {"notes/deps.txt": "x\n"})
    commit(root, "More notes", ("Ana Lopez", "ana@example.org"), "2024-05-01T10:00:00+00:00", {"notes/d.md": "d\n"})
    return root


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "out"
    build(repo, out, search=False)  # module-scoped: set up before the autouse fixture that turns search off
    return out


@pytest.fixture(scope="module")
def report(repo):
    return value_report(repo).to_json()


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in SVG.findall(html)]


NS = "{http://www.w3.org/2000/svg}"


def marks(svg: ET.Element, series: str | None = None) -> list[tuple[str, str]]:
    groups = [g for g in svg.iter(f"{NS}g") if series is None or g.get("data-series") == series]
    root = groups if series else [svg]
    return [(e.get("data-label"), e.get("data-value")) for g in root for e in g.iter() if e.get("data-value") is not None]


def test_report_counts_people_as_worked_out(report):
    people = {c["id"]: c for c in report["contributors"]}
    assert people["ana"]["commits"] == 3  # the old address is merged by .mailmap
    assert people["ana"]["coauthored_commits"] == 1
    assert people["ben"]["commits"] == 1 and people["ben"]["reviews"] == 0
    assert people["cyrus-hiddenfield"]["commits"] == 1
    assert [b["name"] for b in report["bots"]] == ["renovate[bot]"]
    assert report["dimensions"]["objective_accomplishment"]["commits"] == 7


DIMENSION_PAGES = {"community_building": "community-building", "objective_accomplishment": "objective-accomplishment",
                   "monetary_value": "monetary-value", "social_use_value": "social-use-value", "reputation": "reputation"}
VALUE_PAGES = ["value/index.html", "value/contributors/index.html", "value/methodology/index.html"] + [
    f"value/{slug}/index.html" for slug in DIMENSION_PAGES.values()]


def text_of(html: str) -> str:
    """What a reader sees of a page's main part: no markup, no pictures (their words are the chart's)."""
    main = html[html.index("<main"):html.index("</main>")]
    return unescape(re.sub(r"<[^>]+>", " ", SVG.sub(" ", main)))


def card(page: str, slug: str) -> str:
    """One dimension's card on the dashboard."""
    start = page.index(f'<section aria-labelledby="{slug}" class="dimension-card">')
    return page[start:page.index("</section>", start)]


def test_dashboard_opens_each_dimension_with_headline_figures_and_a_link(site, report):
    page = read(site, "value/index.html")
    dims = report["dimensions"]
    for key, slug in DIMENSION_PAGES.items():
        title = DIMENSION_TITLES[key]  # "Money raised and replacement cost", never "Monetary value"
        part = card(page, slug)
        assert f'<h2 id="{slug}"><a href="../value/{slug}/">{title}</a></h2>' in part
        assert 1 <= part.count("<dt>") <= 4, slug  # headline figures only
        assert '<p class="how">' in part  # one sentence saying what they mean
        assert (site / f"value/{slug}/index.html").is_file()
    objective, money = card(page, "objective-accomplishment"), card(page, "monetary-value")
    assert f"<div><dt>Commits</dt><dd>{dims['objective_accomplishment']['commits']}</dd></div>" in objective
    assert "<div><dt>Commits</dt><dd>7</dd></div>" in objective
    assert "<div><dt>Income</dt><dd>€400.00</dd></div>" in money
    # 60.00 of the 120.00 EUR spent went to contributors: a share, written as a percentage
    assert dims["monetary_value"]["returned_to_contributors"] == {"EUR": 0.5}
    assert "<div><dt>Spending returned to contributors</dt><dd>50.0%</dd></div>" in money
    roles, year = dims["community_building"]["roles"], dims["community_building"]["roles_12m"]
    assert (f"<dd>{roles['core']} core, {roles['regular']} regular, {roles['casual']} casual over the whole history; "
            f"last 12 months: {year['core']} core, {year['regular']} regular, {year['casual']} casual</dd>"
            in card(page, "community-building"))
    # the people, the methodology and every page of the section are one link away
    assert 'href="../value/contributors/"' in page and 'href="../value/methodology/"' in page
    sitemap = read(site, "sitemap.xml")
    for rel in VALUE_PAGES:
        assert f"https://seeds.example.org/library/{rel.removesuffix('index.html')}</loc>" in sitemap, rel
        html = read(site, rel)
        nav = html[html.index('<nav aria-label="Value pages"'):]
        nav = nav[:nav.index("</nav>")]
        assert nav.count("<li>") == 8 and nav.count('aria-current="page"') == 1, rel


def test_dimension_pages_show_every_figure_with_what_it_means(site, report):
    from value.indicators import indicators

    for key, slug in DIMENSION_PAGES.items():
        page = read(site, f"value/{slug}/index.html")
        assert f"<h1>{DIMENSION_TITLES[key]}</h1>" in page
        for ind in indicators("community", key):
            if ind.when is not None:  # counts what this community does not record (surveys): not in the report
                assert ind.key not in report["dimensions"][key], ind.key
                continue
            anchor = ind.key.replace("_", "-")
            figure = page[page.index(f'<div class="figure" id="{anchor}">'):]
            figure = figure[:figure.index("</div>")]
            assert '<dd class="figure-value' in figure and '<dd class="how">' in figure, (slug, ind.key)
            assert f'href="../../value/methodology/#{anchor}"' in figure, (slug, ind.key)
    objective = read(site, "value/objective-accomplishment/index.html")
    assert f'<dd class="figure-value">{report["dimensions"]["objective_accomplishment"]["commits"]}</dd>' in objective
    assert "Seed catalogue: 1 of 2" in text_of(objective)  # a project by its title, never its slug
    community = read(site, "value/community-building/index.html")
    assert "CHAOSS Contributor Absence Factor" in community and "in the last 180 days" in community


def test_value_pages_speak_plain_language(site, report):
    """No internal key, file name, raw mapping or bare fraction in what a reader sees."""
    for rel in VALUE_PAGES:
        text = text_of(read(site, rel))
        for raw in ("inactive_days", "unaffiliated_share", "absence_factor", ".py", "{'", "{\"", ".yaml", ".yml",
                    ".cff", ".all-contributorsrc", "members/<handle>", "usage/", "kudos/", "done_at"):
            assert raw not in text, f"{raw!r} in {rel}"
        assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text), rel  # no snake_case key
        assert not re.findall(r"(?<![\d.,])0\.\d{3,}(?! person-years)", text), rel  # shares: percentages, not fractions
    shares = read(site, "value/social-use-value/index.html")
    doc = report["dimensions"]["social_use_value"]["documentation_share"]
    assert f'<dd class="figure-value">{100 * doc:.1f}%</dd>' in shares


def test_methodology_explains_every_indicator(site):
    from value.indicators import indicators

    page = read(site, "value/methodology/index.html")
    for ind in indicators():
        if ind.when is not None or ind.dimension == "ecological_value":  # only where impact, surveys are recorded
            assert f'<dt id="{ind.key.replace("_", "-")}">' not in page, ind.key
            continue
        anchor = ind.key.replace("_", "-")
        start = page.index(f'<dt id="{anchor}">')
        entry = page[start:page.index("</dd>", start)]
        assert "Counted as: " in entry and len(text_of("<main>" + entry + "</main>")) > 60, ind.key
    text = text_of(page)
    assert "CHAOSS Contributor Absence Factor" in text and "Open Hub" in text and "CredRank" in text
    assert "Kinds of contribution" in text and "Σ weight × score ÷ Σ weight" in text
    assert "renovate[bot]" in read(site, "value/contributors/index.html")
    assert "left out of every score" in read(site, "value/contributors/index.html")


def test_scrollable_regions_are_named_and_reachable_with_the_keyboard(site):
    page = read(site, "value/contributors/index.html")
    assert '<p class="scroll-hint" aria-hidden="true">' in page
    assert ('<div class="table-scroll contributors-scroll" role="region" aria-label="Contributors by value" '
            'tabindex="0">') in page
    # the value column stands next to the names, so a phone shows both before any scrolling
    assert re.search(r'<th scope="row"><a href="../../members/ana/">Ana Lopez</a></th>\s*<td class="num">\d+\.\d\d%</td>',
                     page)
    for rel in VALUE_PAGES:
        html = read(site, rel)
        for tag in re.findall(r'<div class="(?:table|chart)-scroll[^"]*"[^>]*>', html):
            assert 'role="region"' in tag and 'tabindex="0"' in tag and re.search(r'aria-label="[^"]+"', tag), (rel, tag)


def test_charts_are_accessible_xml_and_draw_the_reported_numbers(site, report):
    page = read(site, "value/community-building/index.html")
    charts = svgs(page)
    assert len(charts) >= 4
    for svg in charts:
        title, desc = svg.find(f"{NS}title"), svg.find(f"{NS}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    activity = next(s for s in charts if s.find(f"{NS}title").text == "Contributors over time")
    months = report["monthly"]["months"]
    active = report["monthly"]["community_building"]["active_contributors"]
    shown = marks(activity, "Active")
    if all(len(label) == 7 for label, _ in shown):  # month by month: the report's own figures
        assert shown == [(m, str(v)) for m, v in zip(months, active)]
        assert dict(shown)["2024-02"] == "3"  # Ana (old address), Ben and his reviewer
    roles = report["dimensions"]["community_building"]["roles"]
    with_a_commit = sum(roles.values())  # the onion names its people: those with a commit
    onion = next(s for s in charts if s.find(f"{NS}title").text
                 == f"The onion of participation: {with_a_commit} people with a commit")
    assert marks(onion) == [("Casual", str(roles["casual"])), ("Regular", str(roles["regular"])), ("Core", str(roles["core"]))]
    # the table twin says the same
    assert "Contributors over time: the figures as a table" in page


def test_member_page_shows_value_across_dimensions(site, report):
    page = read(site, "members/ana/index.html")
    ana = next(c for c in report["contributors"] if c["id"] == "ana")
    assert f"<div><dt>Commits</dt> <dd>{ana['commits']}</dd></div>" in page
    assert "<div><dt>Co-authored commits</dt> <dd>1</dd></div>" in page
    assert f"<div><dt>Share of the value</dt> <dd>{100 * ana['value']:.2f}%</dd></div>" in page
    assert "<div><dt>Events organised</dt> <dd>1</dd></div>" in page
    (profile,) = svgs(page)
    assert marks(profile) == [(label, f"{round(100 * ana['scores'][d], 2):g}") for label, d in (
        ("Community building", "community_building"), ("Objective accomplishment", "objective_accomplishment"),
        # a person's part of the monetary dimension: money they raised and the replacement cost of their work
        ("Money raised and replacement cost", "monetary_value"), ("Social use value", "social_use_value"),
        ("Reputation", "reputation"))]
    assert "€40.00 paid so far (ledger)" in page


def test_ledger_page_totals_by_currency_month_and_kind(site):
    page = read(site, "ledger/index.html")
    assert ('<td class="num" data-label="Income">400.00</td><td class="num" data-label="Expenses">120.00</td>'
            '<td class="num" data-label="Balance">280.00</td>') in page
    # 60.00 of the 120.00 spent went to contributors (Ana 40, and the hidden member 20)
    assert "<strong>50.0%</strong> of the EUR spent went to contributors" in page
    balance = svgs(page)[0]
    assert marks(balance, "Balance") == [("2024-01", "300.00"), ("2024-02", "340.00"), ("2024-03", "280.00")]
    flow = dict(re.findall(r'<li data-label="([^"]*)" data-value="([^"]*)">', page))  # the money flow's parties
    assert flow["Paid to contributors"] == "60.00" and flow["Friends of Seeds"] == "300.00"
    assert "Cyrus" not in page and "cyrus-hiddenfield" not in page and "a member" in page


def test_reward_distribution_sums_exactly_and_has_a_csv(site):
    page = read(site, "rewards/spring/index.html")
    assert ('<tfoot><tr><th scope="row">Total</th><td class="num">€100.00</td><td></td><td></td><td></td></tr>'
            '</tfoot>') in page
    rows = list(csv.DictReader((site / "rewards/spring/spring.csv").open()))
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("100.00")
    assert all(r["currency"] == "EUR" and r["policy"] == "balanced" for r in rows)
    names = {r["name"] for r in rows}
    assert "Cyrus Hiddenfield" not in names and "Benedikt Okonkwo" not in names


def test_open_data_validates_and_scores_recompute(site):
    frictionless = pytest.importorskip("frictionless")
    result = frictionless.validate(str(site / "data" / "datapackage.json"))
    assert result.valid, result.flatten(["rowNumber", "fieldName", "type", "note"])
    dims = {r["dimension"]: r for r in csv.DictReader((site / "data/dimensions.csv").open())}
    weights = {d: float(r["weight"]) for d, r in dims.items()}
    rows = list(csv.DictReader((site / "data/contributors.csv").open()))
    assert rows
    for row in rows:
        for d, info in dims.items():
            total = float(info["records_total"])
            expected = float(row[f"records_{d}"]) / total if total else 0.0
            assert float(row[f"score_{d}"]) == pytest.approx(expected, abs=2e-6), (row["id"], d)
        # a dimension without records is left out of the value, its weight shared among the others
        present = [d for d, info in dims.items() if info["has_records"] == "true"]
        assert present == [d for d, info in dims.items() if float(info["records_total"]) > 0]
        value = sum(weights[d] * float(row[f"score_{d}"]) for d in present) / sum(weights[d] for d in present)
        assert float(row["value"]) == pytest.approx(value, abs=5e-6), row["id"]


def test_privacy_no_address_no_hidden_member_stable_pseudonyms(repo, site, tmp_path):
    history = subprocess.run(["git", "log", "--format=%ae%n%ce%n%b"], cwd=repo, capture_output=True, text=True).stdout
    assert set(ADDRESSES) <= set(re.findall(r"[\w.+-]+@[\w.-]+\.\w+", history)) | {"ana.old@example.org"}
    alias = pseudonym("ben", "Seed Library")
    stranger = pseudonym("zoe-stranger", "Seed Library")
    second = tmp_path / "again"
    build(repo, second)
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for address in ADDRESSES:
            assert address not in text, f"{address} in {path.relative_to(site)}"
        for secret in ("Cyrus", "Hiddenfield", "cyrus-hiddenfield", "Benedikt", "Okonkwo", "Zoe Stranger", "zoe-stranger"):
            assert secret not in text, f"{secret} in {path.relative_to(site)}"
        assert path.read_bytes() == (second / path.relative_to(site)).read_bytes()
    contributors = read(site, "data/contributors.csv")
    assert alias in contributors and stranger in contributors
    assert not (site / "members/cyrus-hiddenfield").exists()
    # hidden members still count in totals
    for rel in ("value/index.html", "value/contributors/index.html"):
        assert "1 person is not listed at their request but counted in every total" in read(site, rel)


def test_funding_and_citation_are_shown(repo, tmp_path):
    write_files(repo, {".github/FUNDING.yml": "liberapay: seeds\ncustom: [\"https://seeds.example.org/give\", \"javascript:alert(1)\"]\n",
                       "CITATION.cff": "cff-version: 1.2.0\ntitle: Seed data\nauthors:\n  - {given-names: Ana, family-names: Lopez, email: ana@example.org}\ndate-released: 2024-05-01\n"})
    try:
        out = tmp_path / "out"
        build(repo, out)
        home, ledger = read(out, "index.html"), read(out, "ledger/index.html")
        assert '<a href="https://liberapay.com/seeds" rel="noopener">Liberapay</a>' in home
        assert 'href="https://seeds.example.org/give"' in ledger and "javascript:" not in ledger
        assert "Ana Lopez (2024). Seed data." in home and "ana@example.org" not in home
    finally:
        for rel in (".github/FUNDING.yml", "CITATION.cff"):
            (repo / rel).unlink()


def test_funding_platforms_are_named_in_words(community, tmp_path):
    """The funding file's platforms by their names, a custom link as "others", never as keys."""
    root = community({".github/FUNDING.yml": "open_collective: seeds\nliberapay: seeds\n"
                                             "custom: [\"https://seeds.example.org/give\"]\n"})
    commit_all(root)
    out = tmp_path / "out"
    build(root, out)
    money = read(out, "value/monetary-value/index.html")
    assert '<dd class="figure-value figure-words">Liberapay, Open Collective and others</dd>' in money
    assert "open_collective" not in text_of(money) and "custom" not in text_of(money)


@pytest.mark.parametrize("rows", [
    [], [{}], [{}, {"z": "", "a": 0}],
    [{"b": None, "a": True, "c": 1.5, "d": 'q"b\\s\nl\u00e9\u2028\U0001F600', "e": False, "f": -3, "g": 1e-7, "h": 1e20}],
    [{"name": "Ana", "roles": ["a", "b"]}],  # a nested value: the general encoder
])
def test_open_data_json_is_what_the_standard_encoder_writes(rows):
    from generator.datapackage import rows_json

    assert rows_json(rows) == json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
