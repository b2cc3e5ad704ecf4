"""The social web, statically: the events as iCalendar (read with the `icalendar` library, as a
calendar application reads them), the pages' microformats2 (read with `mf2py`, as IndieWeb
readers do), the JSON Feed beside the Atom feed, permanent feed ids, and privacy in all of them.

The community is tests/communities.py's MINIMAL (Ana public, Ben pseudonymous, Cy hidden, each
with an e-mail address) with events, links and ledger entries added here.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from pathlib import Path

import icalendar
import mf2py
import pytest

from communities import write_files
from generator.build import build
from generator.people import pseudonym
from generator.publish.addresses import published_addresses
from gitrepo import commit_all

BASE = "https://seeds.example.org/library/"
ATOM = "{http://www.w3.org/2005/Atom}"

EVENTS = {
    # all day, several days
    "events/fair-2024.md": """\
        ---
        title: "Harvest fair; seeds, plants & talks, with a \\\\ backslash"
        date: 2024-09-20
        end_date: 2024-09-22
        kind: conference
        location: Plaça del Mercat, València
        organisers: [ana]
        participants: [ben, cy]
        summary: >-
          Three days of seed swaps, talks and workshops; bring your own jars, labels and
          curiosity. Everyone is welcome, including the neighbours of Ruzafa, Benimaclet and
          El Cabanyal — ¡bienvenidas! — with café, horchata and fartons.
        ---
        The fair.
        """,
    # timed, on either side of Europe/Madrid's change to summer time (2025-03-30)
    "events/talk-winter.md": """\
        ---
        title: Winter talk
        date: 2025-03-28
        time: "19:00"
        end_time: "20:30"
        timezone: Europe/Madrid
        location: Library
        summary: Seeds in winter.
        ---
        """,
    "events/talk-summer.md": """\
        ---
        title: Summer talk
        date: 2025-03-31
        time: "19:00"
        timezone: Europe/Madrid
        online: true
        ---
        """,
}

PEOPLE = {
    "members/ana.yaml": """\
        name: Ana Lopez
        emails: [ana@example.org]
        roles: [coordinator]
        affiliation: Barrio Garden
        bio: Gardener and *seed keeper*.
        joined: 2021-03-01
        links:
          - title: Mastodon
            url: https://social.example/@ana
          - title: Website
            url: https://ana.example.org/
        """,
    "members/ben.yaml": """\
        name: Ben Okafor
        emails: [ben@example.net]
        visibility: pseudonymous
        affiliation: Okafor Seeds Ltd
        bio: Ben's own words.
        joined: 2022-01-01
        github: benokafor
        links:
          - title: Ben's blog
            url: https://ben-okafor.example.net/
        """,
    "members/cy.yaml": """\
        name: Cy Hidden
        emails: [cy@example.com]
        visibility: hidden
        joined: 2023-02-02
        links:
          - title: Cy's site
            url: https://cy-hidden.example.com/
        """,
}

LEDGER = """\
    currency: EUR
    entries:
      - date: 2024-06-01
        amount: "20.00"
        kind: donation
        from: ben
        note: From a neighbour
      - date: 2024-06-02
        amount: "35.00"
        kind: donation
        from: cy
      - date: 2024-06-03
        amount: "10.00"
        kind: donation
        from: A visitor
    """

# An entry exactly like the last one, and one dated before all the others, at the top of the file.
MORE_LEDGER = LEDGER.replace("    entries:\n", """\
    entries:
      - date: 2024-01-01
        amount: "5.00"
        kind: donation
        from: Early bird
""").rstrip(" ") + """\
      - date: 2024-06-03
        amount: "10.00"
        kind: donation
        from: A visitor
    """


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


@pytest.fixture
def social(community, tmp_path, monkeypatch):
    """Build the minimal community with EVENTS, PEOPLE and LEDGER (and `extra`), committed at a
    known time; returns the output folder."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def make(extra: dict | None = None, name: str = "community") -> Path:
        root = community({**EVENTS, **PEOPLE, "ledger/2024.yaml": LEDGER, **(extra or {})}, name=name)
        commit_all(root, "Start", date="2025-06-01T10:00:00+02:00")
        out = tmp_path / f"{name}-out"
        build(root, out)
        return out

    return make


def calendar(out: Path, rel: str = "events.ics") -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((out / rel).read_bytes())


