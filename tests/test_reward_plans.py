"""Reward plans on the site and `commonplace rewards`, on small repositories: who is paid (members
by default, hidden ones as "members not listed"), money in the currency's minor unit, the period
(later commits, data and payouts never change a plan), and the treasurer's view."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from communities import write_files
from generator.cli import main
from communities import MINIMAL
from gitrepo import commit_all

MAY = "2024-05-{day}T12:00:00+02:00"
BEN = ("Ben Okafor", "ben@example.net")  # pseudonymous member
CY = ("Cy Hidden", "cy@example.com")  # hidden member
KIT = ("Kit Outsider", "kit@example.org")  # no member file


def plan(budget='"90.00"', currency="EUR", policy="immediate", extra=""):
    return (f"title: May\nbudget: {budget}\ncurrency: {currency}\npolicy: {policy}\n"
            f"period: {{start: 2024-05-01, end: 2024-05-31}}\n{extra}")


# A community that leaves reputation out: what the period filtering itself guarantees, cred aside.
NO_REPUTATION = {"commonplace.yaml": MINIMAL["commonplace.yaml"].rstrip(" ") + "        value:\n          weights: {reputation: 0}\n"}
DEE = ("Dee Newcomer", "dee@example.org")  # comes later, with no member file
LEDGER = "currency: EUR\nentries:\n  - {date: 2024-04-30, amount: \"10.00\", kind: reward, to: ana}\n"
KUDOS = "kudos:\n  - {from: ana, to: ben, date: 2024-05-03, for: sorting seeds}\n"


@pytest.fixture
def repo(community):
    """Ana (public), Ben (pseudonymous), Cy (hidden) and Kit (no member file) commit in May 2024."""

    def make(overrides=None, name="community"):
        root = community({"rewards/may.yaml": plan(), "ledger/2024.yaml": LEDGER, "kudos/2024.yaml": KUDOS,
                          **(overrides or {})}, name=name)
        commit_all(root, "Start", date=MAY.format(day="02"))
        for who, day, name in ((BEN, "03", "ben"), (CY, "04", "cy"), (KIT, "05", "kit"), (KIT, "06", "kit2")):
            write_files(root, {f"notes/{name}.md": f"# {name}\n\n" + "a line\n" * 20})
            commit_all(root, f"Notes by {name}", author=who, date=MAY.format(day=day))
        return root

    return make


def build(root, out):
    assert main(["build", str(root), "-o", str(out)]) == 0
    page = (out / "rewards/may/index.html").read_text()
    table = (out / "rewards/may/may.csv").read_text()
    return page, table


def text(html: str) -> str:
    main_part = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main_part))


def amounts(table: str) -> dict[str, Decimal]:
    return {r["name"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(table))}


# --------------------------------------------------------------------------- who is paid

def test_members_are_paid_and_the_non_members_part_is_shown_then_shared(repo, tmp_path):
    page, table = build(repo(), tmp_path / "site")
    paid = amounts(table)
    assert "Kit Outsider" not in paid and sum(paid.values()) == Decimal("90.00")
    assert set(paid) == {"Ana Lopez", "Members not listed", next(n for n in paid if n not in ("Ana Lopez", "Members not listed"))}
    assert re.search(r"Contributors who are not members: 1 person, \d+\.\d% of the value\. A non-member has no way "
                     r"to be paid: their part is shared among members by the same policy\.", text(page))
    # the hidden member is paid, shown only as one line with the total, never by name
    assert "Members not listed" in text(page) and "Cy Hidden" not in page and "Cy Hidden" not in table
    assert all(re.fullmatch(r"\d+\.\d\d", str(a)) for a in paid.values())


def test_recipients_all_pays_non_members_too(repo, tmp_path):
    page, table = build(repo({"rewards/may.yaml": plan(extra="recipients: all\n")}), tmp_path / "site")
    paid = amounts(table)
    assert paid["Kit Outsider"] > 0 and sum(paid.values()) == Decimal("90.00")
    assert "This plan pays every contributor, members or not." in text(page)


def test_amounts_are_printed_with_the_currency_s_decimals(repo, tmp_path):
    root = repo({"rewards/may.yaml": plan(budget='"5"', currency="JPY"),
                 "rewards/dinar.yaml": plan(budget='"1.25"', currency="BHD").replace("title: May", "title: Dinar")})
    page, table = build(root, tmp_path / "site")
    assert "Budget ¥5" in text(page) and "Total ¥5" in text(page)
    money_columns = ("amount", "fair_part", "already_received")  # share_of_value is a percentage
    assert sum(amounts(table).values()) == 5 and all("." not in r[c] for r in csv.DictReader(io.StringIO(table))
                                                     for c in money_columns)
    dinar = text((tmp_path / "site/rewards/dinar/index.html").read_text())
    assert "Budget BHD1.250" in dinar and "Total BHD1.250" in dinar
    listing = text((tmp_path / "site/rewards/index.html").read_text())
    assert "¥5, policy immediate" in listing and "BHD1.250, policy immediate" in listing


# --------------------------------------------------------------------------- the period

def test_later_commits_data_and_payouts_never_change_a_plan_byte_for_byte(repo, tmp_path, weights=NO_REPUTATION):
    for policy in ("balanced", "immediate", "recent"):
        root = repo({"rewards/may.yaml": plan(policy=policy), **weights}, name=policy)
        before = build(root, tmp_path / f"{policy}-before")
        # after the period: a commit, a kudos, an event, and payouts dated on and after its start
        write_files(root, {
            "notes/later.md": "# later\n\n" + "more\n" * 50,
            "kudos/2024.yaml": KUDOS + "  - {from: ben, to: ana, date: 2024-06-10, for: later help}\n",
            "events/summer.md": "---\ntitle: Summer swap\ndate: 2024-07-06\norganisers: [ben]\n---\nLater.\n",
            "ledger/2024.yaml": LEDGER + "  - {date: 2024-05-01, amount: \"50.00\", kind: reward, to: ben}\n"
                                         "  - {date: 2024-06-15, amount: \"40.00\", kind: reward, to: ana}\n",
        })
        commit_all(root, "Later", author=BEN, date="2024-07-10T12:00:00+02:00")
        after = build(root, tmp_path / f"{policy}-after")
        assert after == before, policy
        commit_all(root, "Later still", author=KIT, date="2024-08-10T12:00:00+02:00", allow_empty=True)
        assert build(root, tmp_path / f"{policy}-later") == before, policy
        # a payout before the start is counted (it would change a balanced plan)
        if policy == "balanced":
            write_files(root, {"ledger/2024.yaml": LEDGER.replace("10.00", "60.00")})
            commit_all(root, "Correct the April payout", date="2024-08-11T12:00:00+02:00")
            assert build(root, tmp_path / "balanced-corrected")[1] != before[1]


def test_later_commits_never_change_a_plan_with_reputation_counted(repo, tmp_path):
    """Default weights: cred counts, as of the plan's end (later commits move today's cred of May)."""
    test_later_commits_data_and_payouts_never_change_a_plan_byte_for_byte(repo, tmp_path, weights={})


@pytest.mark.parametrize("policy", ["balanced", "immediate", "recent"])
def test_a_newcomer_s_later_commits_and_kudos_leave_a_closed_plan_as_it_was(repo, tmp_path, policy):
    """With the default weights, a new person's later commits, with co-authors and reviewers (new
    edges in the cred graph), and later kudos leave the plan's page and CSV byte-identical; the
    value page's cred, computed as of today, does move."""
    root = repo({"rewards/may.yaml": plan(policy=policy)})
    before = build(root, tmp_path / "before")
    cred_before = (tmp_path / "before/data/contributors.csv").read_text()
    write_files(root, {"notes/dee.md": "# dee\n\n" + "new\n" * 80,
                       "kudos/2024.yaml": KUDOS + "  - {from: ben, to: ana, date: 2024-06-01, for: later help}\n"
                                                  "  - {from: ana, to: ben, date: 2024-06-02, for: more}\n"})
    commit_all(root, "Dee's notes\n\nCo-authored-by: Ben Okafor <ben@example.net>\n"
                     "Reviewed-by: Ana Lopez <ana@example.org>", author=DEE, date="2024-06-01T00:30:00+00:00")
    for day in ("02", "03", "04"):
        write_files(root, {f"notes/dee-{day}.md": "more\n" * 10})
        commit_all(root, f"More by Dee {day}", author=DEE, date=f"2024-06-{day}T12:00:00+00:00")
    assert build(root, tmp_path / "after") == before
    assert (tmp_path / "after/data/contributors.csv").read_text() != cred_before  # today's figures do move


