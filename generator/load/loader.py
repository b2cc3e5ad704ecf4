"""Read a community repository into the model, collecting every problem before giving up.

The repository is untrusted: files are read without following symlinks, sizes are bounded, YAML
goes through `yamlsafe`, and every file is checked against its schema before it is used.
"""

from __future__ import annotations

import difflib
import functools
import multiprocessing
import os
import pickle
import re
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..cache import buildcache
from . import ecosystem, safepath
from .. import model as m
from ..errors import DataError, Finding, Findings
from ..i18n import catalogue_findings, load_catalogue
from .validate import validate
from .yamlsafe import MAX_BYTES, YamlDoc, load_yaml

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
YAML_EXT = (".yaml", ".yml")
MD_EXT = (".md", ".markdown")

# folder -> (schema kind, accepted extensions)
COLLECTIONS = {
    "members": ("member", YAML_EXT),
    "projects": ("project", MD_EXT),
    "events": ("event", MD_EXT),
    "pages": ("page", MD_EXT),
    "ledger": ("ledger", YAML_EXT),
    "usage": ("usage", YAML_EXT),
    "kudos": ("kudos", YAML_EXT),
    "rewards": ("rewards", YAML_EXT),
}

# Top-level output names that a free page must not take.
RESERVED_PAGES = frozenset(
    "assets data directory events federation feed index ledger members projects rewards "
    "robots search sitemap value 404".split()
)


