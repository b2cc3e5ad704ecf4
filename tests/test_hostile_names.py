"""Names, files and identities that cannot deceive (issue 25), where a fixture file cannot say it:
a real git history under the work tree's `.mailmap`, file names a fixture cannot write (NFD, case
twins on disk). The rest is in tests/fixtures/hostile/names.txt, run by test_hostile.py."""

from __future__ import annotations

from dataclasses import replace

from communities import write_files
from generator.load.loader import check_community, load_community
from generator.valuation import value_report
from gitrepo import commit_all

KIM = ("Kim Lee", "kim@example.org")


def commits_by(report: dict) -> dict[str, int]:
    return {row["id"]: row["commits"] for row in report["contributors"] if row["commits"]}


def errors(root) -> list[str]:
    return [str(f) for f in check_community(root) if f.severity == "error"]


# -- the work tree's .mailmap is an input like the member files ---------------------------------

def test_an_uncommitted_mailmap_edit_counts_in_the_value_figures(community):
    root = community()
    commit_all(root, "Start")
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages" / "note.md").write_text("---\ntitle: Note\n---\nText.\n")
    commit_all(root, "Note", author=KIM, date="2024-06-01T12:00:00+00:00")
    before = value_report(root, load_community(root))
    assert commits_by(before) == {"ana": 1, "kim-lee": 1}
    (root / ".mailmap").write_text("Ana Lopez <ana@example.org> <kim@example.org>\n")  # not committed
    after = value_report(root, load_community(root))
    assert commits_by(after) == {"ana": 2}
    (root / ".mailmap").unlink()  # and deleting it, uncommitted, counts too
    assert commits_by(value_report(root, load_community(root))) == {"ana": 1, "kim-lee": 1}


def test_a_new_commit_under_an_edited_mailmap_folds_to_the_full_figures(community):
    """A stored resolved history is never folded onto under another `.mailmap` text: the figures
    after a new commit and an uncommitted `.mailmap` edit are those of a full computation."""
    from value.report import build_report

    from generator.valuation import community_data

    root = community()
    commit_all(root, "Start")
    value_report(root, load_community(root))  # stores the resolved history
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages" / "note.md").write_text("---\ntitle: Note\n---\nText.\n")
    commit_all(root, "Note", author=KIM, date="2024-06-01T12:00:00+00:00")
    (root / ".mailmap").write_text("Ana Lopez <ana@example.org> <kim@example.org>\n")
    model = load_community(root)
    folded = value_report(root, model)
    full = build_report(root, data=replace(community_data(model), mailmap=(root / ".mailmap").read_text()),
                        use_cache=False)
    assert folded == full
    assert commits_by(folded) == {"ana": 2}


def test_check_reads_the_repositorys_top_mailmap_for_a_community_in_a_folder(tmp_path):
    from communities import MINIMAL

    repo = tmp_path / "repo"
    write_files(repo / "portal", MINIMAL)
    write_files(repo, {"README.md": "A repository with a portal in a folder.\n"})
    commit_all(repo, "Start")
    (repo / ".mailmap").write_text("# moved\nBen <ben@example.net> Ana Lopez <ana@example.org>\n")  # uncommitted
    assert errors(repo / "portal") == [
        "members/ana.yaml:2:10: ../.mailmap:2 maps e-mail address 'ana@example.org' (commits by the name "
        "'Ana Lopez') to an address listed in members/ben.yaml:2:10: the commits of one member would count "
        "for another; remove the `.mailmap` line or the address",
    ]


def test_the_build_fingerprint_sees_the_repositorys_top_mailmap(tmp_path):
    from communities import MINIMAL

    from generator.cache.manifest import fingerprint

    repo = tmp_path / "repo"
    write_files(repo / "portal", MINIMAL)
    commit_all(repo, "Start")
    before = fingerprint(repo / "portal", {})
    (repo / ".mailmap").write_text("Ana Lopez <ana@example.org> <ana@old.example.org>\n")
    assert fingerprint(repo / "portal", {}) != before
