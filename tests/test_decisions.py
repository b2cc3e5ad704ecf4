"""Decisions (`decisions/<slug>.md`): their pages, their records in community building (landed as
every data record), their open-data table, the advice on them, and `diff`. Real repositories,
real builds; every figure worked out by hand from the fixture."""

from __future__ import annotations

import json
import re
from datetime import date

from communities import write_files
from generator.build import build
from generator.cli import parser as cli_parser
from generator.load.loader import load_community
from generator.people import pseudonym
from generator.valuation import value_report
from generator.views.advice import advise_model
from gitrepo import commit_all

BEN = pseudonym("ben", "Seed Library")

DECISIONS = {
    # Ana proposes; Ben (pseudonymous) and Cy (hidden) take part; Ana lists herself as a participant too
    "decisions/open-assembly.md": """\
        ---
        title: Decide at an open monthly assembly
        date: 2024-03-02
        status: accepted
        proposed_by: ana
        participants: [ana, ben, cy]
        outcome: Accepted by consent.
        ---
        We meet on the *first* Saturday.
        """,
    # two proposers share the weight; superseded by the next one
    "decisions/seed-fees.md": """\
        ---
        title: Charge a small fee per packet
        date: 2024-04-06
        status: superseded
        proposed_by: [ana, ben]
        outcome: Accepted for one season.
        superseded_by: free-seeds
        ---
        One euro a packet.
        """,
    "decisions/free-seeds.md": """\
        ---
        title: Lend seeds for free again
        date: 2024-05-04
        status: accepted
        proposed_by: ben
        participants: [ana]
        outcome: The fee is dropped.
        ---
        Fees kept people away.
        """,
    "decisions/new-shelf.md": """\
        ---
        title: Buy a new shelf
        date: 2024-06-01
        status: proposed
        proposed_by: cy
        ---
        The old one is full.
        """,
}


def records(report: dict, kind: str) -> list[tuple]:
    c = report["contributions"]
    return sorted((p, d, w, l, s) for p, d, w, l, k, s in zip(c["person"], c["date"], c["weight"], c["landed"],
                                                              c["kind"], c["source"]) if k == kind)


def test_decision_records_split_the_weight_among_proposers_and_give_each_participant_a_third(community):
    root = community(DECISIONS)
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    report = value_report(root, load_community(root)).to_json()
    found = [(p, d, w, s) for p, d, w, _l, s in records(report, "decision")]
    assert found == [
        ("ana", "2024-03-02", 1.0, "decisions/open-assembly.md:6"),  # a participant too: both records
        ("ana", "2024-03-02", 3.0, "decisions/open-assembly.md:5"),
        ("ana", "2024-04-06", 1.5, "decisions/seed-fees.md:5"),
        ("ana", "2024-05-04", 1.0, "decisions/free-seeds.md:6"),
        ("ben", "2024-03-02", 1.0, "decisions/open-assembly.md:6"),
        ("ben", "2024-04-06", 1.5, "decisions/seed-fees.md:5"),
        ("ben", "2024-05-04", 3.0, "decisions/free-seeds.md:5"),
        ("cy", "2024-03-02", 1.0, "decisions/open-assembly.md:6"),
        ("cy", "2024-06-01", 3.0, "decisions/new-shelf.md:5"),
    ]
    building = report["dimensions"]["community_building"]
    assert building["decisions"] == 4 and building["decision_participants"] == 3
    # a decision is something a person did: Cy (hidden, no commit) proposing the shelf is active in June
    monthly = report["monthly"]
    june = monthly["months"].index("2024-06")
    assert monthly["community_building"]["active_contributors"][june] == 2  # Ana's commit, Cy's proposal
    assert monthly["community_building"]["decisions"][june] == 1


def test_a_decision_committed_late_lands_when_it_is_committed(community):
    root = community()
    commit_all(root, "Start", date="2024-02-01T12:00:00+00:00")
    write_files(root, {"decisions/open-assembly.md": DECISIONS["decisions/open-assembly.md"]})
    commit_all(root, "Record the March decision", date="2024-07-15T12:00:00+00:00")
    report = value_report(root, load_community(root)).to_json()
    assert {(p, d, l) for p, d, _w, l, _s in records(report, "decision")} == {
        ("ana", "2024-03-02", "2024-07-15"), ("ben", "2024-03-02", "2024-07-15"), ("cy", "2024-03-02", "2024-07-15")}


