"""Contribution records as the site shows them: on each member page, why their share is what it
is (their records summed by dimension and kind, and the records themselves with links to their
sources); and as open data, `data/contributions.csv`, from which every score can be recomputed.

People appear as everywhere else on the site: a public member by handle, a pseudonymous one (and
a non-member, when the community's privacy says `non_members: pseudonym`) under the pseudonym,
a hidden member only inside one "members not listed" row per kind and dimension.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from value.contributions import Record, from_report
from value.report_types import Report
from value.registry import DIMENSIONS

from ..datapackage import Table
from ..i18n import Catalogue, english
from ..model import Forge
from ..people import People, pseudonym
from .contributors import Contributor, person_dimension_title
from .datatables import NOT_LISTED
from .forge import commit_url, line_url

RECENT = 50  # records listed on a member page; the open data has them all
SHORT_ID = 7  # characters of a commit id shown instead of a link (git's shortest abbreviation)
COMMIT_ID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
PATH_LINE = re.compile(r"(?P<path>[^:]+):(?P<line>[0-9]+)")


@dataclass(frozen=True)
class Source:
    """Where a record comes from, as a page shows it: `text`, linked to `url` when there is one."""

    text: str
    url: str | None = None
    commit: bool = False  # a commit id (shown in code type)


def source_of(text: str, forge: Forge | None, pseudonymous: bool) -> Source:
    """A record's source for a page: a commit id links to the forge's commit page, a `path:line`
    to the file on the forge at that line, anything else (`cred/2026-03`) is plain text; without
    a forge, every source is plain text.

    For a person shown under a pseudonym nothing links: a commit's page on the forge shows its
    author's name and e-mail address, and a data file's line names their handle, which leads to
    their member file and its name. A commit shows as a short id, so the page says no more than
    the open data (which publishes the same short id)."""
    if COMMIT_ID.fullmatch(text):
        if pseudonymous:
            return Source(text[:SHORT_ID], None, True)
        return Source(text[:SHORT_ID], commit_url(forge, text), True)
    found = PATH_LINE.fullmatch(text)
    if found and not pseudonymous:
        return Source(text, line_url(forge, found["path"], int(found["line"])))
    return Source(text)


def published_source(text: str, pseudonymous: bool) -> str:
    """A record's source in the open data: as written, except a pseudonymous person's commit,
    cut to the short id their page shows (the full id is a key to the commit's author on the
    forge; the short one is what the page already shows, and recomputing scores needs neither)."""
    if pseudonymous and COMMIT_ID.fullmatch(text):
        return text[:SHORT_ID]
    return text


class RecordsView:
    """The report's records, indexed once per build by person."""

    def __init__(self, report: Report | None, contributors: list[Contributor], people: People, forge: Forge | None,
                 salt: str, catalogue: Catalogue | None = None):
        self.catalogue = catalogue or english()
        self.report = report
        self.people = people
        self.forge = forge
        self.kinds = report.kinds if report is not None else {}
        self.totals = report.scoring.get("totals", {}) if report is not None else {}
        self.records = from_report(report) if report is not None else []
        self.by_person: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            self.by_person[record.person].append(record)
        self.shown = {c.engine_id: c for c in contributors}
        self.pseudonymous = {c.engine_id for c in contributors if _under_pseudonym(c, people, salt)}

    def kind_label(self, key: str) -> str:
        return self.catalogue.term(self.kinds.get(key, {}).get("label") or key.replace("_", " ").capitalize())

    def member(self, contributor: Contributor) -> dict:
        """What a member page shows: `dimensions`, their records summed by dimension then kind
        (count, weight, share of the dimension's weight); `recent`, their newest records with their
        sources; `older`, how many more the open data has; `total`, how many in all."""
        catalogue, mine = self.catalogue, self.by_person.get(contributor.engine_id, [])
        pseudonymous = contributor.engine_id in self.pseudonymous
        sums: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
        for r in mine:
            entry = sums[r.dimension][r.kind]
            entry[0] += 1
            entry[1] += r.weight
        dimensions = []
        for d in DIMENSIONS:
            if d not in sums:
                continue
            total = self.totals.get(d) or 0.0
            kinds = [{"key": k, "label": self.kind_label(k), "count": n, "weight": w,
                      "share": w / total if total else 0.0}
                     for k, (n, w) in sorted(sums[d].items(), key=lambda item: (-item[1][1], item[0]))]
            weight = sum(k["weight"] for k in kinds)
            dimensions.append({"key": d, "title": catalogue.gettext(person_dimension_title(d)), "kinds": kinds,
                               "count": sum(k["count"] for k in kinds), "weight": weight,
                               "share": contributor.scores.get(d, weight / total if total else 0.0),
                               "total": total})
        newest = sorted(mine, key=lambda r: (r.date, r.kind, r.source), reverse=True)
        recent = [{"date": date.fromisoformat(r.date), "kind": self.kind_label(r.kind),
                   "dimension": catalogue.gettext(person_dimension_title(r.dimension)), "weight": r.weight,
                   "source": source_of(r.source, self.forge, pseudonymous)} for r in newest[:RECENT]]
        return {"dimensions": dimensions, "recent": recent, "older": max(0, len(mine) - RECENT), "total": len(mine),
                "pseudonymous": pseudonymous}

    def table(self) -> Table:
        """`contributions`: every record of the people the site lists, and per kind and dimension
        one row summing the records of everyone it does not list (hidden members)."""
        rows, hidden = [], defaultdict(lambda: [0, 0.0])
        for r in self.records:
            person = self.shown.get(r.person)
            if person is None:  # a hidden member: counted in the totals, never named or dated
                entry = hidden[(r.kind, r.dimension)]
                entry[0] += 1
                entry[1] += r.weight
                continue
            rows.append({"date": date.fromisoformat(r.date), "person": person.id, "kind": r.kind,
                         "dimension": r.dimension, "weight": r.weight, "records": 1,
                         "source": published_source(r.source, r.person in self.pseudonymous),
                         "landed": date.fromisoformat(r.landed or r.date)})
        rows.sort(key=lambda row: (row["date"], row["person"], row["kind"], row["source"]))
        order = {d: i for i, d in enumerate(DIMENSIONS)}
        for (kind, dimension), (n, weight) in sorted(hidden.items(), key=lambda i: (order.get(i[0][1], 99), i[0][0])):
            rows.append({"date": None, "person": NOT_LISTED, "kind": kind, "dimension": dimension,
                         "weight": round(weight, 6), "records": n, "source": "", "landed": None})
        return Table(
            "contributions", "Contribution records",
            "Every contribution record that scores count: a person's score in a dimension is the weight of their "
            "records in it divided by the weight of all records in it. Members who are not listed are one row per "
            "kind and dimension, undated, so the totals still add up.",
            [("date", "date", "Day of the contribution (UTC for commits); empty for the members not listed"),
             ("person", "string", "Who: the id of contributors.csv (a member's handle, a pseudonym, or a "
                                  "contributor's id), or 'members not listed'; never an e-mail address"),
             ("kind", "string", "Kind of contribution (kinds.csv)"),
             ("dimension", "string", "The dimension it counts in (dimensions.csv)"),
             ("weight", "number", "What it weighs: the kind's weight times what the kind counts (lines / 100, "
                                  "hours, ...)"),
             ("records", "integer", "How many records the row stands for: 1, or more for the members not listed"),
             ("source", "string", "A commit id, a data file's path:line (relative to the community folder), or "
                                  "cred/YYYY-MM; for people under a pseudonym, a commit's short id only (its "
                                  "full id leads to the author's name on the forge); empty for the members not "
                                  "listed"),
             ("landed", "date", "Day the record reached the community's default branch (a commit's merge, the "
                                "first commit holding a data record, else the build's date); period scores and "
                                "rewards count a record on the later of date and landed; empty for the members "
                                "not listed")],
            rows,
        )


def _under_pseudonym(c: Contributor, people: People, salt: str) -> bool:
    """Whether the site shows this contributor under a pseudonym: a pseudonymous member, or a
    non-member when the community's privacy (or a name that is an e-mail address) says so."""
    if c.member:
        person = people.get(c.engine_id)
        return person is None or person.pseudonymous
    return c.name == pseudonym(c.engine_id, salt)


def contributions_tables(report: Report | None, contributors: list[Contributor], people: People, salt: str) -> list[Table]:
    """The open data table of the records ([] without a value report)."""
    if not report:
        return []
    return [RecordsView(report, contributors, people, None, salt).table()]
