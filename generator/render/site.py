"""Model -> pages. Rendering never reads git or the file system beyond the theme."""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from . import markdown, remoteloads
from ..views.activity import activities, party_name
from ..vocabulary import area_label
from ..load.ecosystem import CONTRIBUTION_TYPES
from ..errors import CommonplaceError
from .forge import edit_url, folder_url
from ..i18n import load_catalogue
from .markdown import render_markdown
from ..model import Model
from ..publish.files import SiteFiles, content_hash
from ..publish.staging import write_into
from ..people import People
from ..progress import Progress
from .proposals import propose_url
from .theme import make_environment, theme_assets
from ..publish.opendata import write_open_data
from ..views.value import ValueView

@dataclass(frozen=True)
class BuildInfo:
    """Facts about the build that come from git, never from the clock."""

    updated: datetime  # SOURCE_DATE_EPOCH, else the last commit's time
    commit: str = ""


@dataclass
class Page:
    path: str  # site path of the page's folder, "" for home ("members/ana/")
    template: str
    title: str
    source: str = ""  # file it was made from, for "Edit this page"
    description: str = ""
    context: dict = field(default_factory=dict)
    filename: str = "index.html"
    # Context computed only when the page renders, so in the worker that renders it (see render_pages).
    lazy: dict = field(default_factory=dict)

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
           "ledger.html": "ledger", "rewards.html": "rewards"}


def md(text: str) -> Markup:
    """Rendered Markdown; the renderer escapes every raw HTML tag, so the result is safe."""
    return Markup(render_markdown(text))


