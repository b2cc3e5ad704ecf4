"""`commonplace serve`: pages with a reload hook, rebuilds on change, errors shown in the browser."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from communities import write_files
from generator.commands.serve import VERSION_PATH, make_server, watch


@contextmanager
def serving(root):
    """`commonplace serve` on a free port, its watcher polling fast; stopped on leaving."""
    server, site = make_server(root, 0)
    stop = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True),
               threading.Thread(target=watch, args=(site, stop, 0.05), daemon=True)]
    for t in threads:
        t.start()
    try:
        yield site
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        site.close()


@pytest.fixture
def served(community):
    root = community()
    with serving(root) as site:
        yield root, site


def get(site, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(site.base_url.rstrip("/") + path, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(site, old: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, token = get(site, VERSION_PATH)
        if token != old:
            return token
        time.sleep(0.05)
    raise AssertionError("no rebuild happened")


def test_serves_pages_with_a_reload_hook_only_over_http(served):
    root, site = served
    assert site.base_url.startswith("http://127.0.0.1:")
    status, page = get(site, "/projects/catalogue/")
    assert status == 200 and "Seed catalogue" in page and VERSION_PATH in page
    assert VERSION_PATH not in (site.out_dir / "projects/catalogue/index.html").read_text()
    status, page = get(site, "/no/such/page/")
    assert status == 404 and "Page not found" in page


def test_edit_rebuilds_and_an_error_shows_then_recovers(served):
    root, site = served
    token = get(site, VERSION_PATH)[1]
    write_files(root, {"pages/about.md": "---\ntitle: About the library\n---\nNew text.\n"})
    token = wait_for(site, token)
    assert "About the library" in get(site, "/about/")[1]
    write_files(root, {"members/ana.yaml": "name: Ana\nemial: typo\n"})
    token = wait_for(site, token)
    status, page = get(site, "/about/")
    assert status == 500 and "members/ana.yaml:2:1: unknown key &#x27;emial&#x27;" in page
    assert VERSION_PATH in page  # the error page reloads itself once fixed
    write_files(root, {"members/ana.yaml": "name: Ana Lopez\n"})
    wait_for(site, token)
    status, page = get(site, "/members/ana/")
    assert status == 200 and "Ana Lopez" in page


def test_builds_run_in_a_child_process_that_may_fork_workers(served):
    import os

    root, site = served
    if site.builder is None:
        pytest.skip("no fork start method here")
    assert site.builder.process.is_alive() and site.builder.process.pid != os.getpid()
    token = get(site, VERSION_PATH)[1]
    write_files(root, {"pages/about.md": "---\ntitle: Built elsewhere\n---\nText.\n"})
    wait_for(site, token)
    assert "Built elsewhere" in get(site, "/about/")[1]
    site.close()
    assert site.builder is None


def test_with_search_the_page_reloads_first_and_the_index_follows(community, monkeypatch, tmp_path):
    import generator.build
    from generator.build import build
    from generator.publish.search import available

    if not available():
        pytest.skip("the search extra is not installed")
    monkeypatch.setattr(generator.build, "search_available", lambda: True)
    root = community()
    with serving(root) as site:
        assert get(site, "/pagefind/pagefind-ui.js")[0] == 200  # the first build indexes before serving
        token = get(site, VERSION_PATH)[1]
        write_files(root, {"pages/about.md": "---\ntitle: About the seeds\n---\nText.\n"})
        wait_for(site, token)
        assert "About the seeds" in get(site, "/about/")[1]
        clean = tmp_path / "clean"
        build(root, clean, base_url=site.base_url, search=True, incremental=False)
        expected = {p.relative_to(clean).as_posix(): p.read_bytes() for p in (clean / "pagefind").rglob("*") if p.is_file()}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            served_bundle = {p.relative_to(site.out_dir).as_posix(): p.read_bytes()
                             for p in (site.out_dir / "pagefind").rglob("*") if p.is_file()}
            if served_bundle == expected:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the search index was not brought up to date")


def test_serve_keeps_its_site_in_the_git_folder(community):
    from gitrepo import commit_all

    root = community()
    commit_all(root, "Start")
    with serving(root) as site:
        assert site.out_dir.resolve().is_relative_to((root / ".git").resolve())
        assert get(site, "/about/")[0] == 200
    assert not (root / ".commonplace-cache").exists()