def test_decision_pages_show_people_as_the_site_does(community, tmp_path):
    root = community(DECISIONS)
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    out = build(root, tmp_path / "site", incremental=False, search=False).out_dir
    index = (out / "decisions" / "index.html").read_text()
    titles = list(dict.fromkeys(re.findall(r"<a href=\"\.\./decisions/([a-z-]+)/\">", index)))
    assert titles == ["new-shelf", "free-seeds", "seed-fees", "open-assembly"]  # newest first
    assert '<span class="status status-superseded">Superseded</span>' in index
    assert "Accepted by consent." in index and "superseded by" in index
    page = (out / "decisions" / "open-assembly" / "index.html").read_text()
    assert "We meet on the <em>first</em> Saturday." in page  # the proposal, rendered as Markdown
    assert ">Ana Lopez</a>" in page and BEN in page
    assert "Cy Hidden" not in page and "Ben Okafor" not in page and 'href="../../members/ben/"' not in page
    assert "3 people" in page  # the hidden participant is counted
    shelf = (out / "decisions" / "new-shelf" / "index.html").read_text()
    assert "Cy Hidden" not in shelf and "Proposed by" not in shelf  # a hidden proposer is not named
    fees = (out / "decisions" / "seed-fees" / "index.html").read_text()
    assert 'href="../../decisions/free-seeds/"' in fees
    home = (out / "index.html").read_text()
    assert 'href="decisions/"' in home  # the menu links to the decisions
    assert '<a href="decisions/new-shelf/#decision">Decision: Buy a new shelf</a>' in home  # recent activity
    assert "Decision: Lend seeds for free again" in (out / "feed.xml").read_text()


def test_a_community_without_decisions_has_no_decisions_page(community, tmp_path):
    root = community()
    commit_all(root, "Start")
    out = build(root, tmp_path / "site", incremental=False, search=False).out_dir
    assert not (out / "decisions").exists()
    assert 'href="decisions/"' not in (out / "index.html").read_text()


def test_the_decisions_table_names_people_as_the_pages_do(community, tmp_path):
    root = community(DECISIONS)
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    data = build(root, tmp_path / "site", incremental=False, search=False).out_dir / "data"
    assert (data / "decisions.csv").read_text().splitlines() == [
        "slug,date,title,status,outcome,proposed_by,participants,people,not_listed,superseded_by",
        f"open-assembly,2024-03-02,Decide at an open monthly assembly,accepted,Accepted by consent.,Ana Lopez,{BEN},3,1,",
        f"seed-fees,2024-04-06,Charge a small fee per packet,superseded,Accepted for one season.,Ana Lopez; {BEN},,2,0,"
        "free-seeds",
        f"free-seeds,2024-05-04,Lend seeds for free again,accepted,The fee is dropped.,{BEN},Ana Lopez,2,0,",
        "new-shelf,2024-06-01,Buy a new shelf,proposed,,,,1,1,",
    ]
    package = json.loads((data / "datapackage.json").read_text())
    assert "decisions" in {r["name"] for r in package["resources"]}
    published = (data / "decisions.csv").read_text() + (data / "decisions.json").read_text()
    assert "Cy Hidden" not in published and "Ben Okafor" not in published


def advice_of(root, as_of: date) -> dict:
    model = load_community(root)
    return {f["rule"]: f for f in advise_model(model, value_report(root, model), as_of)["findings"]}


def test_advice_on_decisions(community):
    # recorded, but the last one is older than 12 months
    root = community({"decisions/open-assembly.md": DECISIONS["decisions/open-assembly.md"]})
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    found = advice_of(root, date(2025, 6, 1))
    assert found["no_recent_decision"]["kind"] == "risk"
    assert found["no_recent_decision"]["url"].startswith("https://github.com/seeds/library/new/main/decisions")
    assert advice_of(root, date(2024, 7, 1))["no_recent_decision"]["kind"] == "strength"
    # a community that records no decisions is not told it took none (the governance rule speaks)
    bare = community(name="bare")
    commit_all(bare, "Start")
    assert "no_recent_decision" not in advice_of(bare, date(2025, 6, 1))
    # two decisions taken, each by one person alone: a risk; with participants, none
    lone = community({
        "decisions/a.md": "---\ntitle: A\ndate: 2024-03-01\nstatus: accepted\nproposed_by: ana\n---\nA.\n",
        "decisions/b.md": "---\ntitle: B\ndate: 2024-04-01\nstatus: rejected\nproposed_by: ben\n---\nB.\n",
        "decisions/c.md": "---\ntitle: C\ndate: 2024-05-01\nstatus: proposed\nproposed_by: ana\n---\nC.\n",
    }, name="lone")
    commit_all(lone, "Start", date="2024-06-10T12:00:00+00:00")
    found = advice_of(lone, date(2024, 7, 1))
    assert found["lone_decisions"]["kind"] == "risk" and found["lone_decisions"]["value"] == 1.0
    assert "lone_decisions" not in advice_of(root, date(2024, 7, 1))


def test_diff_names_a_decision_added_and_its_status_changed(community, capsys):
    root = community({"decisions/seed-fees.md": DECISIONS["decisions/seed-fees.md"].replace(
        "status: superseded", "status: accepted").replace("        superseded_by: free-seeds\n", "")})
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    write_files(root, {"decisions/seed-fees.md": DECISIONS["decisions/seed-fees.md"],
                      "decisions/free-seeds.md": DECISIONS["decisions/free-seeds.md"]})
    args = cli_parser().parse_args(["diff", str(root), "--base", "main"])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "| decisions | 1 | 2 | +1 |" in out
    assert "Decisions added: Lend seeds for free again (accepted, 2024-05-04)" in out
    assert "Decisions changed: Charge a small fee per packet (accepted → superseded)" in out
    assert re.search(r"\| community building \| `decisions` \| 1 \| 2 \|", out)