def slug_hint(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "item"


def _date(text) -> date | None:
    return date.fromisoformat(text) if text else None


def _links(items) -> tuple[m.Link, ...]:
    return tuple(m.Link(i["title"], i["url"]) for i in items or ())


class FileReader:
    """Reads files under the community root without ever following a symlink.

    Any object with the same four methods (`exists`, `list_dir`, `read_text`, and the
    constructor's `(root, findings)`) can stand in for it: federation reads peers from git
    objects this way.
    """

    def __init__(self, root: Path, findings: Findings):
        self.root = root
        self.findings = findings

    def _is_plain(self, rel: str, *, warn: bool = True) -> bool:
        status, _info = safepath.walk(self.root, rel)
        if status == "symlink" and warn:
            self.findings.warning(rel, 1, 1, safepath.SYMLINK_MESSAGE)
        return status == "ok"

    def exists(self, rel: str) -> bool:
        return self._is_plain(rel, warn=False)

    def list_dir(self, folder: str) -> list[str]:
        if not self._is_plain(folder):
            return []
        path = self.root / folder
        if not path.is_dir():
            return []
        names = []
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                self.findings.warning(f"{folder}/{entry.name}", 1, 1, safepath.SYMLINK_MESSAGE)
            elif entry.is_file(follow_symlinks=False):
                names.append(entry.name)
        return names

    def read_text(self, rel: str) -> str | None:
        if not self._is_plain(rel):
            return None
        path = self.root / rel
        if os.lstat(path).st_size > MAX_BYTES:
            self.findings.error(rel, 1, 1, f"file is larger than {MAX_BYTES // 1000} kB")
            return None
        text, bad_line = safepath.decode(path.read_bytes())
        if text is None:
            self.findings.error(rel, bad_line, 1, safepath.NOT_UTF8_MESSAGE)
        return text


def read_file(reader, rel: str) -> tuple[str | None, list]:
    """The text of one data file (None when it cannot be used) and the findings about it."""
    local = Findings()
    saved, reader.findings = reader.findings, local
    try:
        text = reader.read_text(rel)
    finally:
        reader.findings = saved
    return text, local.items


def parse_file(reader, rel: str, kind: str, markdown: bool) -> tuple[YamlDoc | None, str, list]:
    """Read, parse and validate one data file: (the document, or None when it cannot be used;
    the Markdown body; the findings, the reader's included)."""
    text, findings = read_file(reader, rel)
    if text is None:
        return None, "", findings
    return parse_text(rel, kind, markdown, text, findings)


def parse_text(rel: str, kind: str, markdown: bool, text: str, findings: list) -> tuple[YamlDoc | None, str, list]:
    body = ""
    line_offset = 0
    if markdown:
        lines = text.splitlines(keepends=True)
        if not lines or lines[0].strip() != "---":
            message = "missing front matter: start the file with a '---' line, the YAML keys, then '---'"
            return None, "", findings + [Finding(rel, 1, 1, message)]
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            message = "front matter is not closed: add a '---' line after the YAML keys"
            return None, "", findings + [Finding(rel, 1, 1, message)]
        text, body, line_offset = "".join(lines[1:end]), "".join(lines[end + 1:]), 1
    doc, problems = load_yaml(text, rel, line_offset=line_offset)
    findings = findings + problems
    if doc is None:
        return None, body, findings
    if doc.data is None:
        doc.data = {}
    invalid = validate(kind, doc, rel)
    findings += invalid
    usable = not invalid and not any(f.severity == "error" for f in problems)
    return (doc if usable else None), body, findings


# Parsing and validating thousands of small files splits cleanly across cores: forked workers
# inherit the root and the cache, and return one result per file, in the order given.
PARALLEL_MIN_FILES = 300
_ROOT: Path | None = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1 \
        and (os.cpu_count() or 1) > 1


# Kinds whose positions the loader needs only to point at a problem: they are left out of what is
# kept and sent between processes (copying them costs more than parsing the rare file that needs
# them again, which `YamlDoc.reparse` does).
POSITIONS_ON_DEMAND = frozenset({"member", "project", "event", "page"})
_CACHED: dict = {}  # the build cache's parsed files, inherited by forked workers


def _parse_slice(tasks: list[tuple[str, str, bool]]) -> list:
    """Per file: ("hit", key) when the cache has it, ("new", key, pickled result) when parsed now,
    ("unread", result) when it could not be read (never cached)."""
    reader = FileReader(_ROOT, Findings())
    out = []
    for rel, kind, markdown in tasks:
        text, findings = read_file(reader, rel)
        if text is None:
            out.append(("unread", (None, "", findings)))
            continue
        key = buildcache.parse_key(rel, kind, markdown, text)
        if key in _CACHED:
            out.append(("hit", key))
            continue
        doc, body, findings = parse_text(rel, kind, markdown, text, findings)
        if doc is not None and kind in POSITIONS_ON_DEMAND:
            doc.values, doc.keys, doc.raw = {}, {}, {}
        out.append(("new", key, pickle.dumps((doc, body, findings), protocol=pickle.HIGHEST_PROTOCOL)))
    return out


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
        global _ROOT, _CACHED
        _ROOT, _CACHED = self.root, self.cache.parsed
        try:
            if len(tasks) < PARALLEL_MIN_FILES or not can_fork():
                results = _parse_slice(tasks)
            else:
                workers = min(os.cpu_count() or 1, 8)
                size = -(-len(tasks) // (workers * 16))  # small slices: the last one leaves a core idle for less time
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    chunks = pool.map(_parse_slice, [tasks[i:i + size] for i in range(0, len(tasks), size)])
                results = [r for chunk in chunks for r in chunk]
        finally:
            _ROOT, _CACHED = None, {}
        for (rel, kind, markdown), item in zip(tasks, results):
            if item[0] == "unread":
                self.parsed[rel] = item[1]
                continue
            if item[0] == "hit":
                blob = self.cache.get_parsed(item[1])
            else:
                blob = item[2]
                self.cache.put_parsed(item[1], blob)
            result = pickle.loads(blob)
            if result[0] is not None and kind in POSITIONS_ON_DEMAND:
                result[0].reparse = functools.partial(self._reparse, rel, kind, markdown)
            self.parsed[rel] = result

    def _reparse(self, rel: str, kind: str, markdown: bool) -> YamlDoc | None:
        return parse_file(self.reader_factory(self.root, Findings()), rel, kind, markdown)[0]

    def refer(self, rel: str, doc: YamlDoc, path: tuple, kind: str, value: str) -> None:
        self.references.append((rel, doc, path, kind, value))

    # -- collections -------------------------------------------------------------------------
    def collection(self, folder: str) -> list[tuple[str, str]]:
        """(rel path, stem) of the files of a collection folder, with name checks."""
        kind, extensions = COLLECTIONS[folder]
        seen: dict[str, str] = {}
        result = []
        for name in self.reader.list_dir(folder):
            rel = f"{folder}/{name}"
            stem, ext = os.path.splitext(name)
            if ext not in extensions:
                if ext in YAML_EXT + MD_EXT:
                    self.findings.error(rel, 1, 1, f"{folder}/ holds {extensions[0]} files: rename it to '{stem}{extensions[0]}'")
                continue
            if not SLUG.match(stem):
                self.findings.error(
                    rel, 1, 1,
                    f"file name '{name}' may use only lowercase letters a-z, digits and '-': "
                    f"rename it to '{slug_hint(stem)}{ext}'",
                )
                continue
            if stem in seen:
                self.findings.error(rel, 1, 1, f"'{rel}' and '{seen[stem]}' would both be published as '{stem}': keep one")
                continue
            seen[stem] = rel
            result.append((rel, stem))
        return result

    def load(self) -> m.Model:
        has_config = self.reader.exists("commonplace.yaml")
        if not has_config and not self.reader.exists("community.yaml"):
            self.findings.error(
                "commonplace.yaml", 1, 1,
                f"{self.root} is not a Commonplace community (no commonplace.yaml): "
                "create one with `commonplace new DIR`",
            )
            raise DataError(self.findings.sorted())
        self.listing = {folder: self.collection(folder) for folder in COLLECTIONS}
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
