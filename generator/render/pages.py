"""The page catalogue: which pages a site has, each with its template and what it shows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from value.money import TRANSFER_KINDS

from ..views.codeowners import owners_page
from ..views.community_currency import member_transfers, money_entries
from ..views.governance import (
    HOME_MENTIONS,
    decision_context,
    decisions_index,
    mention_items,
    newest_first,
    replaced_by,
)
from ..views.datasets import byte_size, datasets
from ..views.entryids import goal_anchors, ledger_anchors
from ..views.eventtimes import event_times
from ..views.ledger import totals
from ..views.proposals import propose_url
from ..views.surveys import survey_page, survey_rows
from ..views.value_words import SLUGS as DIMENSION_SLUGS
from .context import SiteContext
from .theme import has_own_templates, inline_stylesheet


@dataclass
class Page:
    path: str  # site path of the page's folder, "" for home ("members/ana/")
    template: str
    title: str
    source: str = ""  # file it was made from, for "Edit this page"
    description: str = ""
    context: dict = field(default_factory=dict)
    filename: str = "index.html"
    # Context computed only when the page renders, so in the worker that renders it (see pagefiles).
    lazy: dict = field(default_factory=dict)
    # For a lazy part, what it is computed from (with the context, the catalogue and the site's
    # configuration, which every key covers): the page's key uses this in its place, so a page
    # that is not rendered again never computes it.
    lazy_keys: dict = field(default_factory=dict)

    @property
    def output(self) -> str:
        return f"{self.path}{self.filename}"

    @property
    def indexed(self) -> bool:
        """Whether site search indexes this page (not the 404 page, not the search page)."""
        return self.filename == "index.html" and self.template != "search.html"

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


# Index pages are made from a whole folder: their footer links to it on the forge.
FOLDERS = {"members.html": "members", "projects.html": "projects", "events.html": "events",
           "ledger.html": "ledger", "rewards.html": "rewards", "decisions.html": "decisions",
           "surveys.html": "surveys"}


def site_pages(site: SiteContext) -> list[Page]:
    """Every page of the site, in the order they are rendered and listed."""
    model, people, _ = site.model, site.people, site.catalogue.gettext
    name = model.community.name
    projects = sorted(model.projects.values(), key=lambda p: (p.status == "archived", p.title.lower(), p.slug))
    events = sorted(model.events.values(), key=lambda e: (-e.date.toordinal(), e.slug))
    recent = site.activity
    result = [
        Page("", "home.html", model.community.name, "community.yaml", model.community.tagline,
             {"activity": recent[:10], "projects": projects, "events": events[:3],
              "mentions": mention_items(model, people, HOME_MENTIONS), "has_value": bool(site.report),
              "counts": {"members": len(model.members), "projects": len(projects), "events": len(events)}}),
        Page("members/", "members.html", _("Members"), "", _("The people of {name}", name=name),
             {"listed": people.listed(), "total": len(model.members), "propose": _propose(model, "members"),
              "owners": owners_page(model.codeowners, people)}),
        Page("projects/", "projects.html", _("Projects"), "", _("What {name} works on", name=name),
             {"projects": projects, "propose": _propose(model, "projects")}),
        Page("events/", "events.html", _("Events"), "", _("Gatherings of {name}", name=name),
             {"events": events, "propose": _propose(model, "events")}),
        Page("ledger/", "ledger.html", _("Ledger"), "", _("Every amount in and out, in the open"),
             {"entries": list(reversed(model.ledger)), "anchors": ledger_anchors(model.ledger)[::-1], "totals": [{"currency": c, **t} for c, t in totals(money_entries(model.ledger)).items()],
              "party": site.party, **site.values.ledger()}),
    ]
    if site.report:
        result.extend(_value_pages(site))
    result.append(Page("sustainability/", "sustainability.html", _("Sustainability"), "",
                       _("What the figures mean for the future of {name}", name=name), site.advice.page()))
    if model.rewards:
        result.append(Page("rewards/", "rewards.html", _("Rewards"), "", _("How value flows back to the people who create it"),
                           {"distributions": site.values.rewards, "has_history": bool(site.report)}))
        for slug, dist in site.values.rewards.items():
            result.append(Page(f"rewards/{slug}/", "reward.html", dist["plan"].title or slug, dist["plan"].source,
                               dist["plan"].note, {"dist": dist, "slug": slug, "has_history": bool(site.report)}))
    if model.surveys:  # surveys/ and a page per survey, only when the community has any
        result.extend(_survey_pages(site))
    if site.federation is not None:
        fed = site.federation
        federation_page = fed.page()
        result.append(Page("federation/", "federation.html", _("Federation"), "federation.yaml",
                           _("The communities {name} federates with", name=name), federation_page))
        for area, title, rows in fed.directory():
            result.append(Page(f"directory/{area + '/' if area else ''}", "directory.html", title, "",
                               _("Communities side by side"), {**federation_page, "rows": rows, "area": area,
                                                               "headline": fed.headline}))
    # The open data, for people: described from the package the site publishes (made once, when
    # the page renders, as the site's other files are made meanwhile).
    result.append(Page("data/", "data.html", _("Open data"), "", _("Every figure of {name}, to download and reuse", name=name),
                       lazy={"data": lambda: datasets(site.open_data.files, site.url,
                                                      lambda n: byte_size(n, site.catalogue.number))}))
    index = _by_member(model)
    # The default theme's member page looks up only the givers of its kudos: given just them, it
    # changes with them only (see pagekeys). A community's own template may look up anyone.
    narrow = not has_own_templates(model.root)
    for person in people.listed():
        result.append(_member_page(site, person, person.member, index, narrow))
    paid_for: dict[str, set[str]] = defaultdict(set)  # project -> members the ledger paid for it
    for entry in model.ledger:
        if entry.project and entry.party_to in model.members:
            paid_for[entry.project].add(entry.party_to)
    for project in projects:
        helpers = [h for h in sorted(paid_for[project.slug]) if h not in project.leads]
        result.append(Page(f"projects/{project.slug}/", "project.html", project.title, project.source,
                           project.summary, {"project": project, "leads": people.shown(project.leads),
                                             "helpers": people.shown(helpers), "goal_anchors": goal_anchors(project),
                                             "propose_usage": _propose(model, "usage", project=project.slug)}))
    for event in events:
        result.append(Page(f"events/{event.slug}/", "event.html", event.title, event.source, event.summary, {
            "event": event,
            "times": event_times(event),
            "organisers": people.shown(event.organisers),
            "participants": people.shown(event.participants),
            "attendance": len(set(event.organisers) | set(event.participants)) + event.guests,
        }))
    if model.decisions:
        result.extend(decision_pages(site))
    for page in model.pages.values():
        result.append(Page(f"{page.slug}/", "page.html", page.title, page.source, page.summary, {"doc": page}))
    if site.search:
        result.append(Page("search/", "search.html", _("Search"), "", _("Search the site")))
    # Served at any address: a link to the style sheet would break wherever the site is not at its
    # configured base path, so the page carries its style in itself.
    result.append(Page("", "404.html", _("Page not found"), filename="404.html",
                       lazy={"inline_css": lambda: inline_stylesheet(model.root)}))
    return result


def decision_pages(site: SiteContext) -> list[Page]:
    """decisions/ (newest first) and a page per decision."""
    model, people, _ = site.model, site.people, site.catalogue.gettext
    pages = [Page("decisions/", "decisions.html", _("Decisions"), "",
                  _("How {name} decides, in the open", name=model.community.name),
                  {"decisions": decisions_index(model), "propose": _propose(model, "decisions")})]
    replaces = replaced_by(model)
    for decision in newest_first(model):
        pages.append(Page(f"decisions/{decision.slug}/", "decision.html", decision.title, decision.source,
                          decision.outcome, decision_context(model, decision, people, replaces)))
    return pages


def _value_pages(site: SiteContext) -> list[Page]:
    """value/ (the dashboard), a page per dimension, the contributors and the methodology."""
    values, _ = site.values, site.catalogue.gettext
    name = site.model.community.name
    lead = (_("The value {name} creates, in six dimensions", name=name) if len(values.dims) == 6
            else _("The value {name} creates, in five dimensions", name=name))
    pages = [Page("value/", "value.html", _("Value"), "", lead, values.dashboard())]
    for dimension in values.dims:  # ecological value only when impact is recorded
        context = values.dimension_page(dimension)
        pages.append(Page(f"value/{DIMENSION_SLUGS[dimension]}/", "value-dimension.html", context["title"], "",
                          context["summary"], context))
    pages.append(Page("value/contributors/", "value-contributors.html", _("Contributors by value"), "",
                      _("Who creates the value of {name}, dimension by dimension", name=name),
                      values.contributors_page()))
    pages.append(Page("value/methodology/", "value-methodology.html", _("Methodology"), "",
                      _("How every value figure of {name} is computed", name=name), values.methodology()))
    return pages


def _survey_pages(site: SiteContext) -> list[Page]:
    """surveys/ and one page per survey (its answers broken down only above the threshold)."""
    model, _ = site.model, site.catalogue.gettext
    pages = [Page("surveys/", "surveys.html", _("Surveys"), "",
                  _("What {name} heard from the people it serves", name=model.community.name),
                  {"surveys": survey_rows(model), "least": model.config.min_respondents})]
    for slug, survey in sorted(model.surveys.items()):
        context = survey_page(survey, model, site.catalogue)
        # no "Edit this page" link to the file's counts from a page that shows only the total
        pages.append(Page(f"surveys/{slug}/", "survey.html", survey.title, survey.source if context["shown"] else "",
                          survey.description, context))
    return pages


def _propose(model, folder: str, **known: str) -> str | None:
    return propose_url(model.config.forge, folder, **known)


def _by_member(model) -> dict[str, dict[str, list]]:
    """Each member's projects, events and kudos, indexed once per build (not per page)."""
    index: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for project in model.projects.values():
        for handle in dict.fromkeys(project.leads):
            index[handle]["leads"].append(project)
    for event in sorted(model.events.values(), key=lambda e: (e.date, e.slug)):
        for handle in dict.fromkeys(event.organisers):
            index[handle]["organised"].append(event)
        for handle in dict.fromkeys(event.participants):
            index[handle]["attended"].append(event)
    for kudos in model.kudos:
        index[kudos.receiver]["kudos_received"].append(kudos)
        index[kudos.giver]["kudos_given"].append(kudos)
    for entry in model.ledger:  # a community currency's transfers, on both members' pages
        if entry.kind in TRANSFER_KINDS:
            index[entry.party_from]["transfers"].append(entry)
            index[entry.party_to]["transfers"].append(entry)
    return index


