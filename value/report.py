"""The value report (DESIGN.md §5): one JSON-ready dict, deterministic to the byte.

Shape (keys beyond §5 are marked +):
  schema, source {commit, branch, + subdir, + as_of}, + weights {dimension: weight},
  dimensions {dimension: {indicator: value}},
  + monthly {months: ["YYYY-MM", ...], dimension: {indicator: [value per month]}},
  contributors [...], + bots [...] (same fields as contributors, without scores and value)
A contributor: id, name, emails, bot, commits, coauthored_commits, lines_added, lines_removed,
first_commit, last_commit, scores {dimension: share}, value, and +: member, visibility,
affiliation, merges, every person-level figure of the registry (reviews, signed_off,
events_organised, events_attended, role, rewards_received, documentation_lines, cred,
kudos_received, kudos_given), signals {dimension: number}, monthly_value {"YYYY-MM": value}.

Floats are rounded to 6 decimals, money is a decimal string, dates are ISO 8601 with the
author's offset; contributors and bots are sorted by id.
"""

from __future__ import annotations

import gc
import hashlib
from bisect import insort
from collections import Counter, defaultdict
from contextlib import contextmanager
from decimal import Decimal
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Callable

from . import __version__
from .cache import ReportCache, StateLog, fingerprint
from .context import Commit, Context, Merge, Resolved, iso, resolve
from .errors import BadWeights
from .history import history_state, read_history, read_new_commits
from .inputs import CommunityData
from .registry import DIMENSIONS, indicators

SCHEMA = "commonplace.value/1"
REPORT_FORMAT = 1
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
    unknown = sorted(set(given) - set(DIMENSIONS))
    if unknown:
        raise BadWeights(
            f"unknown value dimension(s) in weights: {', '.join(unknown)}; use {', '.join(DIMENSIONS)}"
        )
    weights = {d: float(given.get(d, 1)) for d in DIMENSIONS}
    if any(w < 0 for w in weights.values()) or not sum(weights.values()):
        raise BadWeights("value weights must be >= 0 and at least one must be above 0")
    return weights


def _shares(signal: dict, people) -> dict[str, float]:
    items = [(pid, v) for pid, v in signal.items() if v > 0 and pid in people]
    total = sum([v for _, v in items])
    if not total:
        return {}
    return {pid: v / total for pid, v in items}


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
) -> dict:
    data = data or CommunityData()
    weights = weights_of(data)
    reports = ReportCache(None, "")
    if use_cache:  # nothing changed since the last report: it is read, not computed
        state, folder = history_state(repo_path, subdir=subdir, ref=ref, cache_dir=cache_dir)
        data_stamp = fingerprint(data)  # both keys below use it; a large community takes a while
        key = "\n".join([f"report/{REPORT_FORMAT}/{__version__}/{_code_stamp()}", f"engine={engine}",
                          f"data={data_stamp}", state])
        reports = ReportCache(folder, f"{subdir or ''}\0{ref}")
        found = reports.get(key)
        if found is not None:
            return found
    resolved_store = StateLog(None, "")
    if use_cache and not subdir:  # new commits on top of the last report's: only they are read
        resolved_store = StateLog(folder, f"{subdir or ''}\0{ref}", kind="resolved")
        resolved_key = "\n".join([f"resolved/{RESOLVED_FORMAT}/{__version__}/{_code_stamp()}",
                                   f"engine={engine}", f"data={data_stamp}"])
        with _collector_paused():
            report = _fold_new_commits(repo_path, ref, resolved_store, resolved_key, data, weights,
                                       cache_dir=cache_dir, workers=workers, engine=engine)
        if report is not None:
            reports.put(key, report)
            return report
    history = read_history(repo_path, subdir=subdir, ref=ref, cache_dir=cache_dir, use_cache=use_cache,
                           progress=progress, workers=workers, engine=engine)
    with _collector_paused():
        ctx = Context(history, data)
        report = report_from(history, data, weights, ctx)
    if use_cache:
        reports.put(key, report)
        if not subdir and history.commit is not None:
            resolved_store.write(resolved_key, _resolved_state(history, ctx.resolved, history.tag_reach))
    return report


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


# -- new commits folded into the last report's resolved history ------------------------------
RESOLVED_FORMAT = 1
_COMMIT_FIELDS = attrgetter(*Commit.__slots__)
_MERGE_FIELDS = attrgetter(*Merge.__slots__)


def _resolved_state(history, resolved: Resolved, tag_reach: dict) -> dict:
    return {
        "tip": history.commit,
        "mailmap": history.mailmap_text,
        "seen": dict(resolved.seen),
        "who": resolved.who,
        "bots": resolved.bots,
        "commits": list(map(_COMMIT_FIELDS, resolved.commits)),
        "merges": list(map(_MERGE_FIELDS, resolved.merges)),
        "tag_reach": tag_reach,
    }


def _replay(state: dict, changes: list[dict]) -> tuple[dict, bool]:
    """The state with the changes applied in order; False when a change did not follow on (made
    by a run that started from an older state): it and the ones after it are left out."""
    by_time_and_id = itemgetter(2, 0)  # (time, id) of a commit's or a merge's fields
    for change in changes:
        if change["parent"] != state["tip"]:
            return state, False
        state["tip"], state["mailmap"], state["tag_reach"] = change["tip"], change["mailmap"], change["tag_reach"]
        seen = Counter(state["seen"])
        seen.update(change["seen"])
        state["seen"] = seen
        state["who"].update(change["who"])
        state["bots"].update(change["bots"])
        for name in ("commits", "merges"):
            for item in change[name]:
                insort(state[name], item, key=by_time_and_id)
    return state, True


