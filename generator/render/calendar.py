"""The events as iCalendar (RFC 5545): `events.ics` with every event, and `events/<slug>/event.ics`
with one, for "Add to calendar".

What each file holds, and why:
- lines end in CRLF and are folded at 75 octets (a continuation line starts with a space and
  carries at most 74 more), never inside a UTF-8 sequence; TEXT values are escaped (`\\\\ \\; \\, \\n`);
- each event's `DTSTAMP` is the build's time from git (SOURCE_DATE_EPOCH, else HEAD's commit
  time), never the clock: the same commit gives the same bytes. Without a METHOD (an iTIP
  `PUBLISH` would require an ORGANIZER, which is a person's address), DTSTAMP stands for when the
  event was last revised, and the commit the calendar is made from is the latest moment it can
  have been (a file's own last change would need a walk of the history at render time);
- `UID` is `<slug>@<host>`, with the site's base path's folders after the slug, joined by dots
  (`meetup-2026-02.barrio-maps@example.org`: two portals on one host never share a UID): an event
  keeps it whatever else is added, renamed or removed;
- an all-day event has `DTSTART;VALUE=DATE` and `DTEND;VALUE=DATE` the day after its last day
  (DTEND is exclusive); a timed event (`time` and `timezone`) has UTC instants (`...Z`), computed
  with zoneinfo. UTC rather than `TZID` because every calendar application reads a UTC instant
  the same way and shows it in its reader's zone, while a `TZID` needs a VTIMEZONE written out
  from the zone's rules (which zoneinfo does not expose), and applications that meet an IANA
  name without one guess differently; the zone's name is kept in the event page's text;
- `SUMMARY` (title), `DESCRIPTION` (the event's summary), `LOCATION`, `URL` (the event page, when
  the site has an absolute base_url). No ORGANIZER or ATTENDEE: people are never listed in a
  calendar, so no address, no hidden member and no pseudonymous member can appear in one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from ..load.eventtimes import day_after, event_span
from ..model import Event
from .context import SiteContext

PRODID = "-//Commonplace//Commonplace portal//EN"
_LIMIT = 75  # octets per line, CRLF excluded
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line ends escaped; other
    control characters (which TEXT may not hold) become spaces."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub(" ", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded at 75 octets (3.1) with CRLF after each part; a cut never falls
    inside a character's UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= _LIMIT:
        return line + "\r\n"
    parts: list[str] = []
    start, room = 0, _LIMIT
    while start < len(data):
        end = min(start + room, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: cut before its lead
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, room = end, _LIMIT - 1  # a continuation line begins with one space
    return "\r\n ".join(parts) + "\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


def uid_domain(site: SiteContext) -> str:
    """What follows each UID's slug: `@host`, with the base path's folders before it."""
    parts = urlsplit(site.model.config.base_url)
    host = (parts.hostname or "").lower() or "commonplace.invalid"
    folders = [f for f in (parts.path or "").split("/") if f]
    return "".join(f".{f}" for f in folders) + f"@{host}"


def event_lines(event: Event, site: SiteContext, stamp: datetime) -> list[str]:
    """The VEVENT of one event, unfolded."""
    _ = site.catalogue.gettext
    lines = ["BEGIN:VEVENT", f"UID:{escape_text(event.slug + uid_domain(site))}", f"DTSTAMP:{_utc(stamp)}"]
    timed = event_span(event)
    if timed is None:
        lines.append(f"DTSTART;VALUE=DATE:{_day(event.date)}")
        lines.append(f"DTEND;VALUE=DATE:{_day(day_after(event.end_date or event.date))}")
    else:
        begins, ends = timed
        lines.append(f"DTSTART:{_utc(begins)}")
        if ends is not None:
            lines.append(f"DTEND:{_utc(ends)}")
    lines.append(f"SUMMARY:{escape_text(event.title)}")
    if event.summary:
        lines.append(f"DESCRIPTION:{escape_text(event.summary.strip())}")
    place = event.location or (_("online") if event.online else "")
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    if site.absolute:
        lines.append(f"URL:{site.url(f'events/{event.slug}/')}")
    lines.append("END:VEVENT")
    return lines


def _calendar(body: list[str], name: str = "") -> str:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if name:  # the name applications give a subscribed calendar (RFC 7986, and the older X- form)
        head += [f"NAME:{escape_text(name)}", f"X-WR-CALNAME:{escape_text(name)}"]
    return "".join(fold(line) for line in [*head, *body, "END:VCALENDAR"])


def calendar_files(site: SiteContext) -> dict[str, str]:
    """`events.ics` and each event's `events/<slug>/event.ics`, by path."""
    stamp = site.info.updated
    events = sorted(site.model.events.values(), key=lambda e: (e.date.toordinal(), e.slug))
    vevents = {event.slug: event_lines(event, site, stamp) for event in events}
    name = f"{site.model.config.title} · {site.catalogue.gettext('Events')}"
    files = {"events.ics": _calendar([line for lines in vevents.values() for line in lines], name)}
    for slug, lines in vevents.items():
        files[f"events/{slug}/event.ics"] = _calendar(lines)
    return files
