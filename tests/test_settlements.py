"""Settled reward plans (VALUE.md, "Settling a period"), on real git repositories: `rewards
--settle` appends the split computed at HEAD and leaves the rest of the file byte-identical; it
refuses, with the reason, what it may not settle; a settled plan never moves (new weights, a late
record); a tampered settlement fails `check` at its line; `diff` names a settlement change first;
a member's page tells paid, settled and planned money apart."""

from __future__ import annotations

import csv
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

    def make(plan_text: str = PLAN + NOTE, overrides=None):
        root = community({"rewards/may.yaml": plan_text, ".gitignore": "_site/\n.commonplace-cache/\n",
                          **(overrides or {})})
        commit_all(root, "Start", date=MAY.format(day="02"))
        for who, day, name in ((BEN, "03", "ben"), (CY, "04", "cy"), (BEN, "05", "ben2")):
            write_files(root, {f"notes/{name}.md": f"# {name}\n\n" + "a line\n" * 20})
            commit_all(root, f"Notes by {name}", author=who, date=MAY.format(day=day))
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
