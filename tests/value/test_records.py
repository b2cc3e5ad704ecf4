"""Contribution records (value/contributions.py) and the scores made from them, on a small
repository whose every record can be worked out by hand:

    2024-01-05  Ana  src/a.py (300 lines) + docs/guide.md (100 lines)
    2024-01-20  Ben  src/b.py (100 lines), Co-authored-by Ana, Reviewed-by Cy
    2024-01-21  renovate[bot]  src/deps.py (50 lines)
    2024-02-03  Ben  src/c.py (100 lines) on a branch, merged by Ana on 2024-02-04 (--no-ff)

and data: an event organised by Ana and Ben with Ana and Cy taking part, a goal done on a project
led by Ana and Cy, a grant raised by Ben, usage of that project, a kudos for Ana, and Cy's
mentoring and Ben's translation from the contributions files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from value.contributions import KINDS, BadKinds, Record, from_report, in_period, scores
from value.inputs import (
    CommunityData,
    ContributionInput,
    EventInput,
    GoalInput,
    KudosInput,
    LedgerInput,
    MemberInput,
    ProjectInput,
    UsageInput,
)
from value.registry import DIMENSIONS
from value.report import build_report
from value.report_types import Report

ANA = ("Ana", "ana@example.org")
BEN = ("Ben", "ben@example.org")
CY = ("Cy", "cy@example.org")
BOT = ("renovate[bot]", "bot@example.org")


def lines(n: int) -> str:
    return "".join(f"{i}\n" for i in range(n))


@pytest.fixture
def repo(make_repo):
    r = make_repo()
    r.commit("a", ANA, "2024-01-05T10:00:00+00:00", {"src/a.py": lines(300), "docs/guide.md": lines(100)})
    r.commit("b\n\nCo-authored-by: Ana <ana@example.org>\nReviewed-by: Cy <cy@example.org>", BEN,
             "2024-01-20T10:00:00+00:00", {"src/b.py": lines(100)})
    r.commit("deps", BOT, "2024-01-21T10:00:00+00:00", {"src/deps.py": lines(50)})
    r.git("checkout", "-q", "-b", "feature")
    r.commit("c", BEN, "2024-02-03T10:00:00+00:00", {"src/c.py": lines(100)})
    r.git("checkout", "-q", "main")
    r.merge("feature", "Merge branch 'feature'", ANA, "2024-02-04T10:00:00+00:00")
    return r


MEMBERS = (MemberInput("ana", "Ana", ("ana@example.org",)), MemberInput("ben", "Ben", ("ben@example.org",)),
           MemberInput("cy", "Cy", ("cy@example.org",)))

DATA = CommunityData(
    members=MEMBERS,
    events=(EventInput("meetup", date(2024, 2, 10), organisers=("ana", "ben"), participants=("ana", "cy"),
                       guests=0, source="events/meetup.md", organiser_lines={"ana": 5, "ben": 6},
                       participant_lines={"ana": 8, "cy": 9}),),
    projects=(ProjectInput("p", "P", "active", leads=("ana", "cy"), source="projects/p.md",
                           goals=(GoalInput("g1", True, date(2024, 2, 1), line=7),
                                  GoalInput("g2", False, None, line=10))),),
    ledger=(
        LedgerInput(date(2024, 1, 10), Decimal("500.00"), "EUR", "grant", payer="Fund", by="ben",
                    source="ledger/2024.yaml", line=3),
        LedgerInput(date(2024, 1, 11), Decimal("5.00"), "EUR", "donation", payer="Zed",
                    source="ledger/2024.yaml", line=9),
    ),
    usage=(
        UsageInput(date(2024, 2, 15), "users", count=40, project="p", source="usage/2024.yaml", line=4),
        UsageInput(date(2024, 2, 16), "downloads", count=9, source="usage/2024.yaml", line=9),
    ),
    kudos=(KudosInput("ben", "ana", date(2024, 2, 20), "the meetup", source="kudos/2024.yaml", line=2),),
    contributions=(
        ContributionInput(date(2024, 2, 12), "cy", "mentoring", hours=None, description="Helped Ben",
                          source="contributions/2024.yaml", line=3),
        ContributionInput(date(2024, 2, 13), "ben", "translation", hours=Decimal("1.5"),
                          description="Guide in Catalan", dimension="social_use_value",
                          source="contributions/2024.yaml", line=8),
    ),
    kinds={"translation": 2},
    bots=(),
)


def rows(report, bots=False):
    """The report's records (published as columns) as one dict per record."""
    return [r.as_dict() for r in from_report(Report.from_json(report), bots)]


