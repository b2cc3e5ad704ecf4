"""`commonplace new DIR` inside an existing work tree: a portal folder of that repository.

Real repositories with a history, run through the installed `commonplace` script with standard
input not a terminal (no prompt may wait for an answer)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gitrepo import git, git_env, identity

BOB = ("Bob Stone", "bob@example.org")
BOB_OTHER = ("Bob Stone", "bob@work.example.com")
CAROL = ("Carol Diaz", "carol@example.org")
IMGBOT = ("ImgBotApp", "ImgBotHelp@gmail.com")
FOUNDER = ("Ana Lopez", "ana@example.org")


def commonplace(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("commonplace")
    env = {**git_env(cwd), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([str(script), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=600)


def commit(root: Path, rel: str, text: str, author, date: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"Change {rel}", env=identity(author, date))


def project(root: Path, readme: str = "# Tiny Web\n\n[![ci](https://x/badge.svg)](https://x)\n\n"
                                        "A tiny web framework for careful people.\n") -> Path:
    """A software project: README, pyproject, LICENSE.txt at the top, an origin on GitHub (ssh),
    commits by the founder, Bob under two addresses, Carol and ImgBot."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", FOUNDER[0])
    git(root, "config", "user.email", FOUNDER[1])
    git(root, "remote", "add", "origin", "git@github.com:tiny-org/tiny-web.git")
    (root / "README.md").write_text(readme, encoding="utf-8")
    (root / "pyproject.toml").write_text('[project]\nname = "tinyweb"\ndescription = "Tiny web framework"\n',
                                         encoding="utf-8")
    (root / "LICENSE.txt").write_text("BSD 3-Clause License\n\nRedistribution and use in source and binary forms, "
                                      "with or without modification, are permitted...\n3. Neither the name of the "
                                      "copyright holder...\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Start", env=identity(FOUNDER, "2020-01-01T12:00:00+00:00"))
    for i in range(4):
        commit(root, "src/core.py", f"x = {i}\n", BOB, f"2020-02-0{i + 1}T12:00:00+00:00")
    commit(root, "src/extra.py", "y = 1\n", BOB_OTHER, "2020-03-01T12:00:00+00:00")
    commit(root, "docs/guide.md", "Guide\n", CAROL, "2020-04-01T12:00:00+00:00")
    commit(root, "img/logo.svg", "<svg/>\n", IMGBOT, "2020-05-01T12:00:00+00:00")
    return root


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def adopted(tmp_path):
    root = project(tmp_path / "tiny-web")
    before = head(root)
    result = commonplace(root, "new", "portal")
    assert result.returncode == 0, result.stderr
    return root, before, result


def test_new_adds_a_folder_to_the_repository_without_a_prompt_or_a_commit(adopted):
    root, before, result = adopted
    assert not (root / "portal" / ".git").exists()
    assert head(root) == before
    assert git(root, "status", "--porcelain").strip() == "?? portal/"
    config = load(root / "portal" / "commonplace.yaml")
    assert config["history"] == "repository"
    assert config["forge"] == {"kind": "github", "repo": "tiny-org/tiny-web", "branch": "main", "path": "portal"}
    assert config["privacy"]["non_members"] == "name"
    community = load(root / "portal" / "community.yaml")
    assert community["name"] == "Tiny Web"  # the README's heading before the package name
    assert community["mission"] == "Tiny web framework"  # pyproject's description before the README's prose
    assert community["license"] == "BSD-3-Clause"
    assert community["founded"] == "2020-01-01" or str(community["founded"]) == "2020-01-01"
    founder = load(root / "portal" / "members" / "ana-lopez.yaml")
    assert founder["name"] == "Ana Lopez" and founder["emails"] == ["ana@example.org"]
    assert sorted(p.name for p in (root / "portal" / "members").iterdir()) == ["ana-lopez.yaml"]
    # the settings' comment names the installed schema, whose full path `new` prints
    assert "generator/_data/schemas/commonplace.schema.json" in (root / "portal/commonplace.yaml").read_text()
    [schema] = re.findall(r"settings: every key of commonplace.yaml is described in (\S+)", result.stdout)
    assert Path(schema).is_file()


