"""The charts: valid markup, accessible names, marks placed where their numbers and dates say,
a whole history in a bounded number of points, money with its currency."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.i18n import english
from generator.model import LedgerEntry
from generator.views import charts, ledger
from gitrepo import commit_all, git

NS = "{http://www.w3.org/2000/svg}"


def parse(chart) -> ET.Element:
    """The chart's whole picture (SVG marks and HTML words) as XML: it must be well-formed."""
    return ET.fromstring(str(chart.picture))


def svg_of(chart) -> ET.Element:
    return parse(chart).find(f".//{NS}svg")


def dots(chart) -> list[tuple[str, float, float, str]]:
    """(label, x, y, value) of each dot of a line chart, from its path "Mx,yh0"."""
    result = []
    for e in svg_of(chart).iter(f"{NS}path"):
        if e.get("class") == "dot":
            x, y = map(float, re.fullmatch(r"M([-\d.]+),([-\d.]+)h0", e.get("d")).groups())
            result.append((e.get("data-label"), x, y, e.get("data-value")))
    return result


def words(chart, kind: str) -> list[str]:
    return [e.text for e in parse(chart).iter("span") if e.get("class", "").split()[:1] == [kind]]


def test_line_chart_places_negative_values_below_zero():
    chart = charts.line_chart("Balance", "Balance per month", ["2024-01", "2024-02", "2024-03"],
                              {"Balance": [Decimal("100.00"), Decimal("-50.00"), Decimal("0.00")]})
    svg = svg_of(chart)
    assert svg.find(f"{NS}title").text == "Balance" and svg.find(f"{NS}desc").text == "Balance per month"
    points = {label: (y, value) for label, _x, y, value in dots(chart)}
    assert [v for _, v in points.values()] == ["100.00", "-50.00", "0.00"]
    y100, yneg, yzero = (points[m][0] for m in ("2024-01", "2024-02", "2024-03"))
    assert y100 < yzero < yneg  # SVG y grows downwards
    assert words(chart, "tick-y") == ["-50", "0", "50", "100"]  # round steps, zero on a grid line
    assert words(chart, "tick-x") == ["2024-01", "2024-02", "2024-03"]
    assert chart.rows == [["2024-01", "100.00"], ["2024-02", "-50.00"], ["2024-03", "0.00"]]
    # money keeps its currency's decimals: yen have none
    yen = charts.line_chart("Balance", "Balance per month", ["2024-01"], {"Balance": [Decimal("500")]})
    assert yen.rows == [["2024-01", "500"]]


def test_charts_stretch_to_their_column_with_words_outside_the_svg():
    for chart in (charts.line_chart("A", "a", ["2024-01", "2024-02"], {"x": [1, 2]}),
                  charts.bar_chart("B", "b", ["2024-01", "2024-02"], {"x": [1, 2]}),
                  charts.hbar_chart("C", "c", [("one", 1.0), ("two", 2.0)]),
                  charts.onion("D", "d", [("Core", 1), ("Casual", 3)])):
        svg = svg_of(chart)
        assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", svg.get("viewBox"))
        # no size of its own: the CSS makes it as wide as its column, never wider
        assert svg.get("width") is None and svg.get("height") is None and svg.get("style") is None
        assert svg.find(f".//{NS}text") is None  # every word is HTML, at the page's type size
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{svg.find(f'{NS}title').get('id')} {svg.find(f'{NS}desc').get('id')}"


