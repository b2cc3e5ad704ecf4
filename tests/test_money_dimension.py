"""The monetary dimension says what it is (issue 27): one label, "Money raised and replacement
cost"; a replacement cost counted over source code only, rounded and explained in one sentence;
opening balances that are not income; a warning where a ledger spends money it never received;
hours bounded per record. Real git repositories, real builds, real output."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.cli import main as cli
from generator.load.loader import check_community
from gitrepo import commit_all
from value.languages import is_source_code

LEDGER = """\
currency: EUR
entries:
  - date: 2024-01-01
    amount: "100.00"
    kind: opening_balance
    note: Cash box handed over at the first assembly
  - date: 2024-02-01
    amount: "20.00"
    kind: donation
    from: Friend of the library
    by: ana
  - date: 2024-03-01
    amount: "50.00"
    kind: expense
    to: Print shop
"""
WARNING = ("warning: the EUR balance falls to -30.00 EUR here: the ledger spends money it never received: add an "
           "opening balance (kind: opening_balance) with what the community held before, or the income that paid "
           "for this")


def numbered(n: int) -> str:
    return "".join(f"line {i}\n" for i in range(n))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&amp;", "&")


def figures(out: Path) -> dict[tuple[str, str], object]:
    """The open data's monetary figures: (indicator, part) -> value."""
    rows = json.loads((out / "data" / "indicators.json").read_text(encoding="utf-8"))
    return {(r["indicator"], r["part"]): r["value"] for r in rows if r["dimension"] == "monetary_value"}


def contributions(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / "data" / "contributions.csv").read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """MINIMAL (YAML and Markdown only) with a ledger, then one commit of 100 lines of Python,
    150 of Markdown and 150 of YAML."""
    root = write_files(tmp_path_factory.mktemp("money") / "community", {**MINIMAL, "ledger/2024.yaml": LEDGER})
    commit_all(root, "Start")
    write_files(root, {"tools/sort_seeds.py": numbered(100), "guides/sorting.md": numbered(150),
                       "lists/varieties.yaml": "".join(f"- variety {i}\n" for i in range(150))})
    code = commit_all(root, "Sort the seeds", date="2024-05-10T12:00:00+02:00")
    out = tmp_path_factory.mktemp("out") / "site"
    build(root, out, search=False)
    return root, out, code


def test_the_classifier_follows_linguist_programming_types():
    for path in ("a.py", "src/App.JS", "lib/x.ts", "k.c", "k.h", "m.cpp", "g.go", "r.rs", "J.java", "s.sh",
                 "Makefile", "sub/Dockerfile", "x.R", "y.jl", "Gemfile", "CMakeLists.txt"):
        assert is_source_code(path), path
    for path in ("a.yaml", "a.yml", "b.json", "c.toml", "README.md", "d.csv", "e.txt", "f.html", "g.css",
                 "h.scss", "i.png", "j.sql", "k.rst", ".gitignore", "LICENSE", "app.vue", "notebook.ipynb"):
        assert not is_source_code(path), path


def test_the_replacement_cost_counts_only_the_lines_of_source_code(site):
    root, out, code = site
    # the cost of 100 lines, by Open Hub's formula; shown to two significant figures, never to the cent
    exact = Decimal(repr(2.4 * 0.1 ** 1.05 / 12)) * 55000
    assert Decimal("950") < exact < Decimal("1000")
    rounded = exact.quantize(Decimal(10), rounding="ROUND_HALF_EVEN").quantize(Decimal(1))
    figure = figures(out)
    assert figure[("replacement_cost", "lines")] == 100  # not the 300 of Markdown and YAML, nor MINIMAL's
    assert Decimal(figure[("replacement_cost", "cost")]) == exact.quantize(Decimal("0.01"))  # exact in the data
    assert Decimal(figure[("replacement_cost", "rounded")]) == rounded
    page = (out / "value" / "monetary-value" / "index.html").read_text(encoding="utf-8")
    assert f'<dd class="figure-value">≈ ${rounded:,}</dd>' in page
    assert ("Open Hub's COCOMO model over 100 lines of source code (programming languages only), "
            "2.4 × KLOC^1.05 person-months at $55,000 a year.") in text_of(page)
    assert f"{exact.quantize(Decimal('0.01')):,}" not in page
    # each commit's record weighs its lines of source code / 100: the first commit had none
    records = [r for r in contributions(out) if r["kind"] == "replacement_cost"]
    assert [(r["person"], r["weight"], r["source"]) for r in records] == [("ana", "1.0", code)]


def test_a_community_without_source_code_says_why_it_has_no_estimate(tmp_path):
    root = write_files(tmp_path / "community", {**MINIMAL, "notes/plan.md": numbered(400)})
    commit_all(root, "Start")
    build(root, tmp_path / "out", search=False)
    page = text_of((tmp_path / "out" / "value" / "monetary-value" / "index.html").read_text(encoding="utf-8"))
    assert "Replacement cost (estimate) — No estimate: the history has no source code." in page
    assert not [r for r in contributions(tmp_path / "out") if r["kind"] == "replacement_cost"]


