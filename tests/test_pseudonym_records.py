"""Pseudonyms and hidden members cannot be reversed from the site: no commit of theirs is named
anywhere (a commit id is a key to the history, whose author and trailer lines carry the real name
and address), and their records are published summed by month and kind, without sources.

What counts as theirs is read from git itself: every commit whose author, `Co-authored-by` or
`Reviewed-by` trailer, resolved through the `.mailmap`, is a pseudonymous or hidden member (or a
non-member when the community shows non-members under a pseudonym). A site "names" a commit when
any file of it holds its first seven hex digits, in any case (every longer prefix holds them).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from communities import MINIMAL, write_files
from generator.build import build
from generator.cli import main
from generator.people import names_someone_unnamed, pseudonym
from generator.publish.search import available as search_available
from generator.views.records import monthly
from gitrepo import GitRepo, git
from value.contributions import Record

ANA, BEN, CY = ("Ana Lopez", "ana@example.org"), ("Ben Okafor", "ben@example.net"), ("Cy Hidden", "cy@example.com")
BEN_OLD = ("Ben O.", "ben@old.example")  # Ben's old address, which the .mailmap joins to his member file
SALT = "Seed Library"
FORGE = "https://github.com/seeds/library"
TRAILERS = "%(trailers:key=Co-authored-by,key=Reviewed-by,valueonly,separator=%x1f)"


def private_commits(repo: Path, private: set[str], members: set[str] | None = None) -> set[str]:
    """The commits (of every ref) that git says are someone's in `private` (mailmap-resolved,
    lower-cased addresses) as author, co-author or reviewer; with `members`, the addresses of all
    member files, also those of anyone who is not a member (shown under a pseudonym)."""
    def is_private(address: str, name: str) -> bool:
        return address in private or (members is not None and address not in members and "[bot]" not in name)

    found = set()
    for entry in git(repo, "log", "--all", "-z", f"--format=%H%x1e%aN%x1e%aE%x1e{TRAILERS}").split("\0"):
        if not entry.strip():
            continue
        commit, name, address, trailers = entry.strip("\n").split("\x1e")
        people = [(address.lower(), name)]
        for value in filter(None, trailers.split("\x1f")):
            resolved = git(repo, "check-mailmap", value.strip()).strip()
            people.append((resolved.rsplit("<", 1)[1].rstrip(">").lower(), resolved))
        if any(is_private(a, n) for a, n in people):
            found.add(commit)
    return found


def site_text(out: Path) -> dict[str, str]:
    """Every file of the site as lower-case text, gzip-compressed ones (the search index) unpacked."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[path.relative_to(out).as_posix()] = data.decode("utf-8", "replace").lower()
    return texts


def naming(texts: dict[str, str], commits: set[str]) -> dict[str, list[str]]:
    """{file: [commits it names]}, for the files that name any."""
    found = defaultdict(list)
    for name, text in texts.items():
        for commit in sorted(commits):
            if commit[:7].lower() in text:
                found[name].append(commit[:7])
    return dict(found)


def rows(out: Path, name: str) -> list[dict]:
    with (out / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "-", name.lower())


# ---- a real repository: a public, a pseudonymous and a hidden member ------------------------

