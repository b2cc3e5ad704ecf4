"""Settled reward plans (VALUE.md, "Settling a period"), on real git repositories: `rewards
--settle` appends the split computed at HEAD and leaves the rest of the file byte-identical; it
refuses, with the reason, what it may not settle; a settled plan never moves (new weights, a late
record); a tampered settlement fails `check` at its line; `diff` names a settlement change first;
a member's page tells paid, settled and planned money apart."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from communities import MINIMAL, write_files
from generator.cli import main
from gitrepo import commit_all, git

MAY = "2024-05-{day}T12:00:00+02:00"
JUNE = "2024-06-{day}T12:00:00+02:00"
BEN = ("Ben Okafor", "ben@example.net")  # pseudonymous member
CY = ("Cy Hidden", "cy@example.com")  # hidden member
DEE = ("Dee Later", "dee@example.org")
NOTE = "note: |\n  Decided at the May assembly.\n  # not a comment: the note's text\n"
PLAN = ("# May's rewards: the assembly's decision\ntitle: May\nbudget: \"90.00\"\ncurrency: EUR\n"
        "policy: immediate\nperiod: {start: 2024-05-01, end: 2024-05-31}  # both days included\n")
SETTLED = re.compile(r"settled:\n  as_of: ([0-9a-f]{40})\n  date: (\d{4}-\d\d-\d\d)\n  amounts:\n((?:    \S+: \"\d+\.\d\d\"\n)+)\Z")


@pytest.fixture
def repo(community, monkeypatch):
    """Ana (public), Ben (pseudonymous) and Cy (hidden) commit in May 2024; June's commit ends the period."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719878400")  # 2024-07-02

    def make(plan_text: str = PLAN + NOTE, overrides=None, june: bool = True):
        root = community({"rewards/may.yaml": plan_text, ".gitignore": "_site/\n.commonplace-cache/\n",
                          **(overrides or {})})
        commit_all(root, "Start", date=MAY.format(day="02"))
        for who, day, name in ((BEN, "03", "ben"), (CY, "04", "cy"), (BEN, "05", "ben2")):
            write_files(root, {f"notes/{name}.md": f"# {name}\n\n" + "a line\n" * 20})
            commit_all(root, f"Notes by {name}", author=who, date=MAY.format(day=day))
        if june:
            write_files(root, {"notes/june.md": "# June\n"})
            commit_all(root, "June", date=JUNE.format(day="02"))
        return root

    return make


def settle(root, capsys, *more) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["rewards", str(root), "--settle", "may", *more])
    out = capsys.readouterr()
    return code, out.err


def settled_amounts(text: str) -> dict[str, Decimal]:
    block = SETTLED.search(text)
    assert block, text
    return {line.split(":")[0].strip(): Decimal(line.split('"')[1]) for line in block.group(3).splitlines()}


# --------------------------------------------------------------------------- settling

def test_settle_appends_the_split_at_head_and_leaves_the_rest_byte_identical(repo, capsys):
    # no final newline and a note block scalar: both kept, the block goes after them
    root = repo(PLAN + NOTE.rstrip("\n"))
    before = (root / "rewards/may.yaml").read_bytes()
    code, err = settle(root, capsys)
    assert code == 0, err
    after = (root / "rewards/may.yaml").read_bytes()
    assert after.startswith(before + b"\n")
    tail = after[len(before) + 1:].decode()
    block = SETTLED.fullmatch(tail)
    assert block, tail
    assert block.group(1) == git(root, "rev-parse", "HEAD").strip()
    assert block.group(2) == "2024-07-02"  # SOURCE_DATE_EPOCH's day
    amounts = settled_amounts(tail)
    assert set(amounts) == {"ana", "ben", "cy"}  # by member id: the file already holds them
    assert sum(amounts.values()) == Decimal("90.00")
    assert "settled rewards/may.yaml as of" in err
    # what was written is what check reads back: no finding
    assert main(["check", str(root)]) == 0


@pytest.mark.parametrize("budget, currency, shape", [('"1000"', "JPY", r"\d+"), ('"1.000"', "BHD", r"\d+\.\d{3}")])
def test_settled_amounts_have_exactly_the_currencys_decimals(repo, capsys, budget, currency, shape):
    root = repo(PLAN.replace('"90.00"', budget).replace("EUR", currency))
    assert settle(root, capsys)[0] == 0
    text = (root / "rewards/may.yaml").read_text()
    written = re.findall(r'\n    [a-z]+: "([^"]*)"', text)
    assert len(written) == 3 and all(re.fullmatch(shape, a) for a in written), text
    assert sum(Decimal(a) for a in written) == Decimal(budget.strip('"'))