def test_one_label_for_the_monetary_dimension_on_every_page(site, capsys):
    root, out, _code = site
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    for rel, html in pages.items():
        for old in ("Monetary value", "Estimated replacement cost and income raised"):
            assert old not in html, (rel, old)
    label = "Money raised and replacement cost"
    assert f"<h1>{label}</h1>" in pages["value/monetary-value/index.html"]
    assert f'href="../value/monetary-value/">{label}</a>' in pages["value/index.html"]  # the dashboard
    assert label in pages["value/methodology/index.html"] and label in pages["members/ana/index.html"]
    # the terminal says the same, and how the estimate was made
    capsys.readouterr()
    assert cli(["value", str(root), "--format", "table"]) == 0
    terminal = capsys.readouterr().out
    assert f"\n{label}\n" in terminal and "Monetary value" not in terminal
    assert "Open Hub's COCOMO model over 100 lines of source code" in terminal


def test_an_opening_balance_adds_to_the_balance_and_is_not_income(site):
    _root, out, _code = site
    figure = figures(out)
    assert figure[("income", "EUR")] == "20.00" and figure[("expenses", "EUR")] == "50.00"
    assert figure[("balance", "EUR")] == "70.00" and figure[("donors", "")] == 1
    raised = [r for r in contributions(out) if r["kind"] == "income_raised"]
    assert [(r["person"], r["source"]) for r in raised] == [("ana", "ledger/2024.yaml:7")]
    page = (out / "ledger" / "index.html").read_text(encoding="utf-8")
    assert ('<td class="num" data-label="Opening balance">100.00</td><td class="num" data-label="Income">20.00</td>'
            '<td class="num" data-label="Expenses">50.00</td><td class="num" data-label="Balance">70.00</td>') in page
    assert '<td data-label="Kind">Opening balance</td>' in page
    assert '<td class="num in" data-label="Amount">+€100.00</td>' in page
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "100.00" not in home  # the recent activity lists income, never the opening balance


def test_a_ledger_that_spends_money_it_never_received_gets_a_located_warning(community, tmp_path, capsys):
    overdrawn = LEDGER.replace("opening_balance", "expense").replace("    note: Cash box handed over at the first "
                                                                      "assembly\n", "    to: Stationery\n")
    root = community({"ledger/2024.yaml": overdrawn})
    findings = [str(f) for f in check_community(root)]
    # 100 out, then 20 in, then 50 out: below zero at the first entry, and reported there only
    assert findings == [f"ledger/2024.yaml:3:1: {WARNING.replace('-30.00', '-100.00')}"]
    assert cli(["check", str(root)]) == 0  # a warning: the build still succeeds
    assert "spends money it never received" in capsys.readouterr().out
    fixed = community({"ledger/2024.yaml": LEDGER}, name="fixed")
    assert check_community(fixed) == []


@pytest.mark.parametrize("hours, finding", [
    ("744", None),
    ("745", "contributions/2024.yaml:5:12: 'hours': 745 is greater than the maximum of 744"),
    ("100000000000", "contributions/2024.yaml:5:12: 'hours': 100000000000 is greater than the maximum of 744"),
])
def test_hours_are_bounded_per_record(community, hours, finding):
    root = community({"contributions/2024.yaml": (
        "records:\n  - date: 2024-03-03\n    who: ben\n    kind: mentoring\n"
        f"    hours: {hours}\n    description: Mentoring\n")})
    assert [str(f) for f in check_community(root)] == ([finding] if finding else [])


def test_a_history_cache_of_the_older_format_is_rebuilt_not_misread(tmp_path, monkeypatch):
    """Format 3 kept (added, removed, documentation lines) per commit: read as today's summary it
    would give no source-code lines, or fail. Its file is another namespace, so it is left alone."""
    from gitrepo import GitRepo
    from value import cache, history

    repo = GitRepo(tmp_path / "repo", tmp_path / "home")
    sha = repo.commit("code", ("Ana", "ana@example.org"), "2024-01-05T10:00:00+00:00",
                      {"src/a.py": numbered(30), "notes.md": numbered(10)})
    folder = tmp_path / "cache"
    monkeypatch.setattr(cache, "FORMAT", 3)
    monkeypatch.setattr(history, "summarize", lambda files: (sum(f[1] for f in files), 0, 10))  # the old summary
    assert history.read_history(repo.path, cache_dir=folder, engine="git").records[sha][history.SUMMARY] == (40, 0, 10)
    monkeypatch.undo()
    fresh = history.read_history(repo.path, cache_dir=folder, engine="git")
    assert fresh.records[sha][history.SUMMARY] == (40, 0, 10, 30, 0)  # added, removed, docs, code added, removed
    assert fresh.read == 1 and len(list(folder.glob("history-*.pickle"))) == 2
