"""Sustainability advice: each rule is triggered by a small community made here, and left quiet
by another; the same findings reach the page, the open data, `check --advice` and `diff`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.errors import DataError
from generator.load.loader import load_community
from generator.valuation import value_report
from generator.views.advice import advise_model
from gitrepo import ANA, commit_all, git
from value.advice import RULES

AS_OF = date(2024, 12, 15)
LICENSE = {"LICENSE": "CC-BY-SA-4.0\n"}


def person(n: int) -> tuple[str, str]:
    return (f"Person {n}", f"p{n}@example.org")


def grow(root: Path, commits) -> None:
    """One commit per (author, ISO date), each touching its own file."""
    for i, (author, when) in enumerate(commits):
        (root / "work").mkdir(exist_ok=True)
        (root / "work" / f"{i}.txt").write_text(f"{i}\n", encoding="utf-8")
        commit_all(root, f"work {i}", author=author, date=f"{when}T12:00:00+00:00")


@pytest.fixture
def advice(community):
    """advice(files, commits, as_of) -> {rule: finding} of a community made with those files and
    commits (after a first commit of the files by Ana on 2024-01-10)."""

    def make(files=None, commits=(), as_of=AS_OF, name="community"):
        root = community(files or {}, name=name)
        commit_all(root, "Start", date="2024-01-10T12:00:00+00:00")
        grow(root, commits)
        model = load_community(root)
        found = advise_model(model, value_report(root, model), as_of)
        return {f["rule"]: f for f in found["findings"]}

    return make


def kind(found: dict, rule: str) -> str | None:
    return found[rule]["kind"] if rule in found else None


def test_every_rule_is_in_the_config_schema_with_its_default():
    schema = json.loads((Path(__file__).parent.parent / "schemas/commonplace.schema.json").read_text(encoding="utf-8"))
    block = schema["properties"]["advice"]["properties"]
    assert sorted(block) == sorted(r.key for r in RULES)
    for r in RULES:
        assert block[r.key]["properties"].get("threshold", {}).get("default") == r.threshold, r.key


def test_bus_factor_of_one_is_a_risk_and_six_equal_people_a_strength(advice):
    alone = advice(commits=[(ANA, "2024-02-01")] * 3)
    assert alone["bus_factor"]["kind"] == "risk" and alone["bus_factor"]["value"] == 1
    many = advice(commits=[(person(n), "2024-02-01") for n in range(6) for _ in range(2)], name="many")
    # Ana's first commit and six people with two each: three people hold half
    assert many["bus_factor"]["kind"] == "strength" and many["bus_factor"]["value"] >= 3


def test_elephant_factor_of_one_is_a_risk_only_when_affiliations_are_known(advice):
    assert kind(advice(), "elephant_factor") == "risk"  # Ana, of Barrio Garden, made every commit
    no_affiliation = advice({"members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org]\n"}, name="b")
    assert "elephant_factor" not in no_affiliation


LEDGER_ONE_FUNDER = """\
    currency: EUR
    entries:
      - {date: 2024-02-01, amount: "9000.00", kind: grant, from: City Council}
      - {date: 2024-03-01, amount: "1000.00", kind: donation, from: Neighbour}
      - {date: 2024-06-01, amount: "6000.00", kind: expense, to: Print shop}
      - {date: 2024-07-01, amount: "1000.00", kind: expense, to: Print shop}
    """
LEDGER_SPREAD = """\
    currency: EUR
    entries:
      - {date: 2024-02-01, amount: "300.00", kind: donation, from: Neighbour A}
      - {date: 2024-03-01, amount: "300.00", kind: donation, from: Neighbour B}
      - {date: 2024-04-01, amount: "400.00", kind: grant, from: City Council}
      - {date: 2024-06-01, amount: "100.00", kind: reward, to: ana}
    """


def test_money_rules(advice):
    risky = advice({"ledger/2024.yaml": LEDGER_ONE_FUNDER})
    assert risky["single_funder"]["kind"] == "risk" and risky["single_funder"]["value"] == 0.9
    # balance 3000 at 7000 a year: 3000 / (7000 / 12) = 5.1 months
    assert risky["runway"]["kind"] == "risk" and risky["runway"]["value"] == 5.1
    assert risky["returned_to_contributors"]["kind"] == "risk"  # the print shop is not a contributor
    assert "no_income" not in risky

    sound = advice({"ledger/2024.yaml": LEDGER_SPREAD}, name="sound")
    assert kind(sound, "single_funder") == "strength"  # 40% at most
    assert kind(sound, "runway") == "strength"  # 900 at 100 a year
    assert kind(sound, "returned_to_contributors") == "strength"

    assert kind(advice(name="none"), "no_income") == "risk"  # no ledger at all
    # the last income is of April 2024: within 12 calendar months in March 2025, not in May
    assert "no_income" not in advice({"ledger/2024.yaml": LEDGER_SPREAD}, as_of=date(2025, 3, 1), name="l1")
    assert kind(advice({"ledger/2024.yaml": LEDGER_SPREAD}, as_of=date(2025, 5, 1), name="l2"), "no_income") == "risk"


def test_newcomers_who_never_come_back(advice):
    once = advice(commits=[(person(n), f"2024-0{n + 2}-05") for n in range(4)])
    # seven newcomers in 2024: Ana came back (she organised April's swap), Ben and Cy came to the
    # swap only, the four people committed once
    assert once["newcomer_retention"]["kind"] == "risk" and once["newcomer_retention"]["value"] == round(1 / 7, 6)
    back = advice(commits=[(person(n), m) for n in range(4) for m in ("2024-03-05", "2024-05-05")], name="back")
    assert back["newcomer_retention"]["kind"] == "strength"
    few = advice({"events/swap-2024.md": None}, commits=[(person(0), "2024-03-05")], name="few")
    assert "newcomer_retention" not in few  # Ana and one newcomer: too few to say


def test_a_core_that_shrinks(advice):
    year_one = [(person(n), "2023-03-01") for n in range(3) for _ in range(3)]
    shrank = advice(commits=year_one + [(person(0), "2024-06-01")] * 9, as_of=date(2024, 12, 1))
    assert shrank["shrinking_core"]["kind"] == "risk"
    assert shrank["shrinking_core"]["args"]["before"] > shrank["shrinking_core"]["args"]["after"]
    kept = advice(commits=year_one + [(person(n), "2024-06-01") for n in range(3) for _ in range(3)],
                  as_of=date(2024, 12, 1), name="kept")
    assert "shrinking_core" not in kept


def test_months_without_activity(advice):
    # the last thing anyone did: a goal done on 1 May 2024 (after a commit in January, a swap in April)
    quiet = advice(as_of=date(2024, 10, 1))
    assert quiet["inactivity"]["kind"] == "risk" and quiet["inactivity"]["value"] == 5
    assert "inactivity" not in advice(as_of=date(2024, 7, 20), name="busy")


def test_missing_files_and_pages(advice):
    bare = advice({"community.yaml": None, **{"community.yaml": """\
        name: Seed Library
        mission: We keep seeds.
        license: CC-BY-SA-4.0
        areas: [urban-commons]
        """}})
    assert {r: bare[r]["kind"] for r in ("licence", "governance", "code_of_conduct", "contribution_guide")} == \
        dict.fromkeys(("licence", "governance", "code_of_conduct", "contribution_guide"), "risk")
    full = advice({**LICENSE, ".github/CODE_OF_CONDUCT.md": "Be kind.\n",
                   "pages/join.md": "---\ntitle: Join\n---\nCome along.\n"}, name="full")
    assert {r: full[r]["kind"] for r in ("licence", "governance", "code_of_conduct", "contribution_guide")} == \
        dict.fromkeys(("licence", "governance", "code_of_conduct", "contribution_guide"), "strength")
    assert full["contribution_guide"]["file"] == "pages/join.md"
    assert bare["licence"]["url"].startswith("https://github.com/seeds/library/new/main/?filename=LICENSE")


def test_events_goals_and_kudos(advice):
    old = advice(as_of=date(2025, 6, 1))  # the one event is of April 2024
    assert old["no_recent_event"]["kind"] == "risk"
    assert advice(name="recent")["no_recent_event"]["kind"] == "strength"

    late_project = """\
        ---
        title: Seed catalogue
        status: active
        due: 2024-06-30
        leads: [ana]
        goals:
          - title: Photograph them
        ---
        Late.
        """
    late = advice({"projects/catalogue.md": late_project}, name="late")
    assert late["overdue_goals"]["kind"] == "risk" and late["overdue_goals"]["file"] == "projects/catalogue.md"
    assert late["overdue_goals"]["url"] == "https://github.com/seeds/library/edit/main/projects/catalogue.md"
    assert "overdue_goals" not in advice(name="on-time")  # no due date

    kudos = "kudos:\n" + "".join(f"  - {{from: ben, to: ana, date: 2024-0{m}-01, for: help}}\n" for m in range(1, 6))
    ben = ("Ben Okafor", "ben@example.net")
    unseen = advice({"kudos/2024.yaml": kudos}, commits=[(ben, "2024-05-01")], name="unseen")
    # Ana has five kudos; Ben (a commit, the swap) and Cy (the swap) none
    assert unseen["unrecognised"]["kind"] == "risk" and unseen["unrecognised"]["value"] == 2
    fewer = "kudos:\n  - {from: ben, to: ana, date: 2024-01-01, for: help}\n"
    assert "unrecognised" not in advice({"kudos/2024.yaml": fewer}, commits=[(ben, "2024-05-01")], name="fewer")


def test_micro_sustainability(advice):
    heavy = [(person(n), "2024-06-01") for n in range(3) for _ in range(20)] + [(person(n), "2024-06-01") for n in range(3, 7)]
    assert advice(commits=heavy)["core_load"]["kind"] == "risk"
    even = [(person(n), "2024-06-01") for n in range(7) for _ in range(3)]
    assert "core_load" not in advice(commits=even, name="even")

    paid_to_others = """\
        currency: EUR
        entries:
          - {date: 2024-02-01, amount: "500.00", kind: donation, from: Neighbour}
          - {date: 2024-06-01, amount: "50.00", kind: reward, to: ben}
        """
    ben = ("Ben Okafor", "ben@example.net")
    missed = advice({"ledger/2024.yaml": paid_to_others}, commits=[(ANA, "2024-03-01")] * 5 + [(ben, "2024-03-01")], name="missed")
    # the three members with most value: Ana, Ben, Cy; only Ben was paid
    assert missed["rewards_reach"]["kind"] == "risk" and (missed["rewards_reach"]["value"], missed["rewards_reach"]["args"]) == (1, {"top": 3})


def test_thresholds_and_switches_come_from_the_config(advice, community):
    config = "title: Seed Library\nforge: {kind: github, repo: seeds/library}\nadvice:\n  bus_factor: {threshold: 0}\n" \
             "  licence: {enabled: false}\n"
    found = advice({"commonplace.yaml": config})
    assert found["bus_factor"]["kind"] == "strength" and found["bus_factor"]["threshold"] == 0
    assert "licence" not in found
    typo = community({"commonplace.yaml": "title: Seed Library\nadvice:\n  bus_facter: {threshold: 1}\n"}, name="typo")
    with pytest.raises(DataError) as err:
        load_community(typo)
    assert "did you mean 'bus_factor'" in str(err.value.findings)


def test_the_page_the_open_data_and_the_directory_count(community, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734264000")  # 2024-12-15
    root = community()
    commit_all(root)
    out = tmp_path / "site"
    build(root, out)
    page = (out / "sustainability/index.html").read_text(encoding="utf-8")
    assert "There is no licence file." in page
    assert 'href="https://github.com/seeds/library/new/main/?filename=LICENSE' in page
    assert 'href="../value/community-building/#absence-factor-12m"' in page  # the figure, where it is shown
    assert "arxiv.org/abs/1604.06766" in page and "(ICPC, 2016)" in page  # the threshold's source: a paper, its year
    assert "<code>bus_factor</code>" in page  # the methodology lists every rule
    assert 'href="sustainability/"' in (out / "index.html").read_text(encoding="utf-8")
    assert 'href="../sustainability/"' in (out / "value/index.html").read_text(encoding="utf-8")
    data = (out / "data/advice.json").read_bytes()
    advice = json.loads(data)
    assert advice["as_of"] == "2024-12-15" and "licence" in {f["rule"] for f in advice["findings"]}
    assert "ana@example.org" not in data.decode() and "Ben" not in data.decode()
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    assert "advice.json" in {r["path"] for r in package["resources"]}
    build(root, tmp_path / "again", incremental=False)
    assert (tmp_path / "again/data/advice.json").read_bytes() == data


def test_check_advice_prints_the_findings(community, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734264000")
    root = community()
    commit_all(root)
    assert main(["check", str(root), "--advice"]) == 0  # risks are advice, never a failure
    out = capsys.readouterr().out
    assert "Risks (" in out and "! licence: There is no licence file." in out and "create LICENSE" in out
    assert main(["check", str(root), "--advice", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema"] == "commonplace.advice/1"


def test_diff_says_which_findings_a_change_resolves(community, capsys, monkeypatch):
    root = community()
    commit_all(root)
    base = git(root, "rev-parse", "HEAD").strip()
    (root / "LICENSE").write_text("CC-BY-SA-4.0\n", encoding="utf-8")
    commit_all(root, "Add a licence")
    assert main(["diff", "--base", base, str(root)]) == 0
    out = capsys.readouterr().out
    assert "### Sustainability" in out
    assert "resolves the risk `licence`" in out and "adds the strength `licence`" in out