# --------------------------------------------------------------------------- refusals

def refused(root, capsys, reason: str, *more) -> None:
    before = (root / "rewards/may.yaml").read_bytes()
    code, err = settle(root, capsys, *more)
    assert code != 0 and reason in err, err
    assert "Traceback" not in err
    assert (root / "rewards/may.yaml").read_bytes() == before  # nothing written


def test_a_period_that_has_not_ended_by_heads_date_is_not_settled(repo, capsys):
    root = repo(june=False)  # HEAD committed on 2024-05-05, the period ends on 2024-05-31
    refused(root, capsys, "ends on 2024-05-31, and HEAD")


def test_a_settled_plan_is_not_settled_again(repo, capsys):
    root = repo()
    assert settle(root, capsys)[0] == 0
    commit_all(root, "Settle May", date=JUNE.format(day="03"))
    refused(root, capsys, "is settled already")


@pytest.mark.parametrize("change", ["edited", "staged", "untracked"])
def test_uncommitted_changes_are_refused(repo, capsys, change):
    root = repo()
    if change == "edited":
        (root / "notes/ben.md").write_text("# ben, edited\n")
    elif change == "staged":
        (root / "members/ana.yaml").write_text((root / "members/ana.yaml").read_text() + "pronouns: she/her\n")
        git(root, "add", "members/ana.yaml")
    else:
        write_files(root, {"contributions/2024.yaml": "contributions:\n  - {date: 2024-05-20, who: ana, kind: mentoring}\n"})
    refused(root, capsys, "uncommitted changes")


def test_ignored_files_are_not_uncommitted_changes(repo, capsys):
    root = repo()
    (root / "_site").mkdir()
    (root / "_site/index.html").write_text("built")
    assert settle(root, capsys)[0] == 0


def test_head_off_the_default_branch_is_refused_and_a_detached_tip_is_not(repo, capsys):
    root = repo()
    git(root, "switch", "-q", "-c", "feature")
    commit_all(root, "Work in progress", date=JUNE.format(day="04"), allow_empty=True)
    refused(root, capsys, "is not on main")
    git(root, "switch", "-q", "--detach", "main")
    assert settle(root, capsys)[0] == 0


@pytest.mark.parametrize("option", [["--budget", "10.00"], ["--currency", "EUR"], ["--policy", "recent"]])
def test_what_the_plan_gives_cannot_be_given_with_settle(repo, capsys, option):
    root = repo()
    code, err = settle(root, capsys, *option)
    assert code == 2 and f"{option[0]} cannot be given with --settle" in err
    assert "settled:" not in (root / "rewards/may.yaml").read_text()


def test_settle_has_help(capsys):
    with pytest.raises(SystemExit):
        main(["rewards", "--help"])
    assert "--settle PLAN" in capsys.readouterr().out


# --------------------------------------------------------------------------- a settled plan never moves

def main_part(html: str) -> str:
    """The page's <main>: the footer says which commit was built, which changes by design."""
    return html[html.index("<main"):html.index("</main>")]


def published(root, out, capsys) -> tuple[str, str, str]:
    """(plan page's main, plan CSV, `rewards --plan` output) of a fresh build."""
    assert main(["build", str(root), "-o", str(out), "--clean"]) == 0
    capsys.readouterr()
    assert main(["rewards", str(root), "--plan", "may", "--format", "csv"]) == 0
    shown = capsys.readouterr().out
    return (main_part((out / "rewards/may/index.html").read_text()), (out / "rewards/may/may.csv").read_text(), shown)


def settled_community(repo, capsys, plan_text=PLAN):
    root = repo(plan_text)
    assert settle(root, capsys)[0] == 0
    commit_all(root, "Settle May", date=JUNE.format(day="03"))
    return root


