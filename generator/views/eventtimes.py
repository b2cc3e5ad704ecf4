"""An event's times as its page shows them: the local clock times with their zone, and the
machine-readable values of its `<time>` elements (microformats2 `dt-start` / `dt-end`)."""

from __future__ import annotations

from datetime import datetime

from ..load.eventtimes import event_span, zone


def _local(moment: datetime, name: str) -> str:
    """ISO 8601 with the zone's offset at that instant ("2026-02-05T19:00+01:00")."""
    tz = zone(name)
    local = moment.astimezone(tz) if tz is not None else moment
    return local.isoformat(timespec="minutes")


def event_times(event) -> dict:
    """What the event page needs to show a timed event (empty for an all-day one): `start` and
    `end` (the `datetime` values, end "" without an end time), `time`, `end_time`, `timezone`."""
    timed = event_span(event)
    if timed is None:
        return {}
    begins, ends = timed
    return {"start": _local(begins, event.timezone), "end": _local(ends, event.timezone) if ends else "",
            "time": event.time, "end_time": event.end_time, "timezone": event.timezone}
