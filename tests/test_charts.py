"""The SVG pictures: valid XML, accessible names, marks placed where their numbers say."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from generator.views import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(chart):
    return ET.fromstring(str(chart.svg))


def test_line_chart_places_negative_values_below_zero():
    chart = charts.line_chart("Balance", "Balance per month", ["2024-01", "2024-02", "2024-03"],
                              {"Balance": [Decimal("100.00"), Decimal("-50.00"), Decimal("0.00")]})
    svg = parse(chart)
    assert svg.find(f"{NS}title").text == "Balance" and svg.find(f"{NS}desc").text == "Balance per month"
    points = {c.get("data-label"): (float(c.get("cy")), c.get("data-value")) for c in svg.iter(f"{NS}circle")}
    assert [v for _, v in points.values()] == ["100.00", "-50.00", "0.00"]
    y100, yneg, yzero = (points[m][0] for m in ("2024-01", "2024-02", "2024-03"))
    assert y100 < yzero < yneg  # SVG y grows downwards
    ticks = [t.text for t in svg.iter(f"{NS}text") if t.get("class") == "tick"]
    assert ticks == ["-50", "0", "50", "100", "2024-01", "2024-02", "2024-03"]  # round steps, zero on a grid line
    assert chart.rows == [["2024-01", "100.00"], ["2024-02", "-50.00"], ["2024-03", "0.00"]]
    # money keeps its currency's decimals: yen have none
    yen = charts.line_chart("Balance", "Balance per month", ["2024-01"], {"Balance": [Decimal("500")]})
    assert yen.rows == [["2024-01", "500"]]


def test_bar_heights_are_proportional_and_ids_are_deterministic():
    first = charts.bar_chart("People", "People per month", ["a", "b"], {"Active": [2, 4]})
    again = charts.bar_chart("People", "People per month", ["a", "b"], {"Active": [2, 4]})
    assert str(first.svg) == str(again.svg)
    bars = [r for r in parse(first).iter(f"{NS}rect") if r.get("data-value")]
    assert [float(b.get("height")) * 2 for b in bars[:1]] == [float(bars[1].get("height"))]


def test_text_in_charts_is_escaped():
    chart = charts.hbar_chart("<script>", "a & b", [("<b>x</b>", 1.0)])
    text = str(chart.svg)
    assert "<script>" not in text and "&lt;script&gt;" in text and "<b>" not in text
    parse(chart)  # still well-formed XML


def test_flow_keeps_every_party_and_amount():
    chart = charts.flow("Flows", "Money", [("Donors", Decimal("300.00")), ("Grant", Decimal("100.00"))],
                        [("Paid to contributors", Decimal("60.00"))], "Community", "EUR")
    marks = [(r.get("data-label"), r.get("data-value")) for r in parse(chart).iter(f"{NS}rect") if r.get("data-value")]
    assert marks == [("Donors", "300.00"), ("Grant", "100.00"), ("Paid to contributors", "60.00")]
    assert chart.rows == [["in", "Donors", "300.00"], ["in", "Grant", "100.00"], ["out", "Paid to contributors", "60.00"]]


def test_counts_get_whole_number_ticks():
    chart = charts.bar_chart("People", "Active people", ["2024-01", "2024-02"], {"Active": [0, 1]})
    ticks = [t.text for t in parse(chart).iter(f"{NS}text") if t.get("class") == "tick" and "-" not in t.text]
    assert ticks == ["0", "1"]
