"""Search: with the extra, a search page and a Pagefind bundle; without it, one line saying how."""

from __future__ import annotations

import pytest

from generator import build as build_module
from generator.build import build
from generator.search import ENABLE_HINT, available


def test_without_the_extra_the_build_says_how_to_enable_search(community, tmp_path, monkeypatch, capsys):
    from generator.cli import main

    monkeypatch.setattr(build_module, "search_available", lambda: False)  # as without the extra
    root = community()
    assert main(["build", str(root), "-o", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err.count(ENABLE_HINT) == 1
    assert not (tmp_path / "out" / "search").exists() and not (tmp_path / "out" / "pagefind").exists()
    assert 'href="../search/"' not in (tmp_path / "out" / "about/index.html").read_text()


@pytest.mark.skipif(not available(), reason="the search extra is not installed")
def test_with_the_extra_the_site_gets_a_search_page_and_index(community, tmp_path):
    root = community()
    first = build(root, tmp_path / "a", search=True, incremental=False)
    assert ENABLE_HINT not in first.notes
    out = tmp_path / "a"
    assert (out / "pagefind" / "pagefind-ui.js").exists() and (out / "pagefind" / "pagefind-entry.json").exists()
    page = (out / "search/index.html").read_text()
    assert 'src="../pagefind/pagefind-ui.js"' in page and 'id="search"' in page
    assert 'href="../search/"' in (out / "about/index.html").read_text()
    assert "data-pagefind-body" in (out / "members/ana/index.html").read_text()
    assert "data-pagefind-body" not in (out / "404.html").read_text()
    build(root, tmp_path / "b", search=True, incremental=False)
    for path in sorted((out / "pagefind").rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "b" / path.relative_to(out)).read_bytes(), path.name
