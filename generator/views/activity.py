"""The community's recent activity, from its data: the home page and the Atom feed show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import Catalogue, english
from ..model import Model
from ..people import People
from ..vocabulary import role_label
from .entryids import DECISION, EVENT, JOINED, STARTED, goal_anchors, ledger_anchors, usage_anchors


@dataclass(frozen=True, order=True)
class Activity:
    date: date
    title: str
    path: str  # site path of the page it concerns ("" for the home page)
    summary: str = ""
    anchor: str = ""  # on the page at `path`: with it, the entry's permanent id (see entryids)


def member_summary(member, catalogue: Catalogue) -> str:
    """What a public member's joining says besides their name: their roles and affiliation."""
    roles = ", ".join(catalogue.gettext(role_label(role)) for role in member.roles)
    return " · ".join(part for part in (roles, member.affiliation) if part)


def party_name(party: str, people: People, catalogue: Catalogue | None = None) -> str:
    """A ledger party as shown: a member through their visibility, anyone else by name."""
    if people.is_hidden(party):
        return (catalogue or english()).gettext("a member")
    person = people.get(party)
    return person.name if person else party


def activities(model: Model, people: People, catalogue: Catalogue | None = None) -> list[Activity]:
    """Dated happenings, newest first (ties by title, then path, so the order is stable)."""
    catalogue = catalogue or english()
    _ = catalogue.gettext
    items: list[Activity] = []
    for event in model.events.values():
        items.append(Activity(event.date, _("Event: {title}", title=event.title), f"events/{event.slug}/", event.summary,
                              EVENT))
    for project in model.projects.values():
        path = f"projects/{project.slug}/"
        if project.started:
            items.append(Activity(project.started, _("Project started: {title}", title=project.title), path, project.summary,
                                  STARTED))
        for goal, anchor in zip(project.goals, goal_anchors(project)):
            if goal.done and goal.done_at:
                items.append(Activity(goal.done_at, _("Goal reached in {project}: {goal}", project=project.title, goal=goal.title),
                                      path, goal.note or project.summary, anchor))
    for handle, member in model.members.items():
        person = people.get(handle)
        # A pseudonymous member's page does not say when they joined: neither does the feed.
        if person is not None and member.joined and not person.pseudonymous:
            items.append(Activity(member.joined, _("{name} joined", name=person.name), f"members/{person.slug}/",
                                  member_summary(member, catalogue), JOINED))
    for entry, anchor in zip(model.ledger, ledger_anchors(model.ledger)):
        if entry.incoming:
            giver = party_name(entry.party_from, people, catalogue) if entry.party_from else _("someone")
            # Keys "Donation from {giver}: {amount}", "Grant from ...", "Sale from ..." in the catalogue.
            title = _(f"{entry.kind.capitalize()} from {{giver}}: {{amount}}", giver=giver,
                      amount=catalogue.money(entry.amount, entry.currency))
            items.append(Activity(entry.date, title, "ledger/", entry.note, anchor))
    for record, anchor in zip(model.usage, usage_anchors(model.usage)):
        if record.kind == "testimonial" and record.quote:
            items.append(Activity(record.date, _("New testimonial"), "", record.quote, anchor))
    for decision in model.decisions.values():
        items.append(Activity(decision.date, _("Decision: {title}", title=decision.title),
                              f"decisions/{decision.slug}/", decision.outcome, DECISION))
    return sorted(items, key=lambda a: (-a.date.toordinal(), a.title, a.path, a.anchor))
