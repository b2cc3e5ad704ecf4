"""An event's times of day: `time`, `end_time` and `timezone` (an IANA name), checked when the
event is loaded, and the instants they name (the calendar and the event page read them).

An event without `time` lasts whole days (`date` to `end_date`). With `time` it needs a
`timezone`, read with the standard library's zoneinfo (the system's time zone database, or the
`tzdata` package where the system has none): a name zoneinfo does not know is a located error,
with the nearest known names. The instants are computed in UTC with zoneinfo, so a daylight
saving change between two events moves their UTC times as it moves the local clocks.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..errors import Findings
from .yamlsafe import YamlDoc

# Names in a time zone folder that are not zones, or depend on the machine that builds.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    """Every zone name zoneinfo finds (listed once per process, only when an event has a time)."""
    return frozenset(available_timezones()) - _NOT_ZONES


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo | None:
    """The zone called `name`, None when zoneinfo does not know it."""
    if name not in _known():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def event_times(rel: str, doc: YamlDoc, findings: Findings, first: date, last: date | None) -> dict[str, str]:
    """The event's `time`, `end_time` and `timezone` as the model keeps them, after reporting
    what is wrong with them at their lines; an event with a problem is kept as an all-day one.
    `first`, `last`: its `date` and `end_date` (None without one)."""
    d = doc.data
    start, end, name = d.get("time", ""), d.get("end_time", ""), d.get("timezone", "")
    if not (start or end or name):
        return {}
    if any((key,) in doc.cut for key in ("time", "end_time", "timezone")):  # refused by the schema, reported
        return {}

    def error(key: str, message: str) -> dict[str, str]:
        line, col = doc.where((key,))
        findings.error(rel, line, col, message)
        return {}

    if not start:
        key = "end_time" if end else "timezone"
        return error(key, f"'{key}' needs 'time', the local time the event starts (\"19:00\"): add it, "
                          f"or remove '{key}' for an event that lasts whole days")
    if not name:
        return error("time", "'time' needs 'timezone', the IANA name of the time zone it is in (such as "
                             "Europe/Madrid): add it")
    if zone(name) is None:
        near = difflib.get_close_matches(name, sorted(_known()), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(n) for n in near)}?" if near else \
            "write an IANA name such as Europe/Madrid or America/New_York"
        return error("timezone", f"unknown time zone '{name}': {hint}")
    if last is not None and last != first and not end:
        return error("time", "an event over several days with a 'time' needs an 'end_time' (the time it "
                             "ends on 'end_date'): add it, or remove 'time' for an all-day event")
    times = {"time": start, "end_time": end, "timezone": name}
    for key, day, clock in (("time", first, start), ("end_time", last or first, end)):
        if clock and skipped(day, clock, name):
            line, col = doc.where((key,))
            findings.warning(rel, line, col, f"{clock} does not exist on {day.isoformat()} in {name}: the clocks "
                                             "skip it for daylight saving time; it is read as the hour after")
    if end:
        begins, ends = span(first, last, start, end, name)
        if ends is not None and ends <= begins:
            where = "on 'end_date'" if last is not None and last != first else "on its day"
            return error("end_time", f"'end_time' {end} is not after 'time' {start} {where}: an event ends "
                                     "after it starts")
    return times


def skipped(day: date, clock: str, name: str) -> bool:
    """Whether a daylight saving change skips this local time on that day (02:30 in spring)."""
    tz = zone(name)
    naive = datetime.combine(day, _clock(clock))
    back = naive.replace(tzinfo=tz).astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    return back != naive


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def span(first: date, last: date | None, start: str, end: str, name: str) -> tuple[datetime, datetime | None]:
    """The UTC instants an event begins and ends (None: no end time) from its local times. A
    local time that a daylight saving change skips or repeats is read as zoneinfo reads it
    (`fold=0`: the earlier of two, the offset before a gap)."""
    tz = zone(name) or timezone.utc
    begins = datetime.combine(first, _clock(start), tz).astimezone(timezone.utc)
    if not end:
        return begins, None
    ends = datetime.combine(last or first, _clock(end), tz).astimezone(timezone.utc)
    return begins, ends


def event_span(event) -> tuple[datetime, datetime | None] | None:
    """A timed event's UTC start and end (end None when it gives no `end_time`); None for an
    all-day event."""
    if not event.time:
        return None
    return span(event.date, event.end_date, event.time, event.end_time, event.timezone)


def day_after(day: date) -> date:
    return day + timedelta(days=1)
