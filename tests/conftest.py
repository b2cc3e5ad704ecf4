"""Shared fixtures (small community repositories written into temporary folders), and what keeps
the tests independent when pytest-xdist runs them on every core: which tests share a worker, and
no thread of a test outliving it."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from communities import MINIMAL, write_files


# A module fixture is made once per worker that runs a test needing it: the tests of a file that
# defines one go to one worker, so it is made once a run (pytest-xdist's --dist loadgroup would say
# so with marks, but does not group under pytest 9.2: pytest-dev/pytest-xdist#1386).
SHARES_A_MODULE_FIXTURE = re.compile(r"""@pytest\.fixture\([^)]*scope=["'](module|package)["']""")


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadscope` (the default, see pyproject.toml), with a test's scope its own unless its
    file defines a module fixture: then the file's tests are one scope, run on one worker. The
    largest scopes are handed out first."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    files: dict[str, bool] = {}

    def shares_a_module_fixture(file: str) -> bool:
        if file not in files:
            path = Path(config.rootpath, file)
            files[file] = path.is_file() and bool(SHARES_A_MODULE_FIXTURE.search(path.read_text(encoding="utf-8")))
        return files[file]

    class FileWhenItSharesAFixture(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return file if shares_a_module_fixture(file) else nodeid

    return FileWhenItSharesAFixture(config, log)


@pytest.fixture(autouse=True, scope="session")
def user_cache_in_a_temporary_folder(tmp_path_factory):
    """The user's cache folder ($XDG_CACHE_HOME: where the value engine's caches of repositories
    that hold no community go) is a temporary one: the tests never write into the real one.
    Session-wide, before any module's fixtures; subprocesses inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


# How long a thread a test started may take to end once the test is over (a bound for a loaded
# machine: a thread that ends sooner is waited for only as long as it runs).
THREAD_END_BOUND = 60.0


def playwright_loop(thread: threading.Thread) -> bool:
    """A thread of the event loop's default executor (Playwright's, in the browser tests): made on
    the loop's first need of it, it lives as long as the module's browser and stops with it."""
    return thread.name.startswith("asyncio_")


def join_once_started(thread: threading.Thread) -> None:
    """Join a thread, also one that `enumerate()` listed between its `start()` and its first
    instruction (a server's request thread, say): `join()` refuses those, so wait for it to run."""
    try:
        thread.join(THREAD_END_BOUND)
    except RuntimeError:  # "cannot join thread before it is started"
        thread._started.wait(THREAD_END_BOUND)
        thread.join(THREAD_END_BOUND)


@pytest.fixture(autouse=True)
def threads_end_with_their_test():
    """Every thread a test starts has ended when the test is over, so the next test begins as if
    alone: a build forks its workers only in a process with one thread (`value.forkpool`), and
    which tests ran before on the same worker must not decide whether it does. The test's own
    fixtures are torn down first (this one is set up before them); then its threads are waited
    for, and one still running is an error of the test that started it. Threads of module and
    session fixtures started before this one are theirs, not the test's."""
    before = set(threading.enumerate())
    yield
    left = [thread for thread in threading.enumerate() if thread not in before and not playwright_loop(thread)]
    for thread in left:
        join_once_started(thread)
    running = [thread.name for thread in left if thread.is_alive()]
    assert not running, f"threads still running after the test: {running} (stop and join what the test starts)"


@pytest.fixture(autouse=True)
def no_search_by_default(monkeypatch):
    """Search is on whenever its extra is installed; tests ask for it explicitly, so the same
    outputs are expected with or without Pagefind on the machine."""
    import generator.build

    monkeypatch.setattr(generator.build, "search_available", lambda: False)


@pytest.fixture
def example_repository(tmp_path, monkeypatch):
    """The example community, committed at a fixed build time, without its peers (their own tests'
    business, and time here)."""
    import shutil

    from communities import EXAMPLE
    from gitrepo import commit_all

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "community"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", ".git"))
    (root / "federation.yaml").unlink()
    commit_all(root, "Start")
    return root


@pytest.fixture
def rendered_pages(monkeypatch) -> list[str]:
    """The page files this test's builds render (rather than reuse), in order: rendering is kept
    in this process so that every page is counted."""
    import generator.render.pagefiles as pagefiles

    rendered: list[str] = []
    real = pagefiles.render_page
    monkeypatch.setattr(pagefiles, "PARALLEL_MIN_PAGES", 10**9)
    monkeypatch.setattr(pagefiles, "render_page", lambda env, site, page, lazies=None:
                        rendered.append(page.output) or real(env, site, page, lazies))
    return rendered


@pytest.fixture
def community(tmp_path):
    """A factory: community(overrides) writes MINIMAL plus overrides (None deletes a file)."""

    def make(overrides: dict[str, str | None] | None = None, name: str = "community") -> Path:
        root = tmp_path / name
        files = dict(MINIMAL)
        files.update(overrides or {})
        return write_files(root, files)

    return make
