"""Incremental builds: nothing changed writes nothing; one change rewrites only what depends on
it, and the result is byte-identical to a clean build."""

from __future__ import annotations

from pathlib import Path

import pytest

from communities import write_files
from generator.build import build
from generator.errors import DataError
from gitrepo import commit_all


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def assert_same_as_clean(repo: Path, out: Path, tmp_path: Path) -> None:
    """The incremental output `out` holds exactly what a clean build of `repo` makes."""
    clean = tmp_path / "clean"
    build(repo, clean, incremental=False)
    assert tree(out) == tree(clean)


def times(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def repo(community, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = community({"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener]\n",
                      "pages/join.md": "---\ntitle: Join\n---\nCome by.\n"})
    commit_all(root, "Start")
    return root


def test_nothing_changed_writes_nothing(repo, tmp_path):
    out = tmp_path / "site"
    first = build(repo, out)
    assert not first.unchanged and len(first.written) == first.files
    before = times(out)
    second = build(repo, out)
    assert second.unchanged and second.written == [] and second.model is None
    assert times(out) == before


def test_one_member_change_rewrites_only_its_dependents(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out)
    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener, beekeeper]\n"})
    result = build(repo, out)
    # Dan's roles show on his page and on the members index, nowhere else
    assert result.written == ["members/dan/index.html", "members/index.html"]
    assert_same_as_clean(repo, out, tmp_path)


def test_renaming_a_page_removes_the_old_one(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out)
    (repo / "pages/join.md").rename(repo / "pages/join-us.md")
    result = build(repo, out)
    assert "join/index.html" in result.written and not (out / "join").exists()
    assert (out / "join-us/index.html").exists()
    assert_same_as_clean(repo, out, tmp_path)


def test_a_touched_output_folder_is_rebuilt_whole(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out)
    (out / "members/index.html").write_text("defaced")
    (out / "extra.html").write_text("stray")
    result = build(repo, out)
    assert not result.unchanged
    assert_same_as_clean(repo, out, tmp_path)


def test_a_failing_rebuild_leaves_the_site_as_it_was(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out)
    before = tree(out)
    write_files(repo, {"members/dan.yaml": "name: Dan\nemial: x\n"})
    with pytest.raises(DataError):
        build(repo, out)
    assert tree(out) == before


def test_a_new_commit_is_a_change(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out)
    write_files(repo, {"notes.txt": "not a data file\n"})
    assert build(repo, out).unchanged  # files the portal does not read change nothing
    commit_all(repo, "Notes")
    result = build(repo, out)
    assert not result.unchanged and "value/index.html" in result.written


def test_forked_rendering_and_parsing_give_the_same_bytes(repo, tmp_path, monkeypatch):
    import generator.load.parse
    import generator.render.pagefiles
    import value.forkpool

    serial = tmp_path / "serial"
    build(repo, serial, incremental=False)
    monkeypatch.setattr(generator.render.pagefiles, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(generator.load.parse, "PARALLEL_MIN_FILES", 1)
    if not value.forkpool.can_fork():
        pytest.skip("no fork start method or a single core here")
    forked = tmp_path / "forked"
    build(repo, forked, incremental=False)
    assert tree(forked) == tree(serial)


def test_forked_parsing_reports_the_same_findings(community, monkeypatch):
    import generator.load.parse
    import value.forkpool
    from generator.load.loader import check_community

    root = community({"members/dan.yaml": "name: Dan\nemial: x\n", "members/eve.yaml": "a: &x 1\nb: *x\n",
                      "events/bad.md": "no front matter\n", "members/Bad Name.yaml": "name: B\n",
                      # found after parsing, so their positions come from parsing the file again
                      "members/fay.yaml": "name: Fay\n\nhandle: fey\n",
                      "projects/p.md": "---\ntitle: P\n\nleads:\n  - nobody\n---\nBody\n",
                      "events/e.md": "---\ntitle: E\ndate: 2025-03-02\n\nend_date: 2025-03-01\n---\n"})
    serial = [str(f) for f in check_community(root)]
    monkeypatch.setattr(generator.load.parse, "PARALLEL_MIN_FILES", 1)
    if not value.forkpool.can_fork():
        pytest.skip("no fork start method or a single core here")
    assert [str(f) for f in check_community(root)] == serial and len(serial) == 7
    assert {"members/fay.yaml:3:9", "projects/p.md:5:5", "events/e.md:5:11"} <= {
        ":".join(f.split(":")[:3]) for f in serial}


def test_forked_rendering_reports_a_broken_community_template_like_the_serial_path(community, tmp_path, monkeypatch):
    import generator.render.pagefiles
    from generator.errors import CommonplaceError

    root = community({"theme/member.html": '{% extends "base.html" %}{% block main %}{% if %}{% endblock %}\n',
                      "theme/person.html": '{% include "missing.html" %}'})
    messages = []
    for minimum in (10**6, 1):
        monkeypatch.setattr(generator.render.pagefiles, "PARALLEL_MIN_PAGES", minimum)
        with pytest.raises(CommonplaceError) as caught:
            build(root, tmp_path / f"site-{minimum}", incremental=False)
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "member.html:1: template error" in messages[0]


def test_the_polled_fingerprint_sees_edits_without_reading_files(repo):
    import os

    from generator.cache.manifest import fingerprint

    def polled():
        return fingerprint(repo, {}, contents=False)

    first = polled()
    assert polled() == first
    member = repo / "members/dan.yaml"
    info = os.stat(member)
    member.write_text(member.read_text().replace("gardener", "gardenex"))  # same size
    os.utime(member, ns=(info.st_atime_ns, info.st_mtime_ns))
    second = polled()
    assert second != first  # the same size and time put back: the change time, which no program sets, moved
    assert polled() == second
    write_files(repo, {"members/eve.yaml": "name: Eve\n"})
    assert polled() != second


def test_a_settled_unchanged_community_is_not_read_and_a_sly_edit_is_still_seen(repo, tmp_path, monkeypatch):
    """Files untouched for RACY_NS are fingerprinted by their status alone; an edit that keeps
    the size and puts the modification time back is still seen (by its change time)."""
    import os

    import generator.cache.manifest as manifest

    monkeypatch.setattr(manifest, "RACY_NS", 0)  # every file counts as settled at once
    out = tmp_path / "site"
    build(repo, out)
    assert build(repo, out).unchanged  # records the quick fingerprint
    import generator.cache.incremental as incremental

    read = []
    by_bytes = incremental.fingerprint
    monkeypatch.setattr(incremental, "fingerprint", lambda *a, **k: read.append(a) or by_bytes(*a, **k))
    assert build(repo, out).unchanged
    assert read == []  # not one file read
    member = repo / "members/dan.yaml"
    info = os.stat(member)
    member.write_text(member.read_text().replace("Dan Ruiz", "Dan Ruix"))  # same size
    os.utime(member, ns=(info.st_atime_ns, info.st_mtime_ns))
    result = build(repo, out)
    assert not result.unchanged
    assert "Dan Ruix" in (out / "members/dan/index.html").read_text()


def test_manifests_of_output_folders_that_are_gone_are_forgotten(community, tmp_path):
    import shutil

    from generator.cache.manifest import Manifest

    root = community()
    first, second = tmp_path / "first", tmp_path / "second"
    build(root, first)
    build(root, second)
    assert Manifest.path(root, first).is_file() and Manifest.path(root, second).is_file()
    shutil.rmtree(first)
    write_files(root, {"pages/about.md": "---\ntitle: About\n---\nChanged.\n"})
    build(root, second)
    assert not Manifest.path(root, first).exists() and Manifest.path(root, second).is_file()
    assert build(root, second).unchanged  # the one kept still works


def test_compiled_templates_are_kept_and_never_outlive_their_language_or_source(repo, tmp_path):
    cache = repo / ".git" / "commonplace-cache" / "templates"
    out = tmp_path / "site"
    build(repo, out)
    assert len(list(cache.glob("*.cache"))) >= 10  # the theme's templates, compiled once
    config = (repo / "commonplace.yaml").read_text()
    # Jinja folds `{{ "Main" | tr }}` into the compiled code: a new language must not reuse it.
    write_files(repo, {"commonplace.yaml": config.replace("title:", "language: es\ntitle:", 1)})
    build(repo, out)
    clean = tmp_path / "clean"
    build(repo, clean, incremental=False)
    assert tree(out) == tree(clean) and 'aria-label="Principal"' in tree(out)["index.html"].decode()
    # A changed template is compiled again.
    write_files(repo, {"theme/page.html": '{% extends "base.html" %}{% block main %}<p>own page</p>{% endblock %}\n'})
    build(repo, out)
    assert "<p>own page</p>" in (out / "join" / "index.html").read_text()
    build(repo, clean, incremental=False)
    assert tree(out) == tree(clean)


def test_a_template_cache_that_cannot_be_written_only_costs_time(repo, tmp_path):
    caches = repo / ".git" / "commonplace-cache"
    caches.mkdir(exist_ok=True)
    (caches / "templates").write_text("a file where the folder should be\n")  # fails for root too
    out = tmp_path / "site"
    build(repo, out)
    assert_same_as_clean(repo, out, tmp_path)


def test_a_community_in_a_repository_keeps_nothing_in_its_work_tree(repo, tmp_path):
    from generator.cache.manifest import Manifest

    out = tmp_path / "site"
    build(repo, out)
    assert build(repo, out).unchanged  # the manifest was found again
    git_dir = (repo / ".git").resolve()
    assert Manifest.path(repo, out).resolve().is_relative_to(git_dir)
    assert not (repo / ".commonplace-cache").exists()


@pytest.mark.parametrize("tick", [0, 10**18], ids=["settled folders", "folders too recent"])
@pytest.mark.parametrize("touch", ["extra file", "extra folder", "removed file", "edited file", "file to link"])
def test_an_output_checked_by_recorded_states_still_sees_every_touch(repo, tmp_path, monkeypatch, touch, tick):
    """Once the output's folder times are recorded, a build that has nothing to do checks the
    states of the folders and files instead of walking the output (a folder modified too recently
    for its time to be trusted is listed): it must see what the walk saw."""
    import os

    import generator.cache.manifest as manifest

    monkeypatch.setattr(manifest, "FOLDER_TICK_NS", tick)
    out = tmp_path / "site"
    build(repo, out)
    assert build(repo, out).unchanged
    assert manifest.Manifest.load(repo, out).folders  # recorded: the next check lists no folder
    listed = []
    with monkeypatch.context() as patched:
        patched.setattr(os, "walk", lambda *a, **k: listed.append(a) or iter(()))
        assert build(repo, out).unchanged and listed == []
    if touch == "extra file":
        (out / "members/dan/notes.txt").write_text("stray")
    elif touch == "extra folder":
        (out / "members/zed").mkdir()
    elif touch == "removed file":
        (out / "join/index.html").unlink()
    elif touch == "edited file":
        page = out / "members/index.html"
        info = page.stat()
        page.write_bytes(page.read_bytes().replace(b"Dan", b"Dam"))
        os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    else:
        page = out / "join/index.html"
        (tmp_path / "elsewhere.html").write_bytes(page.read_bytes())
        page.unlink()
        page.symlink_to(tmp_path / "elsewhere.html")
    assert not build(repo, out).unchanged
    assert_same_as_clean(repo, out, tmp_path)


@pytest.mark.parametrize("output", ["kept", "emptied as on a CI runner"])
def test_a_reused_page_is_checked_again_for_an_address_that_became_known(repo, tmp_path, output):
    """The address guard skips the files the last build published with the same bytes, but only
    while the addresses it looks for are the same: a page that was fine can name someone who
    joins later."""
    import shutil

    out = tmp_path / "site"
    write_files(repo, {"pages/join.md": "---\ntitle: Join\n---\nWrite to zed@example.org.\n"})
    build(repo, out)  # nobody's address yet: the page is published
    if output != "kept":
        shutil.rmtree(out)
    write_files(repo, {"members/zed.yaml": "name: Zed\nemails: [zed@example.org]\n"})
    with pytest.raises(DataError) as raised:
        build(repo, out)
    assert any(f.path == "pages/join.md" and "zed@example.org" in f.message for f in raised.value.findings)


@pytest.mark.parametrize("touch", ["extra file", "extra top file", "edited file", "folder to link"])
def test_a_touched_spare_is_not_built_upon(repo, tmp_path, monkeypatch, touch):
    """A rebuild starts its staging folder from the spare (the site the last rebuild replaced) only
    when the spare holds exactly what was recorded: checked by its folders' and files' states once
    those are recorded, it must still refuse anything added, changed or linked."""
    import os

    import generator.cache.manifest as manifest

    monkeypatch.setattr(manifest, "FOLDER_TICK_NS", 0)
    out = tmp_path / "site"
    build(repo, out)
    assert build(repo, out).unchanged  # records the folders' times
    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener, beekeeper]\n"})
    build(repo, out)  # the first site becomes the spare, its folders' times recorded with it
    spare = tmp_path / ".site.spare"
    assert manifest.Manifest.load(repo, out).spare_folders
    if touch == "extra file":
        (spare / "join/leak.html").write_text("<p>junk</p>")
    elif touch == "extra top file":
        (spare / "leak.html").write_text("<p>junk</p>")
    elif touch == "edited file":
        page = spare / "join/index.html"
        page.write_bytes(page.read_bytes().replace(b"Come by", b"Go away now"))
    else:
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere/index.html").write_bytes((spare / "join/index.html").read_bytes())
        os.rename(spare / "join", tmp_path / "moved")
        (spare / "join").symlink_to(tmp_path / "elsewhere")
    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener]\n"})
    build(repo, out)
    assert not (out / "leak.html").exists() and not (out / "join/leak.html").exists()
    assert not (out / "join").is_symlink()
    assert_same_as_clean(repo, out, tmp_path)