class Shown(NamedTuple):
    """A project or event as the default theme's member page shows it."""

    slug: str
    title: str
    date: object = None


def _member_page(site: SiteContext, person, member, index: dict, narrow: bool = False) -> Page:
    model = site.model
    handle = member.handle
    mine = index.get(handle, {})
    context = {
        "person": person,
        "member": member,
        **{key: list(mine.get(key, ())) for key in ("leads", "organised", "attended", "kudos_received", "kudos_given")},
        "goals_completed": sum(p.goals_done for p in mine.get("leads", ())),
        "recognition": model.recognition.get(handle, ()),
        "transfers": member_transfers(mine.get("transfers", []), handle, site.party),
        # A pseudonymous page links to nothing on the forge: a file there would name the person.
        "propose_kudos": None if person.pseudonymous else _propose(model, "kudos", to=handle),
        "propose_contribution": None if person.pseudonymous else _propose(model, "contributions", who=handle),
    }
    if narrow:  # the givers of the kudos shown, in place of everyone
        context["people"] = site.people.only(k.giver for k in mine.get("kudos_received", ()))
        # ...and of each project and event what the page shows: an event's new participant or a
        # project's edited text then changes no other member's page (nor its key, made smaller)
        context["leads"] = [Shown(p.slug, p.title) for p in context["leads"]]
        for key in ("organised", "attended"):
            context[key] = [Shown(e.slug, e.title, e.date) for e in context[key]]
    lazy, lazy_keys = {}, {}
    contributor = site.values.by_engine_id.get(handle)
    if contributor is not None:
        # "of the value of the N people with contribution records": the one count of contributors
        context.update(contributor=contributor, rewards=site.values.rewards_received(contributor),
                       value_population=site.values.populations.contributors)
        lazy["profile"] = lambda: site.values.profile(contributor)
        lazy_keys["profile"] = ()  # the contributor alone, in the context
        lazy["records"] = lambda: site.records.member(contributor)
        lazy_keys["records"] = site.records.member_inputs(contributor)
    # A pseudonymous page must not lead back to the file that names the person.
    source = "" if person.pseudonymous else member.source
    return Page(f"members/{person.slug}/", "member.html", person.name, source, "", context, lazy=lazy,
                lazy_keys=lazy_keys)
