"""What every part of rendering reads, made once per build: the model and the build's facts, the
people as the site shows them, the views of the value report and of the federation, and where
the site lives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from urllib.parse import urlsplit

from ..i18n import load_catalogue
from ..model import Model
from ..people import People
from ..views.activity import activities, party_name
from ..views.advice import AdviceView, advise_model
from ..views.records import RecordsView
from ..views.value import ValueView


@dataclass(frozen=True)
class BuildInfo:
    """Facts about the build that come from git, never from the clock."""

    updated: datetime  # SOURCE_DATE_EPOCH, else the last commit's time
    commit: str = ""


def epoch_datetime(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


class SiteContext:
    """The inputs of one site's rendering, with what is computed from them once (not per page)."""

    cache = None  # a BuildCache, when the build keeps one: what is costly to make is kept there

    def __init__(self, model: Model, info: BuildInfo, report: dict | None = None, federation=None,
                 search: bool = False):
        self.search = search
        self.model = model
        self.info = info
        self.report = report
        self.people = People(model.members, salt=model.community.name)
        # The loader read it, and reported a broken catalogue or an unknown language as warnings.
        self.t = t = model.catalogue or load_catalogue(model.root, model.config.language)
        self.party = lambda p: party_name(p, self.people, t) if p else ""
        self.activity = activities(model, self.people, t)  # the home page and the feed show it
        self.values = ValueView(model, self.people, report, lambda p: party_name(p, self.people) if p else "", t)
        # each member's records, for their page: why their share is what it is
        self.records = RecordsView(report, self.values.contributors, self.people, model.config.forge,
                                   model.community.name, t)
        # what the figures mean for the community's future (sustainability/, data/advice.json)
        self.advice = AdviceView(model, advise_model(model, report, info.updated.date()), t,
                                 has_value=report is not None)
        self.federation = None
        if federation is not None:
            from ..views.federation import FederationView

            self.federation = FederationView(model, self.people, federation, report.dimensions if report is not None else None, t,
                                             own_risks=self.advice.risks)
        base = model.config.base_url
        self.own_host = urlsplit(base).netloc  # what the site's own pages may load from, besides relative paths
        self.base_path = urlsplit(base).path or "/"
        self.absolute = base if urlsplit(base).scheme else ""

    @cached_property
    def open_data(self):
        """The open data package's files (a SiteFiles of `data/...`), made once: published as
        they are, and read by the data page, so the page never disagrees with the package."""
        from .datafiles import open_data_files  # it imports this module

        return open_data_files(self)

    def url(self, path: str) -> str:
        """Absolute URL of a site path (for the feed and sitemap)."""
        return f"{self.absolute or self.base_path}{path}"