def vevents(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


# -- iCalendar ---------------------------------------------------------------------------------

def test_events_ics_has_one_vevent_per_event_file_and_all_day_events_end_the_day_after(social):
    out = social()
    cal = calendar(out)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//Commonplace//")
    events = vevents(cal)
    assert len(events) == 4  # swap-2024 (MINIMAL's) and the three above
    fair = events["Harvest fair; seeds, plants & talks, with a \\ backslash"]  # TEXT escaping round-trips
    assert fair["DTSTART"].dt == date(2024, 9, 20) and fair["DTEND"].dt == date(2024, 9, 23)
    assert str(fair["DESCRIPTION"]).startswith("Three days of seed swaps, talks and workshops; bring your own jars")
    assert "¡bienvenidas!" in str(fair["DESCRIPTION"]) and str(fair["LOCATION"]) == "Plaça del Mercat, València"
    assert str(fair["URL"]) == f"{BASE}events/fair-2024/"
    swap = events["Spring seed swap"]
    assert swap["DTSTART"].dt == date(2024, 4, 6) and swap["DTEND"].dt == date(2024, 4, 7)
    assert {str(e["UID"]) for e in events.values()} == {
        f"{slug}.library@seeds.example.org" for slug in ("fair-2024", "talk-winter", "talk-summer", "swap-2024")}
    # one file per event, holding that event alone with the same UID
    for slug in ("fair-2024", "talk-winter", "talk-summer", "swap-2024"):
        one = list(calendar(out, f"events/{slug}/event.ics").walk("VEVENT"))
        assert len(one) == 1 and str(one[0]["UID"]) == f"{slug}.library@seeds.example.org"


def test_ics_lines_end_in_crlf_and_fold_at_75_octets_never_inside_a_character(social):
    out = social()
    data = (out / "events.ics").read_bytes()
    assert data.endswith(b"END:VCALENDAR\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the fair's description was folded
    for line in lines:
        line.decode("utf-8")  # a cut inside a UTF-8 sequence would not decode
    assert b"SUMMARY:Harvest fair\\; seeds\\, plants & talks\\, with a \\\\ backslash\r\n" in data


@pytest.mark.parametrize("unit", ["a", "é", "€", "🌱", "a€🌱é"])
def test_folding_keeps_every_character_whole_and_unfolds_to_the_line(unit):
    from generator.render.calendar import fold

    for n in range(1, 120):
        line = "DESCRIPTION:" + unit * n
        folded = fold(line).encode("utf-8")
        parts = folded.split(b"\r\n")
        assert parts[-1] == b"" and all(len(p) <= 75 for p in parts)
        assert all(p.startswith(b" ") for p in parts[1:-1])
        assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode("utf-8") == line


def test_timed_events_are_utc_instants_across_a_daylight_saving_change(social):
    events = vevents(calendar(social()))
    winter, summer = events["Winter talk"], events["Summer talk"]
    # 19:00 in Madrid is 18:00 UTC in winter (CET, +01:00) and 17:00 UTC in summer (CEST, +02:00)
    assert winter["DTSTART"].dt == datetime(2025, 3, 28, 18, 0, tzinfo=timezone.utc)
    assert winter["DTEND"].dt == datetime(2025, 3, 28, 19, 30, tzinfo=timezone.utc)
    assert summer["DTSTART"].dt == datetime(2025, 3, 31, 17, 0, tzinfo=timezone.utc)
    assert "DTEND" not in summer and str(summer["LOCATION"]) == "online"
    assert b"DTSTART:20250328T180000Z\r\n" in (social(name="again") / "events/talk-winter/event.ics").read_bytes()


def test_dtstamp_is_the_builds_commit_time_and_the_files_are_byte_identical(social, monkeypatch):
    first = social()
    assert {e["DTSTAMP"].dt for e in calendar(first).walk("VEVENT")} == {datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)}
    second = social(name="twin")
    for rel in ("events.ics", "events/fair-2024/event.ics", "feed.json", "feed.xml"):
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    root = first.parent / "community"
    out = first.parent / "epoch-out"
    build(root, out)
    assert {e["DTSTAMP"].dt for e in calendar(out).walk("VEVENT")} == {datetime(2025, 6, 15, 15, 6, 40, tzinfo=timezone.utc)}


def test_uids_do_not_change_when_an_event_is_added(social):
    before = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar(social()).walk("VEVENT")}
    after_out = social({"events/aaa-first.md": "---\ntitle: An earlier event\ndate: 2020-01-01\n---\n"}, name="more")
    after = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar(after_out).walk("VEVENT")}
    assert len(after) == len(before) + 1 and all(after[uid] == title for uid, title in before.items())
    assert "aaa-first.library@seeds.example.org" in after


