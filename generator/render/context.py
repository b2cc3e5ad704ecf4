"""What every part of rendering reads, made once per build: the model and the build's facts, the
views the views stage made (people, activity, value, records, advice, federation), and where the
site lives. Nothing is computed here but the site's addresses and, once, the open data."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..model import Model

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo
    from ..views.stage import SiteViews


class SiteContext:
    """The inputs of one site's rendering: the model, the build's facts, the value report and
    the views made from them (see `views.stage`)."""

    cache = None  # a BuildCache, when the build keeps one: what is costly to make is kept there

    def __init__(self, model: Model, info: BuildInfo, report: dict | None, views: SiteViews, search: bool = False):
        self.search = search
        self.model = model
        self.info = info
        self.report = report
        self.people = views.people
        self.catalogue = views.catalogue  # the templates' and the pages' name for it
        self.party = views.party
        self.activity = views.activity
        self.values = views.values
        self.records = views.records
        self.advice = views.advice
        self.federation = views.federation
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
