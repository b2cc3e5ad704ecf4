"""History reading on a small hand-made repository: every figure worked out by hand."""

from __future__ import annotations

import json

import pytest

from gitrepo import assert_counting_contract
from value.errors import NotARepository, ShallowHistory, UnknownRef
from value.history import parse_trailers, read_history
from value.report import build_report

ALICE_OLD = ("Alice", "Alice@Old.Example")
ALICE = ("Alice Liddell", "alice@example.org")
BOB = ("Bob", "bob@example.org")
CAROL = ("Carol", "carol@example.org")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


@pytest.fixture
def repo(make_repo):
    r = make_repo()
    # 1: Alice, old address (merged by .mailmap): .mailmap 1 line, README 3, src/a.py 5 -> +9 -0
    r.commit("Start", ALICE_OLD, "2024-01-10T10:00:00+01:00", {
        ".mailmap": "Alice Liddell <alice@example.org> <alice@old.example>\n",
        "README.md": "one\ntwo\nthree\n",
        "src/a.py": "1\n2\n3\n4\n5\n",
    })
    # 2: Bob changes one line and adds two: +3 -1; co-authored by Alice, reviewed by Carol
    r.commit("Grow a.py\n\nMore lines.\n\nCo-authored-by: Alice <ALICE@old.example>\nReviewed-by: Carol <carol@example.org>\n",
             BOB, "2024-01-20T09:00:00-05:00", {"src/a.py": "1\n2\nthree\n4\n5\n6\n7\n"})
    # 3: Alice renames a.py (identical content: 0 / 0) and adds a binary file (0 / 0)
    r.move("src/a.py", "src/b.py")
    r.commit("Rename and logo", ALICE, "2024-02-05T12:00:00+00:00", {"logo.png": PNG})
    r.git("checkout", "-q", "-b", "feature")
    # 4: Carol writes a guide on a branch: +4
    r.commit("Guide", CAROL, "2024-02-10T08:00:00+00:00", {"docs/guide.md": "a\nb\nc\nd\n"})
    r.git("checkout", "-q", "main")
    # 5: a bot edits one README line: +1 -1
    r.commit("Bump", BOT, "2024-02-12T08:00:00+00:00", {"README.md": "one\n2\nthree\n"})
    # 6: Bob merges the pull request (a merge: no person figures)
    r.merge("feature", "Merge pull request #7 from carol/feature\n\nGuide", BOB, "2024-02-15T08:00:00+00:00")
    r.tag("v1.0", BOB, "2024-02-15T09:00:00+00:00")
    return r


def by_id(report):
    return {c["id"]: c for c in report["contributors"] + report["bots"]}


def test_person_figures(repo, tmp_path):
    report = build_report(repo.path, cache_dir=tmp_path / "cache").to_json()
    people = by_id(report)
    assert sorted(people) == ["alice-liddell", "bob", "carol", "dependabot-bot"]
    alice, bob, carol, bot = (people[k] for k in ("alice-liddell", "bob", "carol", "dependabot-bot"))
    assert alice["emails"] == ["alice@example.org"]
    assert (alice["commits"], alice["lines_added"], alice["lines_removed"]) == (2, 9, 0)
    assert alice["coauthored_commits"] == 1
    assert alice["first_commit"] == "2024-01-10T10:00:00+01:00"
    assert alice["last_commit"] == "2024-02-05T12:00:00+00:00"
    assert (bob["commits"], bob["lines_added"], bob["lines_removed"], bob["merges"]) == (1, 3, 1, 1)
    assert bob["first_commit"] == "2024-01-20T09:00:00-05:00"
    assert (carol["commits"], carol["lines_added"], carol["reviews"]) == (1, 4, 1)
    assert bot["bot"] is True and bot["commits"] == 1 and "scores" not in bot
    assert [b["id"] for b in report["bots"]] == ["dependabot-bot"]
    assert_counting_contract(report, repo.numstat())