def test_new_prints_people_to_invite_and_mailmap_proposals_but_writes_neither(adopted):
    root, _, result = adopted
    out = result.stdout
    invite = out.split("to invite", 1)[1]
    assert "Bob Stone (4 commits)" in invite and "Carol Diaz (1 commit)" in invite
    assert "ImgBot" not in invite  # a bot is no one to invite
    assert "Ana Lopez (" not in invite  # the founder is a member already
    assert "Bob Stone <bob@example.org> <bob@work.example.com>" in out
    written = "".join(p.read_text(encoding="utf-8") for p in (root / "portal").rglob("*") if p.is_file())
    assert "Bob Stone" not in written and "bob@" not in written
    assert not (root / ".mailmap").exists()


def test_the_adopted_portal_builds_counting_the_whole_history(adopted):
    root, _, _ = adopted
    result = commonplace(root, "build", "portal")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "portal" / "_site"
    contributors = (site / "data" / "contributors.csv").read_text(encoding="utf-8")
    assert "Bob Stone" in contributors and "Carol Diaz" in contributors  # by the names they commit under
    assert "@" not in contributors
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "no licence file" not in page.lower()
    documents = (site / "data").rglob("*.json")
    assert any("LICENSE.txt" in p.read_text(encoding="utf-8") for p in documents)


