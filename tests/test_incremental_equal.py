"""A rebuild renders only the pages whose inputs changed, and its site is always the one a clean
build makes, byte for byte: every kind of file edited, added, removed and renamed, a community
template, the theme's assets, the configuration, the language and a new commit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
from gitrepo import commit_all


def tree(out: Path) -> dict[str, bytes | None]:
    """Every file's bytes, and every folder (None): a folder left empty is a difference too."""
    return {p.relative_to(out).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(out.rglob("*"))}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def theme_template(repo: Path, name: str) -> Path:
    """A copy of a default template in the community's own theme (rendered in the sandbox)."""
    target = repo / "theme" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(__file__).resolve().parent.parent / "themes/default" / name, target)
    return target




# Every kind of change, in chains: a chain's changes are made one after the other (a file is added,
# then renamed, then removed), and the chains are independent of each other, so they run in
# parallel and a failure names its chain and its change.
CHAINS = {
    "members": [
        ("a member edited", lambda r: edit(r / "members/mei-chen.yaml", "name: Mei Chen", "name: Mei Chen-Li")),
        ("a member added", lambda r: (r / "members/zoe-nadal.yaml").write_text(
            "name: Zoe Nadal\nroles: [mapper]\njoined: 2026-03-01\n", encoding="utf-8")),
        ("a member renamed", lambda r: (r / "members/zoe-nadal.yaml").rename(r / "members/zoe-nadal-ros.yaml")),
        ("a member removed", lambda r: (r / "members/zoe-nadal-ros.yaml").unlink()),
    ],
    "projects and events": [
        ("a project edited", lambda r: edit(r / "projects/street-trees.md", "title: ", "title: Edited ")),
        ("a project added", lambda r: (r / "projects/benches.md").write_text(
            "---\ntitle: Benches\nstatus: proposed\nleads: [mei-chen]\n---\nWhere to sit.\n", encoding="utf-8")),
        ("a project removed", lambda r: (r / "projects/benches.md").unlink()),
        ("an event edited", lambda r: edit(r / "events/meetup-2026-02.md", "location: Bar", "location: Old Bar")),
        ("an event renamed", lambda r: (r / "events/meetup-2026-02.md").rename(r / "events/meetup-feb-2026.md")),
    ],
    "pages": [
        ("a page edited", lambda r: edit(r / "pages/join.md", "summary: How", "summary: Edited. How")),
        ("a page renamed", lambda r: (r / "pages/join.md").rename(r / "pages/join-us.md")),
        ("a page added", lambda r: (r / "pages/faq.md").write_text("---\ntitle: FAQ\n---\nAsk *us*.\n",
                                                                   encoding="utf-8")),
        ("a page removed", lambda r: (r / "pages/faq.md").unlink()),
    ],
    "records": [
        ("kudos edited", lambda r: edit(r / "kudos/2026.yaml", "for: Twelve thousand", "for: Thirteen thousand")),
        ("the ledger edited", lambda r: edit(r / "ledger/2026.yaml", 'amount: "79.50"', 'amount: "81.25"')),
        ("contributions edited", lambda r: edit(r / "contributions/2026.yaml", "hours: 3", "hours: 5")),
        ("the community edited", lambda r: edit(r / "community.yaml", "name: Barrio Maps", "name: Barrio Maps VLC")),
        ("a new commit", lambda r: commit_all(r, "More work")),
    ],
    "templates": [
        ("a community template added", lambda r: edit(theme_template(r, "member.html"), "{% block main %}",
                                                      "{% block main %}<p>Our own member page</p>")),
        ("a community template edited", lambda r: edit(r / "theme/member.html", "Our own", "Our very own")),
        ("a community template removed", lambda r: shutil.rmtree(r / "theme")),
        ("an included template overridden", lambda r: edit(theme_template(r, "propose-link.html"), "<",
                                                           "<!-- own -->\n<")),
        ("a theme asset added", lambda r: (r / "theme/assets").mkdir() or (r / "theme/assets/extra.css").write_text(
            "p { color: red }\n", encoding="utf-8")),
    ],
    "configuration": [
        ("the configuration edited", lambda r: edit(r / "commonplace.yaml", "title: Barrio Maps",
                                                    "title: Barrio Maps Portal")),
        ("the language changed", lambda r: edit(r / "commonplace.yaml", "language: en", "language: es")),
    ],
}


