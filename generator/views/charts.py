"""Static SVG charts made at build time: no script, no remote asset, each with a table twin.

Every chart carries a <title> and <desc> (read by screen readers through aria-labelledby), draws
its marks with `data-value` attributes holding the exact figure, and comes with the same
figures as a table, so nothing is only visible as a shape.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from markupsafe import Markup

PALETTE = ("#0b5d4b", "#b34700", "#3b5bab", "#7a4a8c", "#5c6b00", "#8a2f45")
WIDTH, HEIGHT = 640, 260
# Narrow charts, shown whole on a phone with legible words: bar profiles, and charts in a card.
COMPACT_WIDTH = 420
CARD_WIDTH = 360
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 44



def _uid(title: str, desc: str) -> str:
    # From the content, not a counter: ids must not depend on what was drawn before (deterministic output).
    return "c" + hashlib.sha1(f"{title}\0{desc}".encode()).hexdigest()[:10]


@dataclass
class Chart:
    svg: Markup
    caption: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _num(value) -> str:
    if isinstance(value, Decimal):  # money: as exact as it came (the ledger's are in their currency's decimals)
        return f"{value:f}"
    if isinstance(value, float):
        return f"{value:.4g}" if value != int(value) else str(int(value))
    return str(value)


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(title: str, desc: str, uid: str, height: int = HEIGHT, width: int = WIDTH, kind: str = "chart") -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" class="{kind}" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _range(series: dict[str, list]) -> tuple[float, float, float]:
    """(low, high, step) of the value axis: round steps, zero always on a grid line."""
    values = [float(v) for values in series.values() for v in values] + [0.0]
    step = _nice_max((max(values) - min(values)) / 4) if max(values) > min(values) else 1.0
    if step < 1 and all(v.is_integer() for v in values):
        step = 1.0  # counts of people or commits: no "0.25 contributors" on the axis
    low = math.floor(min(values) / step) * step
    high = max(math.ceil(max(values) / step) * step, low + step)
    return low, high, step


def _axis(parts: list[str], low: float, high: float, step: float, labels: list[str], x_of, y_of,
          width: int = WIDTH) -> None:
    ticks = round((high - low) / step)
    for i in range(ticks + 1):
        value = low + step * i
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{_f(y)}" y2="{_f(y)}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{_f(y + 4)}" text-anchor="end" class="tick">{escape(_num(round(value, 2)))}</text>')
    base = y_of(low)
    fit = max(2, (width - LEFT - RIGHT) // 72)  # how many month labels fit under the axis: eight in a wide chart
    step_labels = max(1, math.ceil(len(labels) / fit))
    for i, label in enumerate(labels):
        if i % step_labels == 0:
            parts.append(f'<text x="{_f(x_of(i))}" y="{_f(base + 16)}" text-anchor="middle" class="tick">{escape(label)}</text>')


def _legend(parts: list[str], names: list[str], y: int) -> None:
    x = LEFT
    for i, name in enumerate(names):
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" class="legend">{escape(name)}</text>')
        x += 24 + 7 * len(name)


def _table(caption: str, labels: list[str], series: dict[str, list], localise=str) -> tuple[list[str], list[list[str]]]:
    headers = [caption] + list(series)
    rows = [[label] + [localise(_num(values[i])) for values in series.values()] for i, label in enumerate(labels)]
    return headers, rows


def _over_labels(title: str, desc: str, labels: list[str], series: dict[str, list], label_name: str, localise,
                 x_of, marks, width: int = WIDTH) -> Chart:
    """A chart of series over labels (months): frame, value axis, legend and the table twin;
    `marks(parts, n, values, color, y_of)` draws series number n."""
    plot_h = HEIGHT - TOP - BOTTOM
    low, high, step = _range(series)
    y_of = lambda v: TOP + plot_h * (high - float(v)) / (high - low)
    parts = _open(title, desc, _uid(title, desc), HEIGHT, width, "chart" if width >= WIDTH else "chart chart-compact")
    _axis(parts, low, high, step, labels, x_of, y_of, width)
    for n, (name, values) in enumerate(series.items()):
        parts.append(f'<g class="series" data-series="{escape(name)}">')
        marks(parts, n, values, PALETTE[n % len(PALETTE)], y_of)
        parts.append("</g>")
    _legend(parts, list(series), HEIGHT - 6)
    parts.append("</svg>")
    headers, rows = _table(label_name, labels, series, localise)
    return Chart(Markup("".join(parts)), title, headers, rows)


def line_chart(title: str, desc: str, labels: list[str], series: dict[str, list], label_name: str = "Month",
               localise=str, width: int = WIDTH) -> Chart:
    """One line per series over the labels (months), values marked by points. `width`:
    CARD_WIDTH for a chart in a narrow box (a card)."""
    span = max(1, len(labels) - 1)
    x_of = lambda i: LEFT + (width - LEFT - RIGHT) * (i / span if len(labels) > 1 else 0.5)

    def marks(parts, n, values, color, y_of):
        if len(values) > 1:
            points = " ".join(f"{_f(x_of(i))},{_f(y_of(v))}" for i, v in enumerate(values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{_f(x_of(i))}" cy="{_f(y_of(v))}" r="3" fill="{color}" '
                         f'data-label="{escape(labels[i])}" data-value="{escape(_num(v))}"/>')

    return _over_labels(title, desc, labels, series, label_name, localise, x_of, marks, width)


def bar_chart(title: str, desc: str, labels: list[str], series: dict[str, list], label_name: str = "Month",
              localise=str, width: int = WIDTH) -> Chart:
    """Grouped vertical bars: one group per label, one bar per series."""
    group_w = (width - LEFT - RIGHT) / max(1, len(labels))
    bar_w = max(2.0, group_w * 0.8 / max(1, len(series)))
    x_of = lambda i: LEFT + group_w * (i + 0.5)

    def marks(parts, n, values, color, y_of):
        for i, v in enumerate(values):
            top, bottom = sorted((y_of(v), y_of(0)))
            x = LEFT + group_w * i + group_w * 0.1 + bar_w * n
            parts.append(f'<rect x="{_f(x)}" y="{_f(top)}" width="{_f(bar_w)}" height="{_f(bottom - top)}" '
                         f'fill="{color}" data-label="{escape(labels[i])}" data-value="{escape(_num(v))}"/>')

    return _over_labels(title, desc, labels, series, label_name, localise, x_of, marks, width)


LABEL_CHARS = 26  # of an hbar chart's label, at 11 px in its 170 px: a longer one takes two lines


def _two_lines(label: str, width: int) -> list[str]:
    """A label as one line, or two split at the space nearest its middle when it is too long."""
    if len(label) <= width or " " not in label:
        return [label]
    middle = len(label) / 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return [label[:cut], label[cut + 1:]]


def hbar_chart(title: str, desc: str, items: list[tuple[str, float]], maximum: float | None = None,
               value_name: str = "Value", fmt=_num) -> Chart:
    """Horizontal bars with their value written at the end: a profile across dimensions."""
    uid = _uid(title, desc)
    row_h, label_w, width = 30, 170, COMPACT_WIDTH
    height = TOP + row_h * len(items) + 10
    top_value = maximum or _nice_max(max([float(v) for _, v in items] or [0]))
    plot_w = width - label_w - 60
    parts = _open(title, desc, uid, height, width, "chart chart-compact")
    for i, (label, v) in enumerate(items):
        y = TOP + row_h * i
        w = plot_w * float(v) / top_value if top_value else 0
        color = PALETTE[i % len(PALETTE)]
        lines = _two_lines(label, LABEL_CHARS)
        if len(lines) == 1:
            parts.append(f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" class="label">{escape(label)}</text>')
        else:  # a long label on two lines, beside the bar, rather than cut at the chart's edge
            parts.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end" class="label">'
                         + "".join(f'<tspan x="{label_w - 8}" dy="{0 if n == 0 else 12}">{escape(line)}</tspan>'
                                   for n, line in enumerate(lines)) + "</text>")
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{_f(plot_w)}" height="18" class="track"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{_f(w)}" height="18" fill="{color}" '
                     f'data-label="{escape(label)}" data-value="{escape(_num(v))}"/>')
        parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + 18}" class="value">{escape(fmt(v))}</text>')
    parts.append("</svg>")
    return Chart(Markup("".join(parts)), title, ["", value_name], [[label, fmt(v)] for label, v in items])


def onion(title: str, desc: str, layers: list[tuple[str, int]], headers=("Layer", "People")) -> Chart:
    """Concentric rings, core in the middle: the 1-9-90 shape of participation."""
    uid = _uid(title, desc)
    size, cx, cy = 260, 130, 130
    parts = _open(title, desc, uid, size, WIDTH)
    total = sum(count for _, count in layers) or 1
    radii = []
    cumulative = 0
    for _, count in layers:
        cumulative += count
        radii.append(30 + 90 * math.sqrt(cumulative / total))
    for i in reversed(range(len(layers))):
        label, count = layers[i]
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="{_f(radii[i])}" fill="{PALETTE[i % len(PALETTE)]}" '
                     f'fill-opacity="{0.9 - 0.25 * i:.2f}" data-label="{escape(label)}" data-value="{count}"/>')
    for i, (label, count) in enumerate(layers):
        y = 60 + 50 * i
        parts.append(f'<rect x="300" y="{y - 14}" width="16" height="16" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="324" y="{y}" class="label">{escape(label)}: {count}</text>')
    parts.append("</svg>")
    return Chart(Markup("".join(parts)), title, list(headers), [[label, str(count)] for label, count in layers])


def flow(title: str, desc: str, sources: list[tuple[str, Decimal]], targets: list[tuple[str, Decimal]],
         middle: str, unit: str, headers=("Direction", "Party"), directions=("in", "out"), localise=str) -> Chart:
    """A two-stage flow: where money came from, through the community, to where it went."""
    uid = _uid(title, desc)
    rows = max(len(sources), len(targets), 1)
    height = max(200, 40 + 34 * rows)
    parts = _open(title, desc, uid, height)
    inflow = sum((a for _, a in sources), Decimal(0))
    outflow = sum((a for _, a in targets), Decimal(0))
    scale = max(inflow, outflow) or Decimal(1)
    band = height - 40
    mid_x, mid_w = 300, 30
    parts.append(f'<rect x="{mid_x}" y="20" width="{mid_w}" height="{band}" class="node"/>')
    parts.append(f'<text x="{mid_x + mid_w / 2}" y="14" text-anchor="middle" class="label">{escape(middle)}</text>')

    def column(items, x, side):
        y = 20.0
        gap = 6 if len(items) > 1 else 0
        usable = band - gap * (len(items) - 1)
        mid_y = 20.0 if side == "in" else 20.0 + band * float(1 - (outflow / scale))
        for i, (label, amount) in enumerate(items):
            h = max(2.0, usable * float(amount / scale))
            color = PALETTE[i % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="{_f(y)}" width="14" height="{_f(h)}" fill="{color}" '
                         f'data-label="{escape(label)}" data-value="{escape(_num(amount))}"/>')
            mh = band * float(amount / scale)
            a, b = (x + 14, mid_x) if side == "in" else (mid_x + mid_w, x)
            ya, yb = (y, mid_y) if side == "in" else (mid_y, y)
            ha, hb = (h, mh) if side == "in" else (mh, h)
            c = (a + b) / 2
            parts.append(
                f'<path d="M{_f(a)},{_f(ya)} C{_f(c)},{_f(ya)} {_f(c)},{_f(yb)} {_f(b)},{_f(yb)} '
                f'L{_f(b)},{_f(yb + hb)} C{_f(c)},{_f(yb + hb)} {_f(c)},{_f(ya + ha)} {_f(a)},{_f(ya + ha)} Z" '
                f'fill="{color}" fill-opacity="0.25"/>'
            )
            anchor, tx = ("end", x - 6) if side == "in" else ("start", x + 20)
            shown = label if len(label) <= 24 else label[:23] + "…"
            parts.append(f'<text x="{tx}" y="{_f(y + min(h, 24) / 2 + 4)}" text-anchor="{anchor}" class="label">'
                         f'{escape(shown)} {escape(localise(_num(amount)))}</text>')
            y += h + gap
            mid_y += mh

    column(sources, 196, "in")
    column(targets, 420, "out")
    parts.append("</svg>")
    table = ([[directions[0], label, localise(_num(a))] for label, a in sources]
             + [[directions[1], label, localise(_num(a))] for label, a in targets])
    return Chart(Markup("".join(parts)), title, [*headers, unit], table)
