"""Contribution records as the site shows them: on each member page, why their share is what it
is (their records summed by dimension and kind, and the records themselves with links to their
sources); and as open data, `data/contributions.csv`, from which every score can be recomputed.

People appear as everywhere else on the site: a public member by handle, a pseudonymous one (and
a non-member, when the community's privacy says `non_members: pseudonym`) under the pseudonym,
a hidden member only inside one "members not listed" row per kind and dimension.

A person under a pseudonym, and the members not listed, are published summed, never record by
record: a commit id or a data file's `path:line` is a key to the history, where the commit's
author line or the file's handle names them. A pseudonym's records are one row per month, kind
and dimension (dated the month's first day), with how many records it sums and no source.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from value.contributions import Record, from_report
from value.report_types import Report
from value.registry import ALL_DIMENSIONS

from ..datapackage import Table
from ..i18n import Catalogue, english
from ..model import Forge
from ..people import People, pseudonym
from .contributors import Contributor, person_dimension_title
from .datatables import NOT_LISTED
from .forge import commit_url, line_url

RECENT = 50  # records listed on a member page; the open data has them all
SHOWN = 10  # of those, shown at once; the others are folded (the person comes first, not a long table)
SHORT_ID = 7  # characters of a commit id shown instead of a link (git's shortest abbreviation)
COMMIT_ID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
PATH_LINE = re.compile(r"(?P<path>[^:]+):(?P<line>[0-9]+)")
CRED_MONTH = re.compile(r"cred/[0-9]{4}-[0-9]{2}")


@dataclass(frozen=True)
class Source:
    """Where a record comes from, as a page shows it: `text`, linked to `url` when there is one."""

    text: str
    url: str | None = None
    commit: bool = False  # a commit id (shown in code type)
    cred: bool = False  # a month's cred (`cred/2026-03`): the page links it to how cred is computed


def source_of(text: str, forge: Forge | None) -> Source:
    """A record's source for a page: a commit id links to the forge's commit page, a `path:line`
    to the file on the forge at that line, anything else (`cred/2026-03`) is plain text; without
    a forge, every source is plain text (a month's cred is marked, for a link to how cred is
    computed). Only for the records of people shown by name: a person
    under a pseudonym gets `monthly` sums, with no source at all."""
    if COMMIT_ID.fullmatch(text):
        return Source(text[:SHORT_ID], commit_url(forge, text), True)
    found = PATH_LINE.fullmatch(text)
    if found:
        return Source(text, line_url(forge, found["path"], int(found["line"])))
    return Source(text, cred=bool(CRED_MONTH.fullmatch(text)))


@dataclass(frozen=True)
class Sum:
    """Records of one person summed: how many, their weight, and the latest day one of them landed
    (None when none carries one: a report read from an older engine)."""

    records: int
    weight: float
    landed: str | None


def summed(records) -> Sum:
    landed = [r.landed for r in records if r.landed]
    return Sum(len(records), round(sum(r.weight for r in records), 6), max(landed) if landed else None)


def monthly(records) -> list[tuple[str, str, str, Sum]]:
    """A person's records as a pseudonym is published: (month "YYYY-MM", kind, dimension, Sum),
    one per month, kind and dimension, in that order. Neither a commit id nor a `path:line`
    survives: either would look the person up in the history, whose author lines and data files
    name them; the month keeps every period score (periods are whole months) recomputable."""
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for r in records:
        groups[(r.month, r.kind, r.dimension)].append(r)
    return [(*key, summed(group)) for key, group in sorted(groups.items())]


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
        # a commit that someone not shown by name authored, co-authored or reviewed: its id is left
        # out of everyone's records (the commit's author and trailer lines name them all)
        self.private = private_commits(report, contributors, people, salt)
        self._shared: tuple | None = None  # see member_inputs

    def published_source(self, record: Record) -> str:
        """A record of a person shown by name: its source, except a commit's id when the commit is
        also someone's who is not shown by name."""
        return "" if record.source in self.private else record.source

    def kind_label(self, key: str) -> str:
        return self.catalogue.term(self.kinds.get(key, {}).get("label") or key.replace("_", " ").capitalize())

    def member_inputs(self, contributor: Contributor) -> tuple:
        """What `member(contributor)` is computed from besides the contributor, the catalogue and
        the forge: their records, which of them keep no source, and the kinds and totals of all."""
        mine = self.by_person.get(contributor.engine_id, [])
        if self._shared is None:
            self._shared = (sorted(self.kinds.items()), sorted(self.totals.items()))
        return (tuple(mine), contributor.engine_id in self.pseudonymous,
                tuple(i for i, r in enumerate(mine) if r.source in self.private), self._shared)

    def member(self, contributor: Contributor) -> dict:
        """What a member page shows: `dimensions`, their records summed by dimension then kind
        (count, weight, share of the dimension's weight); `recent`, their newest `SHOWN` records with
        their sources, and `earlier`, the next ones up to `RECENT` (a page folds them); `older`, how
        many more the open data has; `total`, how many in all; `cred`, whether any is a month's cred
        (the page says what cred is)."""
        catalogue, mine = self.catalogue, self.by_person.get(contributor.engine_id, [])
        pseudonymous = contributor.engine_id in self.pseudonymous
        sums: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
        for r in mine:
            entry = sums[r.dimension][r.kind]
            entry[0] += 1
            entry[1] += r.weight
        dimensions = []
        for d in ALL_DIMENSIONS:
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
        if pseudonymous:  # by month, unsourced, as in the open data
            rows = sorted(monthly(mine), key=lambda row: row[0], reverse=True)  # newest month first
            recent = [{"month": month, "month_label": catalogue.month(month), "kind": self.kind_label(kind),
                       "dimension": catalogue.gettext(person_dimension_title(dimension)), "records": total.records,
                       "weight": total.weight} for month, kind, dimension, total in rows[:RECENT]]
            older = sum(total.records for *_, total in rows[RECENT:])
        else:
            newest = sorted(mine, key=lambda r: (r.date, r.kind, r.source), reverse=True)
            recent = [{"date": date.fromisoformat(r.date), "kind": self.kind_label(r.kind),
                       "dimension": catalogue.gettext(person_dimension_title(r.dimension)), "weight": r.weight,
                       "source": source_of(self.published_source(r), self.forge)} for r in newest[:RECENT]]
            older = max(0, len(mine) - RECENT)
        return {"dimensions": dimensions, "recent": recent[:SHOWN], "earlier": recent[SHOWN:], "older": older,
                "total": len(mine), "pseudonymous": pseudonymous, "cred": any(r.kind == "cred" for r in mine)}

    def table(self) -> Table:
        """`contributions`: every record of the people the site lists by name; per person under a
        pseudonym, month, kind and dimension one row summing their records (dated the month's first
        day, no source); and per kind and dimension one undated row summing the records of everyone
        the site does not list (hidden members)."""
        rows, hidden, pseudonymous = [], defaultdict(list), defaultdict(list)
        for r in self.records:
            person = self.shown.get(r.person)
            if person is None:  # a hidden member: counted in the totals, never named or dated
                hidden[(r.kind, r.dimension)].append(r)
            elif r.person in self.pseudonymous:
                pseudonymous[person.id].append(r)
            else:
                rows.append({"date": date.fromisoformat(r.date), "person": person.id, "kind": r.kind,
                             "dimension": r.dimension, "weight": r.weight, "records": 1,
                             "source": self.published_source(r),
                             "landed": date.fromisoformat(r.landed or r.date)})
        for shown, records in pseudonymous.items():
            for month, kind, dimension, total in monthly(records):
                rows.append({"date": date.fromisoformat(f"{month}-01"), "person": shown, "kind": kind,
                             "dimension": dimension, "weight": total.weight, "records": total.records, "source": "",
                             "landed": total.landed})
        rows.sort(key=lambda row: (row["date"], row["person"], row["kind"], row["source"]))
        order = {d: i for i, d in enumerate(ALL_DIMENSIONS)}
        for (kind, dimension), records in sorted(hidden.items(), key=lambda i: (order.get(i[0][1], 99), i[0][0])):
            total = summed(records)
            rows.append({"date": None, "person": NOT_LISTED, "kind": kind, "dimension": dimension,
                         "weight": total.weight, "records": total.records, "source": "", "landed": None})
        return Table(
            "contributions", "Contribution records",
            "Every contribution record that scores count: a person's score in a dimension is the weight of their "
            "records in it divided by the weight of all records in it. A person shown under a pseudonym is one row "
            "per month, kind and dimension, dated the month's first day and without sources (a commit id or a data "
            "file's line would lead to their name in the history); members who are not listed are one row per "
            "kind and dimension, undated; and a commit one of them authored, co-authored or reviewed is never "
            "named, in anyone's records. The totals still add up.",
            [("date", "date", "Day of the contribution (UTC for commits); for a person under a pseudonym, the first "
                              "day of the month the row sums; empty for the members not listed"),
             ("person", "string", "Who: the id of contributors.csv (a member's handle, a pseudonym, or a "
                                  "contributor's id), or 'members not listed'; never an e-mail address"),
             ("kind", "string", "Kind of contribution (kinds.csv)"),
             ("dimension", "string", "The dimension it counts in (dimensions.csv)"),
             ("weight", "number", "What it weighs: the kind's weight times what the kind counts (lines / 100, "
                                  "hours, ...); summed for a row of several records"),
             ("records", "integer", "How many records the row stands for: 1, or more for a pseudonym's month and "
                                    "for the members not listed"),
             ("source", "string", "A commit id, a data file's path:line (relative to the community folder), or "
                                  "cred/YYYY-MM; empty for a person under a pseudonym, for the members not "
                                  "listed, and for a commit that one of them authored, co-authored or reviewed"),
             ("landed", "date", "Day the record reached the community's default branch (a commit's merge, the "
                                "first commit holding a data record, else the build's date); period scores and "
                                "rewards count a record on the later of date and landed; for a person under a "
                                "pseudonym, the latest of the month's records; empty for the members not listed")],
            rows,
        )


def _under_pseudonym(c: Contributor, people: People, salt: str) -> bool:
    """Whether the site shows this contributor under a pseudonym: a pseudonymous member, or a
    non-member when the community's privacy (or a name that is an e-mail address) says so."""
    if c.member:
        person = people.get(c.engine_id)
        return person is None or person.pseudonymous
    return c.name == pseudonym(c.engine_id, salt)


def private_commits(report: Report | None, contributors: list[Contributor], people: People,
                    salt: str) -> frozenset[str]:
    """The commits among the records of the people the site does not show by name (hidden members,
    and anyone under a pseudonym: authors, co-authors and reviewers alike): ids no page may show,
    not even as the commit a build was made from."""
    columns = (report.contributions if report is not None else None) or {}
    named = {c.engine_id for c in contributors if not _under_pseudonym(c, people, salt)}
    return frozenset(source for person, source in zip(columns.get("person", ()), columns.get("source", ()))
                     if person not in named and COMMIT_ID.fullmatch(source))


def contributions_tables(report: Report | None, contributors: list[Contributor], people: People, salt: str) -> list[Table]:
    """The open data table of the records ([] without a value report)."""
    if not report:
        return []
    return [RecordsView(report, contributors, people, None, salt).table()]