COMPACT_CHANGES = 32  # then the state is written again whole


def _fold_new_commits(repo_path, ref, store: StateLog, key: str, data, weights, *, cache_dir, workers,
                      engine) -> dict | None:
    """The report from the stored resolved history plus the commits made since, or None when that
    is not exact: no stored state, a ref that does not descend from its tip, another `.mailmap`,
    or new commits that change someone's id or bot flag. Same figures as a full computation:
    the new commits are resolved by the same code, and everything else is derived afterwards."""
    found = store.load(key)
    if found is None:
        return None
    state, whole = _replay(*found)
    reach = dict(state["tag_reach"])
    history = read_new_commits(repo_path, state["tip"], reach, ref=ref, cache_dir=cache_dir, workers=workers,
                               engine=engine)
    if history is None or history.mailmap_text != state["mailmap"]:
        return None
    base = Resolved(None, state["seen"], state["who"], state["bots"],
                    [Commit(*t) for t in state["commits"]], [Merge(*t) for t in state["merges"]])
    records = history.records
    resolved = resolve([records[c] for c in history.counted], [records[c] for c in history.merges],
                       history.mailmap, data, base)
    if resolved is None:
        return None
    ctx = Context(history, data, resolved)
    report = report_from(history, data, weights, ctx)
    if history.commit == state["tip"] and reach == state["tag_reach"]:
        return report  # nothing to record
    if not whole or len(found[1]) >= COMPACT_CHANGES:
        store.write(key, _resolved_state(history, resolved, reach))
    else:
        store.append({
            "parent": state["tip"], "tip": history.commit, "mailmap": history.mailmap_text, "tag_reach": reach,
            "seen": dict(resolved.new_seen),
            "who": {raw: pid for raw, pid in resolved.who.items() if raw not in state["who"]},
            "bots": {pid: flag for pid, flag in resolved.bots.items() if pid not in state["bots"]},
            "commits": list(map(_COMMIT_FIELDS, resolved.new_commits)),
            "merges": list(map(_MERGE_FIELDS, resolved.new_merges)),
        })
    return report


_STAMP: list[str] = []


def _code_stamp() -> str:
    """Size and time of every module of the engine: an edited engine never serves an old report."""
    if not _STAMP:
        root = Path(__file__).resolve().parent
        stats = []
        for path in sorted(root.rglob("*.py")):
            st = path.stat()
            stats.append(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
        _STAMP.append(hashlib.sha256("\n".join(stats).encode()).hexdigest()[:16])
    return _STAMP[0]


def report_from(history, data: CommunityData, weights: dict[str, float], ctx: Context | None = None) -> dict:
    ctx = ctx if ctx is not None else Context(history, data)
    dimensions: dict = {d: {} for d in DIMENSIONS}
    monthly: dict = {"months": list(ctx.months), **{d: {} for d in DIMENSIONS}}
    for ind in indicators("community"):
        dimensions[ind.dimension][ind.key] = clean(ind.func(ctx, None))
        if ind.monthly:
            monthly[ind.dimension][ind.key] = [clean(ind.func(ctx, m)) for m in ctx.months]

    figures = {ind.key: ind.func(ctx) for ind in indicators("person")}
    signals = {ind.dimension: ind.func(ctx) for ind in indicators("signal")}

    # person figures from the counted history
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

    humans = ctx.humans
    total_weight = sum(weights.values())
    overall_shares = {d: _shares(signals[d].get(None, {}), humans) for d in DIMENSIONS}
    month_values: dict[str, dict[str, float]] = defaultdict(dict)
    for month in ctx.months:
        # Σ weight × share over the dimensions, in their order (a missing share adds nothing)
        acc: dict[str, float] = {}
        for d in DIMENSIONS:
            w = weights[d]
            for pid, share in _shares(signals[d].get(month, {}), humans).items():
                acc[pid] = acc.get(pid, 0) + w * share
        for pid, v in acc.items():
            month_values[pid][month] = v / total_weight

    def active(pid: str) -> bool:
        s = stats.get(pid)
        if s and (s["commits"] or s["coauthored_commits"] or s["merges"]):
            return True
        return any(figures[k].get(pid) for k in figures if k != "role")

    contributors, bots = [], []
    for pid in sorted(ctx.people):
        person = ctx.people[pid]
        if not active(pid):
            continue
        s = stats.get(pid) or stats.default_factory()
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
            bots.append({k: clean(v) for k, v in row.items()})
            continue
        scores = {d: overall_shares[d].get(pid, 0.0) for d in DIMENSIONS}
        row["scores"] = scores
        row["value"] = sum(weights[d] * scores[d] for d in DIMENSIONS) / total_weight
        row["member"] = person.member
        row["visibility"] = person.visibility
        row["affiliation"] = person.affiliation
        row["merges"] = s["merges"]
        for key, values in figures.items():
            row[key] = values.get(pid, None if key == "role" else {} if key == "rewards_received" else 0)
        row["signals"] = {d: signals[d].get(None, {}).get(pid, 0) for d in DIMENSIONS}
        row["monthly_value"] = month_values.get(pid, {})
        contributors.append({k: clean(v) for k, v in row.items()})

    return {
        "schema": SCHEMA,
        "source": {
            "commit": history.commit,
            "branch": history.branch,
            "subdir": history.subdir,
            "as_of": iso(*history.as_of) if history.as_of else None,
        },
        "weights": {d: clean(weights[d]) for d in DIMENSIONS},
        "dimensions": dimensions,
        "monthly": monthly,
        "contributors": contributors,
        "bots": bots,
    }
