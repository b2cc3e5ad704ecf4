"""The ecosystem's own files read as their tools mean them: `.all-contributorsrc` logins matched
through the members' `github:`/`gitlab:` logins, `CODEOWNERS` shown on the members page, and
`CITATION.cff`'s `preferred-citation`. Every case is a real git repository built to a site."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from generator.build import build
from generator.cli import main
from generator.load.loader import load_community
from generator.people import pseudonym
from generator.valuation import value_report
from gitrepo import commit_all

ANA_GITHUB = "name: Ana Lopez\nemails: [ana@example.org]\nroles: [coordinator]\ngithub: AnaLopez\n"


def contributors(*entries: tuple[str, list[str]], repo_type: str = "github") -> str:
    people = [{"login": login, "name": "Someone", "contributions": kinds} for login, kinds in entries]
    return json.dumps({"repoType": repo_type, "contributors": people})


def site(root, tmp_path) -> dict[str, str]:
    commit_all(root)
    out = tmp_path / "out"
    build(root, out)
    return {rel: (out / rel).read_text(encoding="utf-8")
            for rel in ("index.html", "members/index.html", "members/ana/index.html")}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def recognised_for(page: str) -> str:
    start = page.find("<h2 id=\"recognition\"")
    return text_of(page[start:page.find("</section>", start)]) if start >= 0 else ""


# --------------------------------------------------------------------------- .all-contributorsrc

def test_a_declared_github_login_matches_whatever_its_case(community, tmp_path):
    root = community({"members/ana.yaml": ANA_GITHUB,
                      # "ana" is her handle, but she declares another login: that entry is someone else's
                      ".all-contributorsrc": contributors(("analopez", ["eventOrganizing"]), ("ana", ["security"]))})
    ana = site(root, tmp_path)["members/ana/index.html"]
    assert recognised_for(ana) == "Recognised for Event organising"


def test_a_profile_link_counts_and_the_handle_still_matches_without_a_login(community, tmp_path):
    root = community({
        "members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org]\nlinks:\n"
                            "  - {title: GitHub, url: 'https://www.github.com/Ana-L/'}\n"
                            "  - {title: A repository, url: 'https://github.com/ana-l/seeds'}\n",
        "members/dan.yaml": "name: Dan Ruiz\nemails: [dan@example.org]\n",
        ".all-contributorsrc": contributors(("ana-l", ["doc"]), ("DAN", ["code"]), ("seeds", ["test"])),
    })
    commit_all(root)
    model = load_community(root)
    assert model.recognition == {"ana": ("doc",), "dan": ("code",)}


def test_a_link_two_members_claim_matches_neither(community):
    link = "links:\n  - {title: GitHub, url: 'https://github.com/shared'}\n"
    root = community({"members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org]\n" + link,
                      "members/dan.yaml": "name: Dan Ruiz\nemails: [dan@example.org]\n" + link,
                      ".all-contributorsrc": contributors(("shared", ["doc"]))})
    assert load_community(root).recognition == {}


def test_gitlab_files_match_gitlab_usernames(community):
    root = community({"members/ana.yaml": ANA_GITHUB + "gitlab: ana.l\n",
                      ".all-contributorsrc": contributors(("Ana.L", ["design"]), ("AnaLopez", ["code"]),
                                                          repo_type="gitlab")})
    assert load_community(root).recognition == {"ana": ("design",)}


def test_the_recognised_figure_counts_declared_logins(community):
    """One person with commits (Ana); the file credits her by login only (another name)."""
    root = community({"members/ana.yaml": ANA_GITHUB, ".all-contributorsrc": contributors(("analopez", ["code"]))})
    commit_all(root)
    assert value_report(root).to_json()["dimensions"]["reputation"]["recognised"] == 1.0
    (root / "members/ana.yaml").write_text(ANA_GITHUB.replace("github: AnaLopez\n", ""), encoding="utf-8")
    commit_all(root, "Without the login")
    assert value_report(root).to_json()["dimensions"]["reputation"]["recognised"] == 0.0


def test_a_login_in_two_member_files_is_a_located_error(community, capsys):
    root = community({"members/ana.yaml": ANA_GITHUB,
                      "members/dan.yaml": "name: Dan Ruiz\nemails: [dan@example.org]\ngithub: analopez\n"})
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert ("members/ana.yaml:4:9: github login 'analopez' is also declared in members/dan.yaml:3:9: "
            "a login belongs to one person; remove it from one file") in out


@pytest.mark.parametrize("key,value,hint", [
    ("github", "'@AnaLopez'", "must be a GitHub login without the @"),
    ("github", "ana--lopez", "must be a GitHub login without the @"),
    ("github", "a" * 40, "at most 39 characters"),
    ("gitlab", "ana/lopez", "must be a GitLab username without the @"),
])
def test_a_malformed_login_is_a_located_error_that_says_how(community, capsys, key, value, hint):
    root = community({"members/ana.yaml": f"name: Ana Lopez\nemails: [ana@example.org]\n{key}: {value}\n"})
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"members/ana.yaml:3:{len(key) + 3}: '{key}'" in out and hint in out


def test_a_pseudonymous_member_s_login_is_not_published(community, tmp_path):
    root = community({"members/ben.yaml": "name: Ben Okafor\nemails: [ben@example.net]\nvisibility: pseudonymous\n"
                                          "github: BenOkafor\n",
                      ".all-contributorsrc": contributors(("benokafor", ["code"]))})
    commit_all(root)
    out = tmp_path / "out"
    build(root, out)
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml"):
            assert "benokafor" not in path.read_text(encoding="utf-8").lower(), path


# --------------------------------------------------------------------------- CODEOWNERS

CODEOWNERS = """\
# Reviews
*                     @AnaLopez
/docs/                @seeds/docs-team ben@example.net
*.csv                 cy@example.com @ghost
/data/raw\\ files/     stranger@example.org
/old/
[Catalogue][2] @analopez
/catalogue/
/catalogue/photos/    @ghost not-an-owner
"""


def owners_table(members_page: str) -> list[tuple[str, str]]:
    """(pattern, owners as text) of each row, with section headings as ("## name", "")."""
    start = members_page.find('<section class="owners"')
    assert start >= 0, "no owners section"
    section = members_page[start:members_page.find("</section>", start)]
    rows = []
    for heading, pattern, owners in re.findall(r"<h3>(.*?)</h3>|<tr><td><code>(.*?)</code></td><td>(.*?)</td></tr>", section, re.S):
        rows.append((f"## {heading}", "") if heading else (unescape(pattern), text_of(owners)))
    return rows


def test_codeowners_shows_who_looks_after_what_by_their_shown_names(community, tmp_path):
    root = community({"members/ana.yaml": ANA_GITHUB, ".github/CODEOWNERS": CODEOWNERS,
                      "CODEOWNERS": "* @someone-else\n"})  # GitHub reads .github/ first: this one is ignored
    pages = site(root, tmp_path)
    page = pages["members/index.html"]
    ben = pseudonym("ben", "Seed Library")  # salted with the community name (render/context.py)
    assert owners_table(page) == [
        ("*", "Ana Lopez"),
        ("/docs/", f"@seeds/docs-team, {ben}"),
        ("*.csv", "@ghost"),  # Cy is hidden: not shown at all
        ("/data/raw files/", "an e-mail address"),
        ("/old/", "no one in particular"),
        ("## Catalogue", ""),
        ("/catalogue/", "Ana Lopez"),  # the section's default owners
        ("/catalogue/photos/", "@ghost"),
    ]
    assert '<a href="../members/ana/">Ana Lopez</a>' in page
    assert "from .github/CODEOWNERS" in page
    for secret in ("@example", "Cy Hidden", "Ben Okafor", "someone-else", "AnaLopez", "not-an-owner"):
        assert secret not in page


def test_codeowners_problems_are_located_warnings(community, tmp_path):
    long_line = "/x/ " + "@a" * 600 + "\n"
    root = community({"members/ana.yaml": ANA_GITHUB,
                      "docs/CODEOWNERS": CODEOWNERS + long_line + "\x00\x01 @AnaLopez\n"})
    commit_all(root)
    model = load_community(root)
    warnings = [str(w) for w in model.warnings if w.path == "docs/CODEOWNERS"]
    assert warnings == [
        "docs/CODEOWNERS:9:30: warning: 'not-an-owner' is not an owner (write @login, @org/team or an e-mail address): left out",
        "docs/CODEOWNERS:10:1: warning: line longer than 1000 characters: left out",
    ]
    assert [r.pattern for r in model.codeowners.rules][-1] == "\x00\x01"  # kept as written; escaped on the page
    build(root, tmp_path / "out")


def test_codeowners_is_bounded(community, tmp_path):
    rules = "".join(f"/part-{n}/ @AnaLopez\n" for n in range(600))
    root = community({"members/ana.yaml": ANA_GITHUB, "CODEOWNERS": rules})
    commit_all(root)
    model = load_community(root)
    assert len(model.codeowners.rules) == 500
    assert [str(w) for w in model.warnings] == ["CODEOWNERS:501:1: warning: more than 500 rules: the rest are not shown"]
    (root / "CODEOWNERS").write_text("* @AnaLopez\n" * 100_000, encoding="utf-8")  # 1.2 MB
    commit_all(root, "A huge file")
    model = load_community(root)
    assert model.codeowners is None
    assert [str(w) for w in model.warnings] == ["CODEOWNERS:1:1: warning: file is larger than 1000 kB: left out"]
    out = tmp_path / "out"
    build(root, out)
    assert "Who looks after what" not in (out / "members/index.html").read_text(encoding="utf-8")


def test_gitlab_codeowners_resolve_gitlab_usernames(community):
    root = community({"commonplace.yaml": "title: Seed Library\nbase_url: https://seeds.example.org/\n"
                                          "forge: {kind: gitlab, repo: seeds/library}\n",
                      "members/ana.yaml": ANA_GITHUB + "gitlab: ana.l\n",
                      "CODEOWNERS": "^[Docs] @seeds/writers\n/docs/\n/src/ @Ana.L @AnaLopez\n"})
    rules = load_community(root).codeowners.rules
    assert [(r.section, r.pattern, [(o.kind, o.text, o.handle) for o in r.owners]) for r in rules] == [
        ("Docs", "/docs/", [("team", "@seeds/writers", "")]),
        # on GitLab, @AnaLopez is not Ana: her GitLab username is ana.l
        ("Docs", "/src/", [("member", "", "ana"), ("login", "@AnaLopez", "")]),
    ]


# --------------------------------------------------------------------------- CITATION.cff

CITATION = """\
cff-version: 1.2.0
message: Please cite the paper.
title: Seed data
authors:
  - {given-names: Ana, family-names: Lopez, email: ana@example.org}
