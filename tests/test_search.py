"""Search: with the extra, a search page and a Pagefind bundle; without it, one line saying how."""

from __future__ import annotations

import gzip
import re

import pytest

from generator import build as build_module
from generator.build import build
from generator.publish.search import ENABLE_HINT, available


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


def bundle(out) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "pagefind").rglob("*")) if p.is_file()}


@pytest.mark.skipif(not available(), reason="the search extra is not installed")
def test_search_later_serves_new_pages_with_the_old_index_then_replaces_it(community, tmp_path):
    from communities import write_files

    root = community()
    out = tmp_path / "site"
    first = build(root, out, search=True, search_later=True)
    assert first.index_later is None  # nothing to keep yet: indexed at once
    old = bundle(out)
    assert old

    write_files(root, {"pages/about.md": "---\ntitle: About\n---\nThe word zanzibarite is new.\n"})
    second = build(root, out, search=True, search_later=True)
    assert second.index_later is not None
    assert "zanzibarite" in (out / "about/index.html").read_text()
    assert bundle(out) == old  # the pages are new, the index is still the last one

    third = build(root, out, search=True, search_later=True)  # as after `serve` stopped before indexing
    assert not third.unchanged and third.index_later is not None  # a pending index is not up to date
    written = third.index_later()
    assert written and all(rel.startswith("pagefind/") for rel in written)
    clean = tmp_path / "clean"
    build(root, clean, search=True, incremental=False)
    assert bundle(out) == bundle(clean)
    again = build(root, out, search=True, search_later=True)
    assert again.unchanged and again.index_later is None and again.written == []
    for path in sorted(clean.rglob("*")):  # the site as a whole is the clean build's
        if path.is_file():
            assert path.read_bytes() == (out / path.relative_to(clean)).read_bytes(), path


@pytest.mark.skipif(not available(), reason="the search extra is not installed")
def test_a_build_after_a_pending_index_indexes_at_once(community, tmp_path):
    from communities import write_files

    root = community()
    out = tmp_path / "site"
    build(root, out, search=True)
    write_files(root, {"pages/about.md": "---\ntitle: About\n---\nNew words.\n"})
    assert build(root, out, search=True, search_later=True).index_later is not None  # and never run
    result = build(root, out, search=True)
    assert result.index_later is None and any(rel.startswith("pagefind/") for rel in result.written)
    clean = tmp_path / "clean"
    build(root, clean, search=True, incremental=False)
    assert bundle(out) == bundle(clean)


def _decompressed(path) -> bytes:
    data = path.read_bytes()
    try:
        return gzip.decompress(data)  # Pagefind's fragments and index chunks
    except OSError:
        return data


@pytest.mark.skipif(not available(), reason="the search extra is not installed")
def test_the_search_index_holds_no_hidden_member_no_real_name_behind_a_pseudonym_no_email(community, tmp_path):
    root = community()  # ben is pseudonymous, cy is hidden
    out = tmp_path / "site"
    build(root, out, search=True, incremental=False)
    index = b"\n".join(_decompressed(p) for p in sorted((out / "pagefind").rglob("*")) if p.is_file()).lower()
    assert b"lopez" in index and b"/members/ana/" in index  # the words are readable here: the test can fail
    for secret in (b"okafor", b"cy hidden", b"/members/ben/", b"/members/cy/", b"@example"):
        assert secret not in index, secret


def fragments(out) -> dict[str, str]:
    """The text Pagefind indexed for each page (what excerpts are cut from), by page URL."""
    import json

    result = {}
    for path in sorted((out / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        result[fragment["url"]] = fragment["content"]
    return result


@pytest.mark.skipif(not available(), reason="the search extra is not installed")
def test_search_excerpts_keep_labels_and_values_apart(community, tmp_path):
    root = community({"members/ana.yaml": "name: Ana Lopez\nroles: [seed-keeper]\naffiliation: Barrio Garden\n"})
    out = tmp_path / "out"
    build(root, out, search=True, incremental=False)
    text = fragments(out)
    home = next(content for url, content in text.items() if url.endswith("/library/") or url == "/")
    assert "Governance Monthly open assembly" in home and "License CC-BY-SA-4.0" in home
    assert not re.search(r"[a-z][A-Z]", home.replace("CC-BY", "")), home  # no "GovernanceMonthly"
    data = next(content for url, content in text.items() if url.endswith("/data/"))
    assert re.search(r"Rows \d+\. Size \d", data), data
    ana = next(content for url, content in text.items() if url.endswith("/members/ana/"))
    assert "Seed keeper" in ana
    assert "opens the forge's editor" not in ana  # propose hints are not content


def test_the_search_box_takes_the_themes_colours_and_type(community, tmp_path):
    out = tmp_path / "out"
    build(community(), out, search=False)
    css = (out / "assets/style.css").read_text()
    block = "".join(re.findall(r"#search \{([^}]*)\}", css))
    settings = dict(re.findall(r"(--pagefind-ui-[a-z-]+):\s*([^;]+);", block))
    theme = dict(re.findall(r"(--[a-z-]+):\s*([^;]+);", re.search(r":root \{([^}]*)\}", css).group(1)))
    for name, colour in (("primary", "--accent"), ("text", "--ink"), ("border", "--line"), ("tag", "--panel")):
        assert settings[f"--pagefind-ui-{name}"] == f"var({colour})" and colour in theme
    assert settings["--pagefind-ui-font"] == "inherit" and "--pagefind-ui-background" in settings
@pytest.mark.parametrize("installed", [True, False])
def test_no_search_hints_at_the_extra_only_when_it_is_missing(community, tmp_path, monkeypatch, capsys, installed):
    from generator.cli import main

    monkeypatch.setattr(build_module, "search_available", lambda: installed)
    root = community()
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--no-search"]) == 0
    assert capsys.readouterr().err.count(ENABLE_HINT) == (0 if installed else 1)
    assert not (tmp_path / "out" / "pagefind").exists()