def test_new_weights_change_an_unsettled_plan_and_leave_a_settled_one_byte_identical(repo, capsys, tmp_path):
    root = settled_community(repo, capsys)
    write_files(root, {"rewards/open.yaml": PLAN.replace("title: May", "title: Open")})
    commit_all(root, "An open plan over the same period", date=JUNE.format(day="04"))
    before = published(root, tmp_path / "before", capsys)
    open_before = (tmp_path / "before/rewards/open/open.csv").read_text()
    config = (root / "commonplace.yaml").read_text()
    write_files(root, {"commonplace.yaml": config + "value:\n  weights: {objective_accomplishment: 1, community_building: 9}\n"
                                                  "  kinds: {commit: 7}\n"})
    commit_all(root, "New weights", date=JUNE.format(day="05"))
    after = published(root, tmp_path / "after", capsys)
    assert after == before
    # the unsettled plan over the same period follows today's configuration (so the weights did move it)
    assert (tmp_path / "after/rewards/open/open.csv").read_text() != open_before
    # and what is published is the settlement itself
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(before[1]))}
    written = settled_amounts((root / "rewards/may.yaml").read_text())
    assert Decimal(table["ana"]["amount"]) == written["ana"] and table["ana"]["settled"] == "true"
    assert sum(Decimal(r["amount"]) for r in table.values()) == Decimal("90.00")


def test_a_late_record_leaves_a_settled_plan_byte_identical(repo, capsys, tmp_path):
    root = settled_community(repo, capsys)
    before = published(root, tmp_path / "before", capsys)
    write_files(root, {"contributions/2024.yaml": "records:\n"
                       "  - {date: 2024-05-20, who: ana, kind: mentoring, hours: 40, description: Late care work}\n"})
    commit_all(root, "A May record, recorded in June", date=JUNE.format(day="06"))
    write_files(root, {"notes/late.md": "# late\n\n" + "a line\n" * 50})
    commit_all(root, "Old work", author=BEN, date=MAY.format(day="20"))  # backdated, fast-forward
    git(root, "switch", "-q", "-c", "may-work", "HEAD~3")  # a pull request written in May, merged in June
    write_files(root, {"notes/branch.md": "# branch\n\n" + "a line\n" * 80})
    commit_all(root, "May work on a branch", author=CY, date=MAY.format(day="25"))
    git(root, "switch", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pull request #7 from cy/may-work", "may-work",
        env={"GIT_AUTHOR_DATE": JUNE.format(day="07"), "GIT_COMMITTER_DATE": JUNE.format(day="07")})
    assert published(root, tmp_path / "after", capsys) == before


# --------------------------------------------------------------------------- check

def check_output(root, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def tamper(root, old: str, new: str) -> None:
    path = root / "rewards/may.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def amount_line(root, who: str) -> tuple[int, str]:
    lines = (root / "rewards/may.yaml").read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith(f"    {who}: "))
    return number, lines[number - 1].split('"')[1]


def test_tampered_amounts_fail_check_at_the_settled_line(repo, capsys):
    root = settled_community(repo, capsys)
    code, out = check_output(root, capsys)
    assert code == 0 and "warning" not in out  # this version computes the same split at as_of
    line, ana = amount_line(root, "ana")
    tamper(root, f'ana: "{ana}"', f'ana: "{Decimal(ana) + 1}"')
    settled_at = (root / "rewards/may.yaml").read_text().splitlines().index("settled:") + 1
    code, out = check_output(root, capsys)
    assert code == 1
    assert f"rewards/may.yaml:{settled_at}:1: the settled amounts sum to 91.00 EUR, not the budget 90.00" in out
    # the same through build: nothing written
    assert main(["build", str(root), "-o", str(root / "_site")]) == 1 and not (root / "_site").exists()


def test_a_settlement_paying_someone_else_fails_check_at_its_line(repo, capsys):
    root = settled_community(repo, capsys)
    line, ana = amount_line(root, "ana")
    tamper(root, "    ana: ", "    mallory: ")
    code, out = check_output(root, capsys)
    assert code == 1 and f"rewards/may.yaml:{line}:5: the settlement pays mallory, who has no member file" in out


def test_amounts_moved_between_people_warn_that_this_version_computes_otherwise(repo, capsys):
    root = settled_community(repo, capsys)
    _l, ana = amount_line(root, "ana")
    _l, ben = amount_line(root, "ben")
    tamper(root, f'ana: "{ana}"', f'ana: "{Decimal(ana) - 1}"')
    tamper(root, f'ben: "{ben}"', f'ben: "{Decimal(ben) + 1}"')
    code, out = check_output(root, capsys)
    assert code == 0, out  # a warning: the settlement stays the plan's truth
    assert "this version computes the plan differently at" in out
    assert f"ana {ana} (settled {Decimal(ana) - 1})" in out
    assert main(["check", str(root), "--strict"]) == 1