@pytest.fixture
def example(example_repository):
    return example_repository


@pytest.mark.parametrize("chain", CHAINS)
def test_every_kind_of_change_rebuilds_to_the_clean_site(example, tmp_path, chain):
    out = tmp_path / "site"
    build(example, out, search=False)
    for step, (label, change) in enumerate(CHAINS[chain]):
        change(example)
        result = build(example, out, search=False)
        assert not result.unchanged, label
        clean = tmp_path / f"clean-{step}"
        build(example, clean, incremental=False, search=False)
        assert tree(out) == tree(clean), label
        shutil.rmtree(clean)
    # and a page's file is read back, not rendered, when nothing it shows changed
    assert build(example, out, search=False).unchanged
    # the rebuilds started from the site each one replaced (the spare), which stays beside the output
    assert (tmp_path / ".site.spare").is_dir()
    assert "*" in (tmp_path / ".site.spare" / ".gitignore").read_text()  # git lists none of its files


def test_only_the_pages_that_show_a_change_are_rendered(example, tmp_path, rendered_pages):
    rendered = rendered_pages
    out = tmp_path / "site"
    build(example, out, search=False)
    rendered.clear()
    edit(example / "pages/join.md", "summary: How", "summary: Edited. How")
    build(example, out, search=False)
    # the page itself, and the ledger (its context holds a function: never keyed, always rendered)
    assert sorted(rendered) == ["join/index.html", "ledger/index.html"]

    rendered.clear()
    edit(example / "members/mei-chen.yaml", "name: Mei Chen", "name: Mei Chen-Li")
    build(example, out, search=False)
    assert "members/mei-chen/index.html" in rendered and "members/index.html" in rendered
    assert "members/pau-soler/index.html" not in rendered and "about/index.html" not in rendered

    theme_template(example, "page.html")  # a community template: every page is rendered in the sandbox
    build(example, out, search=False)
    rendered.clear()
    edit(example / "theme/page.html", "{% block main %}", "{% block main %}<p>Ours</p>")
    build(example, out, search=False)
    assert rendered and {page.split("/")[0] for page in rendered} <= {"about", "code-of-conduct", "field-guide",
                                                                      "join", "ledger"}
    assert "join/index.html" in rendered


def test_a_ci_build_with_the_cache_kept_renders_only_what_changed(example, tmp_path, rendered_pages):
    """A CI runner restores the cache folder but starts from an empty output folder: the pages
    whose key is in the page store are taken from there, and the site is the same bytes as a
    clean build's."""
    import shutil

    rendered = rendered_pages
    out = tmp_path / "site"
    build(example, out, search=False)
    shutil.rmtree(out)
    rendered.clear()
    edit(example / "members/mei-chen.yaml", "name: Mei Chen", "name: Mei Chen-Li")
    build(example, out, search=False)
    assert "members/mei-chen/index.html" in rendered
    assert "members/pau-soler/index.html" not in rendered and "about/index.html" not in rendered
    clean = tmp_path / "clean"
    build(example, clean, search=False, incremental=False)
    assert tree(out) == tree(clean)

    rendered.clear()  # a store that lost its bytes, or holds others, only costs renders
    store = next((example / ".git/commonplace-cache").glob("build-*.pages"))
    store.write_bytes(b"\0" * store.stat().st_size)
    shutil.rmtree(out)
    build(example, out, search=False)
    assert "about/index.html" in rendered and tree(out) == tree(clean)
