"""Community documents (licence, code of conduct, contributing, security, governance) are found
where forges look: the portal folder, then the repository's top, its `.github/` and `docs/`;
never through a symbolic link, never outside the repository."""

from __future__ import annotations

import os
from datetime import date

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.cli import main
from generator.cli import parser as cli_parser
from generator.load.loader import load_community
from generator.views.advice import advise_model
from gitrepo import commit_all

FORGE_IN_FOLDER = MINIMAL["commonplace.yaml"].replace("branch: main", "branch: main\n          path: portal")


@pytest.fixture
def portal(tmp_path):
    """A repository whose community is its `portal/` folder; `files` go to the repository's top."""

    def make(files: dict[str, str] | None = None, name: str = "repo"):
        top = tmp_path / name
        write_files(top / "portal", {**MINIMAL, "commonplace.yaml": FORGE_IN_FOLDER})
        write_files(top, {"README.md": "# A library\n", **(files or {})})
        commit_all(top, "Start", date="2024-01-10T12:00:00+00:00")
        return top / "portal"

    return make


def findings_of(root):
    model = load_community(root)
    return model, {f["rule"]: f for f in advise_model(model, None, date(2024, 12, 15))["findings"]}


def test_a_licence_at_the_repositorys_top_is_the_portal_folders(portal, capsys, monkeypatch):
    root = portal({"LICENSE.txt": "MIT License\n"})
    model, found = findings_of(root)
    assert model.documents["licence"] == "../LICENSE.txt"
    assert found["licence"]["kind"] == "strength"
    assert found["licence"]["url"] == "https://github.com/seeds/library/edit/main/LICENSE.txt"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734264000")
    assert main(["check", str(root), "--advice"]) == 0
    out = capsys.readouterr().out
    assert "Sustainability advice" in out and "There is no licence file" not in out


def test_the_folder_first_then_the_top_then_github_and_docs(portal):
    root = portal({"CONTRIBUTING.md": "# top\n", ".github/CODE_OF_CONDUCT.md": "# be kind\n",
                   "docs/SECURITY.md": "# report here\n", "docs/LICENSE": "not the project's licence\n"})
    write_files(root, {"CONTRIBUTING.md": "# the portal's own\n"})
    model, found = findings_of(root)
    assert model.documents == {"code_of_conduct": "../.github/CODE_OF_CONDUCT.md",
                               "contribution_guide": "CONTRIBUTING.md", "governance": "community.yaml",
                               "security": "../docs/SECURITY.md"}
    assert found["licence"]["kind"] == "risk"  # a licence is looked for at the top only, as forges do
    assert found["code_of_conduct"]["kind"] == "strength"


def test_a_portal_page_stands_before_the_repositorys_file(portal):
    root = portal({"CONTRIBUTING.md": "# top\n"})
    write_files(root, {"pages/join.md": "---\ntitle: Join\n---\nCome.\n"})
    model, _found = findings_of(root)
    assert model.documents["contribution_guide"] == "pages/join.md"


def test_a_symlinked_licence_at_the_top_is_not_followed(portal, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("the builder's own file\n", encoding="utf-8")
    root = portal()
    os.symlink(outside, root.parent / "LICENSE")
    model, found = findings_of(root)
    assert "licence" not in model.documents and found["licence"]["kind"] == "risk"
    [note] = [w for w in model.warnings if w.path == "../LICENSE"]
    assert note.message == ("is a symbolic link: not followed, so it does not count as the community's licence "
                            "(commit the file itself)")


def test_a_symlinked_licence_in_the_folder_gets_the_same_note(portal, tmp_path):
    (tmp_path / "secret.txt").write_text("x\n", encoding="utf-8")
    root = portal()
    os.symlink(tmp_path / "secret.txt", root / "COPYING")
    model, _found = findings_of(root)
    assert "licence" not in model.documents
    assert [w.path for w in model.warnings if "symbolic link" in w.message] == ["COPYING"]


def test_a_rebuild_sees_a_licence_added_at_the_top(portal, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734264000")
    root = portal()
    out = tmp_path / "site"
    build(root, out)
    assert "There is no licence file." in (out / "sustainability/index.html").read_text(encoding="utf-8")
    (root.parent / "LICENSE.md").write_text("MIT License\n", encoding="utf-8")  # not committed
    build(root, out)
    assert "There is no licence file." not in (out / "sustainability/index.html").read_text(encoding="utf-8")


def test_diff_of_a_folder_counts_the_repositorys_licence_on_both_sides(portal, capsys):
    root = portal({"LICENSE": "MIT License\n"})
    args = cli_parser().parse_args(["diff", str(root), "--base", "HEAD"])
    assert args.run(args) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("No change to the portal.")


def test_names_are_matched_in_any_case_as_forges_do(portal):
    root = portal({"docs/contributing.rst": "Contributing\n", "license": "MIT\n"})
    model, _found = findings_of(root)
    assert model.documents["contribution_guide"] == "../docs/contributing.rst"
    assert model.documents["licence"] == "../license"


def test_diff_of_a_folder_counts_the_top_documents_in_any_case(portal, capsys):
    root = portal({"docs/contributing.rst": "Contributing\n", "Licence.md": "MIT\n"})
    args = cli_parser().parse_args(["diff", str(root), "--base", "HEAD"])
    assert args.run(args) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("No change to the portal.")
