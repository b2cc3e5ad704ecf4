"""A fresh `commonplace new`'s first portal in a real headless Chromium, at 390 and 1280 px: every
kind of page it has (tests/test_browser.py's kinds: its home, ledger, value and sustainability
pages among them) passes the checks every page of the demo passes (landmarks, overflow,
svg-text, console, requests, axe), and a full-page screenshot of each is kept in
test-artifacts/screenshots/new-<kind>-<width>.png."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import test_browser as harness
from test_browser import browser  # noqa: F401 - the fixture, shared with the demo's checks
from test_new import environment

# The pages a fresh community must have; any other kind it has is checked too.
REQUIRED = ("home", "members", "member", "projects", "project", "events", "event", "page", "value", "ledger",
            "sustainability", "404")
KINDS = [kind for kind in harness.KINDS if kind not in ("rewards", "reward-plan", "federation", "directory",
                                                         "directory-topic")]  # none before a plan or a peer


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A community just made by `commonplace new`, built and served locally: (its address, its
    pages by kind)."""
    tmp_path = tmp_path_factory.mktemp("fresh")
    env = environment(tmp_path / "home")
    script = str(Path(sys.executable).with_name("commonplace"))
    made = subprocess.run([script, "new", "mycomm"], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    built = subprocess.run([script, "build", "mycomm", "-o", "site", "--base-url", "http://127.0.0.1/"], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    with harness.serve(tmp_path / "site") as base:
        yield base, harness.pages_by_kind(tmp_path / "site")


@pytest.fixture(scope="module")
def visit(browser, fresh):  # noqa: F811 - the imported fixture
    """visit(kind, width) -> the Visit of that page, inspected once per module."""
    base, pages = fresh
    contexts: dict[int, object] = {}
    seen: dict[tuple[str, int], harness.Visit] = {}
    harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def load(kind: str, width: int) -> harness.Visit:
        if kind not in pages:
            if kind in REQUIRED:
                pytest.fail(f"a fresh new's site has no {kind} page")
            pytest.skip(f"a fresh new's site has no {kind} page")
        if (kind, width) not in seen:
            if width not in contexts:
                contexts[width] = browser.new_context(viewport={"width": width, "height": harness.WIDTHS[width]})
            seen[kind, width] = harness.inspect(contexts[width], base, pages[kind],
                                                f"a fresh new's {kind} page at {width}px",
                                                harness.ARTIFACTS / f"new-{kind}-{width}.png")
        return seen[kind, width]

    yield load
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("width", list(harness.WIDTHS))
@pytest.mark.parametrize("check", harness.CHECKS)
def test_fresh_page(visit, kind, width, check):
    harness.CHECK[check](kind, visit(kind, width))