def records_by(report, *keys):
    return sorted(tuple(r[k] for k in keys) for r in rows(report))


def test_every_kind_makes_its_records_with_weights_and_sources(repo, tmp_path):
    report = build_report(repo.path, data=DATA, cache_dir=tmp_path / "c").to_json()
    assert report["schema"] == "commonplace.value/5"
    a, b = repo.git("rev-list", "--reverse", "main").split()[:2]
    c = repo.git("rev-parse", "feature").strip()
    got = [(r["date"], r["person"], r["kind"], r["weight"], r["source"]) for r in rows(report)
           if r["kind"] != "cred"]
    assert got == [
        ("2024-01-05", "ana", "commit", 1.0, a),
        ("2024-01-05", "ana", "documentation", 1.0, a),  # 100 documentation lines / 100
        ("2024-01-05", "ana", "replacement_cost", 3.0, a),  # 300 lines of source code / 100 (not the Markdown)
        ("2024-01-10", "ben", "income_raised", 3.0, "ledger/2024.yaml:3"),
        ("2024-01-20", "ana", "coauthor", 0.5, b),
        ("2024-01-20", "ben", "commit", 1.0, b),
        ("2024-01-20", "ben", "replacement_cost", 1.0, b),
        ("2024-01-20", "cy", "review", 0.5, b),
        ("2024-02-01", "ana", "goal_done", 2.5, "projects/p.md:7"),  # 5 split between the two leads
        ("2024-02-01", "cy", "goal_done", 2.5, "projects/p.md:7"),
        ("2024-02-03", "ben", "commit", 1.0, c),
        ("2024-02-03", "ben", "replacement_cost", 1.0, c),
        ("2024-02-10", "ana", "event_organised", 2.5, "events/meetup.md:5"),  # 5 split between organisers
        ("2024-02-10", "ben", "event_organised", 2.5, "events/meetup.md:6"),
        ("2024-02-10", "cy", "event_attended", 1.0, "events/meetup.md:9"),  # Ana organised: not attended too
        ("2024-02-12", "cy", "mentoring", 2.0, "contributions/2024.yaml:3"),
        ("2024-02-13", "ben", "translation", 3.0, "contributions/2024.yaml:8"),  # 1.5 hours × 2
        ("2024-02-15", "ana", "usage", 0.5, "usage/2024.yaml:4"),  # 1 split among the project's leads
        ("2024-02-15", "cy", "usage", 0.5, "usage/2024.yaml:4"),
        ("2024-02-20", "ana", "kudos_received", 1.0, "kudos/2024.yaml:2"),
    ]
    dims = {(r["kind"], r["dimension"]) for r in rows(report)}
    assert ("translation", "social_use_value") in dims and ("mentoring", "community_building") in dims
    assert all(KINDS[k].dimension == d for k, d in dims if k in KINDS)
    # cred: one record per person and month, cred / 100, dated at the month's end; they add up
    # to each person's cred
    cred = [r for r in rows(report) if r["kind"] == "cred"]
    assert {(r["date"], r["source"]) for r in cred} == {("2024-01-31", "cred/2024-01"), ("2024-02-29", "cred/2024-02")}
    people = {p["id"]: p for p in report["contributors"]}
    for pid in ("ana", "ben", "cy"):
        assert sum(r["weight"] for r in cred if r["person"] == pid) == pytest.approx(people[pid]["cred"] / 100, abs=1e-5)
    # the report lists the kinds it used, with the config's weights
    assert report["kinds"]["translation"]["weight"] == 2.0 and report["kinds"]["commit"]["weight"] == 1.0
    assert report["kinds"]["goal_done"] == {**KINDS["goal_done"].describe(), "weight": 5.0}
    # the records are sorted by date, person, kind, source
    keys = [(r["date"], r["person"], r["kind"], r["source"]) for r in rows(report)]
    assert keys == sorted(keys)
    # each contributor's summary: count and weight by kind
    assert people["ana"]["records"]["goal_done"] == {"count": 1, "weight": 2.5}
    assert people["ben"]["records"]["commit"] == {"count": 2, "weight": 2.0}


