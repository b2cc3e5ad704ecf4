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
    before = value_report(root, load_community(root)).to_json()
    assert commits_by(before) == {"ana": 1, "kim-lee": 1}
    (root / ".mailmap").write_text("Ana Lopez <ana@example.org> <kim@example.org>\n")  # not committed
    after = value_report(root, load_community(root)).to_json()
    assert commits_by(after) == {"ana": 2}
    (root / ".mailmap").unlink()  # and deleting it, uncommitted, counts too
    assert commits_by(value_report(root, load_community(root)).to_json()) == {"ana": 1, "kim-lee": 1}


def test_a_new_commit_under_an_edited_mailmap_folds_to_the_full_figures(community):
    """A stored resolved history is never folded onto under another `.mailmap` text: the figures
    after a new commit and an uncommitted `.mailmap` edit are those of a full computation."""
    from value.report import build_report

    from generator.landedfiles import DataFileKeys
    from generator.valuation import community_data

    root = community()
    commit_all(root, "Start")
    value_report(root, load_community(root)).to_json()  # stores the resolved history
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages" / "note.md").write_text("---\ntitle: Note\n---\nText.\n")
    commit_all(root, "Note", author=KIM, date="2024-06-01T12:00:00+00:00")
    (root / ".mailmap").write_text("Ana Lopez <ana@example.org> <kim@example.org>\n")
    model = load_community(root)
    folded = value_report(root, model).to_json()
    full = build_report(root, data=replace(community_data(model), mailmap=(root / ".mailmap").read_text()),
                        data_files=DataFileKeys(model.config.kinds), use_cache=False).to_json()
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


# -- names a fixture file cannot write --------------------------------------------------------

def test_nfc_and_nfd_spellings_of_one_name_are_an_error_naming_both(community):
    root = community()
    composed, decomposed = "jos\u00e9.css", "jose\u0301.css"
    for name in (composed, decomposed):
        (root / "theme").mkdir(exist_ok=True)
        (root / "theme" / name).write_text("x")
    if len(list((root / "theme").iterdir())) < 2:  # a file system that normalises names itself
        return
    assert errors(root) == [
        f"theme/{decomposed}:1:1: 'theme/{decomposed}' and 'theme/{composed}' are one name where case or Unicode "
        "normalisation is ignored (Windows, macOS): git checks out only one of them; keep one",
    ]


def test_a_data_file_spelled_in_nfd_is_refused_with_its_twin_named(community):
    root = community()
    (root / "members" / "jose\u0301.yaml").write_text("name: José\n")
    (root / "members" / "jos\u00e9.yaml").write_text("name: José\n")
    if len(list((root / "members").glob("jos*"))) < 2:  # a file system that normalises names itself
        return
    assert errors(root) == [
        "members/jose\u0301.yaml:1:1: 'members/jose\u0301.yaml' and 'members/jos\u00e9.yaml' are one name where "
        "case or Unicode normalisation is ignored (Windows, macOS): git checks out only one of them; keep one",
        # the one kept (NFC) is refused for its letters as any such name is
        "members/jos\u00e9.yaml:1:1: file name 'jos\u00e9.yaml' may use only lowercase letters a-z, digits and '-': "
        "rename it to 'jose.yaml'",
    ]


def test_a_name_ending_in_a_space_is_refused(community):
    root = community({"theme/assets/logo.svg ": "x"})
    assert errors(root) == ["theme/assets/logo.svg :1:1: name 'logo.svg ': Windows drops a final dot or space, "
                            "where git cannot check it out: rename it"]


def test_a_clean_community_has_no_name_findings(community):
    root = community()
    assert errors(root) == []
