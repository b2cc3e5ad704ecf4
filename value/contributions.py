"""Contribution records: one dated, attributed record for everything people do (VALUE.md).

A record says who did what, when, in which dimension and how much it weighs:

    Record(date="2026-03-14", person="ana", kind="commit", dimension="objective_accomplishment",
           weight=1.0, source="<commit id>", landed="2026-04-02")

`source` is the commit id for records read from git, the data file's `path:line` for records
read from the data (`events/meetup.md:5`, `ledger/2026.yaml:12`), and `cred/YYYY-MM` for cred,
which the engine computes from the contribution graph. `landed` is the day the record reached the
community's default branch (value/landed.py: a commit's landed time, a data record's first
commit, the build's date for what the branch does not hold); a record *counts* on
`counts_on` = max(date, landed): period scores, rewards and cred place it there, so that old work
arriving late never reopens a closed period, while tables and charts show its own `date`.

The kinds are registered once, in `kinds.KINDS` (their dimension, default weight, unit and a one-line
explanation that the methodology page shows). `commonplace.yaml` may change a kind's weight, and
declare kinds of its own, under `value: {kinds: {<kind>: <weight> or {weight, dimension}}}`;
`kinds.kinds_of(data)` gives the kinds a report uses. `records_of(ctx)` makes every record of a
report (`from_report(report)` reads them back from a report); `scores(records, weights)` turns
the records of a period (`in_period(records, start, end)`) into scores and values: a
person's score in a dimension is their share of the weights of the records in it, their value
the weighted mean of their scores over the dimensions that have records (a dimension without
records is left out, its weight shared among the others).

Merge commits make no records; bots' records are made, kept apart and never scored.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from . import landed
from .context import as_date, month_end_ts, once_per_report
from .errors import ValueEngineError
from .kinds import CONTRIBUTIONS, BadKinds, Kind
from .kinds import KINDS, MAX_WEIGHT, kinds_of  # noqa: F401  (their old home: the loader, the build and tests read them here)
from .money import INCOME_KINDS
from .registry import DIMENSIONS
from .registry import present as present_dimensions
from .report_types import Report

PLACES = 6  # a record's weight is rounded to this many decimals when it is made, as the report's floats


class Record(NamedTuple):
    """One contribution: `date` an ISO day (UTC for commits), `person` the engine's contributor id.
    A named tuple: there is one per commit at least, and tuples are quick to make."""

    date: str
    person: str
    kind: str
    dimension: str
    weight: float  # rounded to PLACES decimals
    source: str  # a commit id, a data file's "path:line", or "cred/YYYY-MM"
    landed: str = ""  # ISO day it landed on the default branch ("" in a record made by hand: its date)

    @property
    def month(self) -> str:
        return self.date[:7]

    @property
    def counts_on(self) -> str:
        """The day the record counts: the later of its own date and the day it landed."""
        return self.landed if self.landed > self.date else self.date

    def sort_key(self) -> tuple:
        """The order of the report's records: date, person, kind, source."""
        return self.date, self.person, self.kind, self.source

    def as_dict(self) -> dict:
        return {"date": self.date, "person": self.person, "kind": self.kind, "dimension": self.dimension,
                "weight": self.weight, "source": self.source, "landed": self.landed or self.date}


_EPOCH = date(1970, 1, 1).toordinal()
_make_record = functools.partial(tuple.__new__, Record)  # Record(*fields) without its Python __new__
_SORT_KEY = itemgetter(0, 1, 2, 5)  # date, person, kind, source
_PERSON, _KIND, _DIMENSION, _WEIGHT = itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(4)


