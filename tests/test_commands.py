"""The command line: exit codes, output formats, `new`, and what a build leaves behind."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from communities import BROKEN, EXAMPLE, ROOT, example_repository
from generator.cli import main
from gitrepo import commit_all, git


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, capture_output=True,
                          stdin=subprocess.DEVNULL,  # never a terminal: `new` would ask its questions there
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_check_clean_community_exits_0(community, capsys):
    assert main(["check", str(community())]) == 0
    assert capsys.readouterr().err.strip() == "no problems found"


def test_check_lists_every_mistake_and_exits_1(community, capsys):
    assert main(["check", str(community(BROKEN))]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "events/swap-2024.md:4:14: unknown member 'anna' (did you mean 'ana'?)",
        "members/dan.yaml:2:1: unknown key 'emial' (did you mean 'emails'?)",
    ]
    assert err.strip() == "2 errors in 2 files"


def test_check_github_annotations_use_repository_paths(community, capsys):
    root = community(BROKEN)
    outer = root.parent
    commit_all(outer)  # the community lives in a subfolder of the repository
    assert main(["check", str(root), "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "::error file=community/events/swap-2024.md,line=4,col=14::unknown member 'anna' (did you mean 'ana'?)",
        "::error file=community/members/dan.yaml,line=2,col=1::unknown key 'emial' (did you mean 'emails'?)",
    ]


def test_check_gitlab_code_quality_report(community, capsys):
    assert main(["check", str(community(BROKEN)), "--format", "gitlab"]) == 1
    issues = json.loads(capsys.readouterr().out)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["severity"], i["description"]) for i in issues] == [
        ("events/swap-2024.md", 4, "major", "unknown member 'anna' (did you mean 'ana'?)"),
        ("members/dan.yaml", 2, "major", "unknown key 'emial' (did you mean 'emails'?)"),
    ]
    assert len({i["fingerprint"] for i in issues}) == 2


def test_check_json_is_a_plain_list(community, capsys):
    assert main(["check", str(community(BROKEN)), "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert rows[1] == {"path": "members/dan.yaml", "line": 2, "col": 1, "severity": "error",
                       "message": "unknown key 'emial' (did you mean 'emails'?)"}


def test_usage_errors_exit_2():
    assert run("check", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2


def test_every_command_has_help():
    for command in ("new", "check", "build", "diff"):
        result = run(command, "--help")
        assert result.returncode == 0 and "usage: commonplace" in result.stdout


def test_bad_data_is_a_message_not_a_traceback(community):
    result = run("build", str(community(BROKEN)))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "members/dan.yaml:2:1: unknown key 'emial'" in result.stderr
    assert "nothing was written" in result.stderr


def test_new_community_builds_without_edits(tmp_path):
    target = tmp_path / "my-community"
    result = run("new", str(target), env={"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"})
    assert result.returncode == 0, result.stderr
    assert git(target, "log", "--format=%s").strip() == "Start My Community with Commonplace"
    assert git(target, "status", "--porcelain") == ""
    assert "_site/" in (target / ".gitignore").read_text()
    result = run("build", str(target))
    assert result.returncode == 0, result.stderr
    assert "<h1 id=\"community-name\">My Community</h1>" in (target / "_site/index.html").read_text()
    assert run("new", str(target)).returncode == 1  # never overwrites


def test_new_community_counts_the_founder_from_git_config(tmp_path):
    """The founder's member file takes `git config`'s name and address, so the first commit is
    theirs; a name YAML would misread is quoted. Anyone committing without a member file is shown
    under a pseudonym by default."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text('[user]\n\tname = "Ana: the #1 founder"\n\temail = Ana@Example.org\n')
    env = {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    target = tmp_path / "garden"
    assert run("new", str(target), env=env).returncode == 0
    founder = (target / "members" / "ana-the-1-founder.yaml").read_text()  # the handle: user.name as a slug
    assert 'name: "Ana: the #1 founder"' in founder and '- "Ana@Example.org"' in founder
    assert "non_members: pseudonym" in (target / "commonplace.yaml").read_text()
    result = run("value", str(target), "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    [person] = json.loads(result.stdout)["contributors"]
    assert (person["id"], person["name"], person["member"], person["commits"]) == \
        ("ana-the-1-founder", "Ana: the #1 founder", True, 1)
    assert run("check", str(target), env=env).returncode == 0


def test_failed_build_leaves_previous_site_intact(community, tmp_path):
    root = community()
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "members" / "dan.yaml").write_text("name: [unclosed\n")
    assert main(["build", str(root), "-o", str(out)]) == 1
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name or ".old-" in p.name] == []


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first, second = tmp_path / "a", tmp_path / "b"
    example = example_repository(tmp_path / "example")
    assert run("build", str(example), "-o", str(first), env=env).returncode == 0
    assert run("build", str(example), "-o", str(second), env=env).returncode == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    assert "<updated>2023-11-14T22:13:20Z</updated>" in (first / "feed.xml").read_text()