def test_events_pages_link_to_the_calendars(social):
    out = social()
    events = read(out, "events/index.html")
    assert '<link rel="alternate" type="text/calendar"' in events and 'href="../events.ics"' in events
    assert 'href="../events/fair-2024/event.ics"' in events
    page = read(out, "events/fair-2024/index.html")
    assert '<a href="event.ics" type="text/calendar">Add to calendar</a>' in page


# -- microformats2 -----------------------------------------------------------------------------

def items(out: Path, rel: str) -> dict:
    return mf2py.parse(doc=read(out, rel), url=BASE + rel.removesuffix("index.html"))


def test_a_public_members_page_is_an_h_card_with_rel_me_on_their_links(social):
    parsed = items(social(), "members/ana/index.html")
    [card] = [i for i in parsed["items"] if "h-card" in i["type"]]
    props = card["properties"]
    assert props["name"] == ["Ana Lopez"] and props["org"] == ["Barrio Garden"]
    assert props["note"][0].strip() == "Gardener and seed keeper."
    assert props["url"] == [f"{BASE}members/ana/", "https://social.example/@ana", "https://ana.example.org/"]
    assert parsed["rels"]["me"] == ["https://social.example/@ana", "https://ana.example.org/"]


def test_a_pseudonymous_members_h_card_carries_the_pseudonym_and_nothing_else(social):
    out = social()
    alias = pseudonym("ben", "Seed Library")
    rel = f"members/{alias.lower().replace(' ', '-')}/index.html"
    parsed = items(out, rel)
    [card] = [i for i in parsed["items"] if "h-card" in i["type"]]
    assert card["properties"] == {"name": [alias], "url": [BASE + rel.removesuffix("index.html")],
                                  "uid": [BASE + rel.removesuffix("index.html")]}
    assert "me" not in parsed["rels"]
    page = read(out, rel)
    for secret in ("Ben Okafor", "Okafor Seeds", "ben-okafor.example.net", "benokafor", "Ben's own words", "2022-01-01"):
        assert secret not in page, secret


def test_event_pages_are_h_events(social):
    out = social()
    [event] = [i for i in items(out, "events/fair-2024/index.html")["items"] if "h-event" in i["type"]]
    props = event["properties"]
    assert props["name"] == ["Harvest fair; seeds, plants & talks, with a \\ backslash"]
    assert props["start"] == ["2024-09-20"] and props["end"] == ["2024-09-22"]
    assert props["location"] == ["Plaça del Mercat, València"]
    assert props["summary"][0].startswith("Three days of seed swaps")
    assert props["url"] == [f"{BASE}events/fair-2024/"]
    [timed] = [i for i in items(out, "events/talk-winter/index.html")["items"] if "h-event" in i["type"]]
    assert timed["properties"]["start"] == ["2025-03-28T19:00+0100"] and timed["properties"]["end"] == ["2025-03-28T20:30+0100"]
    page = read(out, "events/talk-winter/index.html")
    assert 'datetime="2025-03-28T19:00+01:00"' in page and "(Europe/Madrid time)" in page


def test_project_and_free_pages_are_h_entries(social):
    out = social()
    [entry] = [i for i in items(out, "projects/catalogue/index.html")["items"] if "h-entry" in i["type"]]
    assert entry["properties"]["name"] == ["Seed catalogue"]
    assert entry["properties"]["url"] == [f"{BASE}projects/catalogue/"]
    assert "A catalogue helps gardeners find seeds." in entry["properties"]["content"][0]["value"]
    [page] = [i for i in items(out, "about/index.html")["items"] if "h-entry" in i["type"]]
    assert page["properties"]["name"] == ["About us"] and "We started in 2021." in page["properties"]["content"][0]["value"]


# -- the feeds ---------------------------------------------------------------------------------

def atom_entries(out: Path) -> list[dict]:
    root = ET.fromstring(read(out, "feed.xml"))
    return [{"id": e.findtext(f"{ATOM}id"), "title": e.findtext(f"{ATOM}title"),
             "summary": e.findtext(f"{ATOM}summary"), "link": e.find(f"{ATOM}link").get("href")}
            for e in root.findall(f"{ATOM}entry")]