def test_time_axis_is_proportional_to_time_not_to_the_index():
    # January, February, then June: three points, but June sits four months after February
    chart = charts.line_chart("Gifts", "Gifts", ["2024-01", "2024-02", "2024-06"], {"Gifts": [1, 2, 3]})
    xs = {label: x for label, x, _y, _v in dots(chart)}
    assert xs["2024-02"] - xs["2024-01"] == pytest.approx((xs["2024-06"] - xs["2024-02"]) / 4, abs=0.2)
    # each month in the middle of its own sixth of the span January..June
    assert [round(x) for x in xs.values()] == [round(charts.PLOT_W * (i + 0.5) / 6) for i in (0, 1, 5)]
    bars = [r for r in svg_of(charts.bar_chart("Gifts", "Gifts", ["2024-01", "2024-02", "2024-06"], {"Gifts": [1, 2, 3]}))
            .iter(f"{NS}rect") if r.get("data-value")]
    assert float(bars[2].get("x")) - float(bars[1].get("x")) == pytest.approx(4 * charts.PLOT_W / 6, abs=0.2)


def test_ledger_chart_gives_every_month_its_place_and_carries_the_balance():
    entry = lambda day, amount, kind: LedgerEntry(date=date.fromisoformat(day), amount=Decimal(amount),  # noqa: E731
                                                  currency="EUR", kind=kind, source="ledger/a.yaml", line=1,
                                                  party_from="x", party_to="y")
    entries = [entry("2024-01-10", "100.00", "donation"), entry("2024-04-02", "30.00", "expense")]
    chart = ledger.balance_chart(entries, "EUR")
    rows = {row[0]: row[1:] for row in chart.rows}
    assert list(rows) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert rows["2024-03"] == ["0.00", "0.00", "100.00"] and rows["2024-04"] == ["0.00", "30.00", "70.00"]


def test_bar_heights_are_proportional_and_ids_are_deterministic():
    first = charts.bar_chart("People", "People per month", ["2024-01", "2024-02"], {"Active": [2, 4]})
    again = charts.bar_chart("People", "People per month", ["2024-01", "2024-02"], {"Active": [2, 4]})
    assert str(first.picture) == str(again.picture)
    bars = [r for r in svg_of(first).iter(f"{NS}rect") if r.get("data-value")]
    assert float(bars[0].get("height")) * 2 == pytest.approx(float(bars[1].get("height")), abs=0.1)


def months(first: str, last: str) -> list[str]:
    (y, m), (ly, lm) = map(int, first.split("-")), map(int, last.split("-"))
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(y * 12 + m - 1, ly * 12 + lm)]


def test_long_history_is_whole_monthly_then_yearly_and_always_small():
    sixteen = months("2009-06", "2025-05")
    values = list(range(len(sixteen)))
    chart = charts.line_chart("Commits", "Commits", sixteen, {"Commits": values})
    labels = [row[0] for row in chart.rows]
    assert labels[:15] == [str(y) for y in range(2009, 2024)]  # whole years first...
    assert labels[15:] == months("2023-06", "2025-05")  # ...then the last 24 months, one by one
    assert chart.rows[0][1] == "21"  # 2009: June..December, values 0..6: commits add up
    assert "Before June 2023, one point per year" in chart.note
    # the yearly points span their years: the first one is as wide as its seven months
    xs = [x for _l, x, _y, _v in dots(chart)]
    span = len(sixteen)
    assert xs[0] == pytest.approx(charts.PLOT_W * 3.5 / span, abs=0.1)
    # a balance is a stock: a year shows its last month, not the mean
    balance = charts.line_chart("B", "b", sixteen, {"Balance": values}, stocks=("Balance",))
    assert balance.rows[0][1] == "6"
    # dates from year 1 (a wrong clock) to today: still a few dozen points, never thousands
    absurd = ["0001-01"] + months("2000-01", "2025-05")
    chart = charts.bar_chart("Commits", "Commits", absurd, {"Commits": [1] * len(absurd)})
    assert len(chart.rows) <= charts.RECENT_MONTHS + charts.MAX_OLDER_POINTS
    assert len(charts.periods(months("0001-01", "2025-05"))) <= charts.RECENT_MONTHS + charts.MAX_OLDER_POINTS
    assert len(words(chart, "tick-x")) <= charts.TICKS_WIDE


