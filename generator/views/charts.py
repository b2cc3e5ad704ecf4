"""Static charts made at build time: no script, no remote asset, each with a table twin.

The marks are SVG that stretches to its column (a viewBox, width 100%, no fixed pixel size);
every word and number around them is HTML, so it keeps the page's own type size at any width
instead of shrinking with the picture. Each SVG carries a <title> and <desc> (read by screen
readers through aria-labelledby) and draws its marks with `data-value` attributes holding the
exact figure; the same figures come as a table, so nothing is only visible as a shape.

Time runs proportionally along the x axis: a mark sits where its period falls in time, not at
its index. A long history is shown whole and stays small: a line chart goes month by month for
the last RECENT_MONTHS and one point per year before that (per group of years when there are
very many). A bar chart has bars of one length of time, the shortest of month, quarter,
half-year, year... that keeps every bar at least MIN_BAR_PX wide on a phone's plot. A longer
period's figure is its own: its months added up, the distinct people of the whole period (a
`Tally`), a level's last month, or a share's mean, and the chart's note says which.

A time chart may mark the community's founding (`Founding`): a line on its day, and the history
before it shaded and named (a fork's history starts with the commits of the project it forked).
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from typing import Protocol

from markupsafe import Markup

from ..i18n import Catalogue, english

PALETTE = ("#0b5d4b", "#b34700", "#3b5bab", "#7a4a8c", "#5c6b00", "#8a2f45")
# The plot's own coordinates: it is stretched to its box (preserveAspectRatio="none"), so these
# only set the precision of the marks; strokes and dots keep their size (non-scaling-stroke).
PLOT_W, PLOT_H = 1000, 400
CARD_WIDTH = "card"  # kept for callers: a chart in a card gets a lower plot (see .chart-card in the CSS)
RECENT_MONTHS = 24
MAX_OLDER_POINTS = 30  # yearly points before the recent months; more years than this are grouped
YEAR_GROUPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
TICKS_WIDE, TICKS_NARROW = 8, 4  # time labels under a wide plot, and under a phone-sized one
# Bars: every bar at least MIN_BAR_PX wide on a plot NARROW_PLOT_PX wide (a time chart's plot on a
# 360 px phone, its value labels and the page's margins taken off); the bars of a period fill
# BAR_SHARE of its width. BAR_MONTHS: the lengths of time a bar may stand for, shortest first.
MIN_BAR_PX, NARROW_PLOT_PX, BAR_SHARE = 4, 240, 0.8
BAR_MONTHS = (1, 3, 6, 12) + tuple(12 * years for years in YEAR_GROUPS[1:])


@dataclass(frozen=True)
class Founding:
    """The community's founding day, marked on time charts that span it. `before`: the words for
    the history before it (whose it is), `note`: the sentence the chart's note adds, both in the
    site's language; `label`: the word on the line."""

    day: date
    label: str
    before: str
    note: str


def _uid(title: str, desc: str) -> str:
    # From the content, not a counter: ids must not depend on what was drawn before (deterministic output).
    return "c" + hashlib.sha1(f"{title}\0{desc}".encode()).hexdigest()[:10]


@dataclass
class Chart:
    picture: Markup  # the marks (SVG) and their words (HTML), for the theme's chart.html
    caption: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""  # how the figures were grouped, when they were


def _num(value) -> str:
    if isinstance(value, Decimal):  # money: as exact as it came (the ledger's are in their currency's decimals)
        return f"{value:f}"
    if isinstance(value, float):
        if value == int(value):
            return str(int(value))
        return format(round(value, 4), "f").rstrip("0").rstrip(".")
    return str(value)


def grouped(catalogue: Catalogue):
    """A function writing a number already written with a "." ("1234.50", "-3") as the language
    writes numbers: its digit grouping and decimal mark ("1,234.50", "1.234,50"), every decimal kept."""

    def localise(text: str) -> str:
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, dot, fraction = digits.partition(".")
        if not whole.isdigit() or (fraction and not fraction.isdigit()):
            return catalogue.decimal(text)
        written = catalogue.number(int(whole))
        if dot:
            written += catalogue.decimal("0." + fraction)[1:-len(fraction)] + fraction
        return sign + written

    return localise


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _pct(x: float) -> str:
    return f"{100 * x:.2f}".rstrip("0").rstrip(".") + "%"