def test_bots_and_merges_make_no_scored_records_and_counts_stay(repo, tmp_path):
    report = build_report(repo.path, data=DATA, cache_dir=tmp_path / "c").to_json()
    merge = repo.head()
    assert all(r["source"] != merge for r in rows(report) + rows(report, bots=True))
    assert all(r["person"] != "renovate-bot" for r in rows(report))
    [bot] = report["bots"]
    assert [(r["kind"], r["weight"]) for r in rows(report, bots=True)] == [("commit", 1.0), ("replacement_cost", 0.5)]
    assert bot["records"] == {"commit": {"count": 1, "weight": 1.0}, "replacement_cost": {"count": 1, "weight": 0.5}}
    assert "scores" not in bot and "value" not in bot
    # the git counts are the same as before the records
    people = {p["id"]: p for p in report["contributors"]}
    assert (people["ana"]["commits"], people["ana"]["lines_added"], people["ana"]["merges"]) == (1, 400, 1)
    assert (people["ben"]["commits"], people["ben"]["lines_added"]) == (2, 200)
    assert people["ana"]["coauthored_commits"] == 1 and people["cy"]["reviews"] == 1


def _by_hand(records: list[dict], weights: dict[str, float]) -> dict[str, float]:
    """Values recomputed from the JSON records alone, with the formula of VALUE.md."""
    own: dict = defaultdict(lambda: defaultdict(float))
    totals: dict = defaultdict(float)
    for r in records:
        own[r["person"]][r["dimension"]] += r["weight"]
        totals[r["dimension"]] += r["weight"]
    present = [d for d in DIMENSIONS if totals[d] > 0]
    return {p: sum(weights[d] * own[p][d] / totals[d] for d in present) / sum(weights[d] for d in present)
            for p in own}


def test_scores_are_shares_of_record_weights_and_value_is_recomputable(repo, tmp_path):
    weights = {"community_building": 1, "objective_accomplishment": 2, "monetary_value": 1,
               "social_use_value": 1, "reputation": 1}
    data = CommunityData(**{**DATA.__dict__, "weights": weights})
    report = build_report(repo.path, data=data, cache_dir=tmp_path / "c").to_json()
    records = rows(report)
    people = {p["id"]: p for p in report["contributors"]}
    # objective accomplishment: ana 1 + 0.5 + 2.5 = 4, ben 2, cy 0.5 + 2.5 = 3 (the bot left out)
    assert people["ana"]["scores"]["objective_accomplishment"] == pytest.approx(4 / 9, abs=1e-6)
    assert people["ana"]["signals"]["objective_accomplishment"] == 4.0
    assert report["scoring"]["totals"]["objective_accomplishment"] == 9.0
    # money raised and replacement cost: replacement cost ana 3 (source code only), ben 1 + 1, income raised
    # ben 3 → ana 3 / 8
    assert people["ana"]["scores"]["monetary_value"] == pytest.approx(3 / 8, abs=1e-6)
    expected = _by_hand(records, weights)
    for pid, person in people.items():
        assert person["value"] == pytest.approx(expected[pid], abs=1e-5), pid
    assert sum(p["value"] for p in people.values()) == pytest.approx(1, abs=1e-5)
    # per month, the same from the records dated in it
    for month in ("2024-01", "2024-02"):
        by_hand = _by_hand([r for r in records if r["date"].startswith(month)], weights)
        for pid, person in people.items():
            assert person["monthly_value"].get(month, 0.0) == pytest.approx(by_hand.get(pid, 0.0), abs=1e-5)