def test_a_settlement_whose_commit_is_missing_cannot_be_verified(repo, capsys):
    root = settled_community(repo, capsys)
    text = (root / "rewards/may.yaml").read_text()
    as_of = SETTLED.search(text).group(1)
    tamper(root, as_of, "f" * 40)
    code, out = check_output(root, capsys)
    assert code == 0 and "a commit whose community this repository cannot read" in out and "cannot be verified" in out


# --------------------------------------------------------------------------- diff

def diff_text(root, capsys, base: str) -> str:
    capsys.readouterr()
    assert main(["diff", str(root), "--base", base]) == 0
    return capsys.readouterr().out


def test_diff_lists_a_settlement_first_added_changed_and_removed(repo, capsys):
    root = repo()
    git(root, "switch", "-q", "-c", "settle-may")
    assert settle(root, capsys)[0] == 0
    text = diff_text(root, capsys, "main")  # the work tree: the settlement before it is even committed
    first = text.split("\n### ")[1]
    assert first.startswith("Settlements\n\n- **Settlement added**: `rewards/may.yaml` (May), as of ")
    assert "3 recipients, 90.00 EUR" in first
    commit_all(root, "Settle May", date=JUNE.format(day="03"))
    settled = git(root, "rev-parse", "HEAD").strip()

    _l, ana = amount_line(root, "ana")
    _l, ben = amount_line(root, "ben")
    tamper(root, f'ana: "{ana}"', f'ana: "{Decimal(ana) - 1}"')
    tamper(root, f'ben: "{ben}"', f'ben: "{Decimal(ben) + 1}"')
    first = diff_text(root, capsys, settled).split("\n### ")[1]
    assert first.startswith("Settlements\n\n- **Settlement changed**: `rewards/may.yaml` (May): ")
    assert f"Ana Lopez {ana} → {Decimal(ana) - 1}" in first
    assert "Ben Okafor" not in first  # pseudonymous: named as the site names them
    git(root, "checkout", "-q", "--", "rewards/may.yaml")

    (root / "rewards/may.yaml").write_text((PLAN + NOTE))
    first = diff_text(root, capsys, settled).split("\n### ")[1]
    assert first.startswith("Settlements\n\n- **Settlement removed**: `rewards/may.yaml` (May)")


def test_diff_without_a_settlement_change_has_no_settlements_section(repo, capsys):
    root = repo()
    write_files(root, {"notes/more.md": "# more\n"})
    assert "Settlements" not in diff_text(root, capsys, "main")


# --------------------------------------------------------------------------- a member's page

def rewards_part(out) -> str:
    page = (out / "members/ana/index.html").read_text()
    part = page[page.index('<ul class="rewards">'):]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part[:part.index("</ul>")])).strip())


def test_a_members_page_tells_paid_settled_and_planned_apart(repo, capsys, tmp_path):
    ledger = "currency: EUR\nentries:\n  - {date: 2024-04-30, amount: \"10.00\", kind: reward, to: ana}\n"
    june = PLAN.replace("title: May", "title: June").replace("2024-05-01, end: 2024-05-31", "2024-06-01, end: 2024-06-30")
    root = repo(PLAN, {"ledger/2024.yaml": ledger, "rewards/june.yaml": june})
    assert settle(root, capsys)[0] == 0
    commit_all(root, "Settle May", date=JUNE.format(day="03"))
    _l, ana = amount_line(root, "ana")
    assert main(["build", str(root), "-o", str(tmp_path / "one")]) == 0
    shown = rewards_part(tmp_path / "one")
    assert "€10.00 paid so far (ledger)" in shown
    assert f"€{ana} settled in May , not yet paid" in shown
    assert "€90.00 planned in June : not settled, it follows today's data" in shown  # Ana alone works in June

    # the treasurer pays May: the ledger names the plan, and the money moves from settled to paid
    write_files(root, {"ledger/2024.yaml": ledger + f"  - {{date: 2024-06-10, amount: \"{ana}\", kind: reward, to: ana, plan: may}}\n"})
    commit_all(root, "Pay May", date=JUNE.format(day="10"))
    assert main(["build", str(root), "-o", str(tmp_path / "two")]) == 0
    shown = rewards_part(tmp_path / "two")
    assert f"€{Decimal(ana) + 10} paid so far (ledger)" in shown and "settled in May" not in shown
    assert "planned in June" in shown


# --------------------------------------------------------------------------- each line explains itself

