"""`commonplace new --example`: the example community replayed as a history by its members."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from gitrepo import git

EXAMPLE = Path(__file__).resolve().parents[1] / "example-community"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["new", "--example", str(root)]) == 0
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def test_the_same_command_gives_the_same_commit_ids(demo, tmp_path, capsys):
    again = tmp_path / "again"
    assert main(["new", "--example", str(again)]) == 0
    assert "replayed as" in capsys.readouterr().out
    refs = "--format=%(objectname) %(refname)"
    assert git(again, "for-each-ref", refs) == git(demo, "for-each-ref", refs)
    assert git(again, "rev-list", "--count", "HEAD").strip() == git(demo, "rev-list", "--count", "HEAD").strip()


def test_the_last_commit_holds_the_example_s_files_and_a_gitignore(demo):
    assert git(demo, "status", "--porcelain") == ""
    made = _files(demo)
    assert made.pop(".gitignore").startswith(b"# Commonplace build output")
    assert made == _files(EXAMPLE)
    assert ".mailmap" in made


def test_every_member_commits_as_their_member_file_says(demo):
    authors = set(git(demo, "log", "--no-merges", "--format=%aN <%aE>", "--use-mailmap").splitlines())
    for path in sorted((EXAMPLE / "members").glob("*.yaml")):
        member = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert f"{member['name']} <{member['emails'][0]}>" in authors, path.stem
    # Jordi's first commits carry his old work address, which the .mailmap joins.
    raw = git(demo, "log", "--no-merges", "--format=%ae", "--author=Jordi")
    assert "jpuig@llavor.example.com" in raw and "jordi@example.org" in raw
    first = git(demo, "log", "--reverse", "--format=%aN %ad", "--date=short").splitlines()[0]
    assert first == "Lucía Ferrer 2022-09-17"  # the coordinating founder starts it on `founded`


def test_commits_are_dated_as_the_data_says(demo):
    # street-trees: "Russafa fully surveyed", done_at 2026-07-11, by a lead, reviewed by the other.
    goal = git(demo, "log", "--no-merges", "--format=%ad|%aN", "--date=short", "--grep=russafa fully surveyed")
    day, who = goal.strip().split("|")
    assert day == "2026-07-11" and who in ("Sofía Marín", "Tomás Navarro")
    body = git(demo, "log", "-1", "--no-merges", "--format=%B", "--grep=russafa fully surveyed")
    assert "Reviewed-by: " in body
    # A member joins on `joined`; an event is written up three days after it; kudos by their giver.
    assert git(demo, "log", "--no-merges", "--format=%ad %aN", "--date=short", "--diff-filter=A", "--",
               "members/pau-soler.yaml").strip() == "2024-10-12 Pau Soler"
    assert git(demo, "log", "--format=%ad %aN", "--date=short", "--diff-filter=A", "--",
               "events/josm-workshop-2025.md").strip() == "2025-03-25 Jordi Puig"
    kudos = git(demo, "log", "--no-merges", "--format=%ad %aN %s", "--date=short", "--", "kudos/2026.yaml")
    assert "2026-09-22 Jordi Puig Kudos to pau-soler" in kudos.splitlines()


def test_the_value_report_shows_a_living_community(demo, capsys):
    capsys.readouterr()
    assert main(["value", str(demo), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    people = {c["id"]: c for c in report["contributors"]}
    assert set(people) >= {p.stem for p in (EXAMPLE / "members").glob("*.yaml")}
    assert people["lucia-ferrer"]["commits"] >= 5 and people["jordi-puig"]["commits"] >= 5
    assert sum(1 for c in people.values() if c["commits"] >= 10) >= 4  # a few very active people
    assert sum(1 for c in people.values() if c["coauthored_commits"]) >= 3
    done = report["dimensions"]["objective_accomplishment"]
    assert done["merged_pull_requests"] >= 10
    assert done["releases"] >= 2
    assert done["goals_done"] == 9


def test_the_history_is_valid_data_along_the_way(demo, tmp_path, capsys):
    """A project is started with its goals still to do, and the data checks at a commit of mid-history."""
    started = git(demo, "log", "--no-merges", "--diff-filter=A", "--format=%H", "--",
                  "projects/accessible-sidewalks.md").strip()
    first = git(demo, "show", f"{started}:projects/accessible-sidewalks.md")
    assert "status: active" in first and "done_at" not in first
    middle = git(demo, "rev-list", "-1", "--first-parent", "--before=2025-01-01T00:00:00Z", "HEAD").strip()
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for rel in git(demo, "ls-tree", "-r", "--name-only", middle).splitlines():
        (snapshot / rel).parent.mkdir(parents=True, exist_ok=True)
        (snapshot / rel).write_text(git(demo, "show", f"{middle}:{rel}"), encoding="utf-8")
    assert not (snapshot / "ledger").exists() and (snapshot / "members" / "pau-soler.yaml").exists()
    assert main(["check", str(snapshot)]) == 0, capsys.readouterr().err
