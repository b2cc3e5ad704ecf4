"""`commonplace diff`: what a change does to the portal, as Markdown for a pull request.

The base is read from git objects, the head from the work tree (or a second revision); the
repositories are real, made with explicit authors and dates.
"""

from __future__ import annotations

import os
import re
import subprocess

import pygit2
import pytest

from communities import BIN, BROKEN, base_env, write_files
from generator.cli import parser as cli_parser
from generator.commands import diff as diffmod
from generator.errors import CommonplaceError
from gitrepo import ANA, commit_all, git


def diff_cli(*argv: str) -> int:
    args = cli_parser().parse_args(["diff", *argv])
    return args.run(args)


CHANGE = {
    # a member changes: her page changes
    "members/ana.yaml": """\
        name: Ana Lopez
        emails: [ana@example.org]
        roles: [coordinator, treasurer]
        affiliation: Barrio Garden
        """,
    # a goal is done
    "projects/catalogue.md": """\
        ---
        title: Seed catalogue
        status: active
        leads: [ana]
        goals:
          - title: List 100 varieties
            done: true
            done_at: 2024-05-01
          - title: Photograph them
            done: true
            done_at: 2024-06-01
        ---
        # Why

        A catalogue helps gardeners find seeds.
        """,
    # money comes in and goes out
    "ledger/2024.yaml": """\
        currency: EUR
        entries:
          - {date: 2024-06-02, amount: "150.00", kind: donation, from: Barrio Garden}
          - {date: 2024-06-03, amount: "40.50", kind: expense, to: Print shop, project: catalogue}
        """,
    # a new member organises a new event
    "members/dan.yaml": "name: Dan Ruiz\nemails: [dan@example.org]\n",
    "events/harvest-2024.md": "---\ntitle: Harvest fair\ndate: 2024-09-14\norganisers: [dan]\n---\nApples.\n",
}


def test_diff_markdown_for_a_change(community, capsys):
    root = community()
    commit_all(root, "Start")
    base = git(root, "rev-parse", "HEAD").strip()
    write_files(root, CHANGE)
    assert diff_cli(str(root), "--base", "main") == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    value_at = lines.index("### Value")
    assert lines[:value_at] == [
        "## Commonplace: what this change does to the portal",
        "",
        f"Compared the work tree with base `{base[:7]}`: 2 pages added, 17 changed, 0 removed; 7 figures moved.",
        "",
        "### Pages",
        "",
        "| change | page | title |",
        "|---|---|---|",
        "| added | `events/harvest-2024/` | Harvest fair |",
        "| added | `members/dan/` | Dan Ruiz |",
        "| changed | `/` | Seed Library |",
        "| changed | `data/` | Open data |",  # its rows and sizes
        "| changed | `events/` | Events |",
        "| changed | `ledger/` | Ledger |",
        "| changed | `members/` | Members |",
        "| changed | `members/ana/` | Ana Lopez |",
        # the pseudonymous member's share of community building moves with the new event
        "| changed | `members/mellow-seal/` | Mellow Seal |",
        "| changed | `projects/` | Projects |",
        "| changed | `projects/catalogue/` | Seed catalogue |",
        # the ledger's first entries bring findings on funding
        "| changed | `sustainability/` | Sustainability |",
        "| changed | `value/` | Value |",
        # every value page shows a figure the change moves (the methodology: the record totals)
        "| changed | `value/community-building/` | Community building |",
        "| changed | `value/contributors/` | Contributors by value |",
        "| changed | `value/methodology/` | Methodology |",
        "| changed | `value/monetary-value/` | Money raised and replacement cost |",
        "| changed | `value/objective-accomplishment/` | Objective accomplishment |",
        "| changed | `value/social-use-value/` | Social use value |",
        "",
        # the event-participation table (csv and json) gains the new event, and the contribution
        # records (csv and json) the change's records, the advice its findings
        "25 other files (open data, feed, sitemap, assets) also change.",
        "",
        "### Figures",
        "",
        "| figure | before | after | change |",
        "|---|--:|--:|--:|",
        "| members | 3 | 4 | +1 |",
        "| goals done: Seed catalogue | 1 / 2 | 2 / 2 | +1 |",
        "| events | 1 | 2 | +1 |",
        "| ledger entries | 0 | 2 | +2 |",
        "| income (EUR) | 0.00 | 150.00 | +150.00 |",
        "| expenses (EUR) | 0.00 | 40.50 | +40.50 |",
        "| balance (EUR) | 0.00 | 109.50 | +109.50 |",
        "",
        "- Members joined: Dan Ruiz",
        "- Goals completed in Seed catalogue: Photograph them",
        "- Events added: Harvest fair (2024-09-14)",
        "",
    ]
    # the value engine's figures that move with the files (the history is the same: nothing committed)
    value = lines[value_at:]
    assert value[:3] == ["### Value", "", "New contributors (1): Dan Ruiz"]
    assert "| objective accomplishment | `goals_done` | 1 | 2 |" in value
    assert "| monetary value | `donors` | 0 | 1 |" in value
    assert not [line for line in value if "`commits`" in line]
    assert err == ""


