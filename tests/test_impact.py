"""Impact records (`impact/*.yaml`) and the ecological value dimension they bring: a real
repository built into a real site, and the same community without impact, which has no sixth
dimension anywhere (report, pages, navigation, open data).

Every figure can be worked out by hand from FILES: Ana leads the catalogue project; the three
impact records are 40 + 2.5 trees (a unit "trees"), 300 kg CO2e and 0.2 kg co2e (two units, never
added); the first is Ana's (the project's lead), the second split between Ben (pseudonymous) and
Cy (hidden), the third and fourth Ana's.
"""

from __future__ import annotations

import csv
import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, committed_community
from generator.build import build
from generator.commands.diff import figures
from generator.load.loader import load_community
from generator.people import pseudonym
from generator.valuation import value_report

IMPACT = """\
    records:
      - date: 2024-03-31
        indicator: trees mapped
        amount: "40"
        unit: trees
        evidence: https://seeds.example.org/trees/2024-03/
        project: catalogue
      - date: 2024-04-30
        indicator: trees mapped
        amount: "2.5"
        unit: trees
        evidence: "Counted on foot; half a tree is a sapling"
        people: [ben, cy]
      - date: 2024-04-30
        indicator: CO2 avoided
        amount: "300"
        unit: kg CO2e
        evidence: Bike deliveries instead of van trips
        people: [ana]
      - date: 2024-05-02
        indicator: CO2 avoided
        amount: "0.2"
        unit: kg co2e
        evidence: Rounded by hand
        people: [ana]
    """
FILES = {**MINIMAL, "impact/2024.yaml": IMPACT}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return committed_community(tmp_path_factory.mktemp("impact") / "community", FILES)


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build(repo, out, search=False)
    return out


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, Path]:
    """The same community without impact records, built."""
    root = committed_community(tmp_path_factory.mktemp("plain") / "community", MINIMAL)
    out = tmp_path_factory.mktemp("plain-site") / "out"
    build(root, out, search=False)
    return root, out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rows(out: Path, name: str) -> list[dict]:
    with (out / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_loader_reads_exact_amounts_people_and_project(repo):
    model = load_community(repo)
    assert [(i.indicator, i.amount, i.unit, i.project, i.people) for i in model.impact] == [
        ("trees mapped", Decimal("40"), "trees", "catalogue", ()),
        ("trees mapped", Decimal("2.5"), "trees", "", ("ben", "cy")),
        ("CO2 avoided", Decimal("300"), "kg CO2e", "", ("ana",)),
        ("CO2 avoided", Decimal("0.2"), "kg co2e", "", ("ana",)),
    ]
    # two spellings of one unit: a warning at the second, never added together
    assert [(w.path, w.line) for w in model.warnings if "spelled alike" in w.message] == [("impact/2024.yaml", 20)]


def test_report_has_a_sixth_dimension_with_totals_per_unit(repo):
    report = value_report(repo).to_json()
    assert set(report["weights"]) == {"community_building", "ecological_value", "monetary_value",
                                      "objective_accomplishment", "reputation", "social_use_value"}
    eco = report["dimensions"]["ecological_value"]
    assert eco["impact_records"] == 4 and eco["impact_projects"] == 1
    assert eco["impact_totals"] == [
        {"indicator": "CO2 avoided", "unit": "kg CO2e", "amount": "300", "records": 1},
        {"indicator": "CO2 avoided", "unit": "kg co2e", "amount": "0.2", "records": 1},
        {"indicator": "trees mapped", "unit": "trees", "amount": "42.5", "records": 2},
    ]
    # records: 1 per impact record, split among its people, else among the project's leads
    assert report["kinds"]["impact"]["dimension"] == "ecological_value"
    signals = {c["id"]: c["signals"]["ecological_value"] for c in report["contributors"]}
    assert signals["ana"] == 3.0 and signals["ben"] == 0.5 and signals["cy"] == 0.5
    assert report["scoring"]["totals"]["ecological_value"] == 4.0
    ana = next(c for c in report["contributors"] if c["id"] == "ana")
    assert ana["scores"]["ecological_value"] == 0.75


def test_weight_of_ecological_value_is_read_from_the_config(tmp_path):
    files = {**FILES, "commonplace.yaml": textwrap.dedent(MINIMAL["commonplace.yaml"])
             + "value:\n  weights: {ecological_value: 3}\n"}
    report = value_report(committed_community(tmp_path / "c", files)).to_json()
    assert report["weights"]["ecological_value"] == 3.0 and report["weights"]["reputation"] == 1.0


def test_without_impact_there_is_no_sixth_dimension_anywhere(plain):
    root, out = plain
    report = value_report(root).to_json()
    assert "ecological_value" not in report["weights"] and "ecological_value" not in report["dimensions"]
    assert "impact" not in report["kinds"] and "ecological_value" not in report["scoring"]["totals"]
    assert all("ecological_value" not in c["scores"] for c in report["contributors"])
    assert not (out / "value" / "ecological-value").exists()
    for rel in ("value/index.html", "value/methodology/index.html", "value/contributors/index.html",
                "members/ana/index.html", "index.html"):
        page = read(out, rel)
        assert "ecological-value" not in page and "Ecological value" not in page, rel
    assert "five dimensions" in read(out, "value/index.html")
    assert not (out / "data" / "impact.csv").exists()
    package = json.loads(read(out, "data/datapackage.json"))
    assert "impact" not in {r["name"] for r in package["resources"]}
    assert "ecological_value" not in read(out, "data/contributors.csv").splitlines()[0]
    assert "ecological_value" not in read(out, "data/dimensions.csv")


def test_ecological_value_page_shows_totals_records_and_evidence(site):
    page = read(site, "value/ecological-value/index.html")
    text = text_of(page)
    assert "<h1>Ecological value</h1>" in page
    assert "42.5 trees (trees mapped)" in text  # one total per indicator and unit
    assert "300 kg CO2e" in text and "0.2 kg co2e" in text and "300.2" not in text  # units never added
    assert 'href="https://seeds.example.org/trees/2024-03/"' in page  # evidence that is an address: a link
    assert "Counted on foot; half a tree is a sapling" in text  # evidence that is a text: shown, not linked
    assert 'href="../../projects/catalogue/"' in page
    # people as every page shows them: a pseudonym, a hidden member counted, never named
    assert pseudonym("ben", "Seed Library") in text and "Benedikt" not in text and "Ben Okafor" not in text
    assert "Cy Hidden" not in page and "1 member not listed" in text


def test_sixth_dimension_in_navigation_dashboard_methodology_and_contributors(site):
    dashboard = read(site, "value/index.html")
    assert 'href="../value/ecological-value/"' in dashboard and "six dimensions" in dashboard
    methodology = read(site, "value/methodology/index.html")
    assert 'id="impact-totals"' in methodology and "Impact recorded" in methodology
    assert "never added" in text_of(methodology)
    contributors = read(site, "value/contributors/index.html")
    assert "Ecological value" in contributors and "six dimensions" in contributors
    member = read(site, "members/ana/index.html")
    assert "Ecological value" in member


def test_open_data_has_the_impact_table_and_the_sixth_dimension(site):
    table = rows(site, "impact")
    assert [(r["date"], r["indicator"], r["amount"], r["unit"], r["people"]) for r in table] == [
        ("2024-03-31", "trees mapped", "40", "trees", ""),
        ("2024-04-30", "trees mapped", "2.5", "trees", f"{pseudonym('ben', 'Seed Library')}; a member"),
        ("2024-04-30", "CO2 avoided", "300", "kg CO2e", "Ana Lopez"),
        ("2024-05-02", "CO2 avoided", "0.2", "kg co2e", "Ana Lopez"),
    ]
    package = json.loads(read(site, "data/datapackage.json"))
    assert "impact" in {r["name"] for r in package["resources"]}
    header = read(site, "data/contributors.csv").splitlines()[0]
    assert "records_ecological_value" in header and "score_ecological_value" in header
    totals = [(r["part"], r["value"], r["unit"]) for r in rows(site, "indicators") if r["indicator"] == "impact_totals"]
    assert totals == [("CO2 avoided (kg CO2e)", "300", "kg CO2e"), ("CO2 avoided (kg co2e)", "0.2", "kg co2e"),
                      ("trees mapped (trees)", "42.5", "trees")]
    dims = {r["dimension"]: r for r in rows(site, "dimensions")}
    assert dims["ecological_value"]["records_total"] == "4.0" and dims["ecological_value"]["kinds"] == "impact"
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())
    assert "Cy Hidden" not in everything and "cy@example.com" not in everything


