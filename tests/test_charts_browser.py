"""Charts and tables in a real Chromium at a phone's and a desktop's width: nothing scrolls the
page sideways, every chart fits its column, and every word of a chart is at least 11 px."""

from __future__ import annotations

import pytest

from test_browser import SIZES, browser, portal  # noqa: F401 - the module's fixtures, shared

PAGES = ("ledger/", "federation/", "directory/", "value/")
MEASURE = """() => {
  const d = document.documentElement;
  const shown = e => e.getClientRects().length > 0;
  const words = [...document.querySelectorAll('.chart span, .chart li, .chart p, svg text')].filter(shown)
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  const svgs = [...document.querySelectorAll('main svg')].filter(shown);
  return {sideways: d.scrollWidth - d.clientWidth,
          smallest: Math.min(99, ...words.map(e => parseFloat(getComputedStyle(e).fontSize)),
                             ...[...document.querySelectorAll('svg text')].filter(shown).map(t => t.getBoundingClientRect().height)),
          wider: svgs.filter(s => s.getBoundingClientRect().width > s.parentElement.getBoundingClientRect().width + 1).length,
          regions: [...document.querySelectorAll('.table-scroll')].filter(e => !(e.tabIndex === 0 && e.getAttribute('role') === 'region' && e.getAttribute('aria-label'))).length,
          words: words.length, svgs: svgs.length};
}"""


@pytest.mark.parametrize("size", sorted(SIZES))
def test_charts_fit_and_stay_legible(browser, portal, size):  # noqa: F811
    base, _out = portal
    page = browser.new_page(viewport=SIZES[size])
    for path in PAGES:
        page.goto(base + path)
        m = page.evaluate(MEASURE)
        assert m["sideways"] <= 0, (path, size, m)
        assert m["smallest"] >= 11, (path, size, m)
        assert m["wider"] == 0, (path, size, m)
        if path != "value/":  # value.html's own tables are another part's
            assert m["regions"] == 0, (path, size, m)
    page.goto(base + "ledger/")
    assert page.evaluate(MEASURE)["svgs"] >= 1 and page.evaluate(MEASURE)["words"] > 10
    page.close()
