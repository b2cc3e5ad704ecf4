"""The portal in a real headless Chromium: no console errors, no failed or foreign requests,
search finds a member, serve mode reloads after an edit; screenshots saved as artifacts.

Needs Debian's chromium (`.ci/run` installs it) and Playwright for Python, driven with the
system browser (no browser download)."""

from __future__ import annotations

import functools
import os
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from communities import ROOT, write_files

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
PAGES = {"home": "", "member": "members/lucia-ferrer/", "project": "projects/street-trees/", "value": "value/",
         "ledger": "ledger/"}
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

try:
    from playwright import sync_api as playwright
except ImportError:
    if os.environ.get("CI"):
        raise  # CI installs the test extra: a missing Playwright is a broken setup, not a skip
    pytest.skip("Playwright for Python is not installed (pip install '.[test]')", allow_module_level=True)
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: .ci/run installs Debian's chromium package")
    pytest.skip("no chromium on this machine (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The living demo (the example community with its replayed history: what the README's first
    command builds) built with search when the extra is installed, and served locally."""
    from generator.build import build
    from generator.commands.example_history import new_example
    from generator.publish.search import available

    demo = tmp_path_factory.mktemp("portal") / "demo"
    new_example(demo)
    out = demo.parent / "site"
    build(demo, out, base_url="http://127.0.0.1/", incremental=False, search=available())
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", out
    server.shutdown()
    server.server_close()


def watch(page) -> list[str]:
    """Collect every console error, failed request, error status and request to another host."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"foreign host: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
    return problems


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_load_cleanly_and_look_right(browser, portal, name):
    base, _out = portal
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size_name, size in SIZES.items():
        page = browser.new_page(viewport=size)
        problems = watch(page)
        page.goto(base + PAGES[name], wait_until="networkidle")
        assert page.locator("h1").count() == 1
        assert page.locator("main#main").count() == 1 and page.locator("nav").count() >= 1
        # nothing wider than the screen on a phone
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} overflows by {overflow}px at {size_name}"
        # a chart's words stay legible: a chart too wide for the screen scrolls rather than shrinks
        smallest = page.evaluate("Math.min(...[...document.querySelectorAll('svg.chart text')]"
                                 ".map(t => t.getBoundingClientRect().height).filter(h => h > 0), 99)")
        assert smallest >= 8, f"{name}: chart text {smallest:.1f}px tall at {size_name}"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size_name}.png"), full_page=True)
        page.close()
        assert problems == []


def test_search_finds_a_member_by_name(browser, portal):
    base, out = portal
    if not (out / "pagefind").is_dir():
        pytest.skip("search extra not installed (pip install 'commonplace[search]')")
    page = browser.new_page()
    problems = watch(page)
    page.goto(base + "search/", wait_until="networkidle")
    page.fill("input[type=search], .pagefind-ui__search-input", "Lucía Ferrer")
    page.wait_for_selector("a[href*='members/lucia-ferrer/']", timeout=10000)
    page.screenshot(path=str(ARTIFACTS / "search-desktop.png"))
    page.close()
    assert problems == []


def test_serve_reloads_the_page_after_an_edit(browser, community):
    from generator.commands.serve import make_server, watch as watch_files

    root = community()
    server, site = make_server(root, 0)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    threading.Thread(target=watch_files, args=(site, stop, 0.1), daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(site.base_url + "about/")
        assert page.locator("h1").inner_text() == "About us"
        time.sleep(0.3)
        write_files(root, {"pages/about.md": "---\ntitle: About the library\n---\nEdited.\n"})
        page.wait_for_function("document.querySelector('h1').textContent === 'About the library'", timeout=15000)
        page.close()
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        site.close()


def test_value_dashboard_fits_three_screens_and_the_people_table_keeps_its_names(browser, portal):
    """value/ opens each dimension in a few figures, in about three desktop screens; on a phone the
    contributors table scrolls sideways with the names in view, and says it scrolls."""
    base, _out = portal
    page = browser.new_page(viewport=SIZES["desktop"])
    problems = watch(page)
    page.goto(base + "value/", wait_until="networkidle")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * SIZES["desktop"]["height"], f"value/ is {height}px tall at 1280px"
    assert page.locator(".dimension-card h2 a").count() == 6  # five dimensions and the people
    page.close()
    page = browser.new_page(viewport=SIZES["phone"])
    phone_problems = watch(page)
    page.goto(base + "value/contributors/", wait_until="networkidle")
    assert page.locator(".scroll-hint").is_visible()
    region = page.locator("[role=region][aria-label='Contributors by value']")
    region.focus()  # reachable with the keyboard, and scrolled with it
    page.keyboard.press("End")
    region.evaluate("r => r.scrollLeft = r.scrollWidth")
    assert region.evaluate("r => r.scrollLeft") > 0
    name = page.locator(".contributors-table tbody th").first
    box, frame = name.bounding_box(), region.bounding_box()
    assert box["x"] >= frame["x"] - 1 and box["width"] > 0  # the name column stays in view
    page.screenshot(path=str(ARTIFACTS / "value-contributors-phone-scrolled.png"))
    page.close()
    assert problems == [] and phone_problems == []