def test_diff_shows_impact_totals_per_unit(repo):
    head = load_community(repo)
    rows_, _notes = figures(None, head)
    assert ("impact records", "0", "4", "+4") in rows_
    assert ("impact: trees mapped (trees)", "0 trees", "42.5 trees", "+42.5") in rows_
    assert ("impact: CO2 avoided (kg CO2e)", "0 kg CO2e", "300 kg CO2e", "+300") in rows_
    assert ("impact: CO2 avoided (kg co2e)", "0 kg co2e", "0.2 kg co2e", "+0.2") in rows_


def test_hostile_texts_are_escaped_and_only_http_evidence_is_linked(tmp_path):
    hostile = """\
        records:
          - date: 2024-03-31
            indicator: "<script>alert('i')</script>"
            amount: "1"
            unit: "<b>u</b>"
            evidence: "https://x.example/\\"onmouseover=\\"alert(1)"
          - date: 2024-04-01
            indicator: trees
            amount: "1"
            unit: trees
            evidence: "<img src=x onerror=alert(2)>"
        """
    root = committed_community(tmp_path / "c", {**MINIMAL, "impact/2024.yaml": hostile})
    out = tmp_path / "out"
    build(root, out, search=False)
    page = read(out, "value/ecological-value/index.html")
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;i&#39;)&lt;/script&gt;" in page
    assert "<b>u</b>" not in page and "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert 'href="https://x.example/&#34;onmouseover=&#34;alert(1)"' in page
    assert page.count('rel="nofollow noopener"') == 1  # the text evidence is not a link
