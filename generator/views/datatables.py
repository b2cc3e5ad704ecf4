"""Open data of what people do together, from the data files: kudos, usage evidence, event
participation. People appear as the pages show them (a pseudonym, or "a member" for a hidden
one), so these tables never say more about a person than the site does."""

from __future__ import annotations

from collections import Counter
from typing import Callable

from ..model import Model
from ..people import People
from ..datapackage import Table

# The row that stands for the hidden members of an event: counted, never named.
NOT_LISTED = "members not listed"


def kudos_table(model: Model, shown: Callable[[str], str]) -> Table:
    return Table(
        "kudos", "Kudos", "Peer recognition: who thanked whom, when and for what.",
        [("date", "date", "Date"), ("from", "string", "Who gave it (members through their visibility)"),
         ("to", "string", "Who received it (members through their visibility)"), ("for", "string", "What for"),
         ("dimension", "string", "The value dimension it recognises, when given")],
        [{"date": k.date, "from": shown(k.giver), "to": shown(k.receiver), "for": k.reason, "dimension": k.dimension}
         for k in model.kudos],
    )


def usage_table(model: Model) -> Table:
    return Table(
        "usage", "Usage", "Evidence that people use what the community makes.",
        [("date", "date", "Date"), ("kind", "string", "downloads, users, deployments, citations, testimonial, ..."),
         ("count", "integer", "How many, when counted"), ("quote", "string", "A testimonial's words"),
         ("source", "string", "Where the figure or quote comes from"), ("project", "string", "Project slug")],
        [{"date": u.date, "kind": u.kind, "count": u.count, "quote": u.quote, "source": u.reported_by,
          "project": u.project} for u in model.usage],
    )


def participation_table(model: Model, people: People) -> Table:
    """One row per person and event (organisers first), and per event one row counting its hidden
    members; guests are the events table's."""
    rows = []
    for event in sorted(model.events.values(), key=lambda e: (e.date, e.slug)):
        hidden = Counter()
        organisers = dict.fromkeys(event.organisers)
        roles = [(h, "organiser") for h in organisers]
        roles += [(h, "participant") for h in dict.fromkeys(event.participants) if h not in organisers]
        for handle, role in roles:
            if people.is_hidden(handle):
                hidden[role] += 1
                continue
            person = people.get(handle)
            rows.append({"event": event.slug, "date": event.date, "person": person.name if person else handle,
                         "role": role, "people": 1})
        for role in ("organiser", "participant"):
            if hidden[role]:
                rows.append({"event": event.slug, "date": event.date, "person": NOT_LISTED, "role": role,
                             "people": hidden[role]})
    return Table(
        "event-participation", "Event participation", "Who organised and took part in each event; hidden members "
        "are one row per event and role, counted, not named.",
        [("event", "string", "Event id"), ("date", "date", "Date"),
         ("person", "string", "Member as the site shows them, or 'members not listed'"),
         ("role", "string", "organiser or participant"), ("people", "integer", "People this row stands for")],
        rows,
    )