date-released: 2024-05-01
"""


def test_the_preferred_citation_is_the_one_shown(community, tmp_path):
    preferred = """\
preferred-citation:
  type: article
  title: Keeping seeds in common
  authors:
    - {given-names: Ana, name-particle: de, family-names: Lopez, email: ana@example.org}
    - {name: Seed Library}
  journal: Journal of Commons
  volume: 4
  issue: 2
  start: 10
  end: 20
  year: 2023
  doi: 10.1234/seeds.2023
"""
    root = community({"CITATION.cff": CITATION + preferred})
    home = site(root, tmp_path)["index.html"]
    assert ("Ana de Lopez, Seed Library (2023). Keeping seeds in common. Journal of Commons, 4(2), 10–20. "
            "https://doi.org/10.1234/seeds.2023") in text_of(home)
    assert "Please cite the paper." in home
    assert "Seed data" not in home and "ana@example.org" not in home


def test_an_unusable_preferred_citation_falls_back_with_a_located_warning(community):
    root = community({"CITATION.cff": CITATION + "preferred-citation:\n  type: article\n  title: No authors\n"})
    model = load_community(root)
    assert model.citation.text() == "Ana Lopez (2024). Seed data."
    assert [str(w) for w in model.warnings] == [
        "CITATION.cff:7:1: warning: 'preferred-citation' needs at least 'title' and 'authors' (each with a name): "
        "the file's own citation is shown instead"]
