"""Indicators from the community's data files, and identities merged through members' files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from value.formats import table
from value.inputs import CommunityData, Person
from value.report import build_report
from value.rewards import distribute

ANA = ("Ana", "ana@work.example")
ANA_HOME = ("ana", "Ana@Home.example")
ALEX1 = ("Alex", "alex@a.example")
ALEX2 = ("Alex", "alex@b.example")
HELPER = ("Ci Helper", "ci@example.org")


@pytest.fixture
def community(make_repo):
    r = make_repo()
    r.commit("a", ANA, "2024-01-05T10:00:00+00:00", {"docs/a.md": "1\n2\n"})
    r.commit("b", ANA_HOME, "2024-01-06T10:00:00+00:00", {"src/b.py": "1\n2\n3\n4\n"})
    r.commit("c", ALEX2, "2024-02-01T10:00:00+00:00", {"src/c.py": "1\n"})
    r.commit("d", ALEX1, "2024-02-02T10:00:00+00:00", {"src/d.py": "1\n"})
    r.commit("e", HELPER, "2024-02-03T10:00:00+00:00", {"src/e.py": "1\n"})
    return r


DATA = CommunityData(
    members=(Person("ana", "Ana María", ("ana@work.example", "ana@home.example"), affiliation="Coop"),
             Person("alex", "Alex Member", ("member@else.example",))),
    events=({"id": "meetup", "date": date(2024, 2, 10), "organisers": ["ana"], "participants": ["ana", "zoe"], "guests": 3},),
    ledger=(
        {"date": date(2024, 1, 1), "amount": Decimal("100.00"), "currency": "EUR", "kind": "donation", "from": "acme", "to": None, "project": None},
        {"date": date(2024, 1, 2), "amount": Decimal("50.50"), "currency": "EUR", "kind": "grant", "from": "fund", "to": None, "project": None},
        {"date": date(2024, 2, 1), "amount": Decimal("20.00"), "currency": "EUR", "kind": "reward", "from": None, "to": "ana", "project": None},
        {"date": date(2024, 2, 2), "amount": Decimal("30.00"), "currency": "EUR", "kind": "expense", "from": None, "to": "hosting", "project": None},
        {"date": date(2024, 2, 3), "amount": Decimal("5"), "currency": "USD", "kind": "donation", "from": "acme", "to": None, "project": None},
    ),
    usage=(
        {"date": date(2024, 1, 1), "kind": "downloads", "count": 10, "quote": None, "project": None},
        {"date": date(2024, 2, 1), "kind": "downloads", "count": 5, "quote": None, "project": None},
        {"date": date(2024, 1, 1), "kind": "users", "count": 100, "quote": None, "project": "p"},
        {"date": date(2024, 2, 1), "kind": "users", "count": 120, "quote": None, "project": "p"},
        {"date": date(2024, 2, 5), "kind": "testimonial", "count": None, "quote": "It helps.", "project": None},
    ),
    kudos=({"from": "zoe", "to": "ana", "date": date(2024, 2, 11), "for": "the meetup", "dimension": None},),
    projects=({"id": "p", "title": "P", "status": "active",
               "goals": [{"title": "g1", "done": True, "done_at": date(2024, 2, 1)}, {"title": "g2", "done": False, "done_at": None}]},
              {"id": "q", "title": "Q", "status": "completed", "goals": []}),
    bots=("ci@example.org",),
    peers=2,
)


def test_identities_and_data_indicators(community, tmp_path):
    report = build_report(community.path, data=DATA, cache_dir=tmp_path / "c")
    people = {c["id"]: c for c in report["contributors"]}
    # the member merges both of Ana's addresses (case-insensitively); the two Alexes collide
    # with a member handle and each other: suffixes in e-mail order
    assert sorted(people) == ["alex-2", "alex-3", "ana", "zoe"]
    assert people["ana"]["emails"] == ["ana@home.example", "ana@work.example"]
    assert (people["ana"]["commits"], people["ana"]["lines_added"]) == (2, 6)
    assert people["alex-2"]["emails"] == ["alex@a.example"] and people["alex-3"]["emails"] == ["alex@b.example"]
    assert [b["id"] for b in report["bots"]] == ["ci-helper"]
    assert people["ana"]["events_organised"] == 1 and people["zoe"]["events_attended"] == 1
    assert people["ana"]["kudos_received"] == 1 and people["zoe"]["kudos_given"] == 1
    assert people["ana"]["rewards_received"] == {"EUR": "20.00"}
    assert people["ana"]["documentation_lines"] == 2
    # community building signal: ana 2 (organised), zoe 1 (attended)
    assert people["ana"]["scores"]["community_building"] == pytest.approx(2 / 3, abs=1e-6)
    dims = report["dimensions"]
    cb, mv, su, rep = dims["community_building"], dims["monetary_value"], dims["social_use_value"], dims["reputation"]
    assert (cb["events"], cb["event_participants"], cb["members"]) == (1, 5, 2)
    assert cb["elephant_factor"] == 1 and cb["unaffiliated_share"] == 0.5
    assert mv["income"] == {"EUR": "150.50", "USD": "5"}
    assert mv["expenses"] == {"EUR": "50.00"}
    assert mv["balance"] == {"EUR": "100.50", "USD": "5"}
    assert mv["donors"] == 1
    assert mv["returned_to_contributors"] == {"EUR": 0.4}
    assert (su["downloads"], su["users"], su["testimonials"], su["forks_and_peers"]) == (15, 120, 1, 2)
    assert rep["kudos"] == 1
    oa = dims["objective_accomplishment"]
    assert (oa["goals_done"], oa["goals_total"], oa["projects_completed"]) == (1, 2, 1)
    assert oa["goals"] == {"p": {"done": 1, "total": 2}, "q": {"done": 0, "total": 0}}
    assert report["monthly"]["monetary_value"]["income"] == [{"EUR": "150.50"}, {"USD": "5"}]
    assert report["monthly"]["objective_accomplishment"]["goals_done"] == [0, 1]
    assert abs(sum(c["value"] for c in report["contributors"]) - 1) < 1e-5
    assert "Top by value" in table(report)
    rows = distribute(report, budget=Decimal("100.00"), currency="EUR")
    assert sum(r["amount"] for r in rows) == Decimal("100.00")


def test_weights(community, tmp_path):
    data = CommunityData(weights={"objective_accomplishment": 1, "community_building": 0, "monetary_value": 0,
                                  "social_use_value": 0, "reputation": 0})
    report = build_report(community.path, data=data, cache_dir=tmp_path / "c")
    for c in report["contributors"]:
        assert c["value"] == c["scores"]["objective_accomplishment"]
    from value.errors import BadWeights

    with pytest.raises(BadWeights, match="unknown"):
        build_report(community.path, data=CommunityData(weights={"fun": 1}), use_cache=False)