def _svg_open(title: str, desc: str, uid: str, width: float, height: float, stretch: bool = True) -> list[str]:
    aspect = ' preserveAspectRatio="none"' if stretch else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(width)} {_f(height)}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" focusable="false"{aspect}>',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]


def _legend(names: list[str], before_founding: str = "") -> str:
    items = "".join(f'<li><span class="swatch" style="background:{PALETTE[i % len(PALETTE)]}"></span>{escape(name)}</li>'
                    for i, name in enumerate(names))
    if before_founding:
        items += f'<li><span class="swatch swatch-before-founding"></span>{escape(before_founding)}</li>'
    return f'<ul class="chart-legend" aria-hidden="true">{items}</ul>'


# -- time --------------------------------------------------------------------------------------
def _month_number(label: str) -> int:
    """"2024-03" -> months since year 0: the time unit of the x axis."""
    return int(label[:4]) * 12 + int(label[5:7]) - 1


def _month_label(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


@dataclass(frozen=True)
class Period:
    label: str
    first: int  # month number of its first month
    end: int  # month number after its last (exclusive)
    indices: tuple[int, ...]  # the positions of its months in the input
    yearly: bool = False


def periods(months: list[str]) -> list[Period]:
    """The points a time chart draws for a list of "YYYY-MM" months (sorted, one per month):
    each of the last RECENT_MONTHS months, then whole years before them, or groups of 2, 5,
    10... years so that there are never more than MAX_OLDER_POINTS of them, however far back
    the dates go."""
    numbers = [_month_number(m) for m in months]
    if not numbers:
        return []
    cut = max(numbers) - RECENT_MONTHS + 1
    start = min(numbers)
    older = [n // 12 for n in numbers if n < cut]
    size = 1
    if older:
        size = next((s for s in YEAR_GROUPS if max(older) // s - min(older) // s < MAX_OLDER_POINTS), YEAR_GROUPS[-1])
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, n in enumerate(numbers):
        groups.setdefault((0, n // 12 // size) if n < cut else (1, n), []).append((n, i))
    result = []
    for (recent, key), members in sorted(groups.items()):
        members.sort()
        indices = tuple(i for _, i in members)
        if recent:
            result.append(Period(_month_label(key), key, key + 1, indices))
            continue
        first_year = key * size
        label = str(first_year) if size == 1 else f"{first_year}–{first_year + size - 1}"
        # the whole calendar span of the group, cut to the data's start and to the recent months
        result.append(Period(label, max(first_year * 12, start), min((first_year + size) * 12, cut), indices, True))
    return result


def bar_periods(months: list[str], bars_per_period: int, catalogue: Catalogue | None = None) -> list[Period]:
    """The periods a bar chart draws for a list of "YYYY-MM" months (sorted, one per month): all
    of one length, the shortest of BAR_MONTHS that leaves at most as many periods as fit on a
    narrow plot with `bars_per_period` bars each no thinner than MIN_BAR_PX. Each period spans
    its whole calendar quarter, half-year or year, so every bar has the same width."""
    numbers = [_month_number(m) for m in months]
    if not numbers:
        return []
    most = max(1, int(NARROW_PLOT_PX * BAR_SHARE / (max(1, bars_per_period) * MIN_BAR_PX)))
    first, last = min(numbers), max(numbers)
    size = next((s for s in BAR_MONTHS if last // s - first // s + 1 <= most), BAR_MONTHS[-1])
    groups: dict[int, list[tuple[int, int]]] = {}
    for i, n in enumerate(numbers):
        groups.setdefault(n // size, []).append((n, i))
    _ = (catalogue or english()).gettext
    result = []
    for key, members in sorted(groups.items()):
        members.sort()
        start = key * size
        year, month = divmod(start, 12)
        if size == 1:
            label = _month_label(start)
        elif size == 3:
            label = _("{year} Q{quarter}", year=f"{year:04d}", quarter=month // 3 + 1)
        elif size == 6:
            label = _("{year} H{half}", year=f"{year:04d}", half=month // 6 + 1)
        elif size == 12:
            label = f"{year:04d}"
        else:
            label = f"{year:04d}–{year + size // 12 - 1:04d}"
        result.append(Period(label, start, start + size, tuple(i for _n, i in members), size > 1))
    return result


class Tally(Protocol):
    """A month's figure that cannot be added up into a longer period's: the people active in it,
    the commits behind a bus factor. A period of several months joins its months' tallies and
    counts the whole, so a year's point is the year's own figure (each person once), never a
    mean of months (no "0.67 active contributors")."""

    words: str  # how a longer period is counted, for the chart's note (in the site's language)

    def joined(self, other: "Tally") -> "Tally": ...

    def figure(self) -> int: ...


SUM, LAST, MEAN, TALLY = "sum", "last", "mean", "tally"


def _how(values: list, name: str, stocks: tuple[str, ...], means: tuple[str, ...]) -> str:
    """How a series' months make a longer period's point: a tally is joined and counted, a stock
    (a balance, a level) shows its last month, a share or rate the mean of its months, and
    anything else (events, commits, amounts of a month) is a flow, added up."""
    if values and all(hasattr(v, "joined") for v in values):
        return TALLY
    if name in stocks:
        return LAST
    if name in means:
        return MEAN
    return SUM


def _combine(values: list, indices: tuple[int, ...], how: str):
    """One figure for a period: the month's own; for a longer period the months joined (TALLY),
    added up (SUM), their mean (MEAN) or the last month's (LAST)."""
    picked = [values[i] for i in indices]
    if how == TALLY:
        return functools.reduce(lambda a, b: a.joined(b), picked).figure()
    if len(picked) == 1:
        return picked[0]
    if how == LAST:
        return picked[-1]
    if how == SUM:
        if all(isinstance(v, Decimal) for v in picked):
            return sum(picked, Decimal(0))
        total = sum(picked)
        return int(total) if float(total) == int(total) else round(float(total), 4)
    if all(isinstance(v, Decimal) for v in picked):
        exponent = min(v.as_tuple().exponent for v in picked)
        return (sum(picked, Decimal(0)) / len(picked)).quantize(Decimal(1).scaleb(min(exponent, 0)))
    mean = sum(float(v) for v in picked) / len(picked)
    return int(mean) if mean == int(mean) else round(mean, 2)


def _yearly_note(month: str, hows: dict[str, tuple[str, str]], catalogue: Catalogue) -> str:
    """The chart's note when older years are one point each: how each series makes a year's
    point. `hows`: {series name: (how, a tally's words, already in the site's language)}."""
    _ = catalogue.gettext
    words = {SUM: _("the sum of its months"), LAST: _("its last month"), MEAN: _("the mean of its months")}
    groups: dict[str, list[str]] = {}
    for name, (how, tally_words) in hows.items():
        groups.setdefault(tally_words if how == TALLY else words[how], []).append(name)
    if len(groups) == 1:
        return _("Before {month}, one point per year: {how}.", month=month, how=next(iter(groups)))
    parts = "; ".join(_("{series}: {how}", series=", ".join(names), how=how) for how, names in groups.items())
    return _("Before {month}, one point per year ({parts}).", month=month, parts=parts)


def _bars_note(size: int, hows: dict[str, tuple[str, str]], catalogue: Catalogue) -> str:
    """The chart's note when a bar stands for more than a month (`size` months): how each
    series makes a bar's figure, as `_yearly_note` says it for a year's point."""
    _ = catalogue.gettext
    bars = {3: _("One bar per quarter"), 6: _("One bar per half-year"), 12: _("One bar per year")}.get(size) \
        or _("One bar per {n} years", n=size // 12)
    words = {SUM: _("the sum of its months"), LAST: _("its last month"), MEAN: _("the mean of its months")}
    groups: dict[str, list[str]] = {}
    for name, (how, tally_words) in hows.items():
        groups.setdefault(tally_words if how == TALLY else words[how], []).append(name)
    if len(groups) == 1:
        return _("{bars}: {how}.", bars=bars, how=next(iter(groups)))
    parts = "; ".join(_("{series}: {how}", series=", ".join(names), how=how) for how, names in groups.items())
    return _("{bars} ({parts}).", bars=bars, parts=parts)


def _founding_marks(founding: Founding | None, start: int, end: int) -> float | None:
    """Where (0..1 along the time axis) the founding day falls, when strictly inside the chart."""
    if founding is None:
        return None
    day = founding.day
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    at = _month_number(f"{day.year:04d}-{day.month:02d}") + (day.day - 1) / (following - day.replace(day=1)).days
    if not start < at < end:
        return None
    return (at - start) / (end - start)


def _time_ticks(start: int, end: int, found: list[Period]) -> list[tuple[float, str, bool]]:
    """(position 0..1, label, shown on a narrow plot too) of the time axis: months for a short
    span, years for a long one, each label under the middle of the period it names."""
    if not found:
        return []
    span = end - start
    if span <= 36 and not any(p.yearly for p in found):
        candidates = [(n, n + 1, _month_label(n), n) for n in range(start, end)]
        steps: tuple[int, ...] = (1, 2, 3, 4, 6, 12)
    else:
        candidates = [(y * 12, y * 12 + 12, str(y), y) for y in range(start // 12, (end - 1) // 12 + 1)]
        steps = YEAR_GROUPS
    count = lambda s: sum(1 for *_, key in candidates if key % s == 0)  # noqa: E731
    wide = next((s for s in steps if count(s) <= TICKS_WIDE), steps[-1])
    narrow = next((s for s in steps if s % wide == 0 and count(s) <= TICKS_NARROW), steps[-1])
    ticks = []
    for a, b, label, key in candidates:
        if key % wide == 0:
            middle = (max(a, start) + min(b, end)) / 2
            ticks.append(((middle - start) / span, label, key % narrow == 0))
    return ticks


def _value_range(series: dict[str, list]) -> tuple[float, float, float]:
    """(low, high, step) of the value axis: round steps, zero always on a grid line."""
    values = [float(v) for values in series.values() for v in values] + [0.0]
    step = _nice_max((max(values) - min(values)) / 4) if max(values) > min(values) else 1.0
    if step < 1 and all(v.is_integer() for v in values):
        step = 1.0  # counts of people or commits: no "0.25 contributors" on the axis
    low = math.floor(min(values) / step) * step
    high = max(math.ceil(max(values) / step) * step, low + step)
    return low, high, step


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _over_time(title: str, desc: str, months: list[str], series: dict[str, list], label_name: str, localise,
               marks, compact: bool, stocks: tuple[str, ...], catalogue: Catalogue | None,
               means: tuple[str, ...] = (), bars: bool = False, founding: Founding | None = None) -> Chart:
    """A chart of series over months: the periods, value axis, time axis, legend and table twin;
    `marks(parts, n, values, color, x_span, y_of)` draws series number n. `bars`: periods of one
    length, wide enough for bars (`bar_periods`); `founding`: the founding day to mark."""
    catalogue = catalogue or english()
    found = bar_periods(months, len(series), catalogue) if bars else periods(months)
    hows = {name: _how(values, name, stocks, means) for name, values in series.items()}
    shown = {name: [_combine(values, p.indices, hows[name]) for p in found] for name, values in series.items()}
    start = found[0].first if found else 0
    end = found[-1].end if found else 1
    width = max(1, end - start)
    x_span = [((p.first - start) / width, (p.end - start) / width) for p in found]
    low, high, step = _value_range(shown)
    y_of = lambda v: PLOT_H * (high - float(v)) / (high - low)  # noqa: E731
    uid = _uid(title, desc)
    parts = _svg_open(title, desc, uid, PLOT_W, PLOT_H)
    founded_at = _founding_marks(founding, start, end)
    if founded_at is not None:  # under the grid and the marks: the history before the founding, shaded
        parts.append(f'<rect x="0" y="0" width="{_f(PLOT_W * founded_at)}" height="{PLOT_H}" class="before-founding"/>')
    y_ticks = []
    for i in range(round((high - low) / step) + 1):
        value = low + step * i
        y = y_of(value)
        parts.append(f'<path d="M0,{_f(y)}H{PLOT_W}" class="grid" vector-effect="non-scaling-stroke"/>')
        y_ticks.append((y / PLOT_H, localise(_num(round(value, 2)))))
    for n, (name, values) in enumerate(shown.items()):
        parts.append(f'<g class="series" data-series="{escape(name)}">')
        marks(parts, n, values, PALETTE[n % len(PALETTE)], x_span, y_of, [p.label for p in found])
        parts.append("</g>")
    if founded_at is not None:
        parts.append(f'<path d="M{_f(PLOT_W * founded_at)},0V{PLOT_H}" class="founding" vector-effect="non-scaling-stroke"/>')
    parts.append("</svg>")
    labels = [f'<span class="tick-y" style="top:{_pct(top)}">{escape(text)}</span>' for top, text in y_ticks]
    if founded_at is not None:
        labels.append(f'<span class="mark-founding" style="left:{_pct(founded_at)}">{escape(founding.label)}</span>')
    labels += [f'<span class="tick-x{"" if narrow else " tick-wide"}" style="left:{_pct(left)}">{escape(text)}</span>'
               for left, text, narrow in _time_ticks(start, end, found)]
    gutter = max(len(text) for _, text in y_ticks) * 0.6 + 0.8
    kinds = "".join((" chart-card" if compact else "", " chart-founded" if founded_at is not None else ""))
    picture = (f'<div class="chart chart-time{kinds}" style="--gutter:{gutter:.1f}em">'
               f'<div class="chart-plot">{"".join(parts)}<div class="chart-ticks" aria-hidden="true">{"".join(labels)}</div></div>'
               f'{_legend(list(shown), founding.before if founded_at is not None else "")}</div>')
    rows = [[p.label] + [localise(_num(values[i])) for values in shown.values()] for i, p in enumerate(found)]
    note = ""
    tallies = {name: (hows[name], getattr(values[0], "words", "") if values else "") for name, values in series.items()}
    if bars and found and found[0].yearly:
        note = _bars_note(found[0].end - found[0].first, tallies, catalogue)
    elif any(p.yearly for p in found):
        recent = next(p.label for p in found if not p.yearly)
        recent = catalogue.month(recent) if catalogue is not None else recent
        note = _yearly_note(recent, tallies, catalogue)
    if founded_at is not None:
        note = f"{note} {founding.note}".strip()
    return Chart(Markup(picture), title, [label_name] + list(shown), rows, note)


def line_chart(title: str, desc: str, months: list[str], series: dict[str, list], label_name: str = "Month",
               localise=str, width=None, stocks: tuple[str, ...] = (), catalogue: Catalogue | None = None,
               means: tuple[str, ...] = (), founding: Founding | None = None) -> Chart:
    """One line per series over months ("YYYY-MM", one per month), values marked by dots.
    `width`: CARD_WIDTH for a chart in a card (a lower plot). A year's point adds up its months,
    except for `stocks` (levels, such as a balance: their last month), `means` (shares and
    rates: the mean of the months) and series of `Tally` values (joined, then counted).
    `founding`: the founding day, marked when the chart spans it."""

    def marks(parts, n, values, color, x_span, y_of, labels):
        xs = [PLOT_W * (a + b) / 2 for a, b in x_span]
        if len(values) > 1:
            points = " ".join(f"{_f(x)},{_f(y_of(v))}" for x, v in zip(xs, values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2" '
                         f'vector-effect="non-scaling-stroke"/>')
        for x, v, label in zip(xs, values, labels):
            # a zero-length line with round caps: a dot that stays round when the plot is stretched
            parts.append(f'<path d="M{_f(x)},{_f(y_of(v))}h0" class="dot" stroke="{color}" stroke-width="7" '
                         f'stroke-linecap="round" vector-effect="non-scaling-stroke" '
                         f'data-label="{escape(label)}" data-value="{escape(_num(v))}"/>')

    return _over_time(title, desc, months, series, label_name, localise, marks, width == CARD_WIDTH, stocks, catalogue,
                      means, founding=founding)


def bar_chart(title: str, desc: str, months: list[str], series: dict[str, list], label_name: str = "Month",
              localise=str, width=None, stocks: tuple[str, ...] = (), catalogue: Catalogue | None = None,
              means: tuple[str, ...] = (), founding: Founding | None = None) -> Chart:
    """Grouped vertical bars over periods of one length (`bar_periods`: months, or quarters,
    half-years, years when monthly bars would be too thin on a phone), one bar per series; a
    longer period's figure is made as `line_chart` makes a year's point."""
    count = max(1, len(series))

    def marks(parts, n, values, color, x_span, y_of, labels):
        for (a, b), v, label in zip(x_span, values, labels):
            top, bottom = sorted((y_of(v), y_of(0)))
            bar = PLOT_W * (b - a) * BAR_SHARE / count
            x = PLOT_W * a + PLOT_W * (b - a) * (1 - BAR_SHARE) / 2 + bar * n
            parts.append(f'<rect x="{_f(x)}" y="{_f(top)}" width="{_f(bar)}" height="{_f(bottom - top)}" '
                         f'fill="{color}" data-label="{escape(label)}" data-value="{escape(_num(v))}"/>')

    return _over_time(title, desc, months, series, label_name, localise, marks, width == CARD_WIDTH, stocks, catalogue,
                      means, bars=True, founding=founding)


# -- profiles and shares -----------------------------------------------------------------------
def hbar_chart(title: str, desc: str, items: list[tuple[str, float]], maximum: float | None = None,
               value_name: str = "Value", fmt=_num) -> Chart:
    """Horizontal bars with their value written at the end: a profile across dimensions. The
    labels and values are HTML in a grid beside one stretched SVG holding every bar."""
    uid = _uid(title, desc)
    top_value = maximum or _nice_max(max([float(v) for _, v in items] or [0]))
    row = 10
    parts = _svg_open(title, desc, uid, 100, row * max(1, len(items)))
    words = []
    for i, (label, v) in enumerate(items):
        y = row * i
        w = 100 * float(v) / top_value if top_value else 0
        parts.append(f'<rect x="0" y="{y + 2.5}" width="100" height="5" class="track"/>')
        parts.append(f'<rect x="0" y="{y + 2.5}" width="{_f(w)}" height="5" fill="{PALETTE[i % len(PALETTE)]}" '
                     f'data-label="{escape(label)}" data-value="{escape(_num(v))}"/>')
        words.append(f'<span class="hbar-label" style="grid-row:{i + 1}" aria-hidden="true">{escape(label)}</span>'
                     f'<span class="hbar-value" style="grid-row:{i + 1}" aria-hidden="true">{escape(fmt(v))}</span>')
    parts.append("</svg>")
    picture = (f'<div class="chart chart-hbar" style="--rows:{max(1, len(items))}">{"".join(parts)}'
               f'{"".join(words)}</div>')
    return Chart(Markup(picture), title, ["", value_name], [[label, fmt(v)] for label, v in items])


def onion(title: str, desc: str, layers: list[tuple[str, int]], headers=("Layer", "People")) -> Chart:
    """Concentric rings, core in the middle: the 1-9-90 shape of participation."""
    uid = _uid(title, desc)
    size, cx, cy = 260, 130, 130
    parts = _svg_open(title, desc, uid, size, size, stretch=False)
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
    parts.append("</svg>")
    picture = (f'<div class="chart chart-onion">{"".join(parts)}'
               f'{_legend([f"{label}: {count}" for label, count in layers])}</div>')
    return Chart(Markup(picture), title, list(headers), [[label, str(count)] for label, count in layers])


def flow(title: str, desc: str, sources: list[tuple[str, Decimal]], targets: list[tuple[str, Decimal]],
         middle: str, unit: str, headers=("Direction", "Party"), directions=("in", "out"), localise=str,
         fmt=None, sides=("Came in", "Went out")) -> Chart:
    """A two-stage flow: where money came from, through the community, to where it went. HTML
    boxes, side by side on a wide screen and one above the other on a narrow one; each party's
    bar is its share of the larger of the two totals. `fmt` writes an amount with its currency."""
    fmt = fmt or (lambda amount: f"{localise(_num(amount))} {unit}")
    inflow = sum((a for _, a in sources), Decimal(0))
    outflow = sum((a for _, a in targets), Decimal(0))
    scale = max(inflow, outflow) or Decimal(1)

    def side(items, heading, total, kind):
        rows = []
        for i, (label, amount) in enumerate(items):
            share = float(amount / scale)
            rows.append(f'<li data-label="{escape(label)}" data-value="{escape(_num(amount))}">'
                        f'<span class="flow-party">{escape(label)}</span> '
                        f'<span class="flow-amount">{escape(fmt(amount))}</span>'
                        f'<span class="flow-bar"><span style="width:{_pct(share)};background:{PALETTE[i % len(PALETTE)]}">'
                        f'</span></span></li>')
        return (f'<div class="flow-side flow-{kind}"><p class="flow-head">{escape(heading)}: '
                f'<strong>{escape(fmt(total))}</strong></p><ul>{"".join(rows)}</ul></div>')

    picture = (f'<div class="chart chart-flow" role="group" aria-label="{escape(title)}">'
               f'{side(sources, sides[0], inflow, "in")}'
               f'<div class="flow-middle"><span>{escape(middle)}</span></div>'
               f'{side(targets, sides[1], outflow, "out")}</div>')
    table = ([[directions[0], label, localise(_num(a))] for label, a in sources]
             + [[directions[1], label, localise(_num(a))] for label, a in targets])
    return Chart(Markup(picture), title, [*headers, unit], table)
