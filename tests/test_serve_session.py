"""serve's builder in memory (`generator.session.BuildSession`): after each save the site is
byte-identical to a clean build of the same files, a failed save leaves the site as it was and
the next good one recovers; a save reads again only the files that changed, takes the unchanged
pages from memory, reuses the value report while its inputs stay the same, and writes the build
cache only when the session closes."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.load.parse
import generator.valuation
from communities import write_files
from generator.build import build
from generator.cache.folders import build_cache_file
from generator.cache.reuse import PreviousSite
from generator.errors import DataError
from generator.session import BuildSession
from gitrepo import commit_all

BASE = "http://127.0.0.1:8000/"


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(community, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = community({"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener]\nbio: |\n  Grows beans.\n",
                      "pages/join.md": "---\ntitle: Join\n---\nCome by.\n"})
    commit_all(root, "Start")
    return root


@pytest.fixture
def session(repo, tmp_path):
    made = BuildSession(repo, tmp_path / "served", BASE, search=False)
    yield made
    made.close()


def save(repo: Path, files: dict[str, str | None]) -> list[str]:
    """Write `files` as an editor would, and the paths the watcher would name."""
    write_files(repo, files)
    return [str(repo / rel) for rel in files]


def assert_same_as_clean(repo: Path, out: Path, clean: Path) -> None:
    """`out` holds exactly what a clean build of `repo`'s files makes."""
    build(repo, clean, base_url=BASE, incremental=False, search=False)
    assert tree(out) == tree(clean)


def test_each_save_gives_the_site_a_clean_build_gives(repo, session, tmp_path):
    out = session.out_dir
    first = session.build(None)
    assert not first.unchanged
    assert_same_as_clean(repo, out, tmp_path / "clean-0")
    saves = [
        {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener]\nbio: |\n  Grows beans and peas.\n"},
        {"members/eve.yaml": "name: Eve Soler\nroles: [gardener]\n"},  # a new member: lists change
        {"pages/join.md": None, "pages/join-us.md": "---\ntitle: Join us\n---\nCome by on Sundays.\n"},
        {"commonplace.yaml": (repo / "commonplace.yaml").read_text().replace("Seed Library", "Seed Commons")},
        {"events/swap-2024.md": (repo / "events/swap-2024.md").read_text().replace("participants: [ben, cy]",
                                                                                 "participants: [ben, cy, dan]")},
    ]
    for number, files in enumerate(saves, 1):
        result = session.build(save(repo, files))
        session.settle()  # what serve's builder does once the tab has its answer; every other save skips it
        assert result.written, files
        assert_same_as_clean(repo, out, tmp_path / f"clean-{number}")
    commit_all(repo, "More")  # HEAD moves: the value figures are read again
    result = session.build([])
    assert "value/index.html" in result.written
    assert_same_as_clean(repo, out, tmp_path / "clean-commit")


