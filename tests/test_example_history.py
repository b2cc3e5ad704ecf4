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
    skip = {".git", ".commonplace-cache", "peers"}  # peers: the demo's peers' own data, in repositories beside it
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not skip & set(p.relative_to(root).parts)}


def test_the_same_command_gives_the_same_commit_ids(demo, tmp_path, capsys):
    again = tmp_path / "demo"  # the same name: the demo's federation.yaml names the peers' folders after it
    assert main(["new", "--example", str(again)]) == 0
    assert "replayed as" in capsys.readouterr().out
    refs = "--format=%(objectname) %(refname)"
    assert git(again, "for-each-ref", refs) == git(demo, "for-each-ref", refs)
    assert git(again, "rev-list", "--count", "HEAD").strip() == git(demo, "rev-list", "--count", "HEAD").strip()


def test_the_last_commit_holds_the_example_s_files_and_a_gitignore(demo):
    assert git(demo, "status", "--porcelain") == ""
    made = _files(demo)
    assert made.pop(".gitignore").startswith(b"# Commonplace build output")
    example = _files(EXAMPLE)
    # The one difference: the peers' addresses are the folders made beside the demo.
    assert made.pop("federation.yaml") != example.pop("federation.yaml")
    assert made == example
    assert ".mailmap" in made


def test_every_member_commits_as_their_member_file_says(demo):
    authors = set(git(demo, "log", "--no-merges", "--format=%aN <%aE>", "--use-mailmap").splitlines())
    for path in sorted((EXAMPLE / "members").glob("*.yaml")):
        member = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert f"{member['name']} <{member['emails'][0]}>" in authors, path.stem
    # Jordi's first commits carry his old work address, which the .mailmap joins.
    raw = git(demo, "log", "--no-merges", "--format=%ae", "--author=Jordi")
    assert "jpuig@llavor.example.com" in raw and "jordi@example.org" in raw
    # the coordinating founder starts it on `founded`, on the history of the network it forked
    first = git(demo, "log", "--reverse", "--format=%aN %ad", "--date=short", "--committer=Lucía").splitlines()[0]
    assert first == "Lucía Ferrer 2022-09-17"


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


# ---- the demo's peers -----------------------------------------------------------------------

def test_the_demo_forked_from_its_upstream_and_pulls_flow_both_ways(demo):
    upstream = demo.parent / "demo-upstream"
    git(demo, "fetch", "-q", str(upstream), "main:refs/remotes/upstream/main")
    # Barrio Maps' first commit of its own sits on the network's history of that day
    root_of_demo = git(demo, "rev-list", "--max-parents=0", "HEAD").split()
    assert root_of_demo == git(upstream, "rev-list", "--max-parents=0", "HEAD").split()
    started = git(demo, "log", "--format=%H %ad %aN %s", "--date=short", "--grep=^Start Barrio Maps").split()
    assert started[1:4] == ["2022-09-17", "Lucía", "Ferrer"]
    fork_point = git(demo, "rev-parse", f"{started[0]}^").strip()
    assert git(upstream, "merge-base", "--is-ancestor", fork_point, "main") == ""
    # the network's work reached Barrio Maps by pulls; Barrio Maps' field guide chapters reached the network
    pulls = git(demo, "log", "--merges", "--format=%s", "--grep=upstream/main").splitlines()
    assert len(pulls) == 3
    offered = git(demo, "log", "--no-merges", "--format=%H %aN", "--author=Amina", "--author=Tomás", "--",
                  "pages/field-guide.md").splitlines()
    assert len(offered) == 2
    for line in offered:
        git(upstream, "merge-base", "--is-ancestor", line.split()[0], "main")  # raises when not
    # and each side has commits the other does not: ahead and behind
    assert int(git(demo, "rev-list", "--count", "HEAD..upstream/main")) > 0
    assert int(git(demo, "rev-list", "--count", "upstream/main..HEAD")) > 100
    assert (demo / "pages" / "field-guide.md").read_text() == (upstream / "pages" / "field-guide.md").read_text()


def test_the_open_data_peer_publishes_only_its_data_on_gh_pages(demo):
    peer = demo.parent / "demo-open-data"
    published = git(peer, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "data/datapackage.json" in published and all(p.startswith("data/") for p in published)
    package = json.loads(git(peer, "show", "gh-pages:data/datapackage.json"))
    assert {r["name"] for r in package["resources"]} >= {"community", "contributors"}
    assert "@" not in git(peer, "show", "gh-pages:data/contributors.csv")


def test_the_built_demo_shows_a_living_federated_community(demo, tmp_path, capsys):
    """The issue's targets for what the built demo shows, read from the site and the value report."""
    from generator.build import build
    assert "not fetched" not in capsys.readouterr().err
    result = build(demo, tmp_path / "site", search=False, incremental=False)
    assert not [w for w in result.warnings if "peers/" in w.path], result.warnings  # every peer fetched and read
    site = tmp_path / "site"
    federation = (site / "federation" / "index.html").read_text()
    assert "Flowed" in federation and "Amina Belkacem (1)" in federation
    directory = (site / "directory" / "index.html").read_text()
    assert all(name in directory for name in ("Barrio Maps", "Cartografia Oberta", "Ciutat Verda"))

    assert main(["value", str(demo), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    building = report["dimensions"]["community_building"]
    assert building["active_contributors"] >= 10
    assert all(building["roles"][ring] > 0 for ring in ("core", "regular", "casual"))
    assert building["absence_factor"] > 1  # the bus factor
    assert len(report["monthly"]["months"]) >= 18
    members = {p.stem for p in (EXAMPLE / "members").glob("*.yaml")}
    paid = json.loads((site / "data" / "rewards.json").read_text())
    plans = {p.stem for p in (demo / "rewards").glob("*.yaml")}
    assert {row["plan"] for row in paid} == plans
    # rows paid nothing explain why (a pseudonymous member shows under the pseudonym): only the paid ones count
    assert {row["id"] for row in paid if float(row["amount"])} <= members | {""}, "a rewards plan paid a non-member"  # "": hidden ones
