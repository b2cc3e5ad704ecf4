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

import hashlib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Callable

from . import __version__
from .cache import ReportCache, fingerprint
from .context import Context, iso
from .errors import BadWeights
from .history import history_state, read_history
from .inputs import CommunityData
from .registry import DIMENSIONS, indicators

SCHEMA = "commonplace.value/1"
REPORT_FORMAT = 1
PLACES = 6


def clean(value):
    """JSON-ready and deterministic: floats rounded, decimals as strings, keys sorted."""
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
    total = sum(v for pid, v in signal.items() if pid in people and v > 0)
    if not total:
        return {}
    return {pid: v / total for pid, v in signal.items() if pid in people and v > 0}


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
        key = "\n".join([f"report/{REPORT_FORMAT}/{__version__}/{_code_stamp()}", f"engine={engine}",
                          f"data={fingerprint(data)}", state])
        reports = ReportCache(folder, f"{subdir or ''}\0{ref}")
        found = reports.get(key)
        if found is not None:
            return found
    history = read_history(repo_path, subdir=subdir, ref=ref, cache_dir=cache_dir, use_cache=use_cache,
                           progress=progress, workers=workers, engine=engine)
    report = report_from(history, data, weights)
    if use_cache:
        reports.put(key, report)
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


def report_from(history, data: CommunityData, weights: dict[str, float]) -> dict:
    ctx = Context(history, data)
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
    for c in ctx.commits:
        s = stats[c.author]
        s["commits"] += 1
        s["lines_added"] += c.added
        s["lines_removed"] += c.removed
        if s["first"] is None:
            s["first"] = (c.time, c.offset)
        s["last"] = (c.time, c.offset)
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
        shares = {d: _shares(signals[d].get(month, {}), humans) for d in DIMENSIONS}
        for pid in set().union(*shares.values()):
            month_values[pid][month] = sum(weights[d] * shares[d].get(pid, 0.0) for d in DIMENSIONS) / total_weight

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