def test_a_failed_save_leaves_the_site_and_the_next_save_recovers(repo, session, tmp_path):
    out = session.out_dir
    session.build(None)
    before = tree(out)
    with pytest.raises(DataError) as failed:
        session.build(save(repo, {"members/dan.yaml": "name: Dan\nemial: x\n"}))
    assert any(f.path == "members/dan.yaml" for f in failed.value.findings)
    assert tree(out) == before
    session.build(save(repo, {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener, cook]\n"}))
    assert "Gardener, Cook" in (out / "members/dan/index.html").read_text()
    assert_same_as_clean(repo, out, tmp_path / "clean")


def test_a_save_reads_only_the_changed_files_and_takes_other_pages_from_memory(repo, session, monkeypatch):
    session.build(None)
    read: list[str] = []
    reading = generator.load.parse.read_file
    monkeypatch.setattr(generator.load.parse, "read_file", lambda reader, rel: (read.append(rel), reading(reader, rel))[1])
    from_disk: list[str] = []
    back = PreviousSite.read_back
    monkeypatch.setattr(PreviousSite, "read_back", lambda self, rel: (from_disk.append(rel), back(self, rel))[1])
    result = session.build(save(repo, {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener]\nbio: |\n  Beans.\n"}))
    assert [rel for rel in read if "/" in rel] == ["members/dan.yaml"]  # and the few files at the top
    assert from_disk == []
    assert result.written == ["members/dan/index.html"]
    # a folder named as changed (a rename, a deletion) is read again whole
    read.clear()
    save(repo, {"members/eve.yaml": "name: Eve Soler\n"})
    session.build([str(repo / "members")])
    assert sorted(rel for rel in read if "/" in rel) == ["members/ana.yaml", "members/ben.yaml", "members/cy.yaml", "members/dan.yaml",
                            "members/eve.yaml"]


def test_the_value_report_is_reused_until_its_inputs_change(repo, session, monkeypatch):
    computed = []
    compute = generator.valuation.value_report
    monkeypatch.setattr(generator.valuation, "value_report",
                        lambda *args, **kwargs: (computed.append(1), compute(*args, **kwargs))[1])
    session.build(None)
    session.build(save(repo, {"pages/join.md": "---\ntitle: Join\n---\nCome by on Sundays.\n"}))
    assert len(computed) == 1  # a page's text is nothing the engine reads
    session.build(save(repo, {"members/dan.yaml": "name: Dan Ruiz\nemails: [dan@example.org]\n"}))
    assert len(computed) == 2  # an address is: it says whose commits are whose
    commit_all(repo, "More")
    session.build([])
    assert len(computed) == 3  # so is the history


def test_the_build_cache_is_written_when_the_session_closes(repo, tmp_path):
    session = BuildSession(repo, tmp_path / "served", BASE, search=False)
    cache_file = build_cache_file(repo)
    session.build(None)
    assert not cache_file.exists()
    session.build(save(repo, {"pages/join.md": "---\ntitle: Join\n---\nCome by.\n\nOn Sundays.\n"}))
    session.settle()
    assert not cache_file.exists()
    session.close()
    assert cache_file.is_file()
    # the next process starts from it and from the site the session left: nothing to rewrite
    parsed: list[str] = []
    parse = generator.load.parse.parse_text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator.load.parse, "parse_text",
                      lambda rel, *args, **kwargs: (parsed.append(rel), parse(rel, *args, **kwargs))[1])
        again = BuildSession(repo, tmp_path / "served", BASE, search=False)
        result = again.build(None)
        again.close()
    assert [rel for rel in parsed if "/" in rel] == [] and result.written == []  # the collections' parses came from the cache


def test_an_address_put_on_a_page_stops_the_save_as_it_stops_a_build(repo, session, tmp_path):
    session.build(None)
    leak = {"pages/join.md": "---\ntitle: Join\n---\nWrite to ana@example.org.\n"}
    with pytest.raises(DataError) as in_session:
        session.build(save(repo, leak))
    with pytest.raises(DataError) as clean:
        build(repo, tmp_path / "clean", base_url=BASE, incremental=False, search=False)
    assert in_session.value.findings == clean.value.findings
    assert any(f.path == "pages/join.md" and "ana@example.org" in f.message for f in clean.value.findings)
    session.build(save(repo, {"pages/join.md": "---\ntitle: Join\n---\nWrite to us.\n"}))
    assert_same_as_clean(repo, session.out_dir, tmp_path / "clean-after")


def test_a_change_the_watcher_did_not_report_is_still_read(repo, session, tmp_path):
    session.build(None)
    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener, baker]\n"})
    session.build([])  # an event lost: the file's status tells
    assert "Gardener, Baker" in (session.out_dir / "members/dan/index.html").read_text()
    assert_same_as_clean(repo, session.out_dir, tmp_path / "clean")


def watched(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under `root` but `.git`, as the watcher would compare them."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*")) if ".git" not in p.relative_to(root).parts}


def changes(root: Path, before: dict, after: dict) -> list[str]:
    """The paths the watcher would name: files and folders added, removed or changed."""
    return [str(root / rel) for rel in sorted(set(before) | set(after)) if before.get(rel, 0) != after.get(rel, 0)]


@pytest.fixture
def example(example_repository):
    return example_repository


def test_every_kind_of_change_in_a_session_gives_the_clean_site(example, tmp_path):
    """test_incremental_equal's chains of changes, each saved into one session in turn."""
    from test_incremental_equal import CHAINS

    session = BuildSession(example, tmp_path / "served", None, search=False)
    try:
        session.build(None)
        step = 0
        for chain in CHAINS.values():
            for label, change in chain:
                before = watched(example)
                change(example)
                session.build(changes(example, before, watched(example)))
                if step % 2:
                    session.settle()  # as serve's builder does; every other change leaves it to the next build
                clean = tmp_path / f"clean-{step}"
                build(example, clean, incremental=False, search=False)
                assert tree(session.out_dir) == tree(clean), label
                step += 1
    finally:
        session.close()


def test_an_index_stopped_for_a_newer_save_stays_as_it_was_and_the_next_one_catches_up(repo, tmp_path, monkeypatch):
    import generator.build
    from generator.publish.search import IndexStopped, available

    if not available():
        pytest.skip("the search extra is not installed")
    monkeypatch.setattr(generator.build, "search_available", lambda: True)
    session = BuildSession(repo, tmp_path / "served", BASE)
    try:
        session.build(None)  # the first build indexes before it answers
        before = tree(session.out_dir / "pagefind")
        result = session.build(save(repo, {"pages/join.md": "---\ntitle: Join\n---\nCome by on Sundays.\n"}))
        with pytest.raises(IndexStopped):
            result.index_later(stop=lambda: True)  # serve's builder: a save is waiting
        assert tree(session.out_dir / "pagefind") == before
        result = session.build(save(repo, {"pages/join.md": "---\ntitle: Join\n---\nCome by on Mondays.\n"}))
        assert result.index_later is not None
        result.index_later()
        clean = tmp_path / "clean"
        build(repo, clean, base_url=BASE, incremental=False, search=True)
        assert tree(session.out_dir) == tree(clean)
    finally:
        session.close()
