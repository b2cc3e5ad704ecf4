"""Read a community repository into the model, collecting every problem before giving up.

The repository is untrusted: files are read without following symlinks, sizes are bounded, YAML
goes through `yamlsafe`, and every file is checked against its schema before it is used. This
module only runs the steps, which live beside it: `reader` (the files), `listing` (which files
and their names), `parse` (parsed and checked), `kinds` (one builder per file kind) and
`references` (the names of members and projects that files give, checked last). A file that fails
its schema is still checked for everything else (`salvage`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

from value import money

from ..cache import buildcache
from ..errors import DataError, Findings
from ..i18n import catalogue_findings, load_catalogue
from ..model import Config, Discover, Model, Peer
from . import codeowners, dates, ecosystem, governance, impact, invisible, kinds, licences, salvage, settlements, surveys
from .documents import documents, repository_top
from .listing import COLLECTIONS, MD_EXT, check_names, collection
from .logins import LoginIndex
from .mailmaps import MAILMAP_PATH, read_mailmaps
from .parse import parse_ahead, parse_file
from .reader import FileReader, read_file
from .references import References
from .yamlsafe import YamlDoc


class _Loader:
    """One load: the reader, the files parsed ahead, and what was found so far."""

    def __init__(self, root: Path, reader_factory=None, cache: buildcache.BuildCache | None = None,
                 reference: date | None = None):
        self.root = root
        self.reference = reference  # the day the default date window ends ten years after
        self.window: tuple[date, date] | None = None  # set once the config is read
        self.cache = cache if cache is not None else buildcache.BuildCache()
        self.findings = Findings()
        self.reader_factory = reader_factory or FileReader
        self.reader = self.reader_factory(root, self.findings)
        self.parsed: dict[str, tuple] = {}  # rel -> parse_file's result, when parsed ahead
        self.notes = kinds.Notes(self.findings, References())

    # -- parsing -----------------------------------------------------------------------------
    def parsed_file(self, rel: str, kind: str, markdown: bool) -> tuple[YamlDoc | None, str, YamlDoc | None]:
        """(the document, or None when it failed; its Markdown body; the part of a failed document
        that passes its schema, see `salvage`). The names it gives and its dates are checked either
        way, except where its schema refuses them."""
        if rel in self.parsed:
            doc, body, findings = self.parsed.pop(rel)
        else:
            doc, body, findings = parse_file(self.reader, rel, kind, markdown)
        self.findings.extend(findings)
        if doc is not None:
            self.check_file(rel, kind, doc, [])
            return doc, body, None
        whole, body = salvage.unchecked(self.reader, rel, kind, markdown)
        if whole is None:
            return None, body, None
        refused = salvage.refused(kind, whole.data)
        self.check_file(rel, kind, whole, refused)
        return None, body, salvage.salvage(kind, whole)

    def check_file(self, rel: str, kind: str, doc: YamlDoc, refused: list[tuple]) -> None:
        """What is checked in every file, valid or not: the names it gives, its display texts
        (`invisible`), its dates; not where `refused` (the schema's findings say what is wrong)."""
        self.notes.references.collect(rel, kind, doc, lambda path: salvage.within(path, refused))
        invisible.check(rel, kind, doc, self.findings, lambda path: salvage.within(path, refused))
        if self.window is None:
            return
        if not refused:
            dates.check(rel, kind, doc, self.window, self.findings)
            return
        found = Findings()
        dates.check(rel, kind, doc, self.window, found)
        spots = {doc.where(path) for path in refused}
        self.findings.extend(f for f in found.items if (f.line, f.col) not in spots)

    def parse_collections(self) -> None:
        """Parse and validate every collection file up front: from the build cache when it has
        the file's text, on every core when many are left."""
        if self.reader_factory is not FileReader:
            return  # a peer read from git objects: parsed one by one, as each collection is loaded
        tasks = [(rel, COLLECTIONS[folder][0], COLLECTIONS[folder][1] == MD_EXT)
                 for folder in COLLECTIONS for rel, _stem in self.listing[folder]]
        self.parsed = parse_ahead(self.root, tasks, self.cache)

    def optional(self, rel: str) -> str | None:
        return self.reader.read_text(rel) if self.reader.exists(rel) else None

    def lenient(self, rel: str, top: tuple[FileReader, str] | None = None) -> str | None:
        """An ecosystem file's text: what the reader refuses (too large, not UTF-8) is a warning,
        and the file is left out; these files follow other tools' rules, not ours. With `top`
        (`repository_top`), a file the community's folder lacks is read from the repository's
        top: a portal folder of a project shares the project's funding, citation and owners."""
        reader = self.reader
        if not reader.exists(rel):
            if top is None or not top[0].exists(rel):
                return None
            reader = top[0]
        text, problems = read_file(reader, rel)
        for problem in problems:
            if problem.severity == "error":
                self.findings.warning(problem.path, problem.line, problem.col, f"{problem.message}: left out")
            else:
                self.findings.extend([problem])
        return text

    def mailmaps(self) -> list[tuple[str, str]]:
        """(path, text) of the `.mailmap` files the value engine reads for this community, in its
        order: the repository's top one (read from the work tree), then the community's own (read
        as every file here, its problems reported)."""
        own = (MAILMAP_PATH, self.optional(MAILMAP_PATH) or "")
        if self.reader_factory is not FileReader:
            return [own]
        return [(shown, text) for shown, text in read_mailmaps(self.root) if shown != MAILMAP_PATH] + [own]

    def repository_top(self) -> tuple[FileReader, str] | None:
        """(a reader of the repository's top, the path to it from the community) when the community
        is a folder of a work tree: its documents count too (`documents`)."""
        top = repository_top(self.root) if self.reader_factory is FileReader else None
        return (FileReader(top[0], self.findings), top[1]) if top is not None else None

    def codeowners(self, model: Model, logins: LoginIndex, top: tuple[FileReader, str] | None = None):
        rel = next((rel for rel in codeowners.PATHS if self.reader.exists(rel)), None)
        if rel is None and top is not None:
            rel = next((rel for rel in codeowners.PATHS if top[0].exists(rel)), None)
        if rel is None:
            return None
        forge = model.config.forge.kind if model.config is not None and model.config.forge else "github"
        if rel.startswith(".gitlab/"):
            forge = "gitlab"
        return codeowners.read(rel, self.lenient(rel, top), self.findings, model.members, logins, forge)

    def required(self, rel: str, kind: str) -> tuple[YamlDoc | None, YamlDoc | None]:
        """(the document, the valid part of a failed one), as `parsed_file`."""
        if not self.reader.exists(rel):
            self.findings.error(rel, 1, 1, f"{rel} is missing: every community needs one (see `commonplace new`)")
            return None, None
        doc, _body, partial = self.parsed_file(rel, kind, markdown=False)
        return doc, partial

    # -- building ----------------------------------------------------------------------------
    def keyed(self, folder: str, build) -> dict:
        """stem -> what `build` makes of each usable file of a collection."""
        kind, extensions = COLLECTIONS[folder]
        result = {}
        for rel, stem in self.listing[folder]:
            doc, body, partial = self.parsed_file(rel, kind, extensions == MD_EXT)
            if doc is None:
                if partial is not None:  # its mistakes besides the schema's; the file stays out
                    build(rel, stem, partial, body, self.notes)
                continue
            item = build(rel, stem, doc, body, self.notes)
            if item is not None:
                result[stem] = item
        return result

    def entries(self, folder: str, build) -> list:
        """The entries that `build` finds in the files of a collection, by date, file and line."""
        kind, _extensions = COLLECTIONS[folder]
        items = []
        for rel, _stem in self.listing[folder]:
            doc, _body, partial = self.parsed_file(rel, kind, markdown=False)
            if doc is not None:
                items.extend(build(rel, doc, self.notes))
            elif partial is not None:  # its mistakes besides the schema's; the file stays out
                build(rel, partial, self.notes)
        return sorted(items, key=lambda e: (e.date, e.source, e.line))

    def date_window(self, config: Config, doc: YamlDoc) -> Config:
        """The config with its date window filled in; every file read from now on is held to it."""
        if self.reference is None:
            # the commit built; a peer read from git objects is held to today's window
            local = self.reader_factory is FileReader
            self.reference = dates.reference_day(self.root) if local else dates.today()
        earliest, latest = dates.window(config.earliest, config.latest, self.reference)
        dates.check_window(config.earliest, config.latest, (earliest, latest), doc, self.findings)
        self.window = (earliest, latest)
        return replace(config, earliest=earliest, latest=latest)

    def federation(self) -> tuple[list[Peer], Discover | None]:
        rel = "federation.yaml"
        if not self.reader.exists(rel):
            return [], None
        doc, _body, partial = self.parsed_file(rel, "federation", markdown=False)
        if doc is None and partial is not None:
            kinds.federation(rel, partial, self.notes)  # its findings only: the file is in error
        return (kinds.federation(rel, doc, self.notes), kinds.discover(doc)) if doc is not None else ([], None)

    def load(self) -> Model:
        has_config = self.reader.exists("commonplace.yaml")
        if not has_config and not self.reader.exists("community.yaml"):
            self.findings.error(
                "commonplace.yaml", 1, 1,
                f"{self.root} is not a Commonplace community (no commonplace.yaml): "
                "create one with `commonplace new DIR`",
            )
            raise DataError(self.findings.sorted())
        self.listing = {folder: collection(self.reader, self.findings, folder) for folder in COLLECTIONS}
        if self.reader_factory is FileReader:  # names a checkout on Windows or macOS would refuse or merge
            check_names(self.root, self.findings)
        self.parse_collections()
        config_doc, partial = self.required("commonplace.yaml", "commonplace")
        config = None
        if config_doc is not None or partial is not None:
            # A failed config still gives the date window and the kinds the other files are held
            # to: its mistakes do not turn into false ones elsewhere. The build stops on its error.
            config = kinds.config(config_doc or partial, "commonplace.yaml", self.findings)
            config = self.date_window(config, config_doc or partial)
        money.declare(config.currencies if config is not None else {})  # before any amount is read
        community_doc, _partial = self.required("community.yaml", "community")  # no checks beyond its schema
        community = kinds.community(community_doc) if community_doc is not None else None
        if community_doc is not None:
            licences.check("community.yaml", community_doc, self.findings)
        model = Model(root=self.root, config=config, community=community)
        model.members = self.keyed("members", kinds.member)
        model.projects = self.keyed("projects", kinds.project)
        model.events = self.keyed("events", kinds.event)
        model.pages = self.keyed("pages", kinds.page)
        model.ledger = self.entries("ledger", kinds.ledger)
        if not any(f.path.startswith("ledger/") for f in self.findings.errors):  # entries left out: no true balance
            kinds.overdrafts(model.ledger, self.findings)
        model.usage = self.entries("usage", kinds.usage)
        model.kudos = self.entries("kudos", kinds.kudos)
        declared = config.kinds if config is not None else {}
        model.contributions = self.entries(
            "contributions", lambda rel, doc, notes: kinds.contributions(rel, doc, notes, declared))
        model.rewards = self.keyed("rewards", kinds.rewards)
        model.decisions = self.keyed("decisions", governance.decision)
        governance.check_superseded(model.decisions, {stem for _rel, stem in self.listing["decisions"]}, self.findings)
        model.mentions = self.entries("mentions", governance.mentions)
        model.impact = self.entries("impact", impact.records)
        impact.check_units(model.impact, self.findings)
        model.surveys = self.keyed("surveys", surveys.survey)
        model.peers, model.discover = self.federation()
        top = self.repository_top()
        model.funding = ecosystem.funding_links(self.lenient(ecosystem.FUNDING_PATH, top), self.findings)
        model.citation = ecosystem.citation(self.lenient(ecosystem.CITATION_PATH, top), self.findings)
        logins = LoginIndex(model.members, config.forge.host if config is not None and config.forge else "")
        model.recognition = ecosystem.recognition(self.lenient(ecosystem.ALL_CONTRIBUTORS_PATH, top), self.findings,
                                                  logins)
        model.codeowners = self.codeowners(model, logins, top)
        model.documents = documents(self.reader, set(model.pages), community.governance if community else "",
                                    top, self.findings)
        # A file with a mistake still names a member or a project: the mistake is its one finding,
        # not one more in every file that names it.
        named = {kind: set(built) | {stem for _rel, stem in self.listing[folder]}
                 for kind, folder, built in (("member", "members", model.members), ("project", "projects", model.projects))}
        self.notes.references.check(named, self.findings)
        settlements.check_recipients(model, self.findings)
        settlements.check_payout_plans(model, self.findings)
        self.notes.addresses.check(self.findings, self.mailmaps())
        self.notes.logins.check(self.findings)
        self.notes.lookalikes.check(self.findings)
        if config is not None:
            model.catalogue = load_catalogue(self.root, config.language)
            self.findings.extend(catalogue_findings(self.root, config.language, self.optional("commonplace.yaml"),
                                                    model.catalogue))
        if self.findings.errors or config_doc is None or community is None:
            raise DataError(self.findings.sorted())
        model.warnings = [f for f in self.findings.sorted() if f.severity != "error"]
        return model


def load_community(root: str | os.PathLike, reader_factory=None, cache: buildcache.BuildCache | None = None,
                   reference: date | None = None, peer: bool = False) -> Model:
    """Load and validate a community; raises DataError with every finding at once.

    `reader_factory(root, findings)` makes the file reader (default: the work tree); `cache`
    holds files parsed by earlier builds, and gets the files parsed by this one. `reference`: the
    day the default date window is counted from (default: the commit built, see `dates`).

    The community's currencies (`currencies:`) become the declared ones (`value.money.declare`)
    that amounts are read and written with; a `peer` (a federation peer's community) has its own
    only while it is read: the community built keeps its own.
    """
    loader = _Loader(Path(root), reader_factory, cache, reference)
    before = money.declared()
    try:
        model = loader.load()
    finally:
        if peer:
            money.declare(before)
    model.parses = loader.cache.find_parsed  # the value engine's walk of old commits reads many of the same texts
    return model


def check_community(root: str | os.PathLike) -> list:
    """Every finding (errors and warnings) for a community folder, without raising."""
    try:
        model = load_community(root)
    except DataError as exc:
        return exc.findings
    return model.warnings