def test_text_in_charts_is_escaped():
    chart = charts.hbar_chart("<script>", "a & b", [("<b>x</b>", 1.0)])
    text = str(chart.picture)
    assert "<script>" not in text and "&lt;script&gt;" in text and "<b>" not in text
    parse(chart)  # still well-formed XML
    flow = charts.flow("<i>", "d", [("<img src=x>", Decimal("1.00"))], [], "<u>", "EUR")
    assert "<img" not in str(flow.picture) and "<u>" not in str(flow.picture)
    parse(flow)


def test_flow_keeps_every_party_and_amount_with_its_currency():
    entries = [LedgerEntry(date=date(2024, 1, 5), amount=Decimal("300.00"), currency="EUR", kind="donation", source="l.yaml", line=1,
                           party_from="Donors", party_to=""),
               LedgerEntry(date=date(2024, 1, 6), amount=Decimal("1250.00"), currency="EUR", kind="grant", source="l.yaml", line=2,
                           party_from="Town", party_to=""),
               LedgerEntry(date=date(2024, 2, 1), amount=Decimal("60.00"), currency="EUR", kind="reward", source="l.yaml", line=3,
                           party_from="", party_to="ana")]
    chart = ledger.money_flow(entries, "EUR", lambda p: p, lambda p: p == "ana", english())
    root = parse(chart)
    marks = [(li.get("data-label"), li.get("data-value")) for li in root.iter("li") if li.get("data-value")]
    assert marks == [("Grant: Town", "1250.00"), ("Donors", "300.00"), ("Paid to contributors", "60.00")]
    amounts = [e.text for e in root.iter("span") if e.get("class") == "flow-amount"]
    assert amounts == ["€1,250.00", "€300.00", "€60.00"]
    assert [e.text for e in root.iter("strong")] == ["€1,550.00", "€60.00"]  # the totals, in and out
    assert chart.rows == [["in", "Grant: Town", "1,250.00"], ["in", "Donors", "300.00"],
                          ["out", "Paid to contributors", "60.00"]]


def test_counts_get_whole_number_ticks():
    chart = charts.bar_chart("People", "Active people", ["2024-01", "2024-02"], {"Active": [0, 1]})
    assert words(chart, "tick-y") == ["0", "1"]


def test_a_six_year_history_is_drawn_whole_on_the_value_page(tmp_path: Path):
    root = write_files(tmp_path / "community", MINIMAL)
    git(root, "init", "-q", "-b", "main")
    # one commit every second month from March 2019 to January 2025: six years
    for n, month in enumerate(months("2019-03", "2025-01")[::2]):
        (root / "log.txt").write_text(f"{n}\n", encoding="utf-8")
        commit_all(root, f"Entry {n}", date=f"{month}-15T10:00:00+00:00")
    out = tmp_path / "site"
    build(root, out, search=False)
    page = (out / "value/community-building/index.html").read_text(encoding="utf-8")
    svg = next(s for s in re.findall(r"<svg\b.*?</svg>", page, re.S) if "<title id" in s and "Contributors over time" in s)
    active = [(r.get("data-label"), r.get("data-value")) for g in ET.fromstring(svg).iter(f"{NS}g")
              if g.get("data-series") == "Active" for r in g]
    labels = [label for label, _ in active]
    # six years of months, three bars each, are too many for a phone: one bar per half-year
    assert labels == [f"{year} H{half}" for year in range(2019, 2025) for half in (1, 2)] + ["2025 H1"]
    # Ana commits every second month: the first half of 2020 had one active contributor (her, counted once)
    assert dict(active)["2020 H1"] == "1"
    assert int(dict(active)["2024 H1"]) >= 3  # the spring swap: its organiser and two participants
    assert "One bar per half-year: each person counted once in the period." in page
    # founded in March 2021, two years into its history, with no upstream declared: marked and said so
    assert 'class="founding"' in svg and "Before the founding</li>" in page
    assert "Seed Library was founded on March 1, 2021; the shaded history before it predates the community." in page


