"""Signing keys and verified commits (issue 14, point 9): git's own SSH signature verification
against an allowed-signers file made from the member files.

Real SSH-signed commits in a repository made here: Ana signs with her key (verified), with an
unknown key, with Ben's key (a key of another member: not verified for her), and once not at
all; Ben signs with his key (verified)."""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import subprocess

import pytest

from communities import write_files
from generator.build import build
from generator.load.loader import check_community, load_community
from generator.valuation import community_data, value_report
from gitrepo import ANA, commit_all, git, identity
from value.signatures import allowed_signers, verified_commits

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                                reason="ssh-keygen is missing: SSH signatures cannot be made or verified")

BEN = ("Ben Okafor", "ben@example.net")


def keygen(folder, name: str) -> tuple:
    """(private key path, public key line with its comment) of a new ed25519 key."""
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", str(path)], check=True)
    return path, (folder / f"{name}.pub").read_text().strip()


def commit(root, message: str, author, date: str, key=None) -> str:
    (root / "pages" / f"{message}.md").write_text(f"---\ntitle: {message}\n---\nText.\n")
    git(root, "add", "-A")
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}.pub"] if key else []
    git(root, *sign, "commit", "-q", *(["-S"] if key else []), "-m", message, env=identity(author, date))
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def signed(community, tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    ana_key, ana_pub = keygen(keys, "ana")
    ben_key, ben_pub = keygen(keys, "ben")
    eve_key, _ = keygen(keys, "eve")
    root = community({
        "members/ana.yaml": f"name: Ana Lopez\nemails: [ana@example.org]\nsigning_keys:\n  - {ana_pub}\n",
        "members/ben.yaml": f"name: Ben Okafor\nemails: [ben@example.net]\nsigning_keys: ['{ben_pub}']\n",
    })
    ids = {"files": commit_all(root, "Start")}  # unsigned
    ids["ana"] = commit(root, "ana-own-key", ANA, "2024-06-01T12:00:00+00:00", ana_key)
    ids["unknown"] = commit(root, "ana-unknown-key", ANA, "2024-06-02T12:00:00+00:00", eve_key)
    ids["other"] = commit(root, "ana-bens-key", ANA, "2024-06-03T12:00:00+00:00", ben_key)
    ids["unsigned"] = commit(root, "ana-unsigned", ANA, "2024-06-04T12:00:00+00:00")
    ids["ben"] = commit(root, "ben-own-key", BEN, "2024-06-05T12:00:00+00:00", ben_key)
    return root, ids, ana_pub, ben_key


def test_only_commits_signed_with_their_authors_key_are_verified(signed):
    root, ids, ana_pub, _ = signed
    members = community_data(load_community(root)).members
    assert verified_commits(root, "HEAD", members) == {ids["ana"], ids["ben"]}
    # the allowed-signers file: every address with every key of its member, comments left out
    assert allowed_signers(members).splitlines()[0] == "ana@example.org " + " ".join(ana_pub.split()[:2])
    assert "laptop" not in allowed_signers(members)
    # nothing is written into the repository's work tree
    assert git(root, "status", "--porcelain") == ""


def test_the_report_and_the_member_page_say_how_many_commits_are_verified(signed, tmp_path):
    root, _ids, _, ben_key = signed
    rows = {c["id"]: c for c in value_report(root).to_json()["contributors"]}
    assert (rows["ana"]["commits"], rows["ana"]["verified_commits"]) == (5, 1)
    assert (rows["ben"]["commits"], rows["ben"]["verified_commits"]) == (1, 1)
    # git's answers are kept per commit id in the engine's cache folder, keyed by the key list
    (stored,) = (root / ".git" / "commonplace-cache").glob("signatures-*.json")
    assert len(json.loads(stored.read_text())) == 6  # every commit of a member with keys: 5 of Ana, 1 of Ben
    build(root, tmp_path / "site")
    page = (tmp_path / "site" / "members" / "ana" / "index.html").read_text()
    assert "1 of 5 commits signed with a key in their member file" in page
    # one more signed commit: the report is folded from the stored one, the new commit checked
    commit(root, "ben-again", BEN, "2024-06-06T12:00:00+00:00", ben_key)
    rows = {c["id"]: c for c in value_report(root).to_json()["contributors"]}
    assert (rows["ben"]["commits"], rows["ben"]["verified_commits"]) == (2, 2)
    assert rows["ana"]["verified_commits"] == 1


def test_no_verified_count_when_no_member_lists_keys(community):
    root = community()
    commit_all(root, "Start")
    (row,) = [c for c in value_report(root).to_json()["contributors"] if c["id"] == "ana"]
    assert "verified_commits" not in row


def test_signing_keys_are_checked_where_they_are_written(community, tmp_path):
    _, ana_pub = keygen(tmp_path, "ana")
    kind, blob = ana_pub.split()[:2]
    root = community({
        "members/ana.yaml": f"name: Ana Lopez\nemails: [ana@example.org]\nsigning_keys:\n  - {ana_pub}\n"
                            f"  - ssh-rsa {blob}\n",
        "members/ben.yaml": f"name: Ben Okafor\nemails: [ben@example.net]\nsigning_keys: ['{kind} {blob} copy']\n",
    })
    assert [str(f) for f in check_community(root) if f.path.startswith("members/")] == [
        "members/ana.yaml:4:5: this signing key is also listed in members/ben.yaml:3:16: "
        "a key belongs to one person; remove it from one file",
        "members/ana.yaml:5:5: 'signing_keys': the key's data is not a 'ssh-rsa' key: copy the whole line of the .pub file",
    ]
    # what is not a key line at all is refused by the schema, at its line
    root = community({"members/ana.yaml": "name: Ana Lopez\nsigning_keys: ['ssh-ed25519 not-base64!']\n"})
    (problem,) = [str(f) for f in check_community(root) if f.path.startswith("members/")]
    assert problem.startswith("members/ana.yaml:2:16: 'signing_keys': 'ssh-ed25519 not-base64!' does not match")


def test_a_member_keeps_the_key_without_its_comment(community, tmp_path):
    _, ana_pub = keygen(tmp_path, "ana")
    root = community({"members/ana.yaml": f"name: Ana Lopez\nemails: [ana@example.org]\nsigning_keys: ['{ana_pub}']\n"})
    assert load_community(root).members["ana"].signing_keys == (" ".join(ana_pub.split()[:2]),)


def june_plan(title: str, verified: bool) -> str:
    return (f"title: {title}\nbudget: \"100.00\"\ncurrency: EUR\npolicy: immediate\nrecipients: all\n"
            f"period: {{start: 2024-06-01, end: 2024-06-30}}\n" + ("verified: true\n" if verified else ""))


def test_a_verified_plan_counts_only_commits_signed_with_their_author_s_key(signed, tmp_path):
    """Of June's five commits, Ana's own-key one and Ben's are verified: a `verified: true` plan
    counts those two (and what they make), so Ben's share grows and Ana's shrinks."""
    root, _ids, _, _ = signed
    write_files(root, {"rewards/signed.yaml": june_plan("Signed", True), "rewards/all.yaml": june_plan("All", False)})
    commit_all(root, "Plans", date="2024-07-02T12:00:00+02:00")  # after the period (a backdated one would land in it)
    build(root, tmp_path / "site")
    amounts = {}
    for slug in ("signed", "all"):
        rows = csv.DictReader(io.StringIO((tmp_path / "site" / "rewards" / slug / f"{slug}.csv").read_text()))
        amounts[slug] = {r["name"]: float(r["amount"]) for r in rows}
        assert round(sum(amounts[slug].values()), 2) == 100.0
    assert amounts["signed"]["Ben Okafor"] > amounts["all"]["Ben Okafor"]
    assert amounts["signed"]["Ana Lopez"] < amounts["all"]["Ana Lopez"]
    page = html.unescape(" ".join((tmp_path / "site" / "rewards" / "signed" / "index.html").read_text().split()))
    assert "This plan counts signed commits only" in page
    assert "2 of the period's 5 commits were verified." in page
    assert "counts signed commits only" not in (tmp_path / "site" / "rewards" / "all" / "index.html").read_text()
    # the engine publishes the verified commits, so the plan can be recomputed from the report
    assert sorted(value_report(root).to_json()["verified"]) == sorted([_ids["ana"], _ids["ben"]])


def test_verified_is_a_boolean_at_its_line(community):
    root = community({"rewards/june.yaml": june_plan("June", False) + "verified: yes please\n"})
    (problem,) = [str(f) for f in check_community(root) if f.path.startswith("rewards/")]
    assert problem == "rewards/june.yaml:7:11: 'verified' must be true or false, not text"
    root = community({"rewards/june.yaml": june_plan("June", True)}, name="other")
    assert load_community(root).rewards["june"].verified is True
