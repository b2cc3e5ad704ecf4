"""Indicators from the community's data files, and identities merged through members' files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from generator.i18n import english
from generator.views.value_text import report_text
from value.inputs import (
    CommunityData,
    EventInput,
    GoalInput,
    KudosInput,
    LedgerInput,
    MemberInput,
    ProjectInput,
    UsageInput,
)
from value.report import build_report
from value.report_types import Report
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
    members=(MemberInput("ana", "Ana María", ("ana@work.example", "ana@home.example"), affiliation="Coop"),
             MemberInput("alex", "Alex Member", ("member@else.example",))),
    events=(EventInput("meetup", date(2024, 2, 10), organisers=("ana",), participants=("ana", "zoe"), guests=3),),
    ledger=(
        LedgerInput(date(2024, 1, 1), Decimal("100.00"), "EUR", "donation", payer="acme"),
        LedgerInput(date(2024, 1, 2), Decimal("50.50"), "EUR", "grant", payer="fund"),
        LedgerInput(date(2024, 2, 1), Decimal("20.00"), "EUR", "reward", payee="ana"),
        LedgerInput(date(2024, 2, 2), Decimal("30.00"), "EUR", "expense", payee="hosting"),
        LedgerInput(date(2024, 2, 3), Decimal("5"), "USD", "donation", payer="acme"),
    ),
    usage=(
        UsageInput(date(2024, 1, 1), "downloads", count=10),
        UsageInput(date(2024, 2, 1), "downloads", count=5),
        UsageInput(date(2024, 1, 1), "users", count=100, project="p"),
        UsageInput(date(2024, 2, 1), "users", count=120, project="p"),
        UsageInput(date(2024, 2, 5), "testimonial", quote="It helps."),
    ),
    kudos=(KudosInput("zoe", "ana", date(2024, 2, 11), "the meetup"),),
    projects=(ProjectInput("p", "P", "active", goals=(GoalInput("g1", True, date(2024, 2, 1)), GoalInput("g2", False, None))),
              ProjectInput("q", "Q", "completed")),
    bots=("ci@example.org",),
    peers=2,
)


def test_identities_and_data_indicators(community, tmp_path):
    report = build_report(community.path, data=DATA, cache_dir=tmp_path / "c").to_json()
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
    # community building records: ana 5 (event_organised), zoe 1 (event_attended); was 2 and 1
    # before the records (organising counted double an attendance)
    assert people["ana"]["scores"]["community_building"] == pytest.approx(5 / 6, abs=1e-6)
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
    assert "Largest value:" in report_text(Report.from_json(report), english())
    rows = distribute(Report.from_json(report), budget=Decimal("100.00"), currency="EUR")
    assert sum(r["amount"] for r in rows) == Decimal("100.00")


def test_weights(community, tmp_path):
    data = CommunityData(weights={"objective_accomplishment": 1, "community_building": 0, "monetary_value": 0,
                                  "social_use_value": 0, "reputation": 0})
    report = build_report(community.path, data=data, cache_dir=tmp_path / "c").to_json()
    for c in report["contributors"]:
        assert c["value"] == c["scores"]["objective_accomplishment"]
    from value.errors import BadWeights

    with pytest.raises(BadWeights, match="unknown"):
        build_report(community.path, data=CommunityData(weights={"fun": 1}), use_cache=False).to_json()


MIXED = CommunityData(  # dates as date objects, datetimes and strings, some missing; March is empty
    events=(EventInput("e1", date(2024, 2, 10), organisers=("ana",), participants=("zoe",), guests=1),
            EventInput("e2", "2024-01-20", organisers=("zoe",), participants=("ana", "bo"), guests=0),
            EventInput("e3", None, organisers=("bo",), participants=(), guests=4),
            EventInput("e4", "2024-02-28T23:30:00+00:00", organisers=(), participants=("bo",), guests=2),
            EventInput("e5", None, organisers=("ana",), participants=("zoe",), guests=0),
            EventInput("e6", datetime(2024, 4, 1, 9), organisers=("ana",), participants=(), guests=0)),
    ledger=(LedgerInput("2024-01-03", Decimal("10"), "EUR", "donation", payer="x"),
            LedgerInput(date(2024, 4, 2), Decimal("2.50"), "EUR", "donation", payer="y"),
            LedgerInput(date(2024, 1, 30), Decimal("1"), "EUR", "expense", payee="z")),
    usage=(UsageInput("2024-02-01", "downloads", count=3),
           UsageInput(date(2024, 2, 20), "downloads", count=4),
           UsageInput(None, "downloads", count=100),
           UsageInput(date(2024, 4, 5), "testimonial", count=None, quote="Good.")),
    kudos=(KudosInput("zoe", "ana", "2024-02-11"), KudosInput("ana", "zoe", date(2024, 2, 12)),
           KudosInput("bo", "ana", None), KudosInput("zoe", "bo", date(2024, 1, 9))),
    projects=(ProjectInput("p", "P", "active",
                           goals=(GoalInput("g1", True, "2024-02-03"),
                                  GoalInput("g2", True, date(2024, 4, 9)),
                                  GoalInput("g3", True, None),
                                  GoalInput("g4", False, date(2024, 2, 5)),
                                  GoalInput("g5", True, date(2024, 2, 25)))),),
)


def test_monthly_figures_through_the_month_index_equal_a_direct_filter(community):
    from value.context import Context, month_of
    from value.history import read_history
    from value.indicators import indicators
    from value.report import clean

    def direct(items, month, key="date"):  # every date read again for each month
        return list(items) if month is None else [i for i in items if month_of(getattr(i, key)) == month]

    class DirectContext(Context):
        def dated_in(self, items, month, key="date"):
            return direct(items, month, key)

    history = read_history(community.path, use_cache=False)
    ctx, plain = Context(history, MIXED), DirectContext(history, MIXED)
    assert ctx.months == ["2024-01", "2024-02", "2024-03", "2024-04"]
    goals = MIXED.projects[0].goals
    for month in [None, *ctx.months, "2023-12"]:
        for items in (MIXED.events, MIXED.ledger, MIXED.usage, MIXED.kudos):
            assert ctx.dated_in(items, month) == direct(items, month)  # same items, same order
        assert ctx.dated_in(goals, month, "done_at") == direct(goals, month, "done_at")
    assert [e.id for e in ctx.dated_in(MIXED.events, "2024-02")] == ["e1", "e4"]
    for ind in indicators("community"):
        if ind.monthly:
            assert [clean(ind.func(ctx, m)) for m in ctx.months] == [clean(ind.func(plain, m)) for m in ctx.months], ind.key
    expected_goals = [sum(1 for g in direct(goals, m, "done_at") if g.done) for m in ctx.months]
    assert expected_goals == [0, 2, 0, 1]
    assert [indicator_value(ctx, "goals_done", m) for m in ctx.months] == expected_goals
    assert [indicator_value(ctx, "events", m) for m in ctx.months] == [1, 2, 0, 1]


def indicator_value(ctx, key, month):
    from value.indicators import indicators

    (ind,) = [i for i in indicators("community") if i.key == key]
    return ind.func(ctx, month)
