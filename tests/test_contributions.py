"""Contribution records from a community's files, end to end: loaded, validated, handed to the
engine with their `path:line`, and scored. (The records of each kind and the scores are tested
on the engine alone in tests/value/test_records.py; located errors in
fixtures/hostile/community.txt.)"""

from __future__ import annotations

from decimal import Decimal

from generator.load.loader import load_community
from generator.valuation import value_report
from value.contributions import Record, from_report
from value.report_types import Report

from gitrepo import commit_all

FILES = {
    "commonplace.yaml": """\
        title: Seed Library
        value:
          kinds:
            care: {weight: 1, dimension: community_building}
            mentoring: 3
        """,
    "contributions/2024.yaml": """\
        records:
          - date: 2024-03-02
            who: ana
            kind: care
            hours: 1.5
            description: Looked after the children at the swap
          - date: 2024-03-09
            who: ben
            kind: mentoring
            description: Showed a newcomer how seeds are catalogued
        """,
    "ledger/2024.yaml": """\
        currency: EUR
        entries:
          - date: 2024-01-05
            amount: "300.00"
            kind: grant
            from: Seed Fund
            by: ben
        """,
}


def test_contributions_files_reach_the_engine_with_their_sources(community):
    root = community(FILES)
    model = load_community(root)
    care, mentoring = model.contributions
    assert (care.who, care.kind, care.hours, care.source, care.line) == ("ana", "care", Decimal("1.5"),
                                                                        "contributions/2024.yaml", 2)
    assert model.ledger[0].by == "ben"
    assert model.config.kinds["mentoring"] == 3
    commit_all(root, "Seed library", date="2024-02-01T10:00:00+00:00")
    report = value_report(root, model).to_json()
    records = {(r["kind"], r["person"]): r for r in map(Record.as_dict, from_report(Report.from_json(report))) if r["kind"] != "cred"}
    assert records[("care", "ana")] == {"date": "2024-03-02", "person": "ana", "kind": "care",
                                             "dimension": "community_building", "weight": 1.5,
                                             "source": "contributions/2024.yaml:2",
                                             "landed": "2024-02-01"}  # recorded ahead: counts on its date
    assert (records[("mentoring", "ben")]["weight"], records[("mentoring", "ben")]["source"]) == (
        3.0, "contributions/2024.yaml:7")
    assert records[("income_raised", "ben")]["source"] == "ledger/2024.yaml:3"
    # MINIMAL's event (organised by Ana, Ben and Cy taking part) and goal (led by Ana), at their lines
    assert records[("event_organised", "ana")]["source"] == "events/swap-2024.md:5"
    assert records[("event_attended", "ben")]["source"] == "events/swap-2024.md:6"
    assert records[("goal_done", "ana")]["source"] == "projects/catalogue.md:6"
    # Ana: the care (1.5) and the event organised (5); Ben: mentoring 3 and the swap 1; Cy: 1
    people = {p["id"]: p for p in report["contributors"]}
    assert people["ana"]["scores"]["community_building"] == round(6.5 / 11.5, 6)
    assert people["ben"]["records"]["mentoring"] == {"count": 1, "weight": 3.0}
    assert report["kinds"]["care"]["dimension"] == "community_building"
