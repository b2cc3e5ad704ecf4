"""`commonplace new DIR` outside any repository: the founder's handle, the licence, the code of
conduct and the contribution guide it offers, asked only on a terminal, and what the first
build of what it makes shows.

Run through the installed `commonplace` script, with git's configuration in a home folder of the
test's own (`git config user.name` is where the handle comes from by default)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from gitrepo import git, git_env

SCRIPT = Path(sys.executable).with_name("commonplace")
YEAR = datetime.now(timezone.utc).year  # `new` dates its files on the day it runs


def environment(home: Path, name: str | None = "Ana Lopez", email: str | None = "ana@example.org") -> dict:
    """git's environment with a ~/.gitconfig naming `name` and `email` (when given)."""
    home.mkdir(parents=True, exist_ok=True)
    lines = ["[user]"] + ([f"\tname = {name}"] if name else []) + ([f"\temail = {email}"] if email else [])
    (home / ".gitconfig").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {**git_env(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "PYTHONIOENCODING": "utf-8"}


def new(tmp_path: Path, *args: str, stdin=subprocess.DEVNULL, env: dict | None = None, **options):
    env = env or environment(tmp_path / "home")
    return subprocess.run([str(SCRIPT), "new", *args], cwd=tmp_path, env=env, stdin=stdin, capture_output=True,
                          text=True, timeout=600, **options)


def test_handle_and_licence_from_the_command_line(tmp_path):
    """--handle names the member file, the first project's lead and the first event's organiser
    (the three files that named `founder`); --license writes the licence's text and names it in
    community.yaml; a code of conduct and a contribution guide come with it."""
    result = new(tmp_path, "garden", "--handle", "ana", "--license", "MIT")
    assert result.returncode == 0, result.stderr
    garden = tmp_path / "garden"
    assert sorted(p.name for p in (garden / "members").iterdir()) == ["ana.yaml"]
    assert "name: \"Ana Lopez\"" in (garden / "members/ana.yaml").read_text(encoding="utf-8")
    assert "leads:\n  - ana\n" in (garden / "projects/first-project.md").read_text(encoding="utf-8")
    assert "organisers:\n  - ana\n" in (garden / "events/first-assembly.md").read_text(encoding="utf-8")
    assert [p.name for p in garden.rglob("*.md") if "founder" in p.read_text(encoding="utf-8")] == []
    assert yaml.safe_load((garden / "community.yaml").read_text(encoding="utf-8"))["license"] == "MIT"
    licence = (garden / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n\nCopyright (c) %d The Garden contributors\n" % YEAR)
    assert "Permission is hereby granted, free of charge" in licence and "THE SOFTWARE IS PROVIDED \"AS IS\"" in licence
    conduct = (garden / "CODE_OF_CONDUCT.md").read_text(encoding="utf-8")
    guide = (garden / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert conduct.startswith("# Code of conduct\n\nGarden is made by people") and "pull request" in conduct
    assert "pull request" in guide and "members/your-handle.yaml" in guide and "commonplace check" in guide
    assert "first member: members/ana.yaml; licence: MIT" in result.stdout
    assert git(garden, "status", "--porcelain") == ""  # all of it in the first commit
    assert subprocess.run([str(SCRIPT), "check", "garden"], cwd=tmp_path, env=environment(tmp_path / "home"),
                          capture_output=True, text=True).returncode == 0


@pytest.mark.parametrize("spdx, words", [
    ("CC-BY-SA-4.0", "Attribution-ShareAlike 4.0 International"),
    ("CC-BY-4.0", "Creative Commons Attribution 4.0 International"),
    ("CC0-1.0", "CC0 1.0 Universal"),
    ("Apache-2.0", "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"),
    ("GPL-3.0-or-later", "either version 3 of\nthe License, or (at your option) any later version"),
])
def test_each_known_licence_gets_its_own_words(tmp_path, spdx, words):
    """The licence file is the licence's text (or, for the Creative Commons 4.0 licences, their
    notice and the address of the legal code), which the adoption of a repository reads back as
    the same licence."""
    from generator.adopt import licence_id

    assert new(tmp_path, "c", "--license", spdx).returncode == 0
    text = (tmp_path / "c/LICENSE").read_text(encoding="utf-8")
    assert words in text
    if spdx.startswith("CC-BY"):
        assert "https://creativecommons.org/licenses/" in text
    assert licence_id(text) == spdx


def test_without_a_terminal_nothing_is_asked(tmp_path):
    """Standard input a pipe holding answers, or closed: `new` reads none of it and takes the
    defaults: the handle from `git config user.name`, CC-BY-SA-4.0, both documents."""
    piped = new(tmp_path, "piped", input="zed\nMIT\nn\nn\n", stdin=None)
    assert piped.returncode == 0, piped.stderr
    env = environment(tmp_path / "home")
    closed = subprocess.run(["sh", "-c", 'exec "$0" new closed <&-', str(SCRIPT)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert closed.returncode == 0, closed.stderr
    for made in (piped, closed):
        assert "Your handle" not in made.stdout and "licence of the community" not in made.stdout
    for folder in ("piped", "closed"):
        root = tmp_path / folder
        assert sorted(p.name for p in (root / "members").iterdir()) == ["ana-lopez.yaml"]
        assert "license: CC-BY-SA-4.0" in (root / "community.yaml").read_text(encoding="utf-8")
        assert (root / "CODE_OF_CONDUCT.md").is_file() and (root / "CONTRIBUTING.md").is_file()


def test_without_git_config_the_handle_is_founder(tmp_path):
    result = new(tmp_path, "plain", env=environment(tmp_path / "home", name=None, email=None))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "plain/members").iterdir()) == ["founder.yaml"]


def test_the_documents_can_be_declined(tmp_path):
    result = new(tmp_path, "bare", "--no-code-of-conduct", "--no-contributing")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "bare").iterdir() if p.is_file()) == [
        ".gitignore", "LICENSE", "README.md", "commonplace.yaml", "community.yaml"]
    assert "CONTRIBUTING" not in (tmp_path / "bare/README.md").read_text(encoding="utf-8")
    assert new(tmp_path, "guide-only", "--no-code-of-conduct").returncode == 0
    guide = (tmp_path / "guide-only/CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "code of conduct" not in guide.lower() and "(see `LICENSE`)" in guide  # no pointer to a file not written


def test_on_a_terminal_it_asks(tmp_path):
    """On a terminal, `new` asks for the handle, the licence (again after an id it has no text
    for) and each document; an empty answer takes the default shown."""
    pty = pytest.importorskip("pty")  # a POSIX terminal
    leader, follower = pty.openpty()
    try:
        os.write(leader, b"bea\nWTFPL\nCC0-1.0\nn\n\n")
        result = new(tmp_path, "asked", stdin=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 0, result.stderr
    assert "Your handle (members/HANDLE.yaml) [ana-lopez]: " in result.stdout
    assert "'WTFPL': Commonplace writes the licence file for CC-BY-SA-4.0, CC-BY-4.0, CC0-1.0, MIT" in result.stdout
    root = tmp_path / "asked"
    assert sorted(p.name for p in (root / "members").iterdir()) == ["bea.yaml"]
    assert "license: CC0-1.0" in (root / "community.yaml").read_text(encoding="utf-8")
    assert not (root / "CODE_OF_CONDUCT.md").exists() and (root / "CONTRIBUTING.md").is_file()


@pytest.mark.parametrize("args, message", [
    (("--license", "WTFPL"), "error: --license 'WTFPL': Commonplace writes the licence file for CC-BY-SA-4.0, "
                             "CC-BY-4.0, CC0-1.0, MIT, Apache-2.0, GPL-3.0-or-later; choose one of them"),
    (("--license", "mit"), "error: --license 'mit': Commonplace writes the licence file for"),
    (("--handle", "Ana Lopez"), "error: --handle 'Ana Lopez': use lowercase letters a-z, digits and '-', "
                                "such as 'ana-lopez'"),
])
def test_a_wrong_answer_is_an_error_and_nothing_is_made(tmp_path, args, message):
    result = new(tmp_path, "wrong", *args)
    assert result.returncode == 1
    assert result.stderr.startswith(message) and "Traceback" not in result.stderr
    assert not (tmp_path / "wrong").exists()


def test_the_settings_comment_points_at_the_installed_schema(tmp_path):
    """The comment names the schema as installed, and `new` prints where it is on this machine
    (a path that exists), never writing that path into the repository."""
    result = new(tmp_path, "settings")
    config = (tmp_path / "settings/commonplace.yaml").read_text(encoding="utf-8")
    assert "generator/_data/schemas/commonplace.schema.json" in config and "Commonplace's schemas/" not in config
    [printed] = re.findall(r"settings: every key of commonplace.yaml is described in (\S+)", result.stdout)
    assert Path(printed).is_file() and json.loads(Path(printed).read_text(encoding="utf-8"))["title"]
    assert printed not in config


def test_other_licences_naming_the_gnu_ones_are_not_taken_for_them():
    """MPL-2.0 names the GNU licences in its body; a GNU licence is known by its title."""
    from generator.adopt import licence_id

    mpl = "Mozilla Public License Version 2.0\n" + "Terms.\n" * 400 + "GNU Affero General Public License, Version 3.0\n"
    assert licence_id(mpl) == "MPL-2.0"
    gpl = "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n" + "Terms.\n" * 400
    assert licence_id(gpl) == "GPL-3.0-only"
    assert licence_id("Copyright 2026 X\n\nGNU General Public License, either version 3 of the License, or (at your "
                      "option) any later version.\n\n" + gpl) == "GPL-3.0-or-later"


@pytest.fixture(scope="module")
def day_one(tmp_path_factory):
    """A fresh `new`, built: (its folder, its site)."""
    tmp_path = tmp_path_factory.mktemp("day-one")
    assert new(tmp_path, "mycomm").returncode == 0
    site = tmp_path / "site"
    built = subprocess.run([str(SCRIPT), "build", "mycomm", "-o", str(site)], cwd=tmp_path,
                           env=environment(tmp_path / "home"), capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    return tmp_path / "mycomm", site


def text_of(page: Path) -> str:
    """A page's words, tags dropped and spaces collapsed."""
    html = page.read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_day_one_has_no_missing_document_risks_and_speaks_of_one_person(day_one):
    _root, site = day_one
    advice = json.loads((site / "data/advice.json").read_text(encoding="utf-8"))
    kinds = {f["rule"]: f["kind"] for f in advice["findings"]}
    assert {r: kinds[r] for r in ("licence", "code_of_conduct", "contribution_guide", "governance")} == \
        dict.fromkeys(("licence", "code_of_conduct", "contribution_guide", "governance"), "strength")
    assert kinds["bus_factor"] == "risk" and "alone" in json.dumps(advice)
    page = text_of(site / "sustainability/index.html")
    assert re.findall(r"\b1 (?:people|events|months|members|projects|goals)\b", page) == []
    assert "One person made every commit of the last 12 months, as in most communities that are starting" in page
    assert "1 event in the last 12 months or planned." in page
    assert "in those months, one person made them all" in page and "among the 1 person" not in page


def test_day_one_ledger_and_value_say_what_fills_them(day_one):
    _root, site = day_one
    ledger = (site / "ledger/index.html").read_text(encoding="utf-8")
    assert "<table" not in ledger  # no header-only tables
    words = text_of(site / "ledger/index.html")
    assert "No money recorded yet" in words and f"such as ledger/{YEAR}.yaml" in words
    example = re.search(r"<pre class=\"code-line\"><code>(.*?)</code></pre>", ledger, re.S).group(1)
    entry = yaml.safe_load(example)["entries"][0]  # the example is a ledger file as written
    assert entry["kind"] == "donation" and entry["amount"] == "25.00"
    value = text_of(site / "value/index.html")
    assert "No money recorded yet: income, expenses, the balance and what goes back to contributors are counted " \
           "from the first entry in the ledger ." in value


def test_day_one_check_advice_has_two_risks(day_one):
    root, _site = day_one
    result = subprocess.run([str(SCRIPT), "check", str(root), "--advice"], env=environment(root.parent / "home"),
                            capture_output=True, text=True, timeout=600)
    risks = re.findall(r"^  ! (\w+):", result.stdout, re.M)
    assert result.returncode == 0 and risks == ["bus_factor", "no_income"]


def test_a_name_yaml_would_misread_is_quoted(tmp_path):
    name = '#1 Seeds: a "library"'
    assert new(tmp_path, "seeds", "--name", name).returncode == 0
    root = tmp_path / "seeds"
    assert yaml.safe_load((root / "community.yaml").read_text(encoding="utf-8"))["name"] == name
    config = yaml.safe_load((root / "commonplace.yaml").read_text(encoding="utf-8"))
    assert (config["title"], config["description"]) == (name, f"The portal of {name}.")
    assert new(tmp_path, "plain", "--name", "Seeds").returncode == 0
    assert "\ntitle: Seeds\n" in (tmp_path / "plain/commonplace.yaml").read_text(encoding="utf-8")  # plain stays plain