def _day(ts: int) -> str:
    """The UTC day of a timestamp, ISO."""
    return date.fromordinal(_EPOCH + ts // 86400).isoformat()


def _iso(value) -> str | None:
    d = as_date(value)
    return None if d is None else d.isoformat()


def _where(source: str | None, line: int | None, fallback: str = "") -> str:
    if not source:
        return fallback
    return f"{source}:{line or 1}"


def _month_last_day(month: str) -> str:
    return _day(month_end_ts(month) - 1)


def _split(value: float, people: list) -> list[tuple[str, float]]:
    people = list(dict.fromkeys(p for p in people if p))
    return [(p, value / len(people)) for p in people] if people else []


def git_records(ctx, kinds: dict[str, Kind]) -> list[tuple]:
    """commit, coauthor, review, replacement_cost and documentation: from non-merge commits.
    Plain tuples in the order of Record's fields: there are a few per commit, large histories
    have hundreds of thousands, and a tuple is made in a third of the time of a Record."""
    out = []
    append = out.append
    commit, coauthor, review = kinds["commit"], kinds["coauthor"], kinds["review"]
    cost, docs = kinds["replacement_cost"], kinds["documentation"]
    c_dim, c_w, co_dim, co_w, rv_dim, rv_w = (commit.dimension, round(commit.weight, PLACES), coauthor.dimension,
                                              round(coauthor.weight, PLACES), review.dimension,
                                              round(review.weight, PLACES))
    cost_dim, cost_w, doc_dim, doc_w = cost.dimension, cost.weight / 100, docs.dimension, docs.weight / 100
    days: dict[int, str] = {}
    landing = ctx.landing
    landed_at, build = (landing.commits.get, landing.build) if landing is not None else (None, 0)
    costs: dict[int, float] = {}  # lines -> weight: most line counts recur, and round() is slow
    doc_weights: dict[int, float] = {}
    for c in ctx.commits:
        cid, author, n = c.id, c.author, c.time // 86400
        day = days.get(n)
        if day is None:
            day = days[n] = _day(c.time)
        if landing is None:
            arrived = day
        else:
            n = landed_at(cid, build) // 86400  # `Landing.commit`, without a call per commit
            arrived = days.get(n)
            if arrived is None:
                arrived = days[n] = _day(n * 86400)
        append((day, author, "commit", c_dim, c_w, cid, arrived))
        for pid in c.coauthors:
            append((day, pid, "coauthor", co_dim, co_w, cid, arrived))
        for pid in c.reviewers:
            append((day, pid, "review", rv_dim, rv_w, cid, arrived))
        added, doc = c.code_added, c.doc  # the replacement cost values source code only
        if added:
            weight = costs.get(added)
            if weight is None:
                weight = costs[added] = round(cost_w * added, PLACES)
            append((day, author, "replacement_cost", cost_dim, weight, cid, arrived))
        if doc:
            weight = doc_weights.get(doc)
            if weight is None:
                weight = doc_weights[doc] = round(doc_w * doc, PLACES)
            append((day, author, "documentation", doc_dim, weight, cid, arrived))
    return out


@once_per_report
def data_landed(ctx) -> dict:
    """The day each record of the data files landed (value/landed.py), keyed by the input that
    makes it: {id(item): day} for kudos, contributions, usage, ledger entries and goals (with
    their project), {(id(event), role, person): day} for events. Empty without a landing (a
    Context built by hand): records then land on their own date."""
    landing = ctx.landing
    if landing is None:
        return {}
    data, out = ctx.data, {}
    seen: Counter = Counter()

    def land(item_key, identity) -> None:
        n = seen[identity]
        seen[identity] += 1
        t = landing.record(identity, n)
        if t is not None:
            out[item_key] = landed.day_of(t)

    for e in data.events:
        organisers = list(dict.fromkeys(e.organisers))
        for pid in organisers:
            land((id(e), "organiser", pid), landed.event_key("organiser", e.id, pid))
        for pid in dict.fromkeys(e.participants):
            if pid not in organisers:
                land((id(e), "participant", pid), landed.event_key("participant", e.id, pid))
    for p in data.projects:
        for g in p.goals:
            if g.done:
                land(id(g), landed.goal_key(p.id, g.title))
    for e in data.ledger:
        if e.by and e.kind in INCOME_KINDS:
            land(id(e), landed.income_key(e.by, e.kind, e.currency, e.date))
    for u in data.usage:
        if u.project:
            land(id(u), landed.usage_key(u.project, u.kind, u.date))
    for k in data.kudos:
        land(id(k), landed.kudos_key(k.giver, k.receiver, k.date))
    for r in data.contributions:
        land(id(r), landed.contribution_key(r.who, r.kind, r.date))
    for d in data.decisions:
        for role, people in (("proposer", d.proposed_by), ("participant", d.participants)):
            for pid in dict.fromkeys(people):
                land((id(d), role, pid), landed.decision_key(role, d.id, pid))
    for m in data.mentions:
        if m.people:
            land(id(m), landed.mention_key(m.kind, m.url, m.date))
    for i in data.impact:
        land(id(i), landed.impact_key(i.indicator, i.unit, i.date))
    return out


def data_records(ctx, kinds: dict[str, Kind]) -> list[Record]:
    """Records from the data files: events, goals, income raised, usage, kudos, contributions,
    each with the day it landed (`data_landed`)."""
    data, out = ctx.data, []
    leads = {p.id: list(p.leads) for p in data.projects}
    landed_on = data_landed(ctx)

    def add(day, pid, key, weight, source, landed_key, dimension=None):
        kind = kinds[key]
        out.append(Record(day, pid, key, dimension or kind.dimension, round(weight, PLACES), source,
                          landed_on.get(landed_key, day)))

    for e in data.events:
        day = _iso(e.date)
        if day is None:
            continue
        organisers = list(dict.fromkeys(e.organisers))
        for pid, w in _split(kinds["event_organised"].weight, organisers):
            add(day, pid, "event_organised", w, _where(e.source, e.organiser_lines.get(pid), e.id),
                (id(e), "organiser", pid))
        for pid in dict.fromkeys(e.participants):
            if pid not in organisers:
                add(day, pid, "event_attended", kinds["event_attended"].weight,
                    _where(e.source, e.participant_lines.get(pid), e.id), (id(e), "participant", pid))
    for p in data.projects:
        for g in p.goals:
            day = _iso(g.done_at)
            if not g.done or day is None:
                continue
            for pid, w in _split(kinds["goal_done"].weight, leads.get(p.id, [])):
                add(day, pid, "goal_done", w, _where(p.source, g.line, p.id), id(g))
    for e in data.ledger:
        if e.by and e.kind in INCOME_KINDS:
            add(_iso(e.date), e.by, "income_raised", kinds["income_raised"].weight, _where(e.source, e.line), id(e))
    for u in data.usage:
        if u.project:
            for pid, w in _split(kinds["usage"].weight, leads.get(u.project, [])):
                add(_iso(u.date), pid, "usage", w, _where(u.source, u.line), id(u))
    if "impact" in kinds:  # present with impact records only (the ecological value dimension)
        for i in data.impact:
            for pid, w in _split(kinds["impact"].weight, list(i.people) or leads.get(i.project, [])):
                add(_iso(i.date), pid, "impact", w, _where(i.source, i.line), id(i))
    for k in data.kudos:
        day = _iso(k.date)
        if k.receiver and day:
            add(day, k.receiver, "kudos_received", kinds["kudos_received"].weight, _where(k.source, k.line), id(k))
    for d in data.decisions:  # VALUE.md: the weight split among proposers, a third of it per participant
        day = _iso(d.date)
        if day is None:
            continue
        weight = kinds["decision"].weight
        for pid, w in _split(weight, list(dict.fromkeys(d.proposed_by))):
            add(day, pid, "decision", w, _where(d.source, d.proposer_lines.get(pid), d.id), (id(d), "proposer", pid))
        for pid in dict.fromkeys(d.participants):
            add(day, pid, "decision", weight / 3, _where(d.source, d.participant_lines.get(pid), d.id),
                (id(d), "participant", pid))
    for m in data.mentions:
        day = _iso(m.date)
        if day and m.people:
            for pid, w in _split(kinds["mention"].weight, list(dict.fromkeys(m.people))):
                add(day, pid, "mention", w, _where(m.source, m.line), id(m))
    for r in data.contributions:
        kind = kinds.get(r.kind)
        where = _where(r.source, r.line)
        if kind is not None and kind.origin != CONTRIBUTIONS:
            raise BadKinds(f"{where}: '{r.kind}' records come from the {kind.origin}, not from contributions "
                           "files: use another kind")
        dimension = r.dimension or (kind.dimension if kind else "")
        if not dimension:
            raise BadKinds(f"{where}: unknown kind '{r.kind}': give the record a 'dimension', or declare the "
                           f"kind in commonplace.yaml under value: kinds: {{{r.kind}: {{weight: 1, dimension: ...}}}}")
        if dimension not in DIMENSIONS:
            raise BadKinds(f"{where}: unknown dimension '{dimension}'; use {', '.join(DIMENSIONS)}")
        weight = kind.weight if kind else 1.0
        hours = r.hours
        day = _iso(r.date)
        out.append(Record(day, r.who, r.kind, dimension,
                          round(weight * float(hours) if hours is not None else weight, PLACES), where,
                          landed_on.get(id(r), day)))
    return out


def cred_records(ctx, kinds: dict[str, Kind], end: date | None = None) -> list[tuple]:
    """cred: one record per person and month, the cred that flowed to them that month / 100.

    With `end` (a reward plan's last day), the cred as of that day: CredRank over the commits and
    kudos that count by then (dated and landed up to it, `reputation.cred_graph`) only, so later
    work never moves it; the records of `end`'s month are dated `end`. (No PageRank of its own
    when nothing is counted after `end`.) Months are those the commits and kudos count in; a cred
    record lands on its own date (it is computed as of then)."""
    from .cred import credrank
    from .dimensions.reputation import cred_graph, cred_of

    kind, out = kinds["cred"], []
    if end is None:
        _total, monthly = cred_of(ctx)
    else:
        commits, kudos = cred_graph(ctx, end)
        everything = cred_graph(ctx)
        same = len(commits) == len(everything[0]) and len(kudos) == len(everything[1])
        _total, monthly = cred_of(ctx) if same else credrank(commits, kudos)
    last = None if end is None else end.isoformat()
    for month in sorted(m for m in monthly if m is not None):
        day = _month_last_day(month)
        if last is not None:
            if month > last[:7]:
                continue
            day = min(day, last)
        for pid, cred in sorted(monthly[month].items()):
            if cred > 0:
                out.append((day, pid, "cred", kind.dimension, round(kind.weight * cred / 100, PLACES), f"cred/{month}",
                            day))
    return out


def cred_as_of(ctx, end: date) -> list[tuple]:
    """The people's cred records as of `end` (a reward plan's last day), sorted as the report's:
    what a plan counts for reputation, published in the report's `cred_as_of`."""
    humans = ctx.humans
    records = [r for r in cred_records(ctx, ctx.kinds, end) if r[4] > 0 and r[1] in humans]
    records.sort(key=_SORT_KEY)
    return records


@once_per_report
def plain_records(ctx) -> list[tuple]:
    """The records of git and of the data files (every record but cred), in no particular order,
    weight 0 included: what the activity counts is known before cred is (`value.credfork`)."""
    kinds = ctx.kinds
    return git_records(ctx, kinds) + data_records(ctx, kinds)


@once_per_report
def records_of(ctx) -> tuple[list[tuple], list[tuple]]:
    """(people's records, bots' records) of a report, each sorted by date, person, kind, source:
    tuples in the order of Record's fields (Records from the data files, plain tuples from git
    and cred, which are made by the hundred thousand). Records of weight 0 (a kind weighted 0 in
    the config) are left out."""
    records = plain_records(ctx) + cred_records(ctx, ctx.kinds)
    if records and min(map(_WEIGHT, records)) <= 0:
        records = [r for r in records if r[4] > 0]  # weight
    records.sort(key=_SORT_KEY)
    humans = ctx.humans
    if humans.issuperset(map(_PERSON, records)):  # no bot has records: most histories
        return records, []
    return [r for r in records if r[1] in humans], [r for r in records if r[1] not in humans]


# -- scores ----------------------------------------------------------------------------------
@dataclass
class Scores:
    """The scores of one period. `totals[d]` is the weight of every record in dimension d;
    `without_records` the dimensions with none (left out of `value`)."""

    sums: dict  # person -> {dimension: weight of their records}
    totals: dict  # dimension -> weight of all records
    scores: dict  # person -> {dimension: share}, every dimension present (0.0 when none)
    value: dict  # person -> weighted mean of their scores over the dimensions with records
    without_records: list


def scores(records, weights: dict[str, float]) -> Scores:
    """Scores and values from the records of one period (pass only the records dated in it).

    score(p, d) = Σ weight of p's records in d / Σ weight of all records in d;
    value(p) = Σ_{d with records} w_d × score(p, d) / Σ_{d with records} w_d (0 when that sum is 0).
    """
    records = list(records)
    return scores_of_sums(sums_of(list(map(_PERSON, records)), list(map(_DIMENSION, records)),
                                  list(map(_WEIGHT, records))), weights)


def sums_of(persons, dimensions, weights) -> dict[str, dict[str, float]]:
    """{person: {dimension: weight of their records}}, every dimension present, from the
    records' columns (a loop over three columns is about twice as quick as one over the records)."""
    sums: dict[str, dict[str, float]] = {}
    get = sums.get
    for person, dimension, weight in zip(persons, dimensions, weights):
        own = get(person)
        if own is None:
            own = sums[person] = dict.fromkeys(DIMENSIONS, 0.0)
        if dimension not in own:  # an optional dimension (ecological value): only where recorded
            own[dimension] = 0.0
        own[dimension] += weight
    return sums


def added_sums(parts) -> dict[str, dict[str, float]]:
    """The sums of several periods' records (`sums_of` of each, in order) added up: the sums of
    all their records, without another pass over them. (Added in another order than `sums_of`
    would, so equal to the last few bits, well within the report's 6 decimals.)"""
    total: dict[str, dict[str, float]] = {}
    for part in parts:
        for person, own in part.items():
            mine = total.get(person)
            if mine is None:
                total[person] = dict(own)
            else:
                for d, v in own.items():
                    mine[d] = mine.get(d, 0.0) + v
    return total


def scores_of_sums(sums: dict[str, dict[str, float]], weights: dict[str, float], *, shares: bool = True) -> Scores:
    """`scores`, from the sums of the period's records (`sums_of`). Without `shares`, the scores
    are left empty and only the values worked out (all a report needs of each month)."""
    dims = present_dimensions(weights)  # the five, and ecological value when the report has it
    totals = {d: 0.0 for d in dims}
    for person in sorted(sums):  # a fixed order: the same sums to the last bit on every run
        for d, v in sums[person].items():
            if d in totals:
                totals[d] += v
    present = [(d, weights[d], totals[d]) for d in dims if totals[d] > 0]
    weight = sum(w for _d, w, _t in present)
    scored, values = {}, {}
    for person, own in sums.items():
        values[person] = (sum(w * (own.get(d, 0.0) / total) for d, w, total in present) / weight) if weight else 0.0
        if shares:
            scored[person] = {d: (own.get(d, 0.0) / totals[d] if totals[d] > 0 else 0.0) for d in dims}
    return Scores(sums, totals, scored, values, [d for d in dims if not totals[d] > 0])


def from_report(report: Report, bots: bool = False) -> list[Record]:
    """The records of a value report (its `contributions`, or `bot_contributions` with bots=True)
    as Records, in the report's order: what rewards and pages score any period with."""
    return from_columns(report.bot_contributions if bots else report.contributions)


def from_columns(columns: dict) -> list[Record]:
    """Records published as columns ({field: [value per record]}) as Records, in their order.
    Columns without `landed` (a report of schema /3 or older) land on their own date."""
    if not columns:
        return []
    if "landed" not in columns:
        columns = {**columns, "landed": columns["date"]}
    return list(map(_make_record, zip(*(columns[f] for f in Record._fields))))


def in_period(records, start: str | None = None, end: str | None = None) -> list[Record]:
    """The records that count in [start, end] (ISO days, both included; None: unbounded): those
    whose `counts_on`, the later of their date and the day they landed, falls in it."""
    return [r for r in records if (start is None or r.counts_on >= start) and (end is None or r.counts_on <= end)]


def summary(records) -> dict[str, dict]:
    """{person: {kind: {"count": n, "weight": w}}}: what their value is made of."""
    records = list(records)
    return summary_of(list(map(_PERSON, records)), list(map(_KIND, records)), list(map(_WEIGHT, records)))


def summary_of(persons, kinds, weights) -> dict[str, dict]:
    """`summary`, from the records' columns."""
    result: dict[str, dict] = {}
    get = result.get
    for person, kind, weight in zip(persons, kinds, weights):
        mine = get(person)
        if mine is None:
            mine = result[person] = {}
        entry = mine.get(kind)
        if entry is None:
            mine[kind] = {"count": 1, "weight": weight}
        else:
            entry["count"] += 1
            entry["weight"] += weight
    return result
