"""The build cache: a rebuild parses the files and renders the Markdown that changed, and only
those; what it builds is what a clean build makes; the cache is read only from the git folder."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

import generator.cache.buildcache
import generator.load.parse
import generator.render.markdown
from communities import MINIMAL, write_files
from generator.build import build
from gitrepo import commit_all


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(community, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = community({"members/dan.yaml": "name: Dan Ruiz\nbio: Grows *tomatoes*.\n",
                      "members/eva.yaml": "name: Eva Sol\nbio: Keeps **bees**.\n",
                      "pages/join.md": "---\ntitle: Join\n---\nCome by on *Saturdays*.\n"})
    commit_all(root, "Start")
    return root


@pytest.fixture
def counted(monkeypatch):
    """Which files get parsed and which Markdown texts get rendered, from here on."""
    seen = {"parsed": [], "rendered": []}
    parse_text, render = generator.load.parse.parse_text, generator.render.markdown._MD.render

    def counting_parse(rel, *args, **kwargs):
        seen["parsed"].append(rel)
        return parse_text(rel, *args, **kwargs)

    def counting_render(text, *args):
        seen["rendered"].append(text)
        return render(text, *args)

    monkeypatch.setattr(generator.load.parse, "parse_text", counting_parse)
    monkeypatch.setattr(generator.render.markdown._MD, "render", counting_render)
    return seen


def cache_file(repo: Path) -> Path:
    (path,) = (repo / ".git" / "commonplace-cache").glob("build-*.pickle")
    return path


def test_a_rebuild_parses_and_renders_only_what_changed(repo, tmp_path, counted):
    out = tmp_path / "site"
    build(repo, out)
    assert "members/dan.yaml" in counted["parsed"] and "Grows *tomatoes*." in counted["rendered"]
    assert cache_file(repo).is_file()
    counted["parsed"].clear()
    counted["rendered"].clear()

    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nbio: Grows *peppers*.\n"})
    result = build(repo, out)
    # of the collections' files (the two top-level files are always parsed: there is one of each)
    assert [rel for rel in counted["parsed"] if "/" in rel] == ["members/dan.yaml"]
    assert counted["rendered"] == ["Grows *peppers*."]
    assert "members/dan/index.html" in result.written
    clean = tmp_path / "clean"
    build(repo, clean, incremental=False)
    assert tree(out) == tree(clean)


def test_the_cache_keeps_only_what_the_last_build_used(repo, tmp_path):
    build(repo, tmp_path / "site")
    (repo / "members/eva.yaml").unlink()
    build(repo, tmp_path / "site")
    with open(cache_file(repo), "rb") as handle:
        stored = pickle.load(handle)
    assert "Keeps **bees**." not in stored["markdown"] and "Grows *tomatoes*." in stored["markdown"]
    parsed = [pickle.loads(blob) for blob in stored["parsed"].values()]
    assert all(doc is None or doc.data.get("name") != "Eva Sol" for doc, _body, _findings in parsed)


def test_another_generator_or_schema_ignores_the_cache(repo, tmp_path, counted, monkeypatch):
    build(repo, tmp_path / "site")
    counted["parsed"].clear()
    monkeypatch.setattr(generator.cache.buildcache, "_STAMP", ["another generator"])
    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nbio: Grows *peppers*.\n"})
    build(repo, tmp_path / "site")
    assert "members/eva.yaml" in counted["parsed"] and "pages/join.md" in counted["parsed"]


def test_a_damaged_cache_is_rebuilt(repo, tmp_path):
    build(repo, tmp_path / "site")
    cache_file(repo).write_bytes(cache_file(repo).read_bytes()[:100])
    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nbio: Grows *peppers*.\n"})
    build(repo, tmp_path / "site")
    build(repo, tmp_path / "clean", incremental=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "clean")
    with open(cache_file(repo), "rb") as handle:
        assert "Grows *peppers*." in pickle.load(handle)["markdown"]


class Planted:
    """A pickle that, when loaded, creates a file: proof that something read it."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_cache_planted_in_the_repository_is_never_read(repo, tmp_path):
    marker = tmp_path / "loaded"
    payload = pickle.dumps({"stamp": generator.cache.buildcache.code_stamp(), "parsed": Planted(marker), "markdown": {}})
    planted = [".commonplace-cache/build.pickle", "commonplace-cache/build.pickle"]
    planted += [f"{folder}/build-{hashlib.sha256(str(repo.resolve()).encode()).hexdigest()[:16]}.pickle"
                for folder in (".commonplace-cache", "commonplace-cache")]
    write_files(repo, {rel: "" for rel in planted})
    for rel in planted:
        (repo / rel).write_bytes(payload)
    commit_all(repo, "A pull request that plants pickles")
    build(repo, tmp_path / "site")
    assert not marker.exists()


def test_outside_a_git_repository_nothing_is_kept(community, tmp_path):
    root = community({"members/dan.yaml": "name: Dan Ruiz\nbio: Grows *tomatoes*.\n"}, name="plain")
    build(root, tmp_path / "site")
    assert not list(root.rglob("build*.pickle"))


def test_two_communities_in_one_repository_keep_their_own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    repo = tmp_path / "repo"
    write_files(repo, {f"{name}/{rel}": text for name in ("north", "south") for rel, text in MINIMAL.items()})
    commit_all(repo, "Two communities")
    build(repo / "north", tmp_path / "north-site")
    build(repo / "south", tmp_path / "south-site")
    assert len(list((repo / ".git" / "commonplace-cache").glob("build-*.pickle"))) == 2