def bar_widths(chart) -> list[float]:
    return [float(r.get("width")) for r in svg_of(chart).iter(f"{NS}rect") if r.get("data-value")]


@pytest.mark.parametrize("first, last, series, expected", [
    ("2024-01", "2025-12", 1, "2024-01"),  # 24 months of one series: month by month
    ("2021-06", "2026-10", 3, "2021 H1"),  # the demo's span with three series: half-years
    ("2021-06", "2026-10", 1, "2021 Q2"),  # one series: quarters are wide enough
    ("1990-01", "2025-12", 3, "1990–1994"),  # decades of history: groups of years
])
def test_bars_are_never_thinner_than_the_minimum_on_a_phone(first, last, series, expected):
    span = months(first, last)
    chart = charts.bar_chart("People", "People", span, {f"s{i}": [1] * len(span) for i in range(series)})
    assert chart.rows[0][0] == expected
    # every bar is as wide as the others, and wide enough on the narrowest plot
    widths = set(bar_widths(chart))
    assert len(widths) == 1
    assert widths.pop() * charts.NARROW_PLOT_PX / charts.PLOT_W >= charts.MIN_BAR_PX - 0.05
    if expected != "2024-01":
        assert chart.note.startswith("One bar per")


def test_a_longer_bar_counts_its_months_by_the_series_rule():
    span = months("2021-01", "2026-12")  # 72 months, 3 series: half-years
    chart = charts.bar_chart("Money", "Money", span, {"In": [1] * 72, "Balance": list(range(72)), "Rate": [2] * 72},
                             stocks=("Balance",), means=("Rate",))
    assert chart.rows[0] == ["2021 H1", "6", "5", "2"]  # a flow adds up, a stock its last month, a rate its mean
    assert chart.note == ("One bar per half-year (In: the sum of its months; Balance: its last month; "
                          "Rate: the mean of its months).")


def test_the_founding_is_marked_and_the_history_before_it_named():
    founding = charts.Founding(date(2022, 9, 17), "Founded", "Before the founding: the upstream history",
                               "Founded on 17 September 2022.")
    span = months("2021-01", "2024-12")
    for make in (charts.line_chart, charts.bar_chart):
        chart = make("People", "People", span, {"People": [1] * len(span)}, founding=founding)
        svg = svg_of(chart)
        shade = next(r for r in svg.iter(f"{NS}rect") if r.get("class") == "before-founding")
        line = next(p for p in svg.iter(f"{NS}path") if p.get("class") == "founding")
        # 17 September 2022: 20 months and 16/30 of a month after January 2021, of 48 months
        at = charts.PLOT_W * (20 + 16 / 30) / 48
        assert float(shade.get("width")) == pytest.approx(at, abs=0.1)
        assert line.get("d") == f"M{charts._f(at)},0V{charts.PLOT_H}"
        assert words(chart, "mark-founding") == ["Founded"]
        assert "Before the founding: the upstream history" in str(chart.picture)
        assert chart.note.endswith("Founded on 17 September 2022.")
    # a chart that starts after the founding has no mark
    later = charts.line_chart("People", "People", months("2023-01", "2023-12"), {"People": [1] * 12}, founding=founding)
    assert "founding" not in str(later.picture) and later.note == ""


def test_chart_numbers_are_grouped_as_the_language_writes_them():
    from generator.i18n import load_catalogue

    chart = charts.line_chart("Balance", "b", ["2024-01"], {"Balance": [Decimal("2237.50")]},
                              localise=charts.grouped(english()))
    assert chart.rows == [["2024-01", "2,237.50"]]
    assert charts.grouped(english())("-1234567") == "-1,234,567"
    assert charts.grouped(load_catalogue(Path("/nonexistent"), "es"))("12345.5") == "12.345,5"