@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """(site, repository, {who: [commit ids]}): Ana's own commits, Ben's (some under his old
    address), Cy's, a commit of Ana's that Ben co-authored and Cy reviewed, one merged from a
    branch, and Ben's last commit as HEAD, so the build is made from a commit of his."""
    root = tmp_path_factory.mktemp("pseudonyms")
    repo = GitRepo(root / "repo", root / "home")
    write_files(repo.path, {**MINIMAL, ".mailmap": f"{BEN[0]} <{BEN[1]}> <{BEN_OLD[1]}>\n"})
    repo.git("add", "-A")
    commits = defaultdict(list)
    commits["ana"].append(repo.commit("Start", ANA, "2024-03-01T10:00:00+00:00"))
    for day in ("2024-03-05", "2024-04-02", "2024-04-20"):
        commits["ana"].append(repo.commit(f"Notes {day}", ANA, f"{day}T10:00:00+00:00", {f"notes/{day}.txt": "a\nb\n"}))
    for day, who in (("2024-03-07", BEN_OLD), ("2024-03-21", BEN), ("2024-04-11", BEN_OLD)):
        commits["ben"].append(repo.commit(f"Seeds {day}", who, f"{day}T09:00:00+00:00", {f"seeds/{day}.txt": "x\n" * 30}))
    commits["cy"].append(repo.commit("Labels", CY, "2024-04-03T09:00:00+00:00", {"labels.txt": "l\n" * 12}))
    commits["shared"].append(repo.commit(
        f"Sort the jars\n\nCo-authored-by: {BEN_OLD[0]} <{BEN_OLD[1]}>\nReviewed-by: {CY[0]} <{CY[1]}>",
        ANA, "2024-04-05T09:00:00+00:00", {"jars.txt": "j\n" * 8}))
    repo.git("checkout", "-q", "-b", "swap")
    commits["ben"].append(repo.commit("Swap list", BEN, "2024-05-02T09:00:00+00:00", {"swap.txt": "s\n" * 5}))
    repo.git("checkout", "-q", "main")
    commits["ana"].append(repo.commit("Calendar", ANA, "2024-05-03T09:00:00+00:00", {"calendar.txt": "c\n"}))
    commits["merge"].append(repo.merge("swap", "Merge the swap list", ANA, "2024-05-04T09:00:00+00:00"))
    commits["ben"].append(repo.commit("Last touches", BEN, "2024-05-06T09:00:00+00:00", {"seeds/last.txt": "z\n" * 3}))
    out = root / "site"
    build(repo.path, out, incremental=False, search=False)
    return out, repo.path, commits


def test_git_and_the_fixture_agree_on_whose_commits_are_private(seeds):
    _out, repo, commits = seeds
    private = private_commits(repo, {BEN[1], CY[1]})
    assert private == set(commits["ben"]) | set(commits["cy"]) | set(commits["shared"])


def test_no_file_of_the_site_names_a_commit_of_a_pseudonym_or_a_hidden_member(seeds):
    out, repo, commits = seeds
    texts = site_text(out)
    assert naming(texts, private_commits(repo, {BEN[1], CY[1]})) == {}
    # the build was made from Ben's commit: the value pages say so without its id
    assert commits["ben"][-1] == git(repo, "rev-parse", "HEAD").strip()
    assert "figures come from the git history of the community&#39;s repository and from its data files" \
        in texts["value/index.html"]


def test_a_public_member_s_commits_still_show_and_link(seeds):
    out, _repo, commits = seeds
    page = (out / "members" / "ana" / "index.html").read_text()
    published = {r["source"]: r for r in rows(out, "contributions") if r["person"] == "ana"}
    for commit in commits["ana"]:
        assert f'<a href="{FORGE}/commit/{commit}" rel="noopener"><code>{commit[:7]}</code></a>' in page
        assert published[commit]["records"] == "1" and published[commit]["date"]
    # the commit Ben co-authored and Cy reviewed is still Ana's record, dated, with no source
    shared = [r for r in rows(out, "contributions") if r["person"] == "ana" and r["date"] == "2024-04-05"]
    assert {r["kind"] for r in shared} >= {"commit"} and all(r["source"] == "" for r in shared)