def test_each_line_explains_itself_and_already_received_counts_ledger_rewards_before_the_start(repo, tmp_path):
    ledger = ("currency: EUR\nentries:\n"
              "  - {date: 2024-04-30, amount: \"500.00\", kind: reward, to: ben}\n"
              "  - {date: 2024-04-20, amount: \"50.00\", kind: expense, to: ana}\n"  # not a reward
              "  - {date: 2024-05-15, amount: \"30.00\", kind: reward, to: ana}\n")  # after the start
    root = repo(PLAN.replace("immediate", "balanced"), {"ledger/2024.yaml": ledger})
    assert main(["build", str(root), "-o", str(tmp_path / "site")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "site/rewards/may/may.csv").read_text())))
    by_name = {r["name"]: r for r in rows}
    ana, hidden = by_name["Ana Lopez"], by_name["Members not listed"]
    (ben,) = [r for r in rows if r["already_received"] == "500.00"]
    assert ben["name"] != "Ben Okafor" and ben["amount"] == "0.00"  # the pseudonym, paid nothing, and why
    assert ben["reason"] == "already received more than their fair part"
    assert ana["already_received"] == "0.00" and ana["reason"] == ""
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("90.00")
    # fair part = (everything paid before the period + the budget) × share of all value
    for r in (ana, ben, hidden):
        assert abs(Decimal(r["fair_part"]) - Decimal("590.00") * Decimal(r["share_of_value"]) / 100) < Decimal("0.05")
    assert abs(sum(Decimal(r["share_of_value"]) for r in rows) - 100) < Decimal("0.02")
    page = html.unescape((tmp_path / "site/rewards/may/index.html").read_text())
    assert "(already received more than their fair part)" in page
    package = (tmp_path / "site/data/datapackage.json").read_text()
    assert "Their fair part: budget × share" in package  # the columns are described


def test_a_community_in_a_folder_is_settled_from_its_folder_and_files_beside_it_do_not_count(community, capsys,
                                                                                             monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719878400")
    root = community({"rewards/may.yaml": PLAN}, name="repo/portal")
    top = tmp_path / "repo"
    (top / "README.md").write_text("# The project\n")
    commit_all(top, "Start", date=MAY.format(day="02"))
    write_files(root, {"notes/ben.md": "# ben\n\n" + "a line\n" * 20})
    commit_all(top, "Notes", author=BEN, date=MAY.format(day="03"))
    commit_all(top, "June", date=JUNE.format(day="02"), allow_empty=True)
    (top / "scratch.txt").write_text("not the community's")  # untracked, outside the community's folder
    (top / "README.md").write_text("# The project, being edited\n")  # tracked, outside it
    assert settle(root, capsys)[0] == 0
    amounts = settled_amounts((root / "rewards/may.yaml").read_text())
    # Ana and Ben committed in May (Cy took part in an event whose record may land in May too)
    assert {"ana", "ben"} <= set(amounts) <= {"ana", "ben", "cy"} and sum(amounts.values()) == Decimal("90.00")


def test_plan_shows_an_unsettled_plan_as_computed_today_and_needs_no_budget(repo, capsys, tmp_path):
    root = repo(PLAN)
    capsys.readouterr()
    assert main(["rewards", str(root), "--plan", "may", "--format", "csv"]) == 0
    shown = {r["id"]: r["amount"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert main(["rewards", str(root), "--budget", "90.00", "--currency", "EUR", "--policy", "immediate",
                 "--period", "2024-05-01..2024-05-31", "--format", "csv"]) == 0
    assert shown == {r["id"]: r["amount"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert main(["rewards", str(root)]) == 2
    assert "--budget and --currency are required, unless --plan PLAN" in capsys.readouterr().err
    assert main(["rewards", str(root), "--plan", "may", "--budget", "5.00"]) == 2
    assert "--budget cannot be given with --plan" in capsys.readouterr().err
    assert main(["rewards", str(root), "--plan", "june"]) == 1
    assert "no reward plan 'june'" in capsys.readouterr().err


def test_a_plan_paying_everyone_may_not_pay_someone_unknown(repo, capsys):
    root = settled_community(repo, capsys, PLAN.replace("policy: immediate", "policy: immediate\nrecipients: all"))
    line, _ana = amount_line(root, "ana")
    assert check_output(root, capsys)[0] == 0
    tamper(root, "    ana: ", "    nobody-known: ")
    code, out = check_output(root, capsys)
    assert code == 1 and (f"rewards/may.yaml:{line}:5: the settlement pays nobody-known, who is neither a member "
                          "nor a contributor") in out