def test_diff_names_no_hidden_member_and_no_real_name_behind_a_pseudonym(community, capsys):
    root = community()
    commit_all(root, "Start")
    write_files(root, {"members/eve.yaml": "name: Eve Secret\nemails: [eve@example.org]\nvisibility: hidden\n",
                       "members/fay.yaml": "name: Fay Private\nemails: [fay@example.org]\nvisibility: pseudonymous\n"})
    assert diff_cli(str(root), "--base", "HEAD") == 0
    out = capsys.readouterr().out
    assert "Eve Secret" not in out and "Fay Private" not in out and "@example" not in out
    (joined,) = [line for line in out.splitlines() if line.startswith("- Members joined: ")]
    assert re.fullmatch(r"- Members joined: [A-Z][a-z]+ [A-Z][a-z]+ and 1 hidden member", joined)


def test_diff_between_two_commits_with_value_figures(community, capsys):
    root = community()
    commit_all(root, "Start")
    write_files(root, {"members/dan.yaml": "name: Dan Ruiz\nemails: [dan@example.org]\n"})
    commit_all(root, "Dan joins", author=("Dan Ruiz", "dan@example.org"), committer=ANA, date="2024-06-01T10:00:00+02:00")
    write_files(root, {"members/dan.yaml": None})  # the work tree is not what --head compares
    assert diff_cli(str(root), "--base", "HEAD~1", "--head", "HEAD") == 0
    lines = capsys.readouterr().out.splitlines()
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    base = git(root, "rev-parse", "--short=7", "HEAD~1").strip()
    # added: members/dan/; changed: home and members index (counts), Ana's page (her share of the commits
    # drops from 1/1 to 1/2), the other contributor's page (mellow-seal: the people with contribution
    # records its value sentence counts are one more), the value pages that show a figure the commit
    # moves, and data/ (the rows and sizes of the open data), and sustainability/ (the load on the core
    # counts one more person); not value/monetary-value/: a YAML file is no source code, so the
    # replacement cost stays
    changed = sorted(line.split("`")[1] for line in lines if line.startswith("| changed |"))
    assert changed == ["/", "data/", "members/", "members/ana/", "members/mellow-seal/", "sustainability/", "value/",
                       "value/community-building/", "value/contributors/", "value/methodology/",
                       "value/objective-accomplishment/", "value/social-use-value/"]
    assert lines[2] == f"Compared `{head}` with base `{base}`: 1 page added, 12 changed, 0 removed; 1 figure moved."
    assert "| members | 3 | 4 | +1 |" in lines
    value = lines[lines.index("### Value"):]
    assert value[2] == "New contributors (1): Dan Ruiz"
    assert "| objective accomplishment | `commits` | 1 | 2 |" in value


def test_diff_with_no_change(community, capsys):
    root = community()
    commit_all(root, "Start")
    assert diff_cli(str(root), "--base", "HEAD") == 0
    base = git(root, "rev-parse", "--short=7", "HEAD").strip()
    assert capsys.readouterr().out.splitlines() == [
        "## Commonplace: what this change does to the portal",
        "",
        f"Compared the work tree with base `{base}`: No change to the portal.",
    ]


def test_diff_of_invalid_head_exits_1_with_findings_in_markdown_and_text(community, capsys):
    root = community()
    commit_all(root, "Start")
    write_files(root, BROKEN)
    assert diff_cli(str(root), "--base", "HEAD") == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "## Commonplace: what this change does to the portal",
        "",
        "The data of the work tree is not valid: 2 errors in 2 files. The portal would not build.",
        "",
        "| file | line | problem |",
        "|---|--:|---|",
        "| `events/swap-2024.md` | 4:14 | unknown member 'anna' (did you mean 'ana'?) |",
        "| `members/dan.yaml` | 2:1 | unknown key 'emial' (did you mean 'emails'?) |",
    ]
    assert err.splitlines() == [
        "events/swap-2024.md:4:14: unknown member 'anna' (did you mean 'ana'?)",
        "members/dan.yaml:2:1: unknown key 'emial' (did you mean 'emails'?)",
        "the head does not build: 2 errors in 2 files",
    ]


