"""Value in the portal: dashboard, member pages, ledger, rewards and open data agree with the value
report, the pictures draw the same numbers, and nobody's e-mail or hidden identity is published."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.people import pseudonym
from generator.valuation import value_report
from generator.views.contributors import format_figure
from gitrepo import commit_all, git

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
    return value_report(repo)


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


def test_dashboard_shows_every_dimension_with_report_figures(site, report):
    page = read(site, "value/index.html")
    for title in ("Community building", "Objective accomplishment", "Monetary value", "Social use value", "Reputation"):
        assert f">{title}</h2>" in page
    dims = report["dimensions"]
    assert f'<dd class="figure-value">{format_figure(dims["objective_accomplishment"]["commits"], "commits")}</dd>' in page
    assert '<dd class="figure-value">7</dd>' in page
    assert f'<dd class="figure-value">{format_figure(dims["monetary_value"]["income"], "currency")}</dd>' in page
    assert '<dd class="figure-value">400.00 EUR</dd>' in page
    # the explanation of each figure stands next to it, and the methodology gives the formula
    assert "CHAOSS Contributor Absence Factor" in page
    assert 'id="methodology"' in page and "<code>absence_factor</code>" in page
    assert "renovate[bot]" in page and "left out of every score" in page


def test_charts_are_accessible_xml_and_draw_the_reported_numbers(site, report):
    page = read(site, "value/index.html")
    charts = svgs(page)
    assert len(charts) >= 4
    for svg in charts:
        title, desc = svg.find(f"{NS}title"), svg.find(f"{NS}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    activity = next(s for s in charts if s.find(f"{NS}title").text == "Contributors per month")
    months = report["monthly"]["months"][-24:]
    active = report["monthly"]["community_building"]["active_contributors"][-24:]
    assert marks(activity, "Active") == [(m, str(v)) for m, v in zip(months, active)]
    assert dict(marks(activity, "Active"))["2024-02"] == "2"  # Ana (old address) and Ben
    onion = next(s for s in charts if s.find(f"{NS}title").text == "The onion of participation")
    roles = report["dimensions"]["community_building"]["roles"]
    assert marks(onion) == [("Casual", str(roles["casual"])), ("Regular", str(roles["regular"])), ("Core", str(roles["core"]))]
    # the table twin says the same
    assert "Contributors per month: the figures as a table" in page


def test_member_page_shows_value_across_dimensions(site, report):
    page = read(site, "members/ana/index.html")
    ana = next(c for c in report["contributors"] if c["id"] == "ana")
    assert f"<div><dt>Commits</dt> <dd>{ana['commits']}</dd></div>" in page
    assert "<div><dt>Co-authored commits</dt> <dd>1</dd></div>" in page
    assert f"<div><dt>Value</dt> <dd>{100 * ana['value']:.2f}%</dd></div>" in page
    assert "<div><dt>Events organised</dt> <dd>1</dd></div>" in page
    (profile,) = svgs(page)
    assert marks(profile) == [(label, f"{round(100 * ana['scores'][d], 2):g}") for label, d in (
        ("Community building", "community_building"), ("Objective accomplishment", "objective_accomplishment"),
        # a person's part of monetary value is the estimated replacement cost of their work and income raised
        ("Estimated replacement cost and income raised", "monetary_value"), ("Social use value", "social_use_value"),
        ("Reputation", "reputation"))]
    assert "40.0 EUR paid so far (ledger)" in page


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
    assert '<tfoot><tr><th scope="row">Total</th><td class="num">100.00 EUR</td></tr></tfoot>' in page
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
    assert "1 person is not listed at their request but counted in every total" in read(site, "value/index.html")


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


@pytest.mark.parametrize("rows", [
    [], [{}], [{}, {"z": "", "a": 0}],
    [{"b": None, "a": True, "c": 1.5, "d": 'q"b\\s\nl\u00e9\u2028\U0001F600', "e": False, "f": -3, "g": 1e-7, "h": 1e20}],
    [{"name": "Ana", "roles": ["a", "b"]}],  # a nested value: the general encoder
])
def test_open_data_json_is_what_the_standard_encoder_writes(rows):
    from generator.publish.opendata import rows_json

    assert rows_json(rows) == json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
