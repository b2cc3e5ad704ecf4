"""The value report (DESIGN.md §5): a `report_types.Report`, whose JSON form (`to_json()`) is
deterministic to the byte.

Shape, schema `commonplace.value/5` (keys beyond §5 are marked +; docs/value-json.md has it all):
  schema, source {commit, branch, + subdir, + as_of}, + weights {dimension: weight},
  + kinds {kind: {label, dimension, weight, unit, origin, explanation}} (contributions.KINDS with
    the config's weights, and the community's own kinds),
  dimensions {dimension: {indicator: value}},
  + monthly {months: ["YYYY-MM", ...], dimension: {indicator: [value per month]}},
  + scoring {totals {dimension: weight of all people's records}, without_records [dimension],
             monthly {totals {dimension: [per month]}, without_records [[dimension] per month]}},
  contributors [...], + bots [...] (same fields as contributors, without scores and value),
  + contributions {field: [value per record]}, + bot_contributions (the same; never scored),
  + cred_as_of {"YYYY-MM-DD": {field: [value per record]}} (the cred records as of each reward
    plan's end, v3), + verified [commit id] (commits signed with a key of their author's member
    file, v3; only when a member lists keys).
  v5: `commonplace value --format json` prints `to_json(records=False)`, without the three
    record columns, which `--records` streams as JSON Lines (value/recordlines.py).
A record: date (ISO day), person (contributor id), kind, dimension, weight, source (a commit id,
a data file's "path:line", or "cred/YYYY-MM"), landed (ISO day it reached the default branch, v4,
value/landed.py); sorted by date, person, kind, source, and
published as columns: record i is date[i], person[i], ... (`contributions.from_report` reads
them back as Records).
A contributor: id, name, emails, bot, commits, coauthored_commits, lines_added, lines_removed,
first_commit, last_commit, scores {dimension: share}, value, and +: member, visibility,
affiliation, merges, every person-level figure of the registry (reviews, signed_off,
events_organised, events_attended, role, rewards_received, documentation_lines, cred,
kudos_received, kudos_given), signals {dimension: weight of their records},
records {kind: {count, weight}}, monthly_value {"YYYY-MM": value} (each month's value over the
records that count in it: the later of their date and the day they landed),
verified_commits (commits signed with a key in their member file; only when a member lists keys).

Scores come from the records (contributions.py): score = their records' weight in the dimension
/ everyone's; value = Σ weight × score / Σ weight over the dimensions that have records.
Floats are rounded to 6 decimals, money is a decimal string, dates are ISO 8601 with the
author's offset; contributors and bots are sorted by id.
"""

from __future__ import annotations

import functools
import gc
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Callable

from . import __version__, credfork
from .cache import ReportCache, code_stamp, fingerprint
from .context import Context, iso
from .contributions import (
    added_sums,
    cred_as_of,
    records_of,
    scores_of_sums,
    summary,
    summary_of,
)
from .errors import BadWeights
from .fold import fold_new_commits, resolved_key, resolved_log, resolved_state
from .history import history_state, read_history
from .landed import DataFiles, build_time, landing, landing_state
from .inputs import CommunityData
from .kinds import MAX_WEIGHT
from .indicators import indicators
from .registry import ALL_DIMENSIONS, dimensions_of, present
from .report_types import Report, ReportSource
from .signatures import has_keys, verified_in

SCHEMA = "commonplace.value/5"
REPORT_FORMAT = 4
PLACES = 6


