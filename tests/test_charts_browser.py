"""The demo's charts and lists in a real headless Chromium (the harness of tests/test_browser.py):
at a phone's 390 px and a desktop's 1280 px no bar of a time chart is thinner than
charts.MIN_BAR_PX, the founding is marked where the history starts before it, and the titles of
the events list and of the home page's recent activity start at one place, after a column of
dates. Screenshots go to test-artifacts/screenshots/charts-<page>-<width>.png."""

from __future__ import annotations

import pytest

import test_browser as harness
from test_browser import browser, portal  # noqa: F401 - the fixtures, shared with the demo's checks
from generator.views import charts

BAR_PAGES = ("value/community-building/",)
# (page, the list's selector, the selector of each item's title)
LISTS = (("events/", ".event-list li", "a"), ("", ".activity li", "a"))

BARS = """() => [...document.querySelectorAll('.chart-time')].flatMap(chart =>
  [...chart.querySelectorAll('svg rect[data-value]')].map(bar => ({
    chart: chart.closest('figure').querySelector('figcaption').textContent,
    label: bar.getAttribute('data-label'), width: bar.getBoundingClientRect().width})))"""
FOUNDING = """() => [...document.querySelectorAll('.chart-time')].map(chart => {
  const line = chart.querySelector('svg .founding'), mark = chart.querySelector('.mark-founding');
  return {chart: chart.closest('figure').querySelector('figcaption').textContent,
          line: line ? line.getBoundingClientRect().width >= 0 : false,
          mark: mark ? mark.getBoundingClientRect().height > 0 : false};
})"""


@pytest.mark.parametrize("width", sorted(harness.WIDTHS))
def test_no_bar_is_thinner_than_the_minimum(browser, portal, width):  # noqa: F811
    base, _out = portal
    page = browser.new_page(viewport={"width": width, "height": harness.WIDTHS[width]})
    harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path in BAR_PAGES:
        page.goto(base + path, wait_until="load")
        bars = page.evaluate(BARS)
        assert bars, f"no bar chart on /{path}"
        thin = [b for b in bars if b["width"] < charts.MIN_BAR_PX]
        assert not thin, f"/{path} at {width}px: bars under {charts.MIN_BAR_PX}px: {thin[:5]}"
        page.screenshot(path=str(harness.ARTIFACTS / f"charts-{path.strip('/').replace('/', '-')}-{width}.png"),
                        full_page=True)
    page.close()


def test_the_founding_is_marked_on_the_demos_time_charts(browser, portal):  # noqa: F811
    """The demo was founded in September 2022, its history starts in 2021: every time chart of
    its history shows the founding's line and word, and says whose the earlier history is."""
    base, _out = portal
    page = browser.new_page(viewport={"width": 390, "height": harness.WIDTHS[390]})
    page.goto(base + "value/community-building/", wait_until="load")
    marks = page.evaluate(FOUNDING)
    assert marks and all(m["line"] and m["mark"] for m in marks), marks
    assert page.locator(".chart-note", has_text="Cartografia Oberta").count() == len(marks)
    page.close()


@pytest.mark.parametrize("width", sorted(harness.WIDTHS))
def test_titles_of_dated_lists_line_up(browser, portal, width):  # noqa: F811
    """On a desktop the dates are a column and every title starts at the same x; on a phone the
    date stands above its title."""
    base, _out = portal
    page = browser.new_page(viewport={"width": width, "height": harness.WIDTHS[width]})
    for path, items, title in LISTS:
        page.goto(base + path, wait_until="load")
        xs = page.evaluate(f"""() => [...document.querySelectorAll('{items}')].map(li => [
            li.querySelector('time').getBoundingClientRect(), li.querySelector('{title}').getBoundingClientRect()])
            .map(([t, a]) => [Math.round(t.right), Math.round(a.left), Math.round(t.bottom), Math.round(a.top)])""")
        assert len(xs) >= 3, (path, xs)
        if width >= 1000:
            assert len({left for _right, left, _b, _t in xs}) == 1, (path, width, xs)  # one column of titles
            assert all(right < left for right, left, _b, _t in xs), (path, width, xs)  # never over the date
        else:
            assert all(bottom <= top + 1 for _r, _l, bottom, top in xs), (path, width, xs)  # the date above
    page.close()
