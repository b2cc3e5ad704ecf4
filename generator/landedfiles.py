"""The data files of an old commit as the value engine's record identities (value/landed.py).

The engine reads, from git objects, the community's data files at each commit of its default
branch where they changed, to know when each record first landed; it never parses Commonplace
files itself. This is the parser it is given: the loader's own (`parse.parse_text`, checked
against the schema, then `load.kinds`' builders), so that a record read from an old commit has
the identity the same record read from the work tree has (`value.contributions.data_landed`).
A file that does not parse or fails its schema gives nothing at that commit.
"""

from __future__ import annotations

import hashlib
import os
import pickle

from value import landed
from value.money import INCOME_KINDS

from .cache import buildcache
from .errors import Findings
from .load import governance, impact, kinds
from .load.listing import COLLECTIONS, MD_EXT, SLUG
from .load import parse
from .load.references import References

# The builders' version: a change to what they make of a file must change it (the engine's cache
# of landed times is keyed by it).
VERSION = 2


class DataFileKeys:
    """`value.landed.DataFiles` over the loader. `declared`: the config's `value.kinds` (which
    kinds a `contributions/` record may have)."""

    def __init__(self, declared: dict | None = None, parses=None) -> None:
        """`parses`: key -> pickled parse (`Model.parses`), looked up before parsing a text."""
        self.declared = dict(declared or {})
        self.parses = parses
        text = repr(sorted((str(k), repr(v)) for k, v in self.declared.items()))
        self.version = f"{VERSION}/{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"

    def keys(self, rel: str, text: str) -> list[tuple] | None:
        folder, _, name = rel.partition("/")
        if folder not in landed.DATA_FOLDERS or "/" in name:
            return None
        kind, extensions = COLLECTIONS[folder]
        stem, ext = os.path.splitext(name)
        if ext not in extensions or not SLUG.match(stem):
            return None
        doc, body = self._parse(rel, kind, extensions == MD_EXT, text)
        if doc is None:
            return None
        notes = kinds.Notes(Findings(), References())
        if folder == "contributions":
            return [landed.contribution_key(c.who, c.kind, c.date)
                    for c in kinds.contributions(rel, doc, notes, self.declared)]
        if folder == "kudos":
            return [landed.kudos_key(k.giver, k.receiver, k.date) for k in kinds.kudos(rel, doc, notes)]
        if folder == "usage":
            return [landed.usage_key(u.project, u.kind, u.date) for u in kinds.usage(rel, doc, notes) if u.project]
        if folder == "impact":
            return [landed.impact_key(i.indicator, i.unit, i.date) for i in impact.records(rel, doc, notes)]
        if folder == "ledger":
            return [landed.income_key(e.by, e.kind, e.currency, e.date) for e in kinds.ledger(rel, doc, notes)
                    if e.by and e.kind in INCOME_KINDS]
        if folder == "events":
            event = kinds.event(rel, stem, doc, body, notes)
            organisers = list(dict.fromkeys(event.organisers))
            return ([landed.event_key("organiser", stem, pid) for pid in organisers]
                    + [landed.event_key("participant", stem, pid) for pid in dict.fromkeys(event.participants)
                       if pid not in organisers])
        if folder == "decisions":
            return governance.decision_keys(governance.decision(rel, stem, doc, body, notes))
        if folder == "mentions":
            return [landed.mention_key(m.kind, m.url, m.date) for m in governance.mentions(rel, doc, notes)]
        project = kinds.project(rel, stem, doc, body, notes)
        return [landed.goal_key(stem, g.title) for g in project.goals if g.done]

    def _parse(self, rel: str, kind: str, markdown: bool, text: str):
        """(the document or None, the body), from the loader's parse of the same text when it has one."""
        blob = self.parses(buildcache.parse_key(rel, kind, markdown, text)) if self.parses is not None else None
        if blob is not None:
            doc, body, _findings = pickle.loads(blob)
            return doc, body
        doc, body, _findings = parse.parse_text(rel, kind, markdown, text, [])
        return doc, body