def test_a_pseudonym_s_records_are_one_row_per_month_and_kind_without_sources(seeds):
    out, _repo, _commits = seeds
    ben = slug(pseudonym("ben", SALT))
    records = rows(out, "contributions")
    mine = [r for r in records if r["person"] == ben]
    assert mine and all(r["source"] == "" and r["date"].endswith("-01") for r in mine)
    assert len({(r["date"], r["kind"], r["dimension"]) for r in mine}) == len(mine)
    by = {(r["date"], r["kind"]): r for r in mine}
    # March: two commits (one under the old address, joined by the .mailmap); April: one, and the
    # commit he co-authored; May: the merged branch's and the last one
    assert by[("2024-03-01", "commit")]["records"] == "2" and by[("2024-03-01", "commit")]["weight"] == "2.0"
    assert by[("2024-04-01", "commit")]["records"] == "1"
    assert by[("2024-04-01", "coauthor")]["records"] == "1"
    assert by[("2024-05-01", "commit")]["records"] == "2"
    # their sums are still the contributor's figures, so every score can be recomputed
    me = next(c for c in rows(out, "contributors") if c["id"] == ben)
    for d in ("objective_accomplishment", "monetary_value"):
        assert sum(float(r["weight"]) for r in mine if r["dimension"] == d) == pytest.approx(float(me[f"records_{d}"]))
    # hidden members: as before, one undated, unsourced row per kind and dimension
    hidden = [r for r in records if r["person"] == "members not listed"]
    assert hidden and all(r["date"] == "" and r["source"] == "" for r in hidden)
    assert {r["kind"] for r in hidden} >= {"commit", "review"}
    package = json.loads((out / "data" / "datapackage.json").read_text())
    table = next(r for r in package["resources"] if r["name"] == "contributions")
    assert "one row per month, kind and dimension, dated the month's first day" in table["description"]


def test_a_pseudonym_s_page_lists_months_not_commits(seeds):
    out, _repo, commits = seeds
    page = (out / "members" / slug(pseudonym("ben", SALT)) / "index.html").read_text()
    main_part = page[page.index("<main"):page.index("</main>")]
    assert "summed by month and kind, without their sources" in main_part
    assert '<time datetime="2024-03">March 2024</time>' in main_part
    assert "github.com" not in main_part and not re.search(r"\.(md|yaml):[0-9]", main_part)  # no path:line
    assert "Event attended" in main_part  # a record from a data file, summed like the commits
    assert not any(c[:7] in page for c in commits["ben"] + commits["shared"])


def test_the_build_s_commit_is_shown_unless_its_lines_name_someone_unnamed(tmp_path):
    """A merge has no records, so its own author line decides (through the .mailmap): Ben's merge
    is not named; then Ana's merge is, and so is a commit Ana made that GitHub committed."""
    repo = GitRepo(tmp_path / "repo", tmp_path / "home")
    write_files(repo.path, {**MINIMAL, ".mailmap": f"{BEN[0]} <{BEN[1]}> <{BEN_OLD[1]}>\n"})
    repo.git("add", "-A")
    repo.commit("Start", ANA, "2024-03-01T10:00:00+00:00")
    shown = []
    for n, merger in enumerate((BEN_OLD, ANA)):
        repo.git("checkout", "-q", "-b", f"topic-{n}")
        repo.commit(f"Topic {n}", ANA, f"2024-03-0{n + 2}T10:00:00+00:00", {f"topic-{n}.txt": "t\n"})
        repo.git("checkout", "-q", "main")
        repo.commit(f"Main {n}", ANA, f"2024-03-0{n + 2}T11:00:00+00:00", {f"main-{n}.txt": "m\n"})
        head = repo.merge(f"topic-{n}", f"Merge topic {n}", merger, f"2024-03-0{n + 2}T12:00:00+00:00")
        build(repo.path, tmp_path / f"site-{n}", incremental=False, search=False)
        shown.append((head, (tmp_path / f"site-{n}" / "value" / "index.html").read_text()))
    (bens, page_bens), (anas, page_anas) = shown
    assert bens[:7] not in page_bens and "repository and from its data files." in page_bens
    assert f"<code>{anas[:12]}</code>" in page_anas
    github = ("GitHub", "noreply@github.com")
    last = repo.commit("Web edit", ANA, "2024-03-09T10:00:00+00:00", {"web.txt": "w\n"}, committer=github)
    build(repo.path, tmp_path / "site-web", incremental=False, search=False)
    assert f"<code>{last[:12]}</code>" in (tmp_path / "site-web" / "value" / "index.html").read_text()


