"""Community currencies (issue 32): units a community declares under `currencies:` (a time bank's
hours, a mutual credit) that the ledger, reward plans and `commonplace rewards --currency` take as
they take EUR, held to their declared decimals, never converted nor added to money; `transfer`
entries that move them between members. Real repositories, real builds, real output.

The community: Ana (public), Ben (pseudonymous: Mellow Seal) and Cy (hidden). Ben gives Ana 2.5
hours, Ana gives Cy 1.0 and Ben 0.5; in credits (a mutual credit, whole units) Cy gives Ana 7.
The community's money: a 20.00 EUR donation and a 5.00 EUR expense; in hours it holds a 10.0 h
opening balance and gives 4.0 h away."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.cli import main
from generator.errors import DataError
from generator.load.loader import check_community, load_community
from gitrepo import commit_all, git
from value import money

BEN = ("Ben Okafor", "ben@example.net")  # pseudonymous member (Mellow Seal)
CY = ("Cy Hidden", "cy@example.com")  # hidden member
MAY = "2024-05-{day}T12:00:00+02:00"

CURRENCIES = """\
currencies:
  HORA:
    name: Hores
    symbol: h
    decimals: 1
    kind: time_bank
  CRED:
    name: Barri credits
    symbol: cr
    decimals: 0
    kind: mutual_credit
"""
CONFIG = textwrap.dedent(MINIMAL["commonplace.yaml"]) + CURRENCIES
LEDGER = """\
entries:
  - {date: 2024-04-01, amount: "20.00", currency: EUR, kind: donation, from: Friend of the library}
  - {date: 2024-04-02, amount: "5.00", currency: EUR, kind: expense, to: Print shop}
  - {date: 2024-04-01, amount: "10.0", currency: HORA, kind: opening_balance}
  - {date: 2024-04-03, amount: "4.0", currency: HORA, kind: expense, to: Neighbourhood kitchen}
  - {date: 2024-04-10, amount: "2.5", currency: HORA, kind: transfer, from: ben, to: ana, note: Sorted seeds for two hours and a half}
  - {date: 2024-04-11, amount: "1.0", currency: HORA, kind: transfer, from: ana, to: cy, note: Mended the shelves}
  - {date: 2024-04-12, amount: "0.5", currency: HORA, kind: transfer, from: ana, to: ben}
  - {date: 2024-04-13, amount: "7", currency: CRED, kind: transfer, from: cy, to: ana, note: Seedlings}
  - {date: 2024-04-14, amount: "3", currency: CRED, kind: donation, from: Corner shop}
"""
PLAN = ("title: Hours for May\nbudget: \"10.0\"\ncurrency: HORA\npolicy: immediate\n"
        "period: {start: 2024-05-01, end: 2024-05-31}\n")


def text_of(html: str) -> str:
    """A page's words, every white space (the no-break space between an amount and its symbol too) one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&amp;", "&")