def clean(value):
    """JSON-ready and deterministic: floats rounded, decimals as strings, keys sorted."""
    kind = type(value)  # the common exact types first, then the general rules below
    if kind is float:
        rounded = round(value, PLACES)
        return 0.0 if rounded == 0 else rounded
    if kind is str or kind is int or value is None:
        return value
    if kind is dict and all(type(k) is str for k in value):
        return {k: clean(value[k]) for k in sorted(value)}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        rounded = round(value, PLACES)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): clean(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [clean(v) for v in items]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def weights_of(data: CommunityData) -> dict[str, float]:
    given = data.weights or {}
    unknown = sorted(set(given) - set(ALL_DIMENSIONS))
    if unknown:
        raise BadWeights(
            f"unknown value dimension(s) in weights: {', '.join(unknown)}; use {', '.join(ALL_DIMENSIONS)}"
        )
    # an optional dimension's weight counts only where the dimension is (ecological value: impact recorded)
    weights = {d: float(given.get(d, 1)) for d in dimensions_of(data)}
    # `not 0 <= w` refuses NaN too; the loader reports the same at its line (load/valuesettings.py)
    if any(not 0 <= w <= MAX_WEIGHT for w in weights.values()) or not sum(weights.values()):
        raise BadWeights(f"value weights must be numbers from 0 to {MAX_WEIGHT:,} and at least one must be above 0")
    return weights


def build_report(
    repo_path,
    *,
    subdir: str | None = None,
    ref: str = "HEAD",
    data: CommunityData | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    engine: str = "auto",
    files_in: str | None = None,  # where .mailmap and the community files are (default: subdir)
    data_files: DataFiles | None = None,
    paths=(),  # only the commits that touch one of these count (value/history.py)
    summary: bool = False,
    with_records: bool = True,
) -> Report:
    """The value report of the repository at `repo_path`, as of `ref`. `data_files` reads the
    community's data files at old commits, so that a data record counts from the day it landed
    (value/landed.py); without it, data records land on their own date. `summary`: only what
    the text format prints; without `with_records`, every figure but not the record columns
    (`report_from`); each is stored apart from the full report."""
    parts = "summary" if summary else "full" if with_records else "figures"
    data = data or CommunityData()
    weights = weights_of(data)
    reports = ReportCache(None, "")
    if use_cache:  # nothing changed since the last report: it is read, not computed
        state, folder = history_state(repo_path, subdir=subdir, ref=ref, cache_dir=cache_dir, files_in=files_in,
                                      paths=paths)
        data_stamp = fingerprint(data)  # both keys below use it; a large community takes a while
        key = "\n".join([f"report/{REPORT_FORMAT}/{__version__}/{code_stamp()}", f"engine={engine}",
                          f"data={data_stamp}", f"parts={parts}", state, landing_state(repo_path, data_files)])
        reports = ReportCache(folder, f"{subdir or ''}\0{ref}" + ("" if parts == "full" else f"\0{parts}"))
        found = reports.get(key)
        if found is not None:
            return Report.from_json(found)
    assemble = functools.partial(report_from, cache_folder=folder if use_cache else None,
                                 data_files=data_files, files_in=files_in, summary=summary,
                                 with_records=with_records)
    state_log = resolved_log(None, "")
    if use_cache and not subdir and not paths:  # new commits on top of the last report's: only they are read
        state_log = resolved_log(folder, f"{subdir or ''}\0{ref}")
        state_key = resolved_key(engine, data_stamp)
        with _collector_paused():
            report = fold_new_commits(repo_path, ref, state_log, state_key, data, weights, assemble,
                                      cache_dir=cache_dir, workers=workers, engine=engine, files_in=files_in)
        if report is not None:
            reports.put(key, report.to_json())
            return report
    history = read_history(repo_path, subdir=subdir, ref=ref, cache_dir=cache_dir, use_cache=use_cache,
                           progress=progress, workers=workers, engine=engine, files_in=files_in,
                           mailmap=data.mailmap, paths=paths)
    with _collector_paused():
        ctx = Context(history, data)
        report = assemble(history, data, weights, ctx)
    if use_cache:
        reports.put(key, report.to_json())
        if not subdir and not paths and history.commit is not None:
            state_log.write(state_key, resolved_state(history, ctx.resolved, history.tag_reach))
    return report


_COLUMNS = tuple(sorted(enumerate(("date", "person", "kind", "dimension", "weight", "source", "landed")),
                       key=lambda c: c[1]))


def _record_columns(records) -> dict[str, list]:
    """The records published as columns, {field: [value per record]}: seven lists instead of a
    dict per record, which a report of a large history would hold by the hundred thousand (each
    one made, pickled into the stored report and read back again). Weights are rounded to PLACES
    already when records are made; the keys are sorted, as `clean` sorts them."""
    return {name: list(map(itemgetter(i), records)) for i, name in _COLUMNS}


@contextmanager
def _collector_paused():
    """Building a report allocates a great many small objects (a few per commit) and no cycles
    worth collecting: Python's cyclic collector would walk them all again and again for nothing
    (a fifth of the time of a rebuild after one new commit). Paused, then restored as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_PLAIN = frozenset({str, int, bool, type(None)})  # what `clean` gives back as it is


def _clean_row(row: dict) -> dict:
    """`{k: clean(v) for k, v in row.items()}`, without a call for the plain values and floats
    that make most of a row (a report of a long history has thousands of rows)."""
    out = {}
    for k, v in row.items():
        kind = type(v)
        if kind in _PLAIN:
            out[k] = v
        elif kind is float:
            rounded = round(v, PLACES)
            out[k] = 0.0 if rounded == 0 else rounded
        else:
            out[k] = clean(v)
    return out


def _cred_last(items: list) -> list:
    """The indicators in their order, those of the dimension cred counts in last: cred may still
    be computing in a child (`value.credfork`), and everything else can be made meanwhile."""
    return sorted(items, key=lambda ind: ind.dimension == "reputation")


def _community_figures(ctx: Context, summary: bool = False) -> tuple[dict, dict]:
    """The community indicators: {dimension: {indicator: value}}, and the monthly series (empty
    in a summary)."""
    dims = dimensions_of(ctx.data)
    dimensions: dict = {d: {} for d in dims}
    monthly: dict = {} if summary else {"months": list(ctx.months), **{d: {} for d in dims}}
    for ind in _cred_last(indicators("community")):
        if ind.dimension not in dimensions or (ind.when is not None and not ind.when(ctx.data)):
            continue  # nothing of the kind it counts is recorded (impact, surveys)
        dimensions[ind.dimension][ind.key] = clean(ind.func(ctx, None))
        if ind.monthly and not summary:
            monthly[ind.dimension][ind.key] = [clean(ind.func(ctx, m)) for m in ctx.months]
    return dimensions, monthly


def _commit_stats(ctx: Context) -> defaultdict:
    """{person: commits, co-authored commits, lines, first and last commit, merges} from the
    counted history."""
    stats: dict[str, dict] = defaultdict(lambda: {"commits": 0, "coauthored_commits": 0, "lines_added": 0,
                                                  "lines_removed": 0, "first": None, "last": None, "merges": 0})
    sums: dict[str, list] = {}  # author -> [commits, added, removed, first, last], commits in order
    for c in ctx.commits:
        t = sums.get(c.author)
        if t is None:
            sums[c.author] = [1, c.added, c.removed, c, c]
        else:
            t[0] += 1
            t[1] += c.added
            t[2] += c.removed
            t[4] = c
    for pid, (n, added, removed, first, last) in sums.items():
        s = stats[pid]
        s["commits"], s["lines_added"], s["lines_removed"] = n, added, removed
        s["first"], s["last"] = (first.time, first.offset), (last.time, last.offset)
    for c in ctx.commits:
        for pid in c.coauthors:
            stats[pid]["coauthored_commits"] += 1
    for m in ctx.merges:
        if m.author is not None:
            stats[m.author]["merges"] += 1
    return stats


@dataclass
class _Scoring:
    """Scores from the records: month by month, and overall from the months' sums (one pass)."""

    published: dict  # the records as columns
    overall: object  # contributions.scores_of_sums of all records
    month_values: dict  # {person: {month: value}}
    monthly_totals: dict  # {dimension: [weight of all records per month]}
    monthly_without: list  # [[dimensions without records] per month]
    kinds_used: dict | set  # contributions.summary of the records; in a summary, who has records


def _scoring(ctx: Context, records, weights: dict[str, float], brief: bool = False,
             columns: bool = True) -> _Scoring:
    """Each month's scores count the records that count in it: the later of their date and the
    day they landed (`Record.counts_on`), so that work landing late never changes a past month.
    `brief`: a summary's, without the months' scores, the overall scores added up exactly as in
    full; without `columns`, the records are not made into columns (`published` is empty)."""
    published = _record_columns(records) if columns and not brief else {}
    dims = present(weights)
    index = {m: i for i, m in enumerate(ctx.months)}
    before, after = len(ctx.months), len(ctx.months) + 1  # records outside the months
    first = ctx.months[0] if ctx.months else ""
    # each month's `sums_of`, made in one pass: the same additions in the same order
    sums: list[dict[str, dict[str, float]]] = [{} for _ in range(len(ctx.months) + 2)]
    buckets: dict[str, dict] = {}  # "YYYY-MM" -> its month's sums
    for day, person, _kind, dim, weight, _source, landed in records:
        month = landed[:7] if landed > day else day[:7]
        mine = buckets.get(month)
        if mine is None:
            i = index.get(month)
            if i is None:
                i = before if month < first else after
            mine = buckets[month] = sums[i]
        own = mine.get(person)
        if own is None:
            own = mine[person] = dict.fromkeys(dims, 0.0)
        own[dim] += weight
    month_sums = sums[:before]
    overall = scores_of_sums(added_sums([sums[before], *month_sums, sums[after]]), weights)
    month_values: dict[str, dict[str, float]] = defaultdict(dict)
    monthly_totals = {d: [] for d in dims}
    monthly_without = []
    for month, sums in zip([] if brief else ctx.months, month_sums):
        period = scores_of_sums(sums, weights, shares=False)
        for pid, v in period.value.items():
            month_values[pid][month] = v
        for d in dims:
            monthly_totals[d].append(clean(period.totals[d]))
        monthly_without.append(period.without_records)
    if brief:  # who has records is all a summary's rows ask
        kinds_used: dict | set = set(map(itemgetter(1), records))
    else:
        kinds_used = summary_of(published["person"], published["kind"], published["weight"]) if published \
            else summary(records)
    return _Scoring(published, overall, month_values, monthly_totals, monthly_without, kinds_used)


def _every(values: dict | None, dims: tuple) -> dict:
    """A person's figure for every dimension of the report (0.0 where they have none)."""
    if values is not None and len(values) == len(dims):
        return values
    return {d: (values or {}).get(d, 0.0) for d in dims}


BRIEF_ROW = ("id", "name", "bot", "commits", "scores", "value")  # a summary's row (a bot's: the first four)


def _contributor_rows(ctx: Context, stats, figures: dict, scoring: _Scoring, bot_records,
                      verified: Counter | None, brief: bool = False) -> tuple[list[dict], list[dict]]:
    """The contributors' rows and the bots', sorted by id: everyone with a commit, a record or a
    person-level figure. `brief`: a summary's, the same people with what the text prints of them
    (`BRIEF_ROW`)."""
    overall = scoring.overall
    kinds_used = scoring.kinds_used
    dims = tuple(overall.totals)  # the report's dimensions
    bot_kinds = set(map(itemgetter(1), bot_records)) if brief else summary(bot_records)

    def active(pid: str) -> bool:
        s = stats.get(pid)
        if s and (s["commits"] or s["coauthored_commits"] or s["merges"]):
            return True
        return pid in kinds_used or pid in bot_kinds or any(figures[k].get(pid) for k in figures if k != "role")

    contributors, bots = [], []
    for pid in sorted(ctx.people):
        person = ctx.people[pid]
        if not active(pid):
            continue
        s = stats.get(pid) or stats.default_factory()
        if brief:
            row = {"id": pid, "name": person.name, "bot": person.bot, "commits": s["commits"]}
            if not person.bot:
                row["scores"] = _every(overall.scores.get(pid), dims)
                row["value"] = overall.value.get(pid, 0.0)
            (bots if person.bot else contributors).append(_clean_row(row))
            continue
        row = {
            "id": pid,
            "name": person.name,
            "emails": sorted(person.emails),
            "bot": person.bot,
            "commits": s["commits"],
            "coauthored_commits": s["coauthored_commits"],
            "lines_added": s["lines_added"],
            "lines_removed": s["lines_removed"],
            "first_commit": iso(*s["first"]) if s["first"] else None,
            "last_commit": iso(*s["last"]) if s["last"] else None,
        }
        if person.bot:
            row["records"] = bot_kinds.get(pid, {})
            bots.append(_clean_row(row))
            continue
        row["scores"] = _every(overall.scores.get(pid), dims)
        row["value"] = overall.value.get(pid, 0.0)
        row["member"] = person.member
        row["visibility"] = person.visibility
        row["affiliation"] = person.affiliation
        row["merges"] = s["merges"]
        if verified is not None:
            row["verified_commits"] = verified.get(pid, 0)
        for key, values in figures.items():
            row[key] = values.get(pid, None if key == "role" else {} if key == "rewards_received" else 0)
        row["signals"] = _every(overall.sums.get(pid), dims)
        row["records"] = kinds_used.get(pid, {})
        row["monthly_value"] = scoring.month_values.get(pid, {})
        contributors.append(_clean_row(row))
    return contributors, bots


def report_from(history, data: CommunityData, weights: dict[str, float], ctx: Context | None = None, *,
                cache_folder: Path | None = None, data_files: DataFiles | None = None,
                files_in: str | None = None, summary: bool = False, with_records: bool = True) -> Report:
    """The report of `history` and `data`. A `summary` is what `commonplace value`'s text prints:
    every overall figure, and each person's scores and value, the same as in full (their other
    fields left out, `BRIEF_ROW`), without what only the JSON and the pages read (the monthly
    series, the record columns, the cred as of each reward plan's end): never published, never a
    page's input. Without
    `with_records`, the report has every figure but no record columns (what `--format json`
    prints, `Report.to_json(records=False)`), so they are neither made nor stored."""
    with_records = with_records and not summary
    ctx = ctx if ctx is not None else Context(history, data)
    if history.commit is not None:  # when each commit and data record landed (value/landed.py)
        ctx.landing = landing(history.git_dir, history.commit, folder=files_in or history.subdir, files=data_files,
                              cache_folder=cache_folder, build=build_time(history.as_of[0]))
    credfork.start(ctx)  # cred, in a child, while the figures that need no cred are made
    try:
        return _assembled(history, data, weights, ctx, cache_folder, summary, with_records)
    finally:
        credfork.stop(ctx)


def _assembled(history, data: CommunityData, weights: dict[str, float], ctx: Context, cache_folder: Path | None,
               summary: bool, with_records: bool) -> Report:
    """`report_from`'s report, once the context is complete."""
    verified = None  # {person: commits signed with a key in their member file}, when any member lists keys
    signed: set[str] = set()
    if has_keys(data):
        signed = verified_in(history, ctx.resolved, data, cache_folder)
        verified = Counter(c.author for c in ctx.commits if c.id in signed)
    stats = _commit_stats(ctx)
    person = indicators("person")
    early = {(ind.dimension, ind.key): ind.func(ctx) for ind in person if ind.dimension != "reputation"}
    dimensions, monthly = _community_figures(ctx, summary)  # the reputation figures take the cred
    figures = {ind.key: early[ind.dimension, ind.key] if (ind.dimension, ind.key) in early else ind.func(ctx)
               for ind in person}
    records, bot_records = records_of(ctx)
    scoring = _scoring(ctx, records, weights, summary, with_records)
    overall = scoring.overall
    contributors, bots = _contributor_rows(ctx, stats, figures, scoring, bot_records, verified, summary)
    scored = {"totals": {d: clean(overall.totals[d]) for d in present(weights)},
              "without_records": overall.without_records}
    if not summary:
        scored["monthly"] = {"totals": scoring.monthly_totals, "without_records": scoring.monthly_without}
    return Report(
        schema=SCHEMA,
        source=ReportSource(commit=history.commit, branch=history.branch, subdir=history.subdir,
                            as_of=iso(*history.as_of) if history.as_of else None),
        weights={d: clean(weights[d]) for d in present(weights)},
        kinds={key: clean(kind.describe()) for key, kind in ctx.kinds.items()},
        dimensions=dimensions,
        monthly=monthly,
        scoring=scored,
        contributors=contributors,
        bots=bots,
        contributions=scoring.published,
        bot_contributions=_record_columns(bot_records) if with_records else {},
        # cred as of each reward plan's end: what a plan counts, the same whatever comes later
        cred_as_of={end.isoformat(): _record_columns(cred_as_of(ctx, end))
                    for end in sorted({end for _start, end in data.periods})} if with_records else {},
        verified=sorted(signed) if verified is not None else None,  # the commits a `verified: true` plan counts
        notes=ctx.notes or None,  # commits read otherwise than they claim (clamped dates, capped trailers)
    )
