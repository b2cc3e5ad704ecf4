"""The views stage: everything the site shows that is computed from the model, the value report
and the federation, made once per build before rendering (render receives it, computing none).

The sustainability advice is computed here once per community: this node's, and each git peer's
from its own value report (the directory shows how many risks it has).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Callable

from value.advice import risks
from value.report_types import Report

from ..i18n import Catalogue, load_catalogue
from ..model import Model
from ..people import People, names_someone_unnamed
from .activity import Activity, activities, party_name
from .advice import AdviceView, advise_model
from .records import RecordsView
from .value import ValueView

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo
    from ..federation import Federation
    from .federation import FederationView


@dataclass(frozen=True)
class SiteViews:
    """What the pages, the feed and the open data show, computed once per build."""

    people: People  # the members as the site shows them (their visibility applied)
    catalogue: Catalogue  # the site's language
    party: Callable[[str], str]  # a ledger party's name as the site shows it ("" for none)
    activity: list[Activity]  # the home page and the feed show it
    values: ValueView
    records: RecordsView  # each member's records, for their page: why their share is what it is
    advice: AdviceView  # what the figures mean for the community's future (sustainability/, data/advice.json)
    federation: FederationView | None  # None without peers


def make_views(model: Model, info: BuildInfo, report: Report | None, federation: Federation | None) -> SiteViews:
    """The views of one build: `report` is the value report (None without history), `federation`
    the peers read (None without any); each git peer's risk count is filled in here."""
    people = People(model.members, salt=model.community.name)
    # The loader read it, and reported a broken catalogue or an unknown language as warnings.
    catalogue = model.catalogue or load_catalogue(model.root, model.config.language)
    activity = activities(model, people, catalogue)
    unnamed = names_someone_unnamed(info.people, info.committer, model.members, model.config.non_members,
                                    model.config.opt_out)
    values = ValueView(model, people, report, lambda p: party_name(p, people) if p else "", catalogue,
                       private_head=info.commit if unnamed else "")
    records = RecordsView(report, values.contributors, people, model.config.forge, model.community.name, catalogue)
    advice = AdviceView(model, advise_model(model, report, info.updated.date()), catalogue,
                        has_value=report is not None)
    federation_view = None
    if federation is not None:
        from .federation import FederationView

        count_peer_risks(federation)
        federation_view = FederationView(model, people, federation, report.dimensions if report is not None else None, catalogue,
                                         own_risks=advice.risks)
    return SiteViews(people=people, catalogue=catalogue,
                     party=lambda p: party_name(p, people, catalogue) if p else "",
                     activity=activity, values=values, records=records, advice=advice, federation=federation_view)


def count_peer_risks(federation: Federation) -> None:
    """Each git peer's `risks`: its advice's risk count as of its own last commit (as its own
    build would say), from the value report `compute_values` read from its mirror."""
    for node in federation.ok_nodes:
        if node.model is None or node.report is None:
            continue
        as_of = node.report.source.as_of
        node.risks = risks(advise_model(node.model, node.report, date.fromisoformat(as_of[:10]))) if as_of else None