def test_feed_json_is_a_json_feed_with_the_atom_feeds_entries(social):
    out = social()
    feed = json.loads(read(out, "feed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Seed Library" and feed["home_page_url"] == BASE and feed["feed_url"] == f"{BASE}feed.json"
    assert feed["authors"] == [{"name": "Seed Library", "url": BASE}]
    atom = atom_entries(out)
    assert [(i["id"], i["title"], i["summary"]) for i in feed["items"]] == [(e["id"], e["title"], e["summary"]) for e in atom]
    for item in feed["items"]:
        assert item["url"] == item["id"] and item["content_text"] and item["summary"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", item["date_published"])
    assert len({i["id"] for i in feed["items"]}) == len(feed["items"])
    assert '<link rel="alternate" type="application/feed+json" title="Seed Library" href="feed.json">' in read(out, "index.html")


def test_feed_ids_stay_when_entries_are_added_before_them_and_their_anchors_exist(social):
    first = {e["id"]: e["title"] for e in atom_entries(social())}
    out = social({"ledger/2024.yaml": MORE_LEDGER}, name="more")
    entries = atom_entries(out)
    later = {e["id"]: e["title"] for e in entries}
    assert all(later.get(i) == title for i, title in first.items()), set(first) - set(later)
    twins = [e["id"] for e in entries if e["title"] == "Donation from A visitor: €10.00"]
    assert len(set(twins)) == 2 and sum(twin in first for twin in twins) == 1  # the twin is new, not renumbered
    assert any(e["title"] == "Donation from Early bird: €5.00" for e in entries)
    # every entry's link leads to an element of its page with that id
    for e in entries:
        assert e["link"] == e["id"]
        path, anchor = e["link"].removeprefix(BASE).split("#")
        assert f'id="{anchor}"' in read(out, f"{path}index.html"), e


def test_every_entry_has_a_summary(social):
    for e in atom_entries(social()):
        assert e["summary"], e


# -- privacy -----------------------------------------------------------------------------------

SECRETS = ("ana@example.org", "ben@example.net", "cy@example.com", "Ben Okafor", "Cy Hidden", "benokafor",
           "ben-okafor.example.net", "cy-hidden.example.com", "Okafor Seeds")


def test_no_address_hidden_member_or_pseudonymous_identity_in_calendars_and_feeds(social):
    out = social()
    files = ["events.ics", "feed.json", "feed.xml"] + [str(p.relative_to(out)) for p in out.glob("events/*/event.ics")]
    for rel in files:
        text = (out / rel).read_bytes().decode("utf-8").replace("\r\n ", "")
        for secret in SECRETS:
            assert secret not in text, (rel, secret)
        assert "ORGANIZER" not in text and "ATTENDEE" not in text
    feed = read(out, "feed.json")
    assert "Ana Lopez joined" in feed  # a public member's joining is news; the others' is not
    assert "Donation from a member: €35.00" in feed  # the hidden giver is not named
    assert pseudonym("ben", "Seed Library") in feed  # the pseudonymous giver by pseudonym only


def test_the_address_guard_reads_a_calendar_unfolded():
    folded = b"BEGIN:VCALENDAR\r\nDESCRIPTION:write to ana@exa\r\n mple.org today\r\nEND:VCALENDAR\r\n"
    found = published_addresses(Path("/nonexistent"), {"events.ics": folded}, {"ana@example.org": "members/ana.yaml"})
    assert found and "ana@example.org" in str(found[0])


def test_a_rebuild_refreshes_the_calendars_and_feeds_as_a_fresh_build_writes_them(social, tmp_path):
    out = social()
    root = out.parent / "community"
    (root / "events/talk-summer.md").unlink()
    (root / "events/talk-winter.md").write_text(
        (root / "events/talk-winter.md").read_text(encoding="utf-8").replace("Winter talk", "Winter talk, moved"),
        encoding="utf-8")
    commit_all(root, "Move a talk, drop another", date="2025-06-02T10:00:00+02:00")
    build(root, out)  # into the same folder: the incremental build
    fresh = tmp_path / "fresh"
    build(root, fresh, incremental=False)
    assert not (out / "events/talk-summer").exists()
    assert "Winter talk, moved" in vevents(calendar(out)) and "Summer talk" not in vevents(calendar(out))
    for rel in ("events.ics", "events/talk-winter/event.ics", "feed.json", "feed.xml"):
        assert (out / rel).read_bytes() == (fresh / rel).read_bytes(), rel