def test_community_figures(repo, tmp_path):
    report = build_report(repo.path, cache_dir=tmp_path / "cache").to_json()
    oa = report["dimensions"]["objective_accomplishment"]
    assert oa["commits"] == 5  # the bot's included, the merge not
    assert oa["commits_with_merges"] == 6
    assert oa["merged_pull_requests"] == 1
    assert oa["releases"] == 1
    assert (oa["lines_added"], oa["lines_removed"]) == (17, 2)
    cb = report["dimensions"]["community_building"]
    assert cb["absence_factor"] == 1  # alice 2 of 4 human commits: 50% reached at >=
    assert cb["roles"] == {"casual": 0, "core": 3, "regular": 0}  # 2 + 1 = 75% < 80%: carol too
    # README 3 + 2, docs/guide.md 4 of 19 lines changed
    assert report["dimensions"]["social_use_value"]["documentation_share"] == round(9 / 19, 6)
    assert report["monthly"]["months"] == ["2024-01", "2024-02"]
    assert report["monthly"]["objective_accomplishment"]["commits"] == [2, 3]
    # Carol's review of Bob's commit in January makes her active (and new) then, before her guide
    assert report["monthly"]["community_building"]["new_contributors"] == [3, 0]
    assert report["monthly"]["community_building"]["active_contributors"] == [3, 2]
    assert report["monthly"]["community_building"]["retention"] == [None, round(2 / 3, 6)]  # Alice and Carol stayed
    assert report["source"]["branch"] == "main"
    assert report["source"]["commit"] == repo.head()
    people = report["contributors"]
    for dim in report["dimensions"]:
        total = sum(p["scores"][dim] for p in people)
        assert total == pytest.approx(1.0, abs=1e-5) or total == 0
    assert sum(p["cred"] for p in people) == pytest.approx(1000, abs=1e-3)
    text = json.dumps(report, sort_keys=False)
    assert text == json.dumps(build_report(repo.path, cache_dir=tmp_path / "cache").to_json())


def test_trailers():
    message = "Subject\n\nBody\n\nCo-authored-by: A B <a@x>\nreviewed-by: C <c@x>\nAcked-by: nobody\nSigned-off-by: D <d@x>\n"
    assert parse_trailers(message) == (
        ("co-authored-by", "A B", "a@x"), ("reviewed-by", "C", "c@x"), ("signed-off-by", "D", "d@x"),
    )
    assert parse_trailers("Co-authored-by: A <a@x>") == ()  # a subject is never a trailer


def test_subfolder_community(make_repo, tmp_path):
    r = make_repo()
    r.commit("root", ALICE, "2024-03-01T10:00:00+00:00", {"app/x.txt": "1\n2\n", "site/members/a.yaml": "a: 1\n"})
    r.commit("outside only", BOB, "2024-03-02T10:00:00+00:00", {"app/x.txt": "1\n2\n3\n"})
    r.git("checkout", "-q", "-b", "side")
    r.commit("inside on a branch", CAROL, "2024-03-03T10:00:00+00:00", {"site/pages/p.md": "p\nq\n"})
    r.git("checkout", "-q", "main")
    r.commit("both", BOB, "2024-03-04T10:00:00+00:00", {"app/x.txt": "1\n", "site/members/a.yaml": "a: 2\n"})
    r.move("app/x.txt", "site/x.txt")  # moved in from outside: an addition under site/
    r.commit("move in", ALICE, "2024-03-05T10:00:00+00:00")
    r.merge("side", "Merge pull request #2 from carol/side", BOB, "2024-03-06T10:00:00+00:00")
    report = build_report(r.path, subdir="site", cache_dir=tmp_path / "cache").to_json()
    people = by_id(report)
    assert (people["alice-liddell"]["commits"], people["alice-liddell"]["lines_added"]) == (2, 2)
    assert (people["bob"]["commits"], people["bob"]["lines_added"], people["bob"]["lines_removed"]) == (1, 1, 1)
    assert people["carol"]["commits"] == 1
    assert report["dimensions"]["objective_accomplishment"]["merged_pull_requests"] == 1
    assert report["source"]["subdir"] == "site"
    assert_counting_contract(report, r.numstat("site"))
    whole = build_report(r.path, cache_dir=tmp_path / "cache").to_json()
    assert_counting_contract(whole, r.numstat())


def test_shallow_clone_is_refused(repo, tmp_path):
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    with pytest.raises(ShallowHistory, match="fetch-depth: 0"):
        build_report(clone, cache_dir=tmp_path / "cache").to_json()


def test_user_errors(repo, tmp_path):
    with pytest.raises(UnknownRef):
        build_report(repo.path, ref="no-such-branch", use_cache=False).to_json()
    with pytest.raises(NotARepository):
        build_report(tmp_path / "home", use_cache=False).to_json()
    assert isinstance(UnknownRef("x"), ValueError)


def test_empty_repository(make_repo):
    r = make_repo("empty")
    report = build_report(r.path, use_cache=False).to_json()
    assert report["contributors"] == [] and report["source"]["commit"] is None
    assert report["dimensions"]["objective_accomplishment"]["commits"] == 0


def test_ref_and_tags(repo, tmp_path):
    history = read_history(repo.path, ref="v1.0", cache_dir=tmp_path / "cache")
    assert [t.name for t in history.tags] == ["v1.0"]
    assert history.branch is None