def _totals(entries) -> list[dict]:
    """Income, expenses and balance per currency, in exact decimals."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"income": Decimal(0), "expenses": Decimal(0)})
    for e in entries:
        sums[e.currency]["income" if e.incoming else "expenses"] += e.amount
    return [
        {"currency": c, "income": s["income"], "expenses": s["expenses"], "balance": s["income"] - s["expenses"]}
        for c, s in sorted(sums.items())
    ]


class SiteRenderer:
    def __init__(self, model: Model, info: BuildInfo, report: dict | None = None, federation=None,
                 search: bool = False, cache=None):
        self.cache = cache  # a BuildCache: Markdown rendered by earlier builds
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
        self.federation = None
        if federation is not None:
            from ..views.federation import FederationView

            self.federation = FederationView(model, self.people, federation, (report or {}).get("dimensions"), t)
        self.env = make_environment(model.root)
        self.env.filters.update(md=md, date=t.date, money=t.money, number=t.number, percent=t.percent, tr=t.term,
                                area=lambda slug: t.gettext(area_label(slug)),
                                contribution=lambda kind: t.gettext(CONTRIBUTION_TYPES.get(kind, kind)))
        if cache is not None and cache.path is not None:  # a build that keeps caches, in a repository
            from ..cache.buildcache import code_stamp
            from .templatecache import TemplateCache, salt

            self.env.bytecode_cache = TemplateCache(cache.path.parent / "templates", salt(t, self.env, code_stamp()))
        base = model.config.base_url
        self.own_host = urlsplit(base).netloc  # what the site's own pages may load from, besides relative paths
        self.base_path = urlsplit(base).path or "/"
        self.absolute = base if urlsplit(base).scheme else ""
        self.env.globals.update(
            site=model.config,
            community=model.community,
            people=self.people,
            nav=self.nav(),
            build=info,
            funding=model.funding,
            citation=model.citation,
            _=t.markup,
            _n=t.nmarkup,
        )

    def nav(self) -> list[tuple[str, str]]:
        _ = self.t.gettext
        items = [(_("Members"), "members/"), (_("Projects"), "projects/"), (_("Events"), "events/")]
        if self.report:
            items.append((_("Value"), "value/"))
        items.append((_("Ledger"), "ledger/"))
        if self.model.rewards:
            items.append((_("Rewards"), "rewards/"))
        if self.federation is not None:
            items.append((_("Federation"), "federation/"))
        if self.search:
            items.append((_("Search"), "search/"))
        pages = sorted((p for p in self.model.pages.values() if p.menu), key=lambda p: (p.order, p.title, p.slug))
        return items + [(p.title, f"{p.slug}/") for p in pages]

    # -- the pages ---------------------------------------------------------------------------
    def pages(self) -> list[Page]:
        model, people, _ = self.model, self.people, self.t.gettext
        name = model.community.name
        projects = sorted(model.projects.values(), key=lambda p: (p.status == "archived", p.title.lower(), p.slug))
        events = sorted(model.events.values(), key=lambda e: (-e.date.toordinal(), e.slug))
        recent = self.activity
        result = [
            Page("", "home.html", model.community.name, "community.yaml", model.community.tagline,
                 {"activity": recent[:10], "projects": projects, "events": events[:3],
                  "counts": {"members": len(model.members), "projects": len(projects), "events": len(events)}}),
            Page("members/", "members.html", _("Members"), "", _("The people of {name}", name=name),
                 {"listed": people.listed(), "total": len(model.members), "propose": self.propose("members")}),
            Page("projects/", "projects.html", _("Projects"), "", _("What {name} works on", name=name),
                 {"projects": projects, "propose": self.propose("projects")}),
            Page("events/", "events.html", _("Events"), "", _("Gatherings of {name}", name=name),
                 {"events": events, "propose": self.propose("events")}),
            Page("ledger/", "ledger.html", _("Ledger"), "", _("Every amount in and out, in the open"),
                 {"entries": list(reversed(model.ledger)), "totals": _totals(model.ledger),
                  "party": self.party, **self.values.ledger()}),
        ]
        if self.report:
            result.append(Page("value/", "value.html", _("Value"), "",
                               _("The value {name} creates, in five dimensions", name=name), self.values.dashboard()))
        if model.rewards:
            result.append(Page("rewards/", "rewards.html", _("Rewards"), "", _("How value flows back to the people who create it"),
                               {"distributions": self.values.rewards, "has_history": bool(self.report)}))
            for slug, dist in self.values.rewards.items():
                result.append(Page(f"rewards/{slug}/", "reward.html", dist["plan"].title or slug, dist["plan"].source,
                                   dist["plan"].note, {"dist": dist, "slug": slug, "has_history": bool(self.report)}))
        if self.federation is not None:
            fed = self.federation
            federation_page = fed.page()
            result.append(Page("federation/", "federation.html", _("Federation"), "federation.yaml",
                               _("The communities {name} federates with", name=name), federation_page))
            for area, title, rows in fed.directory():
                result.append(Page(f"directory/{area + '/' if area else ''}", "directory.html", title, "",
                                   _("Communities side by side"), {**federation_page, "rows": rows, "area": area,
                                                                   "headline": fed.headline}))
        index = self.by_member()
        for person in people.listed():
            result.append(self.member_page(person, person.member, index))
        paid_for: dict[str, set[str]] = defaultdict(set)  # project -> members the ledger paid for it
        for entry in model.ledger:
            if entry.project and entry.party_to in model.members:
                paid_for[entry.project].add(entry.party_to)
        for project in projects:
            helpers = [h for h in sorted(paid_for[project.slug]) if h not in project.leads]
            result.append(Page(f"projects/{project.slug}/", "project.html", project.title, project.source,
                               project.summary, {"project": project, "leads": people.shown(project.leads),
                                                 "helpers": people.shown(helpers)}))
        for event in events:
            result.append(Page(f"events/{event.slug}/", "event.html", event.title, event.source, event.summary, {
                "event": event,
                "organisers": people.shown(event.organisers),
                "participants": people.shown(event.participants),
                "attendance": len(set(event.organisers) | set(event.participants)) + event.guests,
            }))
        for page in model.pages.values():
            result.append(Page(f"{page.slug}/", "page.html", page.title, page.source, page.summary, {"doc": page}))
        if self.search:
            result.append(Page("search/", "search.html", _("Search"), "", _("Search the site")))
        result.append(Page("", "404.html", _("Page not found"), filename="404.html"))
        return result

    def propose(self, folder: str) -> str | None:
        return propose_url(self.model.config.forge, folder)

    def by_member(self) -> dict[str, dict[str, list]]:
        """Each member's projects, events and kudos, indexed once per build (not per page)."""
        index: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for project in self.model.projects.values():
            for handle in dict.fromkeys(project.leads):
                index[handle]["leads"].append(project)
        for event in sorted(self.model.events.values(), key=lambda e: (e.date, e.slug)):
            for handle in dict.fromkeys(event.organisers):
                index[handle]["organised"].append(event)
            for handle in dict.fromkeys(event.participants):
                index[handle]["attended"].append(event)
        for kudos in self.model.kudos:
            index[kudos.receiver]["kudos_received"].append(kudos)
            index[kudos.giver]["kudos_given"].append(kudos)
        return index

    def member_page(self, person, member, index: dict) -> Page:
        model = self.model
        handle = member.handle
        mine = index.get(handle, {})
        context = {
            "person": person,
            "member": member,
            **{key: list(mine.get(key, ())) for key in ("leads", "organised", "attended", "kudos_received", "kudos_given")},
            "goals_completed": sum(p.goals_done for p in mine.get("leads", ())),
            "recognition": model.recognition.get(handle, ()),
        }
        lazy = {}
        contributor = self.values.by_engine_id.get(handle)
        if contributor is not None:
            context.update(contributor=contributor, rewards=self.values.rewards_received(contributor))
            lazy["profile"] = lambda: self.values.profile(contributor)
        # A pseudonymous page must not lead back to the file that names the person.
        source = "" if person.pseudonymous else member.source
        return Page(f"members/{person.slug}/", "member.html", person.name, source, "", context, lazy=lazy)

    # -- output ------------------------------------------------------------------------------
    def render(self, staging: str | None = None) -> SiteFiles:
        """The site's files; with `staging`, a new folder, the pages are also written into it as
        they are rendered (listed in the result's `staged`)."""
        files = SiteFiles()
        pages = self.pages()
        markdown.begin(self.cache.markdown if self.cache is not None else {})
        htmls, others, (made, used) = render_pages(self, pages, lambda: self.other_files(pages), staging)
        if self.cache is not None:
            self.cache.keep_markdown(made)
            self.cache.keep_markdown({text: self.cache.markdown[text] for text in used})
        for page, (data, digest) in zip(pages, htmls):
            files.add(page.output, data, digest)
        if staging is not None:
            files.staged = {page.output for page in pages}
        for rel, content in others.files.items():
            files.add(rel, content)
        return files

    def other_files(self, pages: list[Page]) -> SiteFiles:
        """Everything but the pages: feed, sitemap, assets, reward tables and open data."""
        files = SiteFiles()
        feed_items = self.activity[: self.model.config.feed_entries]
        files.add("feed.xml", self.template("feed.xml").render(items=feed_items, absolute=self.url))
        listed = [p for p in pages if p.filename == "index.html"]
        files.add("sitemap.xml", self.template("sitemap.xml").render(pages=listed, absolute=self.url))
        files.add("robots.txt", self.template("robots.txt").render(absolute=self.url))
        for rel, content in theme_assets(self.model.root).items():
            if rel.endswith((".css", ".svg", ".html", ".htm")):
                remoteloads.check(f"assets/{rel}", content, self.own_host)
            files.add(f"assets/{rel}", content)
        for slug, dist in self.values.rewards.items():
            files.add(f"rewards/{slug}/{slug}.csv", self.values.rewards_table(self.values.reward_rows(slug, dist)).csv())
        write_open_data(files, self.values.tables(), name=_package_name(self.model.community.name),
                        title=f"{self.model.community.name}: open data", license_id=self.model.community.data_license,
                        homepage=self.url(""), created=self.info.updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        profile=self.public_profile(), keywords=list(self.model.community.areas))
        return files

    def public_profile(self) -> dict:
        c = self.model.community
        profile = {"name": c.name, "tagline": c.tagline, "mission": c.mission, "license": c.license,
                   "areas": list(c.areas), "governance": c.governance, "legal_form": c.legal_form,
                   "economic_model": c.economic_model, "scope": c.scope, "location": c.location,
                   "founded": c.founded.isoformat() if c.founded else ""}
        return {k: v for k, v in profile.items() if v}

    def url(self, path: str) -> str:
        """Absolute URL of a site path (for the feed and sitemap)."""
        return f"{self.absolute or self.base_path}{path}"

    def template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise CommonplaceError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from None

    def compile_templates(self, names) -> None:
        """Compile these templates and the ones they extend or include (as far as a plain
        `{% include "name" %}` shows; anything missed is compiled when first used)."""
        todo, done = sorted(names), set()
        while todo:
            name = todo.pop()
            if name in done:
                continue
            done.add(name)
            try:
                source = self.env.loader.get_source(self.env, name)[0]
            except jinja2.TemplateNotFound:
                continue  # rendering reports it, with the page that needs it
            self.template(name)
            todo.extend(_REFERENCED.findall(source))

    def render_page(self, page: Page) -> str:
        # The 404 page is served at any depth, so its links start from the site's base path.
        root = self.base_path if page.filename == "404.html" else page.root
        try:
            return self.template(page.template).render(
                page=page, root=root, edit_url=edit_url(self.model.config.forge, page.source),
                files_url=folder_url(self.model.config.forge, FOLDERS.get(page.template, "")),
                canonical=self.url(page.path), **page.context, **{key: make() for key, make in page.lazy.items()},
            )
        except jinja2.TemplateError as exc:
            raise CommonplaceError(f"template {page.template}: {exc}") from None


