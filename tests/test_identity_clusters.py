"""Same-name identities proposed as `.mailmap` lines: printed by `check --advice`, never merged,
never written to the site, `data/` or the advice's JSON."""

from __future__ import annotations

import json

import pytest

from generator.build import build
from generator.cli import main
from gitrepo import commit_all
from value.clusters import normalised_name, propose

JOSE_WORK = ("José García", "jose@work.example")
JOSE_HOME = ("jose  GARCIA", "JGarcia@Home.example")
ANA_HOME = ("ANA LÓPEZ", "ana.lopez@home.example")  # Ana Lopez is a member (ana@example.org)
ROSA_OLD = ("Rosa Parra", "rosa@old.example")
ROSA = ("Rosa Parra", "rosa@new.example")
ADMIN_ONE = ("admin", "admin@one.example")
ADMIN_TWO = ("Admin", "admin@two.example")
BOT_ONE = ("Renovate Bot", "bot@renovateapp.com")
BOT_TWO = ("Renovate Bot", "renovate@whitesource.example")
ADDRESSES = ("jose@work.example", "jgarcia@home.example", "ana.lopez@home.example", "ana@example.org",
             "rosa@old.example", "rosa@new.example", "admin@one.example", "admin@two.example")


@pytest.mark.parametrize("name, folded", [
    ("José  García-Ruiz", "jose garcia ruiz"),
    ("JOSE GARCIA RUIZ", "jose garcia ruiz"),
    ("O'Brien, Seán", "o brien sean"),
    ("Bo Li", "bo li"),
    ("王小明", "王小明"),  # a script that writes a name without spaces
    ("admin", None), ("root", None), ("J. S.", None), ("Your Name", None), ("ana@example.org", None),
    ("Ana \x1b[2J Lopez", None), ("Ana <Lopez>", None),  # a terminal's escape, a mailmap's brackets
])
def test_names_are_folded_and_weak_ones_refused(name, folded):
    assert normalised_name(name) == folded


def row(pid, name, emails, commits, member=False, bot=False):
    return {"id": pid, "name": name, "emails": list(emails), "commits": commits, "coauthored_commits": 0,
            "member": member, "bot": bot}


def test_the_address_kept_is_the_most_used_and_a_member_wins_a_tie():
    rows = [row("jose-garcia", "José García", ["jose@work.example"], 1),
            row("jose-garcia-2", "jose garcia", ["jg@home.example"], 5),
            row("ana", "Ana Lopez", ["a2@x.example", "a1@x.example"], 2, member=True),
            row("ana-lopez", "ana lopez", ["ana@y.example"], 2),
            row("solo", "Solo Person", ["solo@x.example"], 3),
            row("eve", "Eve Ryman", ["eve@x.example"], 3), row("eve-2", "Eve Ryman", ["eve\x1b]0;x\x07@y.example"], 1)]
    assert [p.lines() for p in propose(rows)] == [
        ["Ana Lopez <a1@x.example> <ana@y.example>"],
        ["jose garcia <jg@home.example> <jose@work.example>"],
    ]


def test_a_real_history_gets_proposals_only_for_same_name_people(community, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734264000")
    root = community({".mailmap": "Rosa Parra <rosa@new.example> <rosa@old.example>\n"})
    commit_all(root, "Start", date="2024-01-10T12:00:00+00:00")
    for i, author in enumerate([JOSE_WORK, JOSE_WORK, JOSE_HOME, ANA_HOME, ROSA_OLD, ROSA,
                                ADMIN_ONE, ADMIN_TWO, BOT_ONE, BOT_TWO]):
        (root / f"w{i}.txt").write_text(f"{i}\n", encoding="utf-8")
        commit_all(root, f"work {i}", author=author, date=f"2024-02-{i + 1:02d}T12:00:00+00:00")

    assert main(["check", str(root), "--advice"]) == 0
    out, err = capsys.readouterr()
    proposed = [line.strip() for line in err.splitlines() if line.startswith("  ")]
    assert proposed == [
        "Ana Lopez <ana@example.org> <ana.lopez@home.example>",  # the member's address is kept
        "José García <jose@work.example> <jgarcia@home.example>",  # two commits against one
    ]  # not Rosa (the .mailmap merges her), nor "admin" (one word), nor the bots
    assert "Sustainability advice" in out and not any(a in out for a in ADDRESSES)

    assert main(["check", str(root), "--advice", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["schema"] == "commonplace.advice/1"
    assert not any(a in (out + err).casefold() for a in ADDRESSES)
    assert main(["check", str(root), "--advice", "--format", "github"]) == 0  # a CI log may be public
    assert not any(a in "".join(capsys.readouterr()).casefold() for a in ADDRESSES)

    site = tmp_path / "site"
    build(root, site)
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace").casefold()
        assert not any(a in text for a in ADDRESSES), path
    assert (site / "data/advice.json").is_file()


def test_a_member_file_that_merges_the_addresses_means_no_proposal(community, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734264000")
    root = community({"members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org, ana.lopez@home.example]\n"})
    commit_all(root, "Start", date="2024-01-10T12:00:00+00:00")
    for i, author in enumerate([ANA_HOME, JOSE_WORK, JOSE_HOME]):
        (root / f"w{i}.txt").write_text(f"{i}\n", encoding="utf-8")
        commit_all(root, f"work {i}", author=author, date=f"2024-02-{i + 1:02d}T12:00:00+00:00")
    assert main(["check", str(root), "--advice"]) == 0
    proposed = [line.strip() for line in capsys.readouterr().err.splitlines() if line.startswith("  ")]
    # one commit each: the tie goes to the first id, and jgarcia@ took the slug first (addresses in order)
    assert proposed == ["jose  GARCIA <jgarcia@home.example> <jose@work.example>"]
