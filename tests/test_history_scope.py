"""`history: repository`: a community kept in a folder of a software project counts the whole
repository's history; by default (`history: folder`) only the commits that change its folder.

The repository: Ana commits the community into `community/` (2 lines added: a page), Bo commits
`src/app.py` outside it (3 lines), Cy commits both (1 line in each). So the folder counts Ana
and Cy (one commit each); the repository counts all three.
"""

from __future__ import annotations

import re

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.cli import main
from generator.valuation import value_report
from gitrepo import ANA, commit_all

CONFIG = MINIMAL["commonplace.yaml"].rstrip(" ")  # its lines are dedented when written

BO = ("Bo Tran", "bo@example.net")
CY = ("Cy Okafor", "okafor@example.org")


def project(root, history: str | None):
    files = {f"community/{rel}": text for rel, text in MINIMAL.items()}
    if history:
        files["community/commonplace.yaml"] = CONFIG + f"        history: {history}\n"
    write_files(root, files)
    commit_all(root, "Community files", author=ANA, date="2024-01-10T10:00:00+00:00")
    write_files(root, {"src/app.py": "a = 1\nb = 2\nc = 3\n"})
    commit_all(root, "The app", author=BO, date="2024-02-10T10:00:00+00:00")
    write_files(root, {"src/more.py": "d = 4\n", "community/pages/more.md": "---\ntitle: More\n---\n"})
    commit_all(root, "Both", author=CY, date="2024-03-10T10:00:00+00:00")
    return root / "community"


def commits_of(report) -> dict[str, int]:
    return {c["id"]: c["commits"] for c in report["contributors"] if c["commits"]}


@pytest.mark.parametrize("history", [None, "folder"])
def test_by_default_only_the_folders_commits_count(tmp_path, history):
    report = value_report(project(tmp_path / "repo", history)).to_json()
    assert report["source"]["subdir"] == "community"
    assert commits_of(report) == {"ana": 1, "cy-okafor": 1}


def test_history_repository_counts_every_commit(tmp_path):
    report = value_report(project(tmp_path / "repo", "repository")).to_json()
    assert report["source"]["subdir"] is None
    assert commits_of(report) == {"ana": 1, "bo-tran": 1, "cy-okafor": 1}
    assert report["dimensions"]["objective_accomplishment"]["commits"] == 3


def test_the_value_page_says_which_commits_it_counts(tmp_path):
    folder_site, repository_site = tmp_path / "folder-site", tmp_path / "repository-site"
    build(project(tmp_path / "a", "folder"), folder_site)
    build(project(tmp_path / "b", "repository"), repository_site)
    text = lambda site: re.sub(r"\s+", " ", (site / "value" / "index.html").read_text())  # noqa: E731
    assert "Counted: the commits that change the folder <code>community/</code>." in text(folder_site)
    assert "Counted: every commit of the repository." in text(repository_site)
    assert "Counted: every commit" not in text(folder_site)


def test_the_value_page_says_it_in_spanish(tmp_path):
    source = project(tmp_path / "repo", "repository")
    write_files(source, {"commonplace.yaml": CONFIG + "        history: repository\n"
                                             "        language: es\n"})
    build(source, tmp_path / "site")
    assert "Se cuentan todos los commits del repositorio." in (tmp_path / "site" / "value" / "index.html").read_text()


def test_an_unknown_history_is_a_located_error(tmp_path, capsys):
    root = tmp_path / "repo"
    write_files(root, dict(MINIMAL, **{"commonplace.yaml": CONFIG + "        history: everything\n"}))
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr()
    assert "commonplace.yaml:" in err.out + err.err and "history" in err.out + err.err


def test_the_whole_history_still_reads_the_communitys_own_files(tmp_path):
    """`.mailmap` and `CITATION.cff` in `community/` count with `history: repository` too: the
    scope says which commits count, not where the community's files are."""
    files = {".mailmap": "Bo Tran <bo@tools.example> <bo@example.net>\n",
             "CITATION.cff": "cff-version: 1.2.0\nmessage: Cite us.\ntitle: Seed Library\nauthors:\n  - name: Ana\n"}
    for history in ("folder", "repository"):
        source = project(tmp_path / history, history)
        write_files(source, files)
        commit_all(tmp_path / history, "Mailmap and citation", author=ANA, date="2024-04-10T10:00:00+00:00")
        report = value_report(source).to_json()
        assert report["dimensions"]["social_use_value"]["citable"] is True
        people = {c["id"]: c for c in report["contributors"]}
        if history == "repository":  # Bo's commit counts, under the address the folder's .mailmap gives
            assert people["bo-tran"]["emails"] == ["bo@tools.example"]
        else:
            assert "bo-tran" not in people


def test_a_rebuild_after_new_commits_is_what_a_fresh_read_gives(tmp_path):
    """With the whole history counted, a rebuild folds new commits into the last report (see
    value/fold.py); the folder's .mailmap applies to them as to the others."""
    from generator.landedfiles import DataFileKeys
    from generator.load.loader import load_community
    from generator.valuation import community_data
    from value.report import build_report

    source = project(tmp_path / "repo", "repository")
    write_files(source, {".mailmap": "Bo Tran <bo@tools.example> <bo@example.net>\n"})
    commit_all(tmp_path / "repo", "Mailmap", author=ANA, date="2024-04-10T10:00:00+00:00")
    value_report(source).to_json()  # the cache the next one starts from
    write_files(tmp_path / "repo", {"src/later.py": "e = 5\n"})
    commit_all(tmp_path / "repo", "Later", author=BO, date="2024-05-10T10:00:00+00:00")
    again = value_report(source).to_json()
    model = load_community(source)
    fresh = build_report(tmp_path / "repo", files_in="community", data=community_data(model),
                         data_files=DataFileKeys(model.config.kinds), use_cache=False).to_json()
    assert again == fresh
    assert {c["id"]: (c["commits"], c["emails"]) for c in again["contributors"] if c["id"] == "bo-tran"} == \
        {"bo-tran": (2, ["bo@tools.example"])}
