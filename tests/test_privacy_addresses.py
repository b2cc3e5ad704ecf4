"""No member's or commit author's e-mail address is published, wherever it was typed.

Each case is a real git repository (the minimal community, committed, then built once so a good
site exists), changed by one file that would put an address into the site. The build must fail
with a finding naming the source file and line, and leave the previous site as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.cli import main
from gitrepo import commit_all

BOB = ("Bob Stranger", "bob.stranger@example.com")  # commits, has no member file


def site_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path) -> Path:
    root = write_files(tmp_path / "community", MINIMAL)
    commit_all(root, "Start")
    commit_all(root, "A visitor's fix", author=BOB, allow_empty=True)
    return root


# (file changed, its new text, the finding expected: path:line:col: start of the message)
CASES = {
    "a member's address in a page's text": (
        "pages/about.md", "---\ntitle: About us\n---\nWe started in 2021.\nWrite to ana@example.org.\n",
        "pages/about.md:5:10: the e-mail address 'ana@example.org' of member 'ana' would be published"),
    "a hidden member's address, written with a capital, in front matter": (
        "events/swap-2024.md", "---\ntitle: Spring seed swap\ndate: 2024-04-06\nsummary: Ask Cy@Example.com\n---\n",
        "events/swap-2024.md:4:14: the e-mail address 'cy@example.com' of member 'cy' would be published"),
    "a commit author's address in a data file": (
        "ledger/2024.yaml", 'entries:\n  - date: 2024-01-05\n    amount: "5.00"\n    currency: EUR\n'
                            "    kind: donation\n    note: thanks to bob.stranger@example.com\n",
        "ledger/2024.yaml:6:21: the e-mail address 'bob.stranger@example.com' of a commit author would be published"),
    "a member's address in a member's own name": (
        "members/ana.yaml", "name: Ana ana@example.org\nemails: [ana@example.org]\n",
        "members/ana.yaml:1:11: the e-mail address 'ana@example.org' of member 'ana' would be published"),
    "a member's address in a theme template override": (
        "theme/page.html", '{% extends "base.html" %}{% block main %}\n<p>ben@example.net</p>{{ doc.title }}'
                           "{% endblock %}",
        "theme/page.html:2:4: the e-mail address 'ben@example.net' of member 'ben' would be published"),
    "an address written as an HTML entity": (
        "pages/about.md", "---\ntitle: About us\n---\nana&#64;example.org\n",
        "pages/about.md:4:1: the e-mail address 'ana@example.org' of member 'ana' would be published"),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: c.replace(" ", "-"))
def test_an_address_anywhere_stops_the_build_and_names_its_line(repo, tmp_path, capsys, case):
    rel, text, expected = CASES[case]
    out = tmp_path / "site"
    assert main(["build", str(repo), "-o", str(out)]) == 0
    before = site_bytes(out)
    write_files(repo, {rel: text})
    commit_all(repo, "Change")
    capsys.readouterr()
    assert main(["build", str(repo), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert "nothing was written" in err and "Traceback" not in err
    assert site_bytes(out) == before  # the previous site stays as it was


def test_a_clean_build_fails_the_same_and_writes_no_folder(repo, tmp_path, capsys):
    write_files(repo, {"pages/about.md": "---\ntitle: About\n---\nana@example.org\n"})
    assert main(["build", str(repo), "-o", str(tmp_path / "new")]) == 1
    assert "pages/about.md:4:1: the e-mail address 'ana@example.org'" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_a_commit_author_named_by_an_address_is_shown_without_it(repo, tmp_path):
    commit_all(repo, "Anonymous", author=("carl@example.org", "carl@example.org"), allow_empty=True)
    result = build(repo, tmp_path / "out")
    assert result.pages and not any(b"carl@example.org" in data for data in result.contents.values())


def test_the_communitys_own_contact_is_the_one_address_published(repo, tmp_path):
    # The contact may even be a member's own address: as the contact, it is meant to be public.
    write_files(repo, {"community.yaml": MINIMAL["community.yaml"].replace("hello@seeds.example.org",
                                                                           "ana@example.org")})
    commit_all(repo, "Contact")
    result = build(repo, tmp_path / "out")
    assert any(b"mailto:ana@example.org" in data for data in result.contents.values())
    for address in (b"ben@example.net", b"cy@example.com", b"bob.stranger@example.com"):
        assert not any(address in data.lower() for data in result.contents.values()), address
