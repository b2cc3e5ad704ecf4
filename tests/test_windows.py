"""Whole history and last 12 months side by side: the report's `*_12m` figures, the community
building page's table, and advice that reads one window per concept (issue 28)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastcommits import add_commits
from generator.build import build
from generator.load.loader import load_community
from generator.valuation import value_report
from generator.views.advice import advise_model
from gitrepo import ANA, commit_all, git, identity
from value.advice import CONCENTRATION, RULES, SOURCES
from value.dimensions.community_building import last_12_months

AS_OF = date(2024, 12, 15)
PEOPLE = [ANA] + [(f"Person {n}", f"p{n}@example.org") for n in range(1, 7)]


def spread_then_concentrated(root: Path) -> None:
    """Five people with 80 commits each in 2021-2022 (Ana's first is the community's), then, in
    2024, Ana makes 31 of the last 37 commits: the whole history's bus factor is 3, the last
    12 months' is 1."""
    commit_all(root, "Start", date="2021-01-10T12:00:00+00:00")
    old = [(PEOPLE[0], f"2021-{2 + i % 10:02d}-{1 + i % 28:02d}") for i in range(79)]
    for person in PEOPLE[1:5]:
        old += [(person, f"2022-{1 + i % 6:02d}-{1 + i % 28:02d}") for i in range(80)]
    recent = [(PEOPLE[0], f"2024-{1 + i % 11:02d}-{1 + i % 28:02d}") for i in range(31)]
    recent += [(PEOPLE[5], "2024-03-05")] * 3 + [(PEOPLE[6], "2024-04-05")] * 3
    recent.append((PEOPLE[0], "2024-12-01"))  # the tip: the report's day
    recent.remove((PEOPLE[0], "2024-01-01"))  # ... still 31 of Ana's among the last 37
    add_commits(root, sorted(old, key=lambda c: c[1]) + sorted(recent, key=lambda c: c[1]))


def test_the_report_gives_both_windows(community):
    root = community()
    spread_then_concentrated(root)
    report = value_report(root, load_community(root)).to_json()
    building = report["dimensions"]["community_building"]
    assert building["absence_factor"] == 3  # 111, 80, 80 of 437: the third reaches half
    assert building["absence_factor_12m"] == 1  # 31 of 37
    assert building["roles_12m"] == {"core": 1, "regular": 2, "casual": 0}  # 31 | 3, 3 (34 of 37 before the last)
    # the three who committed, and Ben and Cy, who took part in the 2024 seed swap
    assert building["active_contributors_12m"] == 5
    assert building["active_contributors_whole_history"] == 9
    # only Ana has an affiliation: her organisation holds all the work it can attribute
    assert building["elephant_factor"] == 1 and building["elephant_factor_12m"] == 1


def test_advice_names_the_recent_concentration_and_never_calls_it_a_strength(community):
    root = community()
    spread_then_concentrated(root)
    model = load_community(root)
    found = {f["rule"]: f for f in advise_model(model, value_report(root, model), AS_OF)["findings"]}
    assert found["bus_factor"]["kind"] == "risk" and found["bus_factor"]["value"] == 1  # not the whole history's 3
    concentration = {r.key for r in RULES if r.concept == CONCENTRATION}
    assert concentration >= {"bus_factor", "shrinking_core", "core_load"}
    # the core "grew" from nobody (no commit in 2023) to Ana alone: not a strength beside the risk
    assert [k for k in concentration if k in found and found[k]["kind"] == "strength"] == []


def test_a_concept_is_a_strength_when_nothing_of_it_is_at_risk(community):
    root = community()
    commit_all(root, "Start", date="2024-01-10T12:00:00+00:00")
    add_commits(root, sorted([(p, f"2024-{1 + n:02d}-15") for n, p in enumerate(PEOPLE[1:]) for _ in range(2)],
                             key=lambda c: c[1]))
    model = load_community(root)
    found = {f["rule"]: f for f in advise_model(model, value_report(root, model), AS_OF)["findings"]}
    # Ana 1 and six people 2 each: 6 of 13 commits after three of them, 8 after the fourth
    assert found["bus_factor"]["kind"] == "strength" and found["bus_factor"]["value"] == 4


def test_every_threshold_cites_a_paper_with_its_year_or_says_it_is_the_project_s_choice():
    for key, (title, url) in SOURCES.items():
        if url is None:
            assert title.startswith("the project's choice"), key
            continue
        assert any(str(year) in title for year in range(1990, 2030)), key  # the year
        path = url.split("://", 1)[1].split("/", 1)[1] if "/" in url.split("://", 1)[1] else ""
        assert path.strip("/"), f"{key}: {url} is a home page"
    assert {r.source for r in RULES} <= set(SOURCES)


def test_the_last_12_months_end_on_the_report_s_day():
    assert last_12_months("2025-03-15") == ("2024-03-16", "2025-03-15")
    assert last_12_months("2024-02-29") == ("2023-03-01", "2024-02-29")


def test_an_empty_year_says_so_on_the_page(community, tmp_path, monkeypatch):
    """The tip was committed in 2024 from work authored in 2020 (a rebase): the last 12 months hold
    no commit, and the page says so instead of showing 0."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734264000")  # 2024-12-15
    root = community({"events/swap-2024.md": None})  # nothing else happened in 2024 either
    commit_all(root, "Start", date="2020-01-10T12:00:00+00:00")
    (root / "notes.md").write_text("old work\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Old work", env={**identity(ANA, "2020-02-01T12:00:00+00:00"),
                                                      "GIT_COMMITTER_DATE": "2024-12-01T12:00:00+00:00"})
    report = value_report(root, load_community(root)).to_json()
    building = report["dimensions"]["community_building"]
    assert building["absence_factor"] == 1 and building["absence_factor_12m"] is None
    assert building["roles_12m"] is None and building["active_contributors_12m"] is None
    out = tmp_path / "site"
    build(root, out)
    page = (out / "value/community-building/index.html").read_text(encoding="utf-8")
    start = page.index('<table class="windows"')
    table = page[start:page.index("</table>", start)]
    assert "<th scope=\"col\">Whole history</th><th scope=\"col\">Last 12 months</th>" in table
    assert "December 2, 2023 to December 1, 2024" in table  # the window, named
    assert table.count("No history in the last 12 months") == 4
    assert '<a href="#absence-factor">1</a>' in table