_REFERENCED = re.compile(r'{%-?\s*(?:extends|include|import|from)\s+"([^"]+)"')

# Rendering thousands of pages is CPU work that splits cleanly: with more than one core, forked
# workers render slices of the page list (they inherit the renderer, so nothing is pickled but
# the HTML coming back), and the parent keeps the order, so output stays byte-identical.
# Forking pays for itself from about a hundred pages: measured in ABBA pairs, 0.05 s faster at
# 127 pages and 0.18 s at 307 than rendering in one process.
PARALLEL_MIN_PAGES = 100
_RENDERER: "SiteRenderer | None" = None
_PAGES: list = []
# Where pages are written as soon as they are rendered, and the folders this process made there:
# on a cold build, writing thousands of files is a good part of the work, and it splits across
# the workers too.
_STAGING: str | None = None
_FOLDERS: set[str] = set()


def _page_file(renderer: "SiteRenderer", page: Page) -> tuple[bytes, str]:
    """A page as the bytes of its file and their hash, both made where it was rendered (and the
    file written, when there is a staging folder)."""
    data = renderer.render_page(page).encode("utf-8")
    remoteloads.check(page.output, data, renderer.own_host, page.template)
    if _STAGING is not None:
        write_into(_STAGING, page.output, data, _FOLDERS)
    return data, content_hash(data)


