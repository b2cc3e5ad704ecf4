"""Identities no one can take (issue 14, point 9): an address belongs to one person.

An address listed in two member files, or a `.mailmap` line that sends one member's address to
another member's, is an error naming both files and lines; `check` fails."""

from __future__ import annotations

from generator.load.loader import check_community


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