def community_repo(root: Path, config: str = CONFIG, more: dict | None = None) -> Path:
    write_files(root, {**MINIMAL, "commonplace.yaml": config, "ledger/2024.yaml": LEDGER,
                       "rewards/hours.yaml": PLAN, ".gitignore": "_site/\n.commonplace-cache/\n", **(more or {})})
    commit_all(root, "Start", date=MAY.format(day="02"))
    for who, day, name in ((BEN, "03", "ben"), (CY, "04", "cy"), (BEN, "05", "ben2")):
        write_files(root, {f"notes/{name}.md": f"# {name}\n\n" + "a line\n" * 20})
        commit_all(root, f"Notes by {name}", author=who, date=MAY.format(day=day))
    write_files(root, {"notes/june.md": "# June\n"})
    commit_all(root, "June", date="2024-06-02T12:00:00+02:00")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The community built in English and, the same data, in Spanish."""
    base = tmp_path_factory.mktemp("currencies")
    root = community_repo(base / "community")
    out = base / "site"
    build(root, out, search=False)
    spanish = community_repo(base / "comunidad", CONFIG.replace("forge:", "language: es\nforge:"))
    out_es = base / "sitio"
    build(spanish, out_es, search=False)
    return root, out, out_es


def page(out: Path, rel: str) -> str:
    return (out / rel / "index.html").read_text(encoding="utf-8")


def section(html: str, code: str) -> str:
    start = html.index(f'<section aria-labelledby="unit-{code}"')
    return html[start:html.index("</section>", start)]


# --------------------------------------------------------------------------- declaring

def test_declared_units_are_read_with_their_decimals(site):
    root, _out, _es = site
    model = load_community(root)
    assert sorted(model.config.currencies) == ["CRED", "HORA"]
    assert model.config.currencies["HORA"] == money.Unit("HORA", "Hores", "h", 1, "time_bank")
    hours = [e for e in model.ledger if e.currency == "HORA"]
    assert [str(e.amount) for e in hours] == ["10.0", "4.0", "2.5", "1.0", "0.5"]  # held to one decimal
    assert money.minor_units("HORA") == 1 and money.minor_units("CRED") == 0
    assert money.minor_units("EUR") == 2 and not money.is_currency("HORA")  # HORA is no ISO code


def test_an_iso_code_cannot_be_declared(community):
    root = community({"commonplace.yaml": textwrap.dedent(MINIMAL["commonplace.yaml"])
                      + "currencies:\n  EUR: {name: Euro hours, symbol: h, decimals: 1, kind: time_bank}\n"})
    found = [str(f) for f in check_community(root)]
    assert found == ["commonplace.yaml:8:3: 'EUR' is the ISO 4217 code of the Euro: amounts in it need no "
                     "declaration, and a community currency needs a code of its own that ISO 4217 does not assign "
                     "(such as HORA for hours): rename it or remove the declaration"]


def test_at_most_twenty_units_are_declared(community):
    codes = "".join(f"  HOUR{chr(65 + i)}: {{name: Hours {i}, symbol: h, decimals: 0, kind: time_bank}}\n" for i in range(21))
    root = community({"commonplace.yaml": textwrap.dedent(MINIMAL["commonplace.yaml"]) + "currencies:\n" + codes})
    assert [str(f) for f in check_community(root)] == [
        "commonplace.yaml:7:1: `currencies:` declares 21 community currencies, more than the 20 a community may: "
        "keep those its ledger uses"]


def test_an_undeclared_code_is_an_error_with_the_hint_to_declare_it(community, capsys):
    root = community({"ledger/2024.yaml": "currency: HORA\nentries:\n  - {date: 2024-04-01, amount: \"1.0\", "
                                          "kind: donation, from: A neighbour}\n",
                      "rewards/hours.yaml": PLAN})
    with pytest.raises(DataError) as caught:
        load_community(root)
    hint = ("is not an ISO 4217 currency code: use one such as EUR, USD or JPY, or, for a community currency "
            "(time-bank hours, mutual credit), declare HORA under `currencies:` in commonplace.yaml")
    assert [str(f) for f in caught.value.findings] == [f"ledger/2024.yaml:1:11: currency 'HORA' {hint}",
                                                       f"rewards/hours.yaml:3:11: currency 'HORA' {hint}"]



def test_rewards_currency_refuses_an_undeclared_code(site, capsys):
    root, _out, _es = site
    with pytest.raises(SystemExit) as exited:
        main(["rewards", str(root), "--budget", "10", "--currency", "ZORK"])
    assert exited.value.code == 2
    assert ("argument --currency: 'ZORK' is not an ISO 4217 currency code: give one such as EUR, USD or JPY, or, "
            "for a community currency, declare ZORK under `currencies:` in commonplace.yaml") in capsys.readouterr().err


def test_a_salary_stays_in_money(community):
    config = (textwrap.dedent(MINIMAL["commonplace.yaml"]) + CURRENCIES + "  TIM: {name: Time, symbol: t, decimals: 0, "
              "kind: time_bank}\nvalue:\n  salary: {amount: \"10\", currency: TIM}\n")
    found = [str(f) for f in check_community(community({"commonplace.yaml": config}))]
    assert found == ["commonplace.yaml:20:36: currency 'TIM' is not an ISO 4217 currency code: use one such as "
                     "EUR, USD or JPY"]  # a salary is money: no hint to declare it


# --------------------------------------------------------------------------- never money

def test_money_figures_stay_per_currency_and_transfers_move_no_balance(site):
    _root, out, _es = site
    rows = json.loads((out / "data" / "indicators.json").read_text(encoding="utf-8"))
    figure = {(r["indicator"], r["part"]): r["value"] for r in rows if r["dimension"] == "monetary_value"}
    assert figure[("income", "EUR")] == "20.00" and figure[("income", "CRED")] == "3"
    assert figure[("expenses", "EUR")] == "5.00" and figure[("expenses", "HORA")] == "4.0"
    assert figure[("balance", "EUR")] == "15.00" and figure[("balance", "HORA")] == "6.0"  # 10.0 − 4.0: no transfer
    assert figure[("balance", "CRED")] == "3"
    assert figure[("donors", "")] == 1  # the friend who gave euros; the corner shop's credits are no money
    # the dimension's page: each currency's figure apart, and charts of money only (no hours on a euro axis)
    shown = text_of(page(out, "value/monetary-value"))
    assert "Income 3 cr · €20.00" in shown and "Balance 3 cr · €15.00 · 6.0 h" in shown
    assert "Income per month: the figures as a table Month EUR 2024-04 20 " in shown
    assert "Expenses per month: the figures as a table Month EUR 2024-04 5 " in shown


def test_the_ledger_shows_each_community_currency_apart(site):
    _root, out, _es = site
    html = page(out, "ledger")
    totals = html[html.index('<section aria-labelledby="totals">'):]
    totals = totals[:totals.index("</section>")]
    assert ">EUR</th>" in totals and "HORA" not in totals and "CRED" not in totals  # money only
    assert "HORA over time" not in text_of(html) and "EUR over time" in text_of(html)
    hours = text_of(section(html, "HORA"))
    assert "Hores (HORA)" in hours and "Hores is a time bank of the community, not money" in hours
    assert "Members gave one another 4.0 h in 3 transfers." in hours
    # what the community holds: 10.0 h opened, 4.0 h given away, 6.0 h left
    assert "10.0 h 0.0 h 4.0 h 6.0 h" in hours
    # members' balances: the pseudonymous member by pseudonym, the hidden one as a count
    assert "Ana Lopez 2.5 h 1.5 h 1.0 h" in hours
    assert "1 member not listed 1.0 h 0.0 h 1.0 h" in hours
    assert "Mellow Seal 0.5 h 2.5 h -2.0 h" in hours
    assert "Sorted seeds for two hours and a half" in hours
    credits = text_of(section(html, "CRED"))
    assert "Barri credits is a mutual credit of the community" in credits
    assert "Ana Lopez 7 cr 0 cr 7 cr" in credits and "1 member not listed 0 cr 7 cr -7 cr" in credits
    for leak in ("Cy Hidden", "Ben Okafor", ">cy<", ">ben<"):
        assert leak not in html


def test_spanish_pages_write_the_units_with_their_decimals(site):
    _root, _out, out_es = site
    hours = text_of(section(page(out_es, "ledger"), "HORA"))
    assert "Hores (HORA)" in hours and "2,5 h" in hours and "6,0 h" in hours


def test_a_mutual_credit_runs_below_zero_without_a_warning(site):
    root, _out, _es = site
    assert check_community(root) == []  # Cy's credits at −7 and Ben's hours at −2.0: no warning
    more = {"ledger/2025.yaml": "entries:\n  - {date: 2025-01-10, amount: \"9\", currency: CRED, kind: expense, "
                                "to: Hall}\n  - {date: 2025-01-10, amount: \"9.0\", currency: HORA, kind: expense, "
                                "to: Hall}\n"}
    write_files(root, more)
    try:
        found = [str(f) for f in check_community(root)]
    finally:
        write_files(root, {"ledger/2025.yaml": None})
    # the community's credits fall to −6: a mutual credit may; its hours to −3.0: a time bank may not
    assert found == ["ledger/2025.yaml:3:1: warning: the community's Hores (HORA) balance falls to -3.0 HORA here: the "
                     "ledger gives out more than it holds: add an opening balance (kind: opening_balance) or what came "
                     "in, or declare HORA with kind: mutual_credit if its balances may run below zero"]


def test_both_members_pages_show_their_transfers(site):
    _root, out, _es = site
    ana = text_of(page(out, "members/ana"))
    assert "Balance in Hores : 1.0 h" in ana and "Balance in Barri credits : 7 cr" in ana
    assert "Received 2.5 h from Mellow Seal" in ana and "Gave 1.0 h to a member" in ana
    seal = text_of(page(out, "members/mellow-seal"))
    assert "Balance in Hores : -2.0 h" in seal and "Gave 2.5 h to Ana Lopez" in seal
    assert not (out / "members" / "cy").exists()


# --------------------------------------------------------------------------- open data

def test_open_data_keeps_the_rows_and_publishes_the_declarations(site):
    _root, out, _es = site
    rows = list(csv.DictReader(io.StringIO((out / "data" / "ledger.csv").read_text(encoding="utf-8"))))
    hours = [(r["kind"], r["amount"], r["currency"], r["from"], r["to"]) for r in rows if r["currency"] == "HORA"]
    assert ("transfer", "2.5", "HORA", "Mellow Seal", "Ana Lopez") in hours
    assert ("transfer", "1.0", "HORA", "Ana Lopez", "a member") in hours
    declared = json.loads((out / "data" / "currencies.json").read_text(encoding="utf-8"))
    assert declared == [{"code": "CRED", "decimals": 0, "kind": "mutual_credit", "name": "Barri credits", "symbol": "cr"},
                        {"code": "HORA", "decimals": 1, "kind": "time_bank", "name": "Hores", "symbol": "h"}]
    package = json.loads((out / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"] if r["name"] == "currencies"] == ["currencies.json"]


# --------------------------------------------------------------------------- rewards

def test_a_reward_plan_in_hours_is_split_and_settled_to_its_decimals(site, tmp_path, capsys, monkeypatch):
    root, out, _es = site
    html = text_of(page(out, "rewards/hours"))
    assert "Budget 10.0 h" in html and "Total 10.0 h" in html  # the unit's symbol and its one decimal
    shown = re.findall(r"(Ana Lopez|Mellow Seal|Members not listed) (\d+\.\d) h", html)
    assert len(shown) == 3 and sum(Decimal(a) for _who, a in shown) == Decimal("10.0")
    capsys.readouterr()
    assert main(["rewards", str(root), "--plan", "hours", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(re.fullmatch(r"\d+\.\d", r["amount"]) for r in rows)
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("10.0")
    # settled at HEAD, on a copy: every amount with exactly one decimal, summing to the budget
    copy = tmp_path / "copy"
    git(tmp_path, "clone", "-q", str(root), str(copy))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719878400")  # 2024-07-02: the plan's period has ended
    assert main(["rewards", str(copy), "--settle", "hours"]) == 0, capsys.readouterr().err
    text = (copy / "rewards" / "hours.yaml").read_text(encoding="utf-8")
    written = re.findall(r'\n    [a-z-]+: "([^"]*)"', text)
    assert written and all(re.fullmatch(r"\d+\.\d", a) for a in written), text
    assert sum(Decimal(a) for a in written) == Decimal("10.0")
    assert main(["check", str(copy)]) == 0


def test_rewards_currency_takes_a_declared_code(site, capsys):
    root, _out, _es = site
    capsys.readouterr()
    for code, budget, shape in (("HORA", "7.5", r"\d+\.\d"), ("CRED", "11", r"\d+")):
        assert main(["rewards", str(root), "--budget", budget, "--currency", code, "--format", "csv",
                     "--recipients", "all"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert rows and all(re.fullmatch(shape, r["amount"]) for r in rows)
        assert sum(Decimal(r["amount"]) for r in rows) == Decimal(budget)
    assert main(["rewards", str(root), "--budget", "7.55", "--currency", "HORA"]) == 1
    assert "budget 7.55 HORA is not a non-negative amount in whole minor units (1 decimal" in capsys.readouterr().err


# --------------------------------------------------------------------------- diff

def test_diff_writes_a_community_currency_with_its_decimals(site, tmp_path, capsys):
    root, _out, _es = site
    copy = tmp_path / "copy"
    git(tmp_path, "clone", "-q", str(root), str(copy))
    write_files(copy, {"ledger/2024.yaml": LEDGER + "  - {date: 2024-04-20, amount: \"1.5\", currency: HORA, "
                                                    "kind: donation, from: A neighbour}\n"})
    capsys.readouterr()
    assert main(["diff", str(copy), "--base", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "| income (HORA) | 0.0 | 1.5 | +1.5 |" in out
    assert "| balance (HORA) | 6.0 | 7.5 | +1.5 |" in out


# --------------------------------------------------------------------------- hostile

def test_a_unit_s_name_and_symbol_are_text_on_every_page(tmp_path):
    hostile = CONFIG.replace("name: Hores", "name: \"<b>Hores</b>\"").replace("symbol: h", "symbol: \"<i>h\"")
    root = community_repo(tmp_path / "community", hostile,
                          {"ledger/2025.yaml": "entries:\n  - {date: 2024-04-20, amount: \"1.5\", currency: HORA, "
                                               "kind: donation, from: \"<script>alert(1)</script>\"}\n"})
    out = tmp_path / "site"
    build(root, out, search=False)
    for path in out.rglob("*"):  # markup: the open data's JSON and CSV hold the texts as data
        if path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "<b>Hores" not in text and "<i>h" not in text and "<script>alert" not in text, path
    ledger = page(out, "ledger")
    assert "&lt;b&gt;Hores&lt;/b&gt; (HORA)" in ledger and "1.5\u00a0&lt;i&gt;h" in ledger
    declared = json.loads((out / "data" / "currencies.json").read_text(encoding="utf-8"))
    assert [u["name"] for u in declared if u["code"] == "HORA"] == ["<b>Hores</b>"]  # as written, for programs