def _render_slice(bounds: tuple[int, int]) -> tuple[list[tuple[bytes, str]], tuple[dict, list]]:
    start, end = bounds
    return [_page_file(_RENDERER, page) for page in _PAGES[start:end]], markdown.harvest()


def render_pages(renderer: "SiteRenderer", pages: list, meanwhile,
                 staging: str | None = None) -> tuple[list[tuple[bytes, str]], object, tuple[dict, list]]:
    """Every page's file and its hash, in order; what `meanwhile()` returns: it runs in this process
    while the workers render, so the site's other files cost no extra time; and the Markdown
    rendered and reused on the way (see `markdown.harvest`). With `staging`, each page is also
    written there by whoever rendered it."""
    global _RENDERER, _PAGES, _STAGING
    _STAGING = staging
    _FOLDERS.clear()
    progress = Progress("Rendering pages", "pages")
    workers = min(os.cpu_count() or 1, 8)
    forking = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    try:
        if workers < 2 or len(pages) < PARALLEL_MIN_PAGES or not forking:
            result = []
            for page in pages:
                result.append(_page_file(renderer, page))
                progress(len(result), len(pages))
            other = meanwhile()
            return result, other, markdown.harvest()
        renderer.compile_templates({page.template for page in pages})  # once here, not in every worker
        _RENDERER, _PAGES = renderer, pages
        size = -(-len(pages) // (workers * 16))  # small slices: the last one leaves a core idle for less time
        slices = [(i, min(i + size, len(pages))) for i in range(0, len(pages), size)]
        result, made, used = [], {}, []
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = pool.imap(_render_slice, slices)  # imap keeps the order of the slices
            other = meanwhile()
            for htmls, (made_here, used_here) in chunks:
                result.extend(htmls)
                made.update(made_here)
                used.extend(used_here)
                progress(len(result), len(pages))
        made_here, used_here = markdown.harvest()  # what `meanwhile` rendered
        made.update(made_here)
        used.extend(used_here)
        return result, other, (made, used)
    finally:
        _RENDERER, _PAGES, _STAGING = None, [], None
        progress.done()


def render_site(model: Model, info: BuildInfo, report: dict | None = None, federation=None,
                search: bool = False, cache=None, staging: str | None = None) -> SiteFiles:
    return SiteRenderer(model, info, report, federation, search, cache).render(staging)


def _package_name(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "community"


def epoch_datetime(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


__all__ = ["BuildInfo", "render_site", "epoch_datetime"]