def test_a_dimension_without_records_is_left_out_of_value(repo, tmp_path):
    data = CommunityData(members=MEMBERS)  # git only: nothing builds community, month by month too
    report = build_report(repo.path, data=data, cache_dir=tmp_path / "c").to_json()
    assert report["scoring"]["without_records"] == ["community_building"]
    assert report["scoring"]["totals"]["community_building"] == 0.0
    assert report["scoring"]["monthly"]["without_records"] == [["community_building"],
                                                               ["community_building", "social_use_value"]]
    people = {p["id"]: p for p in report["contributors"]}
    for pid, person in people.items():
        assert person["scores"]["community_building"] == 0.0
        four = [person["scores"][d] for d in DIMENSIONS if d != "community_building"]
        assert person["value"] == pytest.approx(sum(four) / 4, abs=1e-6), pid  # not a fifth at zero
    assert sum(p["value"] for p in people.values()) == pytest.approx(1, abs=1e-5)
    # February: Ben's commit only (the merge makes no record): he holds all of it
    assert people["ben"]["monthly_value"]["2024-02"] == pytest.approx(1.0)


def test_config_weights_change_the_figures(repo, tmp_path):
    base = build_report(repo.path, data=DATA, cache_dir=tmp_path / "c").to_json()
    heavier = build_report(repo.path, data=CommunityData(**{**DATA.__dict__, "kinds": {"translation": 2, "commit": 3,
                                                                                        "goal_done": 0}}),
                           cache_dir=tmp_path / "c").to_json()
    assert heavier["kinds"]["commit"]["weight"] == 3.0
    assert [r["weight"] for r in rows(heavier) if r["kind"] == "commit"] == [3.0, 3.0, 3.0]
    assert not [r for r in rows(heavier) if r["kind"] == "goal_done"]  # weight 0: left out
    before = {p["id"]: p for p in base["contributors"]}
    after = {p["id"]: p for p in heavier["contributors"]}
    # objective accomplishment: ana 3 + 0.5, ben 6, cy 0.5 → ana 3.5 / 10
    assert after["ana"]["scores"]["objective_accomplishment"] == pytest.approx(0.35, abs=1e-6)
    assert after["ana"]["value"] != before["ana"]["value"]
    # a kind of the community's own, declared with its dimension, and a known kind moved
    moved = build_report(repo.path, data=CommunityData(**{**DATA.__dict__, "kinds": {
        "translation": {"weight": 1, "dimension": "community_building"}}}), cache_dir=tmp_path / "c").to_json()
    [translation] = [r for r in rows(moved) if r["kind"] == "translation"]
    assert (translation["dimension"], translation["weight"]) == ("social_use_value", 1.5)  # the record's own


def test_an_unknown_kind_without_a_dimension_is_an_error(repo, tmp_path):
    record = replace(DATA.contributions[1], kind="care", dimension=None)
    with pytest.raises(BadKinds, match=r"contributions/2024.yaml:8: unknown kind 'care': give the record a 'dimension'"):
        build_report(repo.path, data=CommunityData(members=MEMBERS, contributions=(record,)), use_cache=False).to_json()
    with pytest.raises(BadKinds, match="'commit' records come from the git"):
        build_report(repo.path, data=CommunityData(members=MEMBERS, contributions=(replace(record, kind="commit"),)),
                     use_cache=False).to_json()
    with pytest.raises(BadKinds, match="unknown dimension 'fun'"):
        build_report(repo.path, data=CommunityData(kinds={"care": {"weight": 1, "dimension": "fun"}}), use_cache=False).to_json()


def test_scores_of_any_period_from_the_records():
    """What a rewards plan does: the records dated in its period, scored alone."""
    records = [Record("2024-01-31", "ana", "commit", "objective_accomplishment", 1.0, "x"),
               Record("2024-02-01", "ben", "commit", "objective_accomplishment", 3.0, "y"),
               Record("2024-02-02", "ana", "kudos_received", "reputation", 1.0, "kudos/a.yaml:2")]
    weights = dict.fromkeys(DIMENSIONS, 1.0)
    february = scores(in_period(records, "2024-02-01", "2024-02-29"), weights)
    assert february.without_records == ["community_building", "monetary_value", "social_use_value"]
    assert february.scores["ana"]["objective_accomplishment"] == 0.0 and february.scores["ana"]["reputation"] == 1.0
    assert february.value == {"ana": 0.5, "ben": 0.5}
    assert scores([], weights).value == {}