def test_diff_when_the_base_does_not_build(community, capsys):
    root = community(BROKEN)
    commit_all(root, "Broken start")
    write_files(root, {rel: None for rel in BROKEN})
    assert diff_cli(str(root), "--base", "HEAD") == 0
    lines = capsys.readouterr().out.splitlines()
    # 20: the site's pages, data/, sustainability/, value/ and its seven pages (a page per dimension, the contributors, the
    # methodology) among them
    assert lines[2].startswith("Compared the work tree with base ") and ": 20 pages added, 0 changed, 0 removed;" in lines[2]
    assert lines[4] == ("> The base did not build (2 errors in 2 files), so every page of this change counts as added.")


def test_diff_reads_the_base_from_git_objects_without_following_symlinks(community, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish\n")
    root = community({"pages/leak.md": None})
    os.symlink(secret, root / "pages" / "leak.md")
    commit_all(root, "Start with a symlink")
    repo = pygit2.Repository(str(root))
    out = tmp_path / "materialised"
    assert diffmod.materialise(repo, repo.head.peel(), "", out)
    assert not (out / "pages" / "leak.md").exists()
    assert (out / "members" / "ana.yaml").read_text() == (root / "members" / "ana.yaml").read_text()
    assert not diffmod.materialise(repo, repo.head.peel(), "no-such-folder", tmp_path / "none")


def test_diff_usage_errors(community, capsys):
    root = community()
    commit_all(root, "Start")
    with pytest.raises(SystemExit) as exc:
        diff_cli(str(root))  # --base is required
    assert exc.value.code == 2
    with pytest.raises(CommonplaceError, match="unknown revision 'nope'"):
        diff_cli(str(root), "--base", "nope")


def test_diff_is_a_command_of_commonplace(community):
    root = community()
    commit_all(root, "Start")
    help_text = subprocess.run([str(BIN / "commonplace"), "diff", "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "--base REF" in help_text.stdout
    result = subprocess.run([str(BIN / "commonplace"), "diff", str(root), "--base", "HEAD"], capture_output=True,
                            text=True, env=base_env(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == diffmod.HEADING


# -- the base is built from everything the head build reads -------------------------------------

def _no_change_line(root) -> str:
    base = git(root, "rev-parse", "--short=7", "HEAD").strip()
    return f"Compared the work tree with base `{base}`: {diffmod.NO_CHANGE}"


@pytest.fixture(scope="module")
def living_demo(tmp_path_factory):
    """The living demo (`commonplace new --example`): LICENSE, CONTRIBUTING, ecosystem files and two
    fetched federation peers, none of them a data file."""
    from generator.cli import main

    root = tmp_path_factory.mktemp("diff-demo") / "demo"
    assert main(["new", "--example", str(root)]) == 0
    return root


def test_diff_of_the_living_demo_on_a_clean_tree_says_no_change(living_demo, capsys):
    assert git(living_demo, "status", "--porcelain") == ""
    capsys.readouterr()
    assert diff_cli(str(living_demo), "--base", "HEAD") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[2] == _no_change_line(living_demo), out
    assert "### Sustainability" not in out  # no risk resolved by files the base left out


def test_diff_of_a_fresh_new_community_says_no_change(tmp_path):
    target = tmp_path / "fresh"
    env = base_env(tmp_path)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Ana Lopez",
                "GIT_AUTHOR_EMAIL": "ana@example.org", "GIT_COMMITTER_NAME": "Ana Lopez",
                "GIT_COMMITTER_EMAIL": "ana@example.org"})
    made = subprocess.run([str(BIN / "commonplace"), "new", str(target)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)
    assert made.returncode == 0, made.stderr
    result = subprocess.run([str(BIN / "commonplace"), "diff", str(target), "--base", "HEAD"], capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [diffmod.HEADING, "", _no_change_line(target)]


def test_diff_of_a_one_line_change_in_the_living_demo_shows_its_page(living_demo, tmp_path, capsys):
    import shutil

    root = tmp_path / "demo"  # a copy: both sides read its peers' cache (none here, as the copy moved)
    shutil.copytree(living_demo, root, symlinks=True)
    member = root / "members" / "lucia-ferrer.yaml"
    text = member.read_text(encoding="utf-8")
    old = "affiliation: Túria University, Department of Geography\n"
    assert old in text
    member.write_text(text.replace(old, "affiliation: Benimaclet Commons\n"), encoding="utf-8")
    capsys.readouterr()
    assert diff_cli(str(root), "--base", "HEAD") == 0
    out = capsys.readouterr().out
    changed = re.findall(r"^\| changed \| `([^`]*)` \|", out, re.M)
    assert "members/lucia-ferrer/" in changed and "members/" in changed, out
    assert not re.findall(r"^\| (added|removed) \|", out, re.M), out
    assert not {"federation/", "sustainability/", "data/"} & set(changed), out  # only what the line touches
