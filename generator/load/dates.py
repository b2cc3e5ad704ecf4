"""The window every date of the community's files lies in, and the check that holds them to it.

A date is free text in a pull request: `9999-12-31` or `0001-01-01` is a valid calendar date, and
every monthly figure, table and chart would run to it. So each date must lie between `earliest`
(default 1970-01-01) and `latest` (default ten years after the commit built) of
`commonplace.yaml`'s `dates`; one outside is an error at its line. Which keys hold dates is read
from the schemas (every value with `format: date`), so a new date key is checked without a list
to keep up to date here.

The window itself is bounded: `dates:` may widen it to FIRST_DAY and LAST_DAY, no further (an
error at the key otherwise), and the default end stops there too, whatever the commit's date or
SOURCE_DATE_EPOCH say. Within those days every year has four digits, a period, a time zone or
ten years added to any date stays inside what `datetime` holds, and a month-by-month table of
the whole window stays a few thousand rows long.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from ..errors import Findings
from ..resources import schema
from .patterns import ANY, strings_at
from .yamlsafe import YamlDoc

EARLIEST = date(1970, 1, 1)
YEARS_AHEAD = 10
FIRST_DAY = date(1800, 1, 1)  # the widest window `dates:` may set
LAST_DAY = date(2199, 12, 31)


def years_after(day: date, years: int) -> date:
    year = min(day.year + years, 9999)
    return day.replace(year=year, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=year)


def bounded(day: date) -> date:
    return min(max(day, FIRST_DAY), LAST_DAY)


def today() -> date:
    return datetime.now(timezone.utc).date()


def reference_day(root: Path) -> date:
    """The day of the commit built (SOURCE_DATE_EPOCH when set), today outside a repository."""
    import pygit2

    from ..gitinfo import build_epoch, repo_info

    try:
        epoch = build_epoch(repo_info(root))
    except (OSError, ValueError, pygit2.GitError):  # not a repository we can read
        epoch = 0
    if epoch <= 0:
        return today()
    try:
        return bounded(datetime.fromtimestamp(epoch, timezone.utc).date())
    except (OverflowError, OSError, ValueError):  # past the year 9999
        return LAST_DAY


def window(earliest: date | None, latest: date | None, reference: date) -> tuple[date, date]:
    """The window a community's dates must lie in: `dates:` of commonplace.yaml where given, the
    default otherwise, each held to FIRST_DAY..LAST_DAY (`check_window` reports a key beyond)."""
    return bounded(earliest or EARLIEST), bounded(latest or years_after(bounded(reference), YEARS_AHEAD))


def check_window(earliest: date | None, latest: date | None, window_: tuple[date, date], doc: YamlDoc,
                 findings: Findings, rel: str = "commonplace.yaml") -> None:
    """Errors at `dates:` in commonplace.yaml: a key beyond FIRST_DAY..LAST_DAY, or a window that
    ends before it begins. `earliest`, `latest`: as written (None when left out)."""
    beyond = [(key, day) for key, day in (("earliest", earliest), ("latest", latest))
              if day is not None and not FIRST_DAY <= day <= LAST_DAY]
    for key, day in beyond:
        line, col = doc.where(("dates", key))
        findings.error(rel, line, col, f"'{key}': {day.isoformat()} is outside the dates Commonplace accepts, "
                                       f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}: give a date between them")
    first, last = window_
    if last < first and not beyond:
        line, col = doc.where(("dates", "latest") if latest else ("dates", "earliest"))
        findings.error(rel, line, col, f"the date window ends ({last.isoformat()}) before it begins "
                                       f"({first.isoformat()}): fix `dates:`")


@lru_cache(maxsize=None)
def date_paths(kind: str) -> tuple[tuple, ...]:
    """The paths (ANY for list items) of every value that `schemas/<kind>.schema.json` says is a date."""
    root = schema(kind)
    found: set[tuple] = set()

    def resolve(node: dict) -> dict:
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return root.get("$defs", {}).get(ref.split("/")[-1], {})
        return node

    def walk(node, path: tuple, depth: int) -> None:
        if not isinstance(node, dict) or depth > 12:
            return
        node = resolve(node)
        if node.get("format") == "date":
            found.add(path)
        for key, sub in (node.get("properties") or {}).items():
            walk(sub, path + (key,), depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + (ANY,), depth + 1)
        for combinator in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(combinator) or ():
                walk(sub, path, depth + 1)
        for branch in ("then", "else"):
            walk(node.get(branch), path, depth + 1)

    walk(root, (), 0)
    return tuple(sorted(found))


def check(rel: str, kind: str, doc: YamlDoc, bounds: tuple[date, date], findings: Findings) -> None:
    """An error at each date of `doc` outside `bounds` (dates that are not dates are the schema's)."""
    earliest, latest = bounds
    for pattern in date_paths(kind):
        for path, text in strings_at(doc.data, pattern):
            try:
                day = date.fromisoformat(text)
            except ValueError:
                continue
            if earliest <= day <= latest:
                continue
            line, col = doc.where(path)
            side = f"before {earliest.isoformat()}, the earliest" if day < earliest else f"after {latest.isoformat()}, the latest"
            findings.error(rel, line, col, f"date {text} is {side} date this community accepts: fix the date, or "
                                           "widen `dates:` in commonplace.yaml (earliest, latest)")
