"""Read a community repository into the model, collecting every problem before giving up.

The repository is untrusted: files are read without following symlinks, sizes are bounded, YAML
goes through `yamlsafe`, and every file is checked against its schema before it is used.
"""

from __future__ import annotations

import difflib
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..cache import buildcache
from . import ecosystem
from .. import model as m
from ..errors import DataError, Findings
from ..i18n import catalogue_findings, load_catalogue
from .listing import COLLECTIONS, MD_EXT, RESERVED_PAGES, collection
from .parse import parse_ahead, parse_file
from .reader import FileReader
from .yamlsafe import YamlDoc


def _date(text) -> date | None:
    return date.fromisoformat(text) if text else None


def _links(items) -> tuple[m.Link, ...]:
    return tuple(m.Link(i["title"], i["url"]) for i in items or ())


class _Loader:
    def __init__(self, root: Path, reader_factory=None, cache: buildcache.BuildCache | None = None):
        self.root = root
        self.cache = cache if cache is not None else buildcache.BuildCache()
        self.findings = Findings()
        self.reader_factory = reader_factory or FileReader
        self.reader = self.reader_factory(root, self.findings)
        self.parsed: dict[str, tuple] = {}  # rel -> parse_file's result, when parsed ahead
        self.references: list[tuple[str, YamlDoc, tuple, str, str]] = []  # rel, doc, path, kind, value

    # -- parsing -----------------------------------------------------------------------------
    def yaml_file(self, rel: str, kind: str) -> YamlDoc | None:
        return self.parsed_file(rel, kind, markdown=False)[0]

    def markdown_file(self, rel: str, kind: str) -> tuple[YamlDoc | None, str]:
        return self.parsed_file(rel, kind, markdown=True)

    def parsed_file(self, rel: str, kind: str, markdown: bool) -> tuple[YamlDoc | None, str]:
        if rel in self.parsed:
            doc, body, findings = self.parsed.pop(rel)
        else:
            doc, body, findings = parse_file(self.reader, rel, kind, markdown)
        self.findings.extend(findings)
        return doc, body

    def parse_collections(self) -> None:
        """Parse and validate every collection file up front: from the build cache when it has
        the file's text, on every core when many are left."""
        if self.reader_factory is not FileReader:
            return  # a peer read from git objects: parsed one by one, as each collection is loaded
        tasks = [(rel, COLLECTIONS[folder][0], COLLECTIONS[folder][1] == MD_EXT)
                 for folder in COLLECTIONS for rel, _stem in self.listing[folder]]
        self.parsed = parse_ahead(self.root, tasks, self.cache)

    def refer(self, rel: str, doc: YamlDoc, path: tuple, kind: str, value: str) -> None:
        self.references.append((rel, doc, path, kind, value))

    # -- collections -------------------------------------------------------------------------
    def load(self) -> m.Model:
        has_config = self.reader.exists("commonplace.yaml")
        if not has_config and not self.reader.exists("community.yaml"):
            self.findings.error(
                "commonplace.yaml", 1, 1,
                f"{self.root} is not a Commonplace community (no commonplace.yaml): "
                "create one with `commonplace new DIR`",
            )
            raise DataError(self.findings.sorted())
        self.listing = {folder: collection(self.reader, self.findings, folder) for folder in COLLECTIONS}
        self.parse_collections()
        config = self.config()
        community = self.community()
        model = m.Model(root=self.root, config=config, community=community)
        model.members = self.members()
        model.projects = self.projects()
        model.events = self.events()
        model.pages = self.pages()
        model.ledger = self.ledger()
        model.usage = self.usage()
        model.kudos = self.kudos()
        model.rewards = self.rewards()
        model.peers = self.federation()
        model.funding = ecosystem.funding_links(self.optional(ecosystem.FUNDING_PATH), self.findings)
        model.citation = ecosystem.citation(self.optional(ecosystem.CITATION_PATH), self.findings)
        model.recognition = ecosystem.recognition(self.optional(ecosystem.ALL_CONTRIBUTORS_PATH), self.findings,
                                                  set(model.members))
        self.check_references(model)
        if config is not None:
            model.catalogue = load_catalogue(self.root, config.language)
            self.findings.extend(catalogue_findings(self.root, config.language, self.optional("commonplace.yaml"),
                                                    model.catalogue))
        if self.findings.errors or config is None or community is None:
            raise DataError(self.findings.sorted())
        model.warnings = [f for f in self.findings.sorted() if f.severity != "error"]
        return model

    def optional(self, rel: str) -> str | None:
        return self.reader.read_text(rel) if self.reader.exists(rel) else None

    def required(self, rel: str, kind: str) -> YamlDoc | None:
        if not self.reader.exists(rel):
            self.findings.error(rel, 1, 1, f"{rel} is missing: every community needs one (see `commonplace new`)")
            return None
        return self.yaml_file(rel, kind)

    def config(self) -> m.Config | None:
        doc = self.required("commonplace.yaml", "commonplace")
        if doc is None:
            return None
        d = doc.data
        forge = None
        if "forge" in d:
            f = d["forge"]
            forge = m.Forge(f["kind"], f["repo"], f.get("branch", "main"), f.get("host", ""), f.get("path", "").strip("/"))
        value = d.get("value", {})
        salary = value.get("salary", {})
        base_url = d.get("base_url", "/")
        return m.Config(
            title=d["title"],
            description=d.get("description", ""),
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            language=d.get("language", "en"),
            forge=forge,
            weights=dict(value.get("weights", {})),
            bots=tuple(value.get("bots", ())),
            salary=(Decimal(str(salary.get("amount", "55000"))), salary.get("currency", "USD")),
            inactive_days=value.get("inactive_days", 180),
            non_members=d.get("privacy", {}).get("non_members", "name"),
            feed_entries=d.get("feed", {}).get("entries", 20),
        )

    def community(self) -> m.Community | None:
        doc = self.required("community.yaml", "community")
        if doc is None:
            return None
        d = doc.data
        return m.Community(
            name=d["name"],
            mission=d["mission"],
            license=d["license"],
            areas=tuple(d["areas"]),
            tagline=d.get("tagline", ""),
            data_license=d.get("data_license", d["license"]),
            governance=d.get("governance", ""),
            legal_form=d.get("legal_form", ""),
            economic_model=d.get("economic_model", ""),
            scope=d.get("scope", ""),
            location=d.get("location", ""),
            founded=_date(d.get("founded")),
            contact=d.get("contact", ""),
            links=_links(d.get("links")),
        )

    def members(self) -> dict[str, m.Member]:
        result = {}
        for rel, stem in self.listing["members"]:
            doc = self.yaml_file(rel, "member")
            if doc is None:
                continue
            d = doc.data
            if d.get("handle", stem) != stem:
                line, col = doc.where(("handle",))
                self.findings.error(rel, line, col, f"handle '{d['handle']}' differs from the file name: use '{stem}' or rename the file")
                continue
            result[stem] = m.Member(
                handle=stem,
                name=d["name"],
                source=rel,
                emails=tuple(e.strip().lower() for e in d.get("emails", ())),
                roles=tuple(d.get("roles", ())),
                affiliation=d.get("affiliation", ""),
                bio=d.get("bio", ""),
                links=_links(d.get("links")),
                visibility=d.get("visibility", "public"),
                joined=_date(d.get("joined")),
            )
        return result

    def projects(self) -> dict[str, m.Project]:
        result = {}
        for rel, stem in self.listing["projects"]:
            doc, body = self.markdown_file(rel, "project")
            if doc is None:
                continue
            d = doc.data
            goals = []
            for i, g in enumerate(d.get("goals", ())):
                if g.get("done_at") and not g.get("done", False):
                    line, col = doc.where(("goals", i, "done_at"))
                    self.findings.error(rel, line, col, "goal has 'done_at' but is not 'done: true': set both or neither")
                goals.append(m.Goal(g["title"], g.get("done", False), _date(g.get("done_at")), g.get("note", "")))
            for i, lead in enumerate(d.get("leads", ())):
                self.refer(rel, doc, ("leads", i), "member", lead)
            result[stem] = m.Project(
                slug=stem, title=d["title"], source=rel, body=body, summary=d.get("summary", ""),
                status=d.get("status", "active"), leads=tuple(d.get("leads", ())),
                started=_date(d.get("started")), due=_date(d.get("due")), goals=tuple(goals),
                links=_links(d.get("links")),
            )
        return result

    def events(self) -> dict[str, m.Event]:
        result = {}
        for rel, stem in self.listing["events"]:
            doc, body = self.markdown_file(rel, "event")
            if doc is None:
                continue
            d = doc.data
            for key in ("organisers", "participants"):
                for i, handle in enumerate(d.get(key, ())):
                    self.refer(rel, doc, (key, i), "member", handle)
            start, end = _date(d["date"]), _date(d.get("end_date"))
            if end and end < start:
                line, col = doc.where(("end_date",))
                self.findings.error(rel, line, col, "'end_date' is before 'date'")
            result[stem] = m.Event(
                slug=stem, title=d["title"], date=start, source=rel, body=body, end_date=end,
                kind=d.get("kind", "other"), location=d.get("location", ""), online=d.get("online", False),
                organisers=tuple(d.get("organisers", ())), participants=tuple(d.get("participants", ())),
                guests=d.get("guests", 0), summary=d.get("summary", ""), links=_links(d.get("links")),
            )
        return result

    def pages(self) -> dict[str, m.Page]:
        result = {}
        for rel, stem in self.listing["pages"]:
            if stem in RESERVED_PAGES:
                self.findings.error(rel, 1, 1, f"a page named '{stem}' would overwrite the portal's own '{stem}' section: rename the file")
                continue
            doc, body = self.markdown_file(rel, "page")
            if doc is None:
                continue
            d = doc.data
            result[stem] = m.Page(
                slug=stem, title=d["title"], source=rel, body=body, summary=d.get("summary", ""),
                order=d.get("order", 100), menu=d.get("menu", True),
            )
        return result

    def ledger(self) -> list[m.LedgerEntry]:
        entries = []
        for rel, _stem in self.listing["ledger"]:
            doc = self.yaml_file(rel, "ledger")
            if doc is None:
                continue
            default_currency = doc.data.get("currency")
            for i, e in enumerate(doc.data["entries"]):
                line = doc.where(("entries", i))[0]
                currency = e.get("currency", default_currency)
                if currency is None:
                    self.findings.error(rel, line, doc.where(("entries", i))[1], "entry has no 'currency' and the file sets none: add 'currency: EUR' (or the right code)")
                    continue
                amount = Decimal(str(e["amount"]))
                if amount <= 0:
                    l, c = doc.where(("entries", i, "amount"))
                    self.findings.error(rel, l, c, "'amount' must be positive: the 'kind' says whether money came in or went out")
                    continue
                if e.get("project"):
                    self.refer(rel, doc, ("entries", i, "project"), "project", e["project"])
                entries.append(m.LedgerEntry(
                    date=_date(e["date"]), amount=amount, currency=currency, kind=e["kind"], source=rel,
                    line=line, party_from=e.get("from", ""), party_to=e.get("to", ""),
                    project=e.get("project", ""), note=e.get("note", ""), reference=e.get("reference", ""),
                ))
        return sorted(entries, key=lambda e: (e.date, e.source, e.line))

    def usage(self) -> list[m.Usage]:
        records = []
        for rel, _stem in self.listing["usage"]:
            doc = self.yaml_file(rel, "usage")
            if doc is None:
                continue
            for i, r in enumerate(doc.data["records"]):
                if r.get("project"):
                    self.refer(rel, doc, ("records", i, "project"), "project", r["project"])
                records.append(m.Usage(
                    date=_date(r["date"]), kind=r["kind"], source=rel, line=doc.where(("records", i))[0],
                    count=r.get("count"), quote=r.get("quote", ""), reported_by=r.get("source", ""),
                    project=r.get("project", ""), note=r.get("note", ""),
                ))
        return sorted(records, key=lambda r: (r.date, r.source, r.line))

    def kudos(self) -> list[m.Kudos]:
        items = []
        for rel, _stem in self.listing["kudos"]:
            doc = self.yaml_file(rel, "kudos")
            if doc is None:
                continue
            for i, k in enumerate(doc.data["kudos"]):
                self.refer(rel, doc, ("kudos", i, "from"), "member", k["from"])
                self.refer(rel, doc, ("kudos", i, "to"), "member", k["to"])
                items.append(m.Kudos(
                    giver=k["from"], receiver=k["to"], date=_date(k["date"]), reason=k["for"],
                    source=rel, line=doc.where(("kudos", i))[0], dimension=k.get("dimension", ""),
                ))
        return sorted(items, key=lambda k: (k.date, k.source, k.line))

    def rewards(self) -> dict[str, m.RewardPlan]:
        result = {}
        for rel, stem in self.listing["rewards"]:
            doc = self.yaml_file(rel, "rewards")
            if doc is None:
                continue
            d = doc.data
            start, end = _date(d["period"]["start"]), _date(d["period"]["end"])
            if end < start:
                line, col = doc.where(("period", "end"))
                self.findings.error(rel, line, col, "the period ends before it starts")
            result[stem] = m.RewardPlan(
                slug=stem, budget=Decimal(str(d["budget"])), currency=d["currency"], policy=d["policy"],
                start=start, end=end, source=rel, title=d.get("title", ""),
                decay=Decimal(str(d.get("decay", "0.5"))), note=d.get("note", ""),
            )
        return result

    def federation(self) -> list[m.Peer]:
        rel = "federation.yaml"
        if not self.reader.exists(rel):
            return []
        doc = self.yaml_file(rel, "federation")
        if doc is None:
            return []
        peers, names = [], {}
        for i, p in enumerate(doc.data.get("peers", ())):
            line, col = doc.where(("peers", i, "name"))
            if p["name"] in names:
                self.findings.error(rel, line, col, f"peer '{p['name']}' is declared twice (first on line {names[p['name']]})")
                continue
            names[p["name"]] = line
            peers.append(m.Peer(
                name=p["name"], url=p["url"], relation=p["relation"], source=rel, line=line,
                title=p.get("title", ""), branch=p.get("branch", "main"), mode=p.get("mode", "git"),
                path=p.get("path", ""), data_branch=p.get("data_branch", ""),
            ))
        return peers

    def check_references(self, model: m.Model) -> None:
        known = {"member": model.members, "project": model.projects}
        for rel, doc, path, kind, value in self.references:
            if value in known[kind]:
                continue
            line, col = doc.where(path)
            close = difflib.get_close_matches(value, sorted(known[kind]), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f": add {kind}s/{value}{'.yaml' if kind == 'member' else '.md'} or fix the name"
            self.findings.error(rel, line, col, f"unknown {kind} '{value}'{hint}")


def load_community(root: str | os.PathLike, reader_factory=None, cache: buildcache.BuildCache | None = None) -> m.Model:
    """Load and validate a community; raises DataError with every finding at once.

    `reader_factory(root, findings)` makes the file reader (default: the work tree); `cache`
    holds files parsed by earlier builds, and gets the files parsed by this one.
    """
    return _Loader(Path(root), reader_factory, cache).load()


def check_community(root: str | os.PathLike) -> list:
    """Every finding (errors and warnings) for a community folder, without raising."""
    try:
        model = load_community(root)
    except DataError as exc:
        return exc.findings
    return model.warnings