def test_example_community_builds_a_full_portal_without_private_data(tmp_path):
    out = tmp_path / "site"
    assert main(["build", str(example_repository(tmp_path / "example")), "-o", str(out)]) == 0
    assert len(list((out / "members").iterdir())) >= 12
    assert len(list((out / "projects").iterdir())) == 5  # 4 projects + index
    emails = set()
    for member in (EXAMPLE / "members").glob("*.yaml"):
        emails |= set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", member.read_text()))
    emails |= set(re.findall(r"<([^>]+@[^>]+)>", (EXAMPLE / ".mailmap").read_text()))
    assert len(emails) >= 12
    machine = [str(ROOT), str(Path.home()), os.environ.get("USER", "")]
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for address in emails:
                assert address not in text, f"{address} leaked into {path.relative_to(out)}"
            for fragment in filter(None, machine):
                if len(fragment) > 4:
                    assert fragment not in text, f"{fragment} leaked into {path.relative_to(out)}"


def test_a_page_failing_after_others_were_written_leaves_the_previous_site_intact(community, tmp_path, capsys):
    # Enough pages for the workers to write pages into the staging folder as they render them.
    members = {f"members/m{i:03}.yaml": f"name: Member {i}\n" for i in range(450)}
    root = community(members)
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "theme").mkdir()
    (root / "theme" / "member.html").write_text(
        '{% extends "base.html" %}{% block main %}{% if person.slug == "m420" %}{% include "missing.html" %}'
        "{% endif %}{{ person.name }}{% endblock %}\n")
    assert main(["build", str(root), "-o", str(out), "--clean"]) == 1
    assert "missing.html" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name or ".old-" in p.name] == []


def test_strict_stops_on_a_warning_before_writing(community, tmp_path, capsys):
    root = community()
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "pages" / "about.md").write_text("---\ntitle: About us now\n---\nNew.\n")
    (root / "members" / "elsewhere.yaml").symlink_to("/etc/hostname")  # a warning, never followed
    capsys.readouterr()
    assert main(["build", str(root), "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "members/elsewhere.yaml:1:1" in err and "(--strict fails on warnings); nothing was written" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert main(["build", str(root), "-o", str(out)]) == 0  # without --strict the warning is only shown
    assert "About us now" in (out / "about/index.html").read_text()
    assert main(["build", str(root), "-o", str(out), "--strict"]) == 1  # nothing changed: still failing


def test_a_linked_cache_folder_is_refused_never_written_through(community, tmp_path, capsys):
    root = community()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".commonplace-cache").symlink_to(elsewhere)  # as a hostile pull request could commit it
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert ".commonplace-cache is a link or a file, not a folder" in err and "Traceback" not in err
    assert list(elsewhere.iterdir()) == [] and not out.exists()


def test_a_manifest_is_never_written_through_a_link(community, tmp_path):
    from generator.cache.manifest import Manifest

    root = community()
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 0
    manifest = Manifest.path(root, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    manifest.unlink()
    manifest.symlink_to(victim)  # read or written through, this would leak or clobber the file
    (manifest.parent / f"{manifest.stem}.tmp").symlink_to(victim)  # the temporary name older versions used
    assert main(["build", str(root), "-o", str(out)]) == 0
    assert victim.read_text() == "precious\n"
    assert manifest.is_file() and not manifest.is_symlink()  # replaced by a file of our own
    assert main(["build", str(root), "-o", str(out)]) == 0


def test_a_community_theme_cannot_publish_the_members_addresses(community, tmp_path):
    root = community({"theme/member.html": (
        '{% extends "base.html" %}{% block main %}<p id="leak">{{ member.emails | join(",") }}'
        '|{{ person.member.emails | join(",") }}|{{ people.get("ben").member.emails | join(",") }}</p>'
        "{% endblock %}\n")})
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 0
    page = (out / "members" / "ana" / "index.html").read_text()
    assert '<p id="leak">||</p>' in page
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"ana@example.org" not in data and b"ben@example.net" not in data, path


def test_a_community_theme_cannot_name_a_pseudonymous_member(community, tmp_path):
    root = community({"theme/member.html": (
        '{% extends "base.html" %}{% block main %}<p id="leak">{{ member.name }}|{{ member.affiliation }}|'
        '{{ member.bio }}|{{ member.source }}|{{ people.get("ben").member.name }}</p>{% endblock %}\n')})
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 0
    names = {path: path.read_text() for path in out.rglob("*.html")}
    assert any('<p id="leak">' in text for text in names.values())
    for path, text in names.items():
        assert "Ben Okafor" not in text and "members/ben.yaml" not in text, path
