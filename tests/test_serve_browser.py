"""`commonplace serve` as a user runs it: its own process, a page open in a real headless
Chromium, a file saved, and the new text shown in that tab without touching it.

What bench/serve.py times at 5,000 pages, here on a small community and without timing: the
test waits for the text (its time limits only stop a hang), so it fails only when the tab never
shows it.

Needs Debian's chromium and Playwright for Python (no browser download); in CI (the CI variable
set) a missing piece is an error, never a skip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from communities import ROOT, write_files

SAFETY = 300  # seconds: only a hang reaches it, however loaded the machine
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None
if CHROMIUM is None or sync_playwright is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium or playwright is missing: .ci/run installs them")
    pytest.skip("no chromium or playwright on this machine", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"],
                                     timeout=SAFETY * 1000)
        yield chromium
        chromium.close()


class Serve:
    """`python -m generator serve ROOT --port 0` in a process of its own; its address is read
    from the terminal line that says it serves; Ctrl-C on leaving."""

    def __init__(self, root: Path):
        self.root = root
        self.lines: list[str] = []
        self.started = threading.Event()
        self.base_url = ""

    def __enter__(self) -> "Serve":
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(self.root), "--port", "0"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, env=env)
        threading.Thread(target=self._read, daemon=True).start()
        if not self.started.wait(SAFETY):
            self.__exit__()
            raise AssertionError(f"serve did not start: {self.lines}")
        return self

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if found := re.search(r" at (http://127\.0\.0\.1:\d+/) ", line):
                self.base_url = found.group(1)
                self.started.set()

    def __exit__(self, *exc) -> None:
        self.process.send_signal(2)  # SIGINT, as Ctrl-C
        try:
            self.process.wait(timeout=SAFETY)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def test_a_saved_file_shows_in_the_open_tab(browser, community):
    root = community()
    with Serve(root) as serve:
        page = browser.new_page()
        page.set_default_timeout(SAFETY * 1000)
        page.goto(serve.base_url + "about/")
        assert page.locator("h1").inner_text() == "About us"
        # A marker on the window: gone after a reload, so the new text came by a reload of this tab.
        # Saved at once: a tab whose event stream connects after the rebuild is told on connecting.
        page.evaluate("window.__before = true")
        write_files(root, {"pages/about.md": "---\ntitle: About the seed library\n---\nSaved just now.\n"})
        page.wait_for_function("document.querySelector('h1') && "
                               "document.querySelector('h1').textContent === 'About the seed library'")
        assert "Saved just now." in page.locator("main").inner_text()
        assert page.evaluate("window.__before === undefined")
        page.close()
    assert not any("Traceback" in line for line in serve.lines), serve.lines
