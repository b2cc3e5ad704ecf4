"""What the portal shows of governance and external reputation: the decisions (`decisions/`, one
page each) and the mentions (on `value/reputation/` and the home page), and their open-data
tables. People appear as every page shows them: a pseudonym for a pseudonymous member, nobody for
a hidden one (counted in the tables, never named)."""

from __future__ import annotations

from ..datapackage import Table
from ..model import Decision, Mention, Model
from ..people import People

STATUSES = ("proposed", "accepted", "rejected", "superseded")
HOME_MENTIONS = 3  # the latest mentions the home page shows
# What a table names in place of the hidden members it counts.
NOT_LISTED = "members not listed"


def newest_first(model: Model) -> list[Decision]:
    return sorted(model.decisions.values(), key=lambda d: (-d.date.toordinal(), d.slug))


def mentions_newest_first(model: Model) -> list[Mention]:
    return sorted(model.mentions, key=lambda m: (-m.date.toordinal(), m.source, m.line))


def replaced_by(model: Model) -> dict[str, list[Decision]]:
    """{slug: the decisions it superseded, newest first}, made once per build."""
    index: dict[str, list[Decision]] = {}
    for d in newest_first(model):
        if d.superseded_by:
            index.setdefault(d.superseded_by, []).append(d)
    return index


def decision_context(model: Model, decision: Decision, people: People, replaces: dict[str, list[Decision]]) -> dict:
    """A decision's page: the decision, its people as shown, and the decisions it names or that
    name it (`replaces`: `replaced_by(model)`, made once for every page)."""
    proposers = people.shown(dict.fromkeys(decision.proposed_by))
    participants = people.shown(h for h in dict.fromkeys(decision.participants) if h not in decision.proposed_by)
    everyone = set(decision.proposed_by) | set(decision.participants)
    return {
        "decision": decision, "proposers": proposers, "participants": participants,
        "people_count": len(everyone),
        "superseded_by": model.decisions.get(decision.superseded_by),
        "replaces": replaces.get(decision.slug, []),
    }


def decisions_index(model: Model) -> list[dict]:
    """The decisions/ list, newest first, each with how many people took part."""
    return [{"decision": d, "people_count": len(set(d.proposed_by) | set(d.participants)),
             "superseded_by": model.decisions.get(d.superseded_by)} for d in newest_first(model)]


def mention_items(model: Model, people: People, limit: int | None = None) -> list[dict]:
    """The mentions, newest first (the first `limit`), with the members they name as shown."""
    found = mentions_newest_first(model)
    return [{"mention": m, "people": people.shown(dict.fromkeys(m.people))}
            for m in (found[:limit] if limit is not None else found)]


def _names(handles, people: People) -> tuple[str, int]:
    """The shown names of `handles`, '; '-joined, and how many of them are hidden."""
    shown, hidden = [], 0
    for handle in dict.fromkeys(handles):
        if people.is_hidden(handle):
            hidden += 1
            continue
        person = people.get(handle)
        shown.append(person.name if person else handle)
    return "; ".join(shown), hidden


def decisions_table(model: Model, people: People) -> Table:
    rows = []
    for d in sorted(model.decisions.values(), key=lambda d: (d.date, d.slug)):
        proposers, hidden_proposers = _names(d.proposed_by, people)
        participants, hidden_participants = _names((h for h in d.participants if h not in d.proposed_by), people)
        rows.append({"slug": d.slug, "date": d.date, "title": d.title, "status": d.status, "outcome": d.outcome,
                     "proposed_by": proposers, "participants": participants,
                     "people": len(set(d.proposed_by) | set(d.participants)),
                     "not_listed": hidden_proposers + hidden_participants, "superseded_by": d.superseded_by})
    return Table(
        "decisions", "Decisions", "The community's decisions: who proposed them, who took part, and what became of "
        "them. Members appear as the site shows them; hidden members are counted, not named.",
        [("slug", "string", "Decision id (decisions/<slug>.md)"), ("date", "date", "Date"),
         ("title", "string", "Title"), ("status", "string", "proposed, accepted, rejected or superseded"),
         ("outcome", "string", "What was decided"),
         ("proposed_by", "string", "Who proposed it ('; '-separated, members through their visibility)"),
         ("participants", "string", "Who else took part ('; '-separated, members through their visibility)"),
         ("people", "integer", "Everyone who took part, hidden members included"),
         ("not_listed", "integer", "Hidden members who took part, counted, not named"),
         ("superseded_by", "string", "The decision that replaced it, for a superseded one")],
        rows, ["slug"],
    )


def mentions_table(model: Model, people: People) -> Table:
    rows = []
    for m in model.mentions:
        names, hidden = _names(m.people, people)
        rows.append({"date": m.date, "kind": m.kind, "title": m.title, "url": m.url, "people": names,
                     "not_listed": hidden})
    return Table(
        "mentions", "Mentions", "External reputation: press, citations, awards, talks and projects depending on the "
        "community's work. Members appear as the site shows them; hidden members are counted, not named.",
        [("date", "date", "Date"), ("kind", "string", "press, citation, award, talk or dependent"),
         ("title", "string", "Title"), ("url", "string", "Where it can be read"),
         ("people", "string", "The members it is about ('; '-separated, through their visibility); empty: the "
                              "community's"),
         ("not_listed", "integer", "Hidden members it is about, counted, not named")],
        rows,
    )


def change_notes(base: Model | None, head: Model) -> list[str]:
    """What a change does to the decisions and mentions, for `commonplace diff`: the decisions
    added or whose status changed and the mentions added. Titles only: a decision's people are on
    its page."""
    notes = []
    before = base.decisions if base else {}
    added = sorted(set(head.decisions) - set(before), key=lambda s: (head.decisions[s].date, s))
    if added:
        notes.append("Decisions added: " + ", ".join(
            f"{head.decisions[s].title} ({head.decisions[s].status}, {head.decisions[s].date.isoformat()})"
            for s in added))
    moved = [(before[s], head.decisions[s]) for s in sorted(set(head.decisions) & set(before))
             if before[s].status != head.decisions[s].status]
    if moved:
        notes.append("Decisions changed: " + ", ".join(f"{new.title} ({old.status} → {new.status})"
                                                        for old, new in moved))
    known = {(m.kind, m.url, m.date) for m in (base.mentions if base else ())}
    fresh = [m for m in head.mentions if (m.kind, m.url, m.date) not in known]
    if fresh:
        notes.append("Mentions added: " + ", ".join(f"{m.title} ({m.kind}, {m.date.isoformat()})" for m in fresh))
    return notes