def test_the_documents_the_repository_lacks_are_offered_in_the_folder(adopted):
    """Tiny Web has neither a code of conduct nor a contribution guide: the portal gets both, the
    guide pointing at the repository's licence file; the first build finds no risk in their absence."""
    root, _, result = adopted
    portal = root / "portal"
    assert "code of conduct: portal/CODE_OF_CONDUCT.md, written (the repository had none)" in result.stdout
    guide = (portal / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "written down in the `portal/` folder of this repository" in guide and "(see `../LICENSE.txt`)" in guide
    assert "the code of conduct (`CODE_OF_CONDUCT.md`)" in guide
    assert commonplace(root, "build", "portal").returncode == 0
    advice = json.loads((portal / "_site/data/advice.json").read_text(encoding="utf-8"))
    kinds = {f["rule"]: f["kind"] for f in advice["findings"]}
    assert (kinds["code_of_conduct"], kinds["contribution_guide"]) == ("strength", "strength")


def test_the_repositorys_own_documents_are_never_written_again(tmp_path):
    """A code of conduct in `.github/` (any case) is the portal's: the folder gets no second one,
    and its guide points at the repository's; `--no-contributing` declines the guide."""
    root = project(tmp_path / "tiny-web")
    commit(root, ".github/code_of_conduct.md", "# Be kind\n", BOB, "2020-06-01T12:00:00+00:00")
    result = commonplace(root, "new", "portal")
    assert result.returncode == 0, result.stderr
    assert "code of conduct: the repository's .github/code_of_conduct.md" in result.stdout
    assert not (root / "portal/CODE_OF_CONDUCT.md").exists()
    guide = (root / "portal/CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "the code of conduct (`../.github/code_of_conduct.md`)" in guide
    declined = commonplace(root, "new", "other", "--no-contributing")
    assert declined.returncode == 0, declined.stderr
    assert sorted(p.name for p in (root / "other").iterdir() if p.is_file()) == [
        ".gitignore", "commonplace.yaml", "community.yaml"]


def test_commit_commits_the_folder_only(tmp_path):
    root = project(tmp_path / "tiny-web")
    (root / "unrelated.txt").write_text("work in progress\n", encoding="utf-8")
    result = commonplace(root, "new", "portal", "--commit", "--handle", "ana")
    assert result.returncode == 0, result.stderr
    changed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert changed and all(p.startswith("portal/") for p in changed)
    assert "portal/members/ana.yaml" in changed
    assert git(root, "status", "--porcelain").strip() == "?? unrelated.txt"


def test_an_unrecognised_licence_file_and_license_option(tmp_path):
    root = project(tmp_path / "tiny-web")
    (root / "LICENSE.txt").write_text("All rights reserved, ask us.\n", encoding="utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'tinyweb'\n", encoding="utf-8")
    result = commonplace(root, "new", "portal", "--license", "Apache-2.0")
    assert result.returncode == 0, result.stderr
    assert load(root / "portal" / "community.yaml")["license"] == "Apache-2.0"
    bad = commonplace(root, "new", "other", "--license", "not a licence!")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "SPDX" in bad.stderr


@pytest.mark.parametrize("name", ["MIT-LICENSE", "LICENSE-MIT", "license.md"])
def test_a_licence_named_as_large_projects_name_it_is_found(tmp_path, name):
    root = project(tmp_path / "tiny-web")
    git(root, "rm", "-q", "LICENSE.txt")
    (root / name).write_text("MIT License\n\nPermission is hereby granted, free of charge, to any person...\n",
                             encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Licence", env=identity(FOUNDER, "2020-06-01T12:00:00+00:00"))
    result = commonplace(root, "new", "portal")
    assert result.returncode == 0, result.stderr
    assert load(root / "portal" / "community.yaml")["license"] == "MIT"
    assert commonplace(root, "build", "portal").returncode == 0
    advice = json.loads(commonplace(root, "check", "portal", "--advice", "--format", "json").stdout)
    found = [item for item in _items(advice) if item.get("rule") == "licence"]
    assert found and all(item["kind"] == "strength" and item["file"] == f"../{name}" for item in found)


def _items(value):
    """Every mapping inside a JSON value."""
    if isinstance(value, dict):
        yield value
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from _items(item)


@pytest.mark.parametrize("readme, pyproject", [
    ("# Title: with {braces} & 'quotes' \"and\" #hash\n\n- a: b\n", '[project]\nname = "x"\ndescription = "a: [b, {c}] \\u0000 \\u202e"\n'),
    ("# " + "Long " * 100_000 + "\n", "[project\nname = broken toml"),
    ("# Too big\n\n" + "x" * 600_000 + "\n", '[project]\nname = "' + "n" * 5000 + '"\n'),
    ("\x00\x01\x02 binary \xff", '{"not": "toml"}'),
    ("# \u202e\u200b\x7f\x1b[31mRed\n\nText\u2028more\n", '[project]\nname = "\\u001b[2J"\n'),
])
def test_hostile_readme_and_pyproject_give_a_valid_community(tmp_path, readme, pyproject):
    root = project(tmp_path / "tiny-web", readme=readme)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8", errors="surrogateescape")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Hostile files")
    result = commonplace(root, "new", "portal")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    check = commonplace(root, "check", "portal")
    assert check.returncode == 0, check.stdout + check.stderr
    name = load(root / "portal" / "community.yaml")["name"]
    assert name and "\x1b" not in name and "\u202e" not in name and len(name) <= 121


def test_a_symlinked_readme_is_never_followed(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret Name\n\nSecret text.\n", encoding="utf-8")
    root = project(tmp_path / "tiny-web")
    (root / "README.md").unlink()
    os.symlink(secret, root / "README.md")
    (root / "CITATION.cff").symlink_to(secret)
    result = commonplace(root, "new", "portal")
    assert result.returncode == 0, result.stderr
    written = (root / "portal" / "community.yaml").read_text(encoding="utf-8")
    assert "Secret" not in written
    assert "README.md (a symbolic link)" in result.stdout


def test_outside_a_repository_new_still_makes_one(tmp_path):
    result = commonplace(tmp_path, "new", "fresh")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fresh" / ".git").is_dir()
    assert git(tmp_path / "fresh", "log", "--format=%s").strip()


def test_an_opted_out_person_is_shown_under_a_pseudonym(adopted):
    root, _, _ = adopted
    config = root / "portal" / "commonplace.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("opt_out: []", 'opt_out: ["carol@EXAMPLE.org"]'),
                      encoding="utf-8")
    result = commonplace(root, "build", "portal")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "portal" / "_site"
    shown = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                    if p.is_file() and p.suffix in (".html", ".csv", ".json"))
    assert "Carol" not in shown
    assert "Bob Stone" in shown


# `paths:` beside `history: repository`: only the commits that touch one of them count.

def counted(portal: Path) -> list[tuple[str, int]]:
    """(name, commits) of every contributor with commits (ids depend on who counts: not compared)."""
    from generator.valuation import value_report

    report = value_report(portal).to_json()
    return sorted((c["name"], c["commits"]) for c in report["contributors"] if c["commits"])


def with_paths(portal: Path, paths: str | None) -> None:
    config = portal / "commonplace.yaml"
    lines = [ln for ln in config.read_text(encoding="utf-8").splitlines() if not ln.startswith("paths:")]
    if paths is not None:
        lines.append(f"paths: {paths}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_paths_narrow_the_commits_counted_and_the_cache_follows(adopted):
    root, _, _ = adopted
    portal = root / "portal"
    everyone = [("Ana Lopez", 1), ("Bob Stone", 1), ("Bob Stone", 4), ("Carol Diaz", 1)]  # the bot is no contributor
    assert counted(portal) == everyone
    with_paths(portal, "[src/]")
    assert counted(portal) == [("Bob Stone", 1), ("Bob Stone", 4)]
    with_paths(portal, "[docs, src/extra.py]")  # a folder and a file
    assert counted(portal) == [("Bob Stone", 1), ("Carol Diaz", 1)]
    with_paths(portal, None)  # back: the figures of the whole history again, not a cached narrow one
    assert counted(portal) == everyone
    commit(root, "src/core.py", "x = 9\n", CAROL, "2020-06-01T12:00:00+00:00")
    with_paths(portal, "[src/]")
    assert counted(portal) == [("Bob Stone", 1), ("Bob Stone", 4), ("Carol Diaz", 1)]


def test_a_bad_path_is_a_located_error(adopted):
    root, _, _ = adopted
    with_paths(root / "portal", "[../outside]")
    result = commonplace(root, "check", "portal")
    assert result.returncode == 1
    assert "commonplace.yaml:" in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_the_repositorys_funding_file_is_the_portals_and_a_change_to_it_rebuilds(adopted):
    root, _, _ = adopted
    (root / ".github").mkdir()
    (root / ".github" / "FUNDING.yml").write_text("github: [tiny-funder]\n", encoding="utf-8")
    assert commonplace(root, "build", "portal").returncode == 0
    assert "tiny-funder" in (root / "portal" / "_site" / "index.html").read_text(encoding="utf-8")
    (root / ".github" / "FUNDING.yml").write_text("github: [new-funder]\n", encoding="utf-8")
    result = commonplace(root, "build", "portal")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (root / "portal" / "_site" / "index.html").read_text(encoding="utf-8")
    assert "new-funder" in page and "tiny-funder" not in page


@pytest.mark.parametrize("url, forge", [
    ("git@github.com:django/django.git", {"kind": "github", "repo": "django/django"}),
    ("https://github.com/django/django", {"kind": "github", "repo": "django/django"}),
    ("ssh://git@gitlab.com/group/sub/project.git", {"kind": "gitlab", "repo": "group/sub/project"}),
    ("https://gitlab.example.org/group/project.git",
     {"kind": "gitlab", "repo": "group/project", "host": "https://gitlab.example.org"}),
    ("git@gitlab.example.org:group/project.git",
     {"kind": "gitlab", "repo": "group/project", "host": "https://gitlab.example.org"}),
    ("https://bitbucket.org/a/b.git", None),
    ("/srv/git/project.git", None),
])
def test_the_forge_is_read_from_origins_url(url, forge):
    from generator.adopt import forge_of

    assert forge_of(url) == forge


def test_a_logo_in_the_readme_heading_is_no_part_of_the_name(tmp_path):
    root = project(tmp_path / "tiny-web", readme="# ![logo](logo.png) [Tiny **Web**](https://x.org)\n\nProse.\n")
    assert commonplace(root, "new", "portal").returncode == 0
    assert load(root / "portal" / "community.yaml")["name"] == "Tiny Web"


def test_a_repository_without_commits_gets_a_portal_and_a_clear_note(tmp_path):
    root = tmp_path / "empty"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", FOUNDER[0])
    git(root, "config", "user.email", FOUNDER[1])
    result = commonplace(root, "new", "portal")
    assert result.returncode == 0, result.stderr
    assert "no commits yet" in result.stdout and "NOASSERTION" in result.stdout
    assert load(root / "portal" / "community.yaml")["license"] == "NOASSERTION"
    assert not (root / "portal" / ".git").exists()