def test_the_report_records_give_back_its_scores(repo, tmp_path):
    """A report's own records, read back, give its scores: overall and for a month."""
    report = build_report(repo.path, data=DATA, cache_dir=tmp_path / "c").to_json()
    records = from_report(Report.from_json(report))
    columns = report["contributions"]  # published as columns: record i is date[i], person[i], ...
    assert sorted(columns) == sorted(Record._fields) and all(len(c) == len(records) for c in columns.values())
    assert records[0].as_dict() == {k: column[0] for k, column in columns.items()}
    overall = scores(records, report["weights"])
    february = scores(in_period(records, "2024-02-01", "2024-02-29"), report["weights"])
    for person in report["contributors"]:
        assert overall.value[person["id"]] == pytest.approx(person["value"], abs=1e-6)
        assert overall.scores[person["id"]] == pytest.approx(person["scores"], abs=1e-6)
        assert february.value.get(person["id"], 0.0) == pytest.approx(person["monthly_value"].get("2024-02", 0.0),
                                                                       abs=1e-6)
    assert [r.kind for r in from_report(Report.from_json(report), bots=True)] == ["commit", "replacement_cost"]


def test_record_lines_are_the_json_of_each_record_in_order():
    from value.recordlines import read_records, record_lines

    people = {"date": ["2024-01-05", "2024-01-31"], "person": ["zoë", "ana"], "kind": ["commit", "cred"],
              "dimension": ["objective_accomplishment", "reputation"], "weight": [1.0, 0.123457],
              "source": ['a"b\\c\u2028', "cred/2024-01"], "landed": ["2024-01-09", "2024-01-31"]}
    bots = {"date": ["2024-01-06"], "person": ["renovate-bot"], "kind": ["commit"],
            "dimension": ["objective_accomplishment"], "weight": [1.0], "source": ["f" * 40]}  # /3: no landed
    cred = {"date": ["2024-01-15"], "person": ["ana"], "kind": ["cred"], "dimension": ["reputation"],
            "weight": [2.5], "source": ["cred/2024-01"], "landed": ["2024-01-15"]}
    report = Report.from_json({"contributions": people, "bot_contributions": bots,
                               "cred_as_of": {"2024-03-31": {}, "2024-01-15": cred}})
    lines = list(record_lines(report))
    assert all(line.endswith("}\n") and line.count("\n") == 1 for line in lines)
    assert [json.loads(line) for line in lines] == [
        {"date": "2024-01-05", "person": "zoë", "kind": "commit", "dimension": "objective_accomplishment",
         "weight": 1.0, "source": 'a"b\\c\u2028', "landed": "2024-01-09"},
        {"date": "2024-01-31", "person": "ana", "kind": "cred", "dimension": "reputation", "weight": 0.123457,
         "source": "cred/2024-01", "landed": "2024-01-31"},
        {"date": "2024-01-06", "person": "renovate-bot", "kind": "commit", "dimension": "objective_accomplishment",
         "weight": 1.0, "source": "f" * 40, "landed": "2024-01-06", "bot": True},
        {"date": "2024-01-15", "person": "ana", "kind": "cred", "dimension": "reputation", "weight": 2.5,
         "source": "cred/2024-01", "landed": "2024-01-15", "as_of": "2024-01-15"},
    ]
    assert lines == [json.dumps(json.loads(line), ensure_ascii=False) + "\n" for line in lines]
    back = read_records(lines)  # and read back as the columns they came from
    assert back["contributions"] == people and back["cred_as_of"] == {"2024-01-15": cred}
    assert back["bot_contributions"] == {**bots, "landed": bots["date"]}