def test_the_full_fingerprint_reads_only_the_files_whose_status_changed(repo, monkeypatch):
    """The content fingerprint keeps each settled file's hash by its status: after one edit it
    reads that file alone, and gives what hashing every file gives."""
    import builtins

    import generator.cache.manifest as manifest
    from generator.cache.folders import manifests_dir

    monkeypatch.setattr(manifest, "RACY_NS", 0)
    kept = manifests_dir(repo) / "contents.hashes"

    def stamp(count: list | None = None):
        hashes = manifest.ContentHashes(kept)
        if count is not None:
            monkeypatch.setattr(manifest, "open", lambda path, *a, **k: count.append(path) or builtins.open(path, *a, **k),
                                raising=False)
        digest = manifest.fingerprint(repo, {}, hashes=hashes)
        monkeypatch.delattr(manifest, "open", raising=False)
        hashes.save()
        return digest

    first = stamp()
    read: list = []
    assert stamp(read) == first and read == []
    write_files(repo, {"members/dan.yaml": "name: Dan Ruiz\nroles: [gardener, beekeeper]\n"})
    read.clear()
    assert stamp(read) == manifest.fingerprint(repo, {}) != first
    assert [str(p).rpartition("/")[2] for p in read] == ["dan.yaml"]


def test_an_events_edited_text_changes_its_page_not_its_attendees_pages(repo, tmp_path, rendered_pages):
    """A member page shows of each event and project it lists the title (and date): editing an
    event's or a project's text changes its own page, while its people's pages keep their key
    and are not rendered again."""
    rendered = rendered_pages
    out = tmp_path / "site"
    event = "---\ntitle: Tree walk\ndate: 2024-04-20\norganisers: [dan]\nparticipants: [eve]\n---\n{text}\n"
    project = "---\ntitle: Tree map\nstatus: active\nleads: [eve]\n---\n{text}\n"
    write_files(repo, {"members/eve.yaml": "name: Eve Marin\n", "events/walk.md": event.format(text="A walk."),
                       "projects/map.md": project.format(text="A map.")})
    build(repo, out)
    rendered.clear()
    write_files(repo, {"events/walk.md": event.format(text="A long walk, with tea."),
                       "projects/map.md": project.format(text="A map of every tree.")})
    build(repo, out)
    assert "events/walk/index.html" in rendered and "projects/map/index.html" in rendered
    assert "members/eve/index.html" not in rendered and "members/dan/index.html" not in rendered
    assert_same_as_clean(repo, out, tmp_path)
