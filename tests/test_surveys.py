"""Survey results (`surveys/*.yaml`): aggregated answers only, shown and published broken down
only when a survey has at least `surveys: {min_respondents}` respondents (default 5), and as its
total only otherwise, on pages, in the open data and in `diff` alike. A real repository, a real build.

FILES: "spring" (12 respondents, two questions, one multiple choice) is broken down; "pilot"
(3 respondents, below the default threshold of 5) is shown as its total only.
"""

from __future__ import annotations

import csv
import json
import re
import textwrap
from html import unescape
from pathlib import Path

import pytest

from communities import MINIMAL, committed_community
from generator.build import build
from generator.commands.diff import figures
from generator.load.loader import load_community
from generator.valuation import value_report

SPRING = """\
    title: Spring visitors' survey
    date: 2024-04-30
    respondents: 12
    description: Handed out at the seed swap.
    url: https://seeds.example.org/survey-2024/
    questions:
      - question: How often do you borrow seeds?
        scale: [Never, Rarely, Sometimes, Often, Always]
        counts: {Never: 2, Rarely: 3, Sometimes: 4, Often: 2, Always: 0}
      - question: Which seeds should we keep more of?
        scale: [Tomatoes, Beans, Squash]
        multiple: true
        counts: {Tomatoes: 9, Beans: 7, Squash: 4}
    """
PILOT = """\
    title: Pilot with the school garden
    date: 2024-05-05
    respondents: 3
    questions:
      - question: Did the children plant the seeds?
        scale: ["Yes", "No"]
        counts: {"Yes": 2, "No": 1}
    """
FILES = {**MINIMAL, "surveys/spring.yaml": SPRING, "surveys/pilot.yaml": PILOT}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return committed_community(tmp_path_factory.mktemp("surveys") / "community", FILES)


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build(repo, out, search=False)
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_loader_reads_scales_in_order_with_every_count(repo):
    model = load_community(repo)
    spring = model.surveys["spring"]
    assert spring.respondents == 12 and model.config.min_respondents == 5
    assert [(q.scale, q.counts, q.multiple) for q in spring.questions] == [
        (("Never", "Rarely", "Sometimes", "Often", "Always"), (2, 3, 4, 2, 0), False),
        (("Tomatoes", "Beans", "Squash"), (9, 7, 4), True),
    ]
    assert model.surveys["pilot"].questions[0].scale == ("Yes", "No")


def test_survey_pages_break_down_only_above_the_threshold(site):
    index = text_of(read(site, "surveys/index.html"))
    assert "Spring visitors' survey" in index and "12 respondents" in index
    assert "Pilot with the school garden" in index and "3 respondents" in index
    assert "Too few respondents to show the answers." in index
    spring = read(site, "surveys/spring/index.html")
    assert "How often do you borrow seeds?" in spring and 'href="https://seeds.example.org/survey-2024/"' in spring
    bars = re.findall(r'data-label="([^"]+)" data-value="([^"]+)"', spring)
    assert bars == [("Never", "2"), ("Rarely", "3"), ("Sometimes", "4"), ("Often", "2"), ("Always", "0"),
                    ("Tomatoes", "9"), ("Beans", "7"), ("Squash", "4")]
    assert "Several answers could be chosen" in spring
    pilot = read(site, "surveys/pilot/index.html")
    assert "3 respondents" in text_of(pilot) and "only the total is shown" in text_of(pilot)
    # never broken down: no question, no answer, no count
    assert "Did the children plant the seeds?" not in pilot and "data-value" not in pilot
    assert "Did the children plant the seeds?" not in read(site, "surveys/index.html")
    # the page of a survey shown as its total does not link to its file's counts
    assert "surveys/spring.yaml" in spring and "surveys/pilot.yaml" not in pilot


def test_social_use_value_links_the_surveys_and_counts_them(repo, site):
    page = read(site, "value/social-use-value/index.html")
    assert 'href="../../surveys/spring/"' in page and 'href="../../surveys/pilot/"' in page
    report = value_report(repo).to_json()
    social = report["dimensions"]["social_use_value"]
    assert social["surveys"] == 2 and social["survey_respondents"] == 15
    assert "Survey respondents" in text_of(read(site, "value/methodology/index.html"))


def test_open_data_holds_counts_above_the_threshold_and_totals_only_below(site):
    with (site / "data" / "surveys.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["survey"], r["respondents"], r["question"], r["label"], r["count"]) for r in rows] == [
        ("spring", "12", "How often do you borrow seeds?", "Never", "2"),
        ("spring", "12", "How often do you borrow seeds?", "Rarely", "3"),
        ("spring", "12", "How often do you borrow seeds?", "Sometimes", "4"),
        ("spring", "12", "How often do you borrow seeds?", "Often", "2"),
        ("spring", "12", "How often do you borrow seeds?", "Always", "0"),
        ("spring", "12", "Which seeds should we keep more of?", "Tomatoes", "9"),
        ("spring", "12", "Which seeds should we keep more of?", "Beans", "7"),
        ("spring", "12", "Which seeds should we keep more of?", "Squash", "4"),
        ("pilot", "3", "", "", ""),
    ]
    package = json.loads(read(site, "data/datapackage.json"))
    assert "surveys" in {r["name"] for r in package["resources"]}
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                         if p.is_file() and p.suffix in (".html", ".csv", ".json", ".xml"))
    assert "Did the children plant the seeds?" not in everything


def test_threshold_is_set_in_the_config(tmp_path):
    config = textwrap.dedent(MINIMAL["commonplace.yaml"]) + "surveys:\n  min_respondents: 2\n"
    root = committed_community(tmp_path / "c", {**FILES, "commonplace.yaml": config})
    out = tmp_path / "out"
    build(root, out, search=False)
    assert "Did the children plant the seeds?" in read(out, "surveys/pilot/index.html")


def test_no_surveys_no_pages_no_table_no_indicator(tmp_path):
    root = committed_community(tmp_path / "c", MINIMAL)
    out = tmp_path / "out"
    build(root, out, search=False)
    assert not (out / "surveys").exists() and not (out / "data" / "surveys.csv").exists()
    assert "surveys" not in value_report(root).to_json()["dimensions"]["social_use_value"]
    assert "surveys/" not in read(out, "value/social-use-value/index.html")


def test_diff_names_surveys_added_with_their_respondents_only(repo):
    rows, notes = figures(None, load_community(repo))
    assert ("surveys", "0", "2", "+2") in rows
    assert "Surveys added: Spring visitors' survey (2024-04-30, 12 respondents), " \
           "Pilot with the school garden (2024-05-05, 3 respondents)" in notes
    assert not any("plant" in n for n in notes)