def test_a_period_ending_mid_month_counts_that_month_up_to_its_end_only(repo, tmp_path):
    """Day precision: a plan ending on 15 May counts May's records up to that day, cred included."""
    mid = plan(policy="immediate").replace("end: 2024-05-31", "end: 2024-05-04")
    root = repo({"rewards/may.yaml": mid})
    before = build(root, tmp_path / "before")
    # Kit's commits (5 and 6 May) come after the end: Kit is not counted at all
    assert "Contributors who are not members" not in text(before[0])
    write_files(root, {"notes/late-may.md": "late\n" * 30})
    commit_all(root, "Late May", author=KIT, date=MAY.format(day="20"))
    assert build(root, tmp_path / "after") == before


# --------------------------------------------------------------------------- the CLI

def rewards(capsys, root, *args):
    code = main(["rewards", str(root), "--budget", "90.00", "--currency", "EUR", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_shows_people_as_the_site_does_sorted_by_amount(repo, tmp_path, capsys):
    root = repo()
    _page, table = build(root, tmp_path / "site")
    code, out, err = rewards(capsys, root, "--period", "2024-05-01..2024-05-31", "--policy", "immediate",
                             "--format", "csv")
    assert code == 0
    site_rows = [(r["id"], r["name"], r["amount"]) for r in csv.DictReader(io.StringIO(table))]
    cli_rows = [(r["id"], r["name"], r["amount"]) for r in csv.DictReader(io.StringIO(out))]
    assert [r[1:] for r in cli_rows] == [(n.lower() if n == "Members not listed" else n, a) for _i, n, a in site_rows]
    assert "Ben Okafor" not in out and "Cy Hidden" not in out and "Kit" not in out
    people = [r for r in cli_rows if r[0]]
    assert people == sorted(people, key=lambda r: (-Decimal(r[2]), r[0]))
    assert "note: Contributors who are not members: 1 person" in err
    code, out, _err = rewards(capsys, root, "--period", "2024-05-01..2024-05-31", "--policy", "immediate")
    assert out.splitlines()[-1].startswith("Contributors who are not members: 1 person, ")
    assert re.search(r"^\s+\d+\.\d\d EUR\s+\d+\.\d% {2}members not listed$", out, re.M)


def test_names_are_for_paying_and_say_so(repo, capsys):
    root = repo()
    code, out, err = rewards(capsys, root, "--names", "--recipients", "all", "--policy", "immediate",
                             "--period", "2024-05-01..2024-05-31")
    warning = "this list shows real names, for paying; publish the site's rewards page or CSV instead"
    assert code == 0 and err == f"warning: not for publishing: {warning}\n"
    assert out.splitlines()[0] == f"NOT FOR PUBLISHING: {warning}"
    for name in ("Ana Lopez", "Ben Okafor", "Cy Hidden", "Kit Outsider"):
        assert name in out
    assert "members not listed" not in out


@pytest.mark.parametrize("period", ["2024-05-01..2024-05-31", "2024-05-01..2024-05-05"])
def test_the_period_counts_only_value_up_to_its_end(repo, capsys, period):
    """Default weights, cred counted as of the end: the plan's end, or one no plan has."""
    root = repo()
    args = ("--period", period, "--format", "csv", "--policy", "balanced")
    before = rewards(capsys, root, *args)
    write_files(root, {"notes/later.md": "# later\n\n" + "more\n" * 50,
                       "kudos/2024.yaml": KUDOS + "  - {from: ben, to: ana, date: 2024-06-10, for: later help}\n",
                       "ledger/2024.yaml": LEDGER + "  - {date: 2024-05-02, amount: \"70.00\", kind: reward, to: ana}\n"})
    commit_all(root, "Later", author=BEN, date="2024-07-10T12:00:00+02:00")
    commit_all(root, "Later by a newcomer", author=DEE, date="2024-07-11T12:00:00+02:00", allow_empty=True)
    assert rewards(capsys, root, *args) == before
    assert rewards(capsys, root, "--format", "csv", "--policy", "balanced")[1] != before[1]  # all time


@pytest.mark.parametrize("args,message", [
    (("--period", "2024-05-01"), "argument --period: '2024-05-01' is not a period START..END of two ISO dates, "
                                 "such as 2026-07-01..2026-09-30"),
    (("--period", "May..June"), "argument --period: 'May..June' is not a period START..END of two ISO dates"),
    (("--period", "2024-05-31..2024-05-01"), "argument --period: '2024-05-31..2024-05-01' starts after it ends: "
                                             "give the earlier date first, 2024-05-01..2024-05-31"),
    (("--currency", "eur"), "argument --currency: 'eur' is not an ISO 4217 code: write it in capitals, EUR"),
    (("--currency", "EURO"), "argument --currency: 'EURO' is not an ISO 4217 currency code: give one such as EUR, "
                             "USD or JPY"),
])
def test_usage_errors_exit_2_with_the_fix(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as caught:
        main(["rewards", str(tmp_path), "--budget", "1", "--currency", "EUR", *args])
    assert caught.value.code == 2 and message in capsys.readouterr().err


def test_the_cli_splits_in_the_currency_s_minor_unit(repo, capsys):
    root = repo()
    for currency, budget, pattern in (("JPY", "1000", r"\d+"), ("BHD", "1.000", r"\d+\.\d{3}"),
                                      ("EUR", "0.01", r"\d+\.\d\d")):
        assert main(["rewards", str(root), "--budget", budget, "--currency", currency, "--format", "csv",
                     "--recipients", "all"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert sum(Decimal(r["amount"]) for r in rows) == Decimal(budget)
        assert all(re.fullmatch(pattern, r["amount"]) for r in rows)
    assert main(["rewards", str(root), "--budget", "10.5", "--currency", "JPY"]) == 1
    assert "budget 10.5 JPY is not a non-negative amount in whole minor units (0 decimals)" in capsys.readouterr().err


def test_the_ledger_prints_each_currency_s_decimals(repo, tmp_path):
    ledger = ("currency: JPY\nentries:\n  - {date: 2024-05-01, amount: \"1500\", kind: donation}\n"
              "  - {date: 2024-05-02, amount: \"1.25\", kind: grant, currency: BHD}\n"
              "  - {date: 2024-05-03, amount: \"5\", kind: sale, currency: EUR}\n")
    build(repo({"ledger/2024.yaml": ledger, "rewards/may.yaml": plan(currency="JPY", budget='"90"')}), tmp_path / "site")
    page = text((tmp_path / "site/ledger/index.html").read_text())
    assert "+¥1,500" in page and "+BHD1.250" in page and "+€5.00" in page
    assert "JPY 1,500 0 1,500" in page and "BHD 1.250 0.000 1.250" in page and "EUR 5.00 0.00 5.00" in page
    assert "1500.00" not in page and "1,500.00" not in page
    data = (tmp_path / "site/data/ledger.csv").read_text()
    assert "2024-05-01,donation,1500,JPY" in data and ",1.250,BHD" in data and ",5.00,EUR" in data
