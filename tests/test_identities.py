"""Identities no one can take (issue 14, point 9): an address belongs to one person.

An address listed in two member files, or a `.mailmap` line that sends one member's address to
another member's, is an error naming both files and lines; `check` fails."""

from __future__ import annotations

from communities import write_files
from generator.load.loader import check_community
from gitrepo import ANA, commit_all, git


def messages(root) -> list[str]:
    return [f"{f}" for f in check_community(root) if f.severity == "error"]


def test_an_address_in_two_member_files_is_an_error_naming_both(community):
    root = community({
        # Ben lists Ana's address in capitals: the engine would match it all the same
        "members/ben.yaml": "name: Ben Okafor\nemails:\n  - ben@example.net\n  - Ana@Example.ORG\n",
    })
    assert messages(root) == [
        "members/ana.yaml:2:10: e-mail address 'ana@example.org' is also listed in members/ben.yaml:4:5: "
        "an address belongs to one person; remove it from one file",
    ]


def test_check_fails_on_a_taken_address(community, capsys):
    from generator.cli import parser

    root = community({"members/dan.yaml": "name: Dan\nemails: [ben@example.net]\n"})
    args = parser().parse_args(["check", str(root)])
    assert args.run(args) == 1
    out = capsys.readouterr()
    assert "members/ben.yaml:2:10: e-mail address 'ben@example.net' is also listed in members/dan.yaml:2:10" in out.out + out.err


def test_a_mailmap_line_giving_one_members_address_to_another_is_an_error(community):
    root = community({".mailmap": "# old addresses\nAna Lopez <ana@example.org> <ben@example.net>\n"})
    assert messages(root) == [
        "members/ben.yaml:2:10: .mailmap:2 maps e-mail address 'ben@example.net' to an address listed in "
        "members/ana.yaml:2:10: the commits of one member would count for another; remove the `.mailmap` "
        "line or the address",
    ]


def test_a_mailmap_line_for_ones_own_old_address_is_fine(community):
    root = community({
        ".mailmap": "Ana Lopez <ana@example.org> <ana@old.example.org>\n",
        "members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org, ana@old.example.org]\n",
    })
    assert messages(root) == []


# -- `diff` reports identity changes that give commits to someone else ------------------------
KIM = ("Kim Lee", "kim@example.org")
BEN_OLD = ("Ben O", "ben@old.example.net")


def _history(root):
    """Ana 1 commit (the files), Kim 2, Ben under his old address 1, Ben 1."""
    commit_all(root, "Start")
    for i, author in enumerate([KIM, KIM, BEN_OLD, ("Ben Okafor", "ben@example.net")]):
        (root / "pages" / f"note-{i}.md").write_text(f"---\ntitle: Note {i}\n---\nText.\n")
        commit_all(root, f"Note {i}", author=author, date=f"2024-06-0{i + 1}T12:00:00+00:00")
    return git(root, "rev-parse", "HEAD").strip()


def test_diff_reports_a_mailmap_line_and_a_member_address_that_move_commits(community, capsys):
    from generator.commands import diff as diffmod
    from generator.people import pseudonym

    root = community()
    _history(root)
    # the change: Kim's address is mapped to Ana's; Ben lists his old address
    write_files(root, {
        ".mailmap": "# people\nAna Lopez <ana@example.org> <kim@example.org>\n",
        "members/ben.yaml": "name: Ben Okafor\nemails: [ben@example.net, ben@old.example.net]\nvisibility: pseudonymous\n",
    })
    text, code, _, _ = diffmod.diff(root, "main")
    assert code == 0
    lines = text.splitlines()
    at = lines.index("### Identities")
    section = lines[at:lines.index("### Value")]
    ben = pseudonym("ben", "Seed Library")
    assert section == [
        "### Identities",
        "",
        "Identity changes give 3 existing commits to someone else. Check that each is wanted: "
        "whoever an address belongs to gets its commits and rewards.",
        "",
        "| commits | from | to | because |",
        "|--:|---|---|---|",
        "| 2 | Kim Lee (not a member) | Ana Lopez (`ana`) | `.mailmap` line 2 added |",
        f"| 1 | Ben O (not a member) | {ben} | `members/ben.yaml` lists the address now |",
        "",
    ]
    # a pull request comment is public: no address, no real name behind a pseudonym
    assert "@" not in text and "Okafor" not in text


def test_diff_reports_a_changed_mailmap_line_and_a_removed_member_file(community):
    from generator.commands import diff as diffmod

    root = community({
        ".mailmap": "Ana Lopez <ana@example.org> <kim@example.org>\n",
        "members/dan.yaml": "name: Dan Ruiz\nemails: [ben@old.example.net]\n",
    })
    _history(root)
    base = git(root, "rev-parse", "HEAD").strip()
    # Kim's commits go to Ben instead of Ana; Dan's file goes (his commits stay his address's)
    write_files(root, {".mailmap": "Ben Okafor <ben@example.net> <kim@example.org>\n", "members/dan.yaml": None})
    head = commit_all(root, "Identities", author=ANA, date="2024-07-01T12:00:00+00:00")
    text, code, _, _ = diffmod.diff(root, base, head)
    assert code == 0
    lines = text.splitlines()
    section = lines[lines.index("### Identities"):lines.index("### Value")]
    rows = [line for line in section if line.startswith("| ") and line[2].isdigit()]
    from generator.people import pseudonym

    assert rows == [
        f"| 2 | Ana Lopez (`ana`) | {pseudonym('ben', 'Seed Library')} | `.mailmap` line 1 changed |",
        "| 1 | Dan Ruiz (`dan`) | Ben O (not a member) | `members/dan.yaml` removed |",
    ]
    assert "@" not in text


def test_diff_reports_a_member_file_added_with_an_address_that_has_commits(community):
    from generator.commands import diff as diffmod

    root = community()
    _history(root)
    write_files(root, {"members/kim.yaml": "name: Kim Lee\nemails: [kim@example.org]\n"})
    text, code, _, _ = diffmod.diff(root, "main")
    assert code == 0
    assert "| 2 | Kim Lee (not a member) | Kim Lee (`kim`) | `members/kim.yaml` added |" in text.splitlines()


def test_diff_without_identity_changes_has_no_identity_section(community):
    from generator.commands import diff as diffmod

    root = community()
    _history(root)
    write_files(root, {"members/ana.yaml": "name: Ana Lopez\nemails: [ana@example.org]\nroles: [treasurer]\n"})
    text, code, _, _ = diffmod.diff(root, "main")
    assert code == 0 and "### Identities" not in text