def test_which_lines_name_someone_the_site_does_not():
    from generator.model import Member

    def member(handle, email, visibility="public"):
        return Member(handle=handle, name=handle, source=f"members/{handle}.yaml", emails=(email,), visibility=visibility)

    members = {"ana": member("ana", ANA[1]), "ben": member("ben", BEN[1], "pseudonymous"),
               "cy": member("cy", CY[1], "hidden")}
    assert not names_someone_unnamed((ANA,), (), members, "name")
    assert names_someone_unnamed((ANA, ("Cy", "CY@example.com ")), (), members, "name")  # a trailer
    assert names_someone_unnamed((ANA,), (("Ben", "ben@example.net"),), members, "name")  # the committer
    outsider = ("Zoe", "zoe@elsewhere.example")
    assert not names_someone_unnamed((outsider,), (), members, "name")
    assert names_someone_unnamed((outsider,), (), members, "pseudonym")
    assert not names_someone_unnamed((ANA,), (outsider,), members, "pseudonym")  # a forge's committer is no one
    assert not names_someone_unnamed((("dependabot[bot]", "bot@example.org"),), (), members, "pseudonym")


def test_monthly_sums_count_weight_and_the_latest_landed_day():
    records = [Record("2024-03-07", "ben", "commit", "objective_accomplishment", 1.0, "a" * 40, "2024-03-08"),
               Record("2024-03-21", "ben", "commit", "objective_accomplishment", 1.0, "b" * 40, "2024-04-02"),
               Record("2024-03-21", "ben", "commit", "community_building", 0.5, "c" * 40, "2024-03-21"),
               Record("2024-04-01", "ben", "commit", "objective_accomplishment", 1.0, "d" * 40, "2024-04-01")]
    rows_ = [(m, k, d, s.records, s.weight, s.landed) for m, k, d, s in monthly(records)]
    assert rows_ == [("2024-03", "commit", "community_building", 1, 0.5, "2024-03-21"),
                     ("2024-03", "commit", "objective_accomplishment", 2, 2.0, "2024-04-02"),
                     ("2024-04", "commit", "objective_accomplishment", 1, 1.0, "2024-04-01")]
    unlanded = [r._replace(landed="") for r in records]  # as read from a /3 report: no landed day
    assert {s.landed for *_, s in monthly(unlanded)} == {None}


# ---- the demo --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(site, demo repository): `commonplace new --example` built, with search when it is installed
    (the index is a file of the site like any other)."""
    root = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["new", "--example", str(root)]) == 0
    out = root.parent / "site"
    build(root, out, incremental=False, search=search_available())
    return out, root


def test_no_file_of_the_built_demo_names_a_commit_of_a_pseudonym_or_a_hidden_member(demo):
    out, repo = demo
    members = [yaml.safe_load(p.read_text()) for p in sorted((repo / "members").glob("*.yaml"))]
    private = {e.lower() for m in members if m.get("visibility") in ("pseudonymous", "hidden") for e in m["emails"]}
    everyone = {e.lower() for m in members for e in m["emails"]}
    assert yaml.safe_load((repo / "commonplace.yaml").read_text())["privacy"]["non_members"] == "pseudonym"
    commits = private_commits(repo, private, everyone)
    # the demo has them to look for: the pseudonymous member's, the hidden one's, non-members'
    authors = set(git(repo, "log", "--all", "--format=%aE").lower().split())
    assert {"dani.ortega@example.com", "rafael.costa@example.net"} <= private & authors
    assert authors - everyone and len(commits) >= 10
    texts = site_text(out)
    if search_available():  # the search index is read too, unpacked
        assert any(name.startswith("pagefind/fragment/") and "pagefind_dcd" in text for name, text in texts.items())
    assert naming(texts, commits) == {}
    # and the check itself finds commit ids where the site publishes them: a public member's
    lucia = set(git(repo, "log", "--all", "--format=%H", "--author=lucia.ferrer@example.org").split())
    assert lucia - commits and naming(texts, lucia - commits)
