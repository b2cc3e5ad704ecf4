"""Objective accomplishment: the work done and the goals reached."""

from __future__ import annotations

from collections import Counter
from statistics import median

from ..context import month_of, month_of_ts, once_per_report
from ..registry import indicator

DIM = "objective_accomplishment"
COMPLETED = frozenset({"completed", "complete", "done", "finished", "achieved"})


@indicator(DIM, "commits", unit="commits",
           formula="non-merge commits (git log --no-merges [-- PATH])",
           explanation="Units of work recorded in the history, bots included.")
def commits(ctx, month):
    return len(ctx.commits_in(month))


@indicator(DIM, "commits_with_merges", unit="commits",
           formula="non-merge commits + merge commits",
           explanation="All commits, merges included (in a subfolder: merges that changed it).")
def commits_with_merges(ctx, month):
    merges = ctx.merges if month is None else ctx.merges_by_month.get(month, [])
    return len(ctx.commits_in(month)) + len(merges)


@once_per_report
def _line_sums(ctx) -> dict:
    """{month (None: overall): [lines added, lines removed]}, every period's in one pass."""
    sums: dict = {}
    for c in ctx.commits:
        pair = sums.get(c.month)
        if pair is None:
            pair = sums[c.month] = [0, 0]
        pair[0] += c.added
        pair[1] += c.removed
    sums[None] = [sum(p[0] for p in sums.values()), sum(p[1] for p in sums.values())]
    return sums


def _lines(ctx, month) -> tuple[int, int]:
    """(lines added, lines removed) in the period."""
    return tuple(_line_sums(ctx).get(month, (0, 0)))


@indicator(DIM, "lines_added", unit="lines",
           formula="sum of lines added (git log --no-merges --numstat -M100%; binary files 0)",
           explanation="Lines written; an identical-content rename counts 0.")
def lines_added(ctx, month):
    return _lines(ctx, month)[0]


@indicator(DIM, "lines_removed", unit="lines", formula="sum of lines removed (as lines_added)",
           explanation="Lines deleted.")
def lines_removed(ctx, month):
    return _lines(ctx, month)[1]


@indicator(DIM, "lines_changed", unit="lines", formula="lines added + lines removed",
           explanation="The size of the work, as churn.")
def lines_changed(ctx, month):
    added, removed = _lines(ctx, month)
    return added + removed


@indicator(DIM, "merged_pull_requests", unit="merges",
           formula="merge commits whose message is a forge's: 'Merge pull request #N from …', or "
                   "\"Merge branch '…' into '…'\" with 'See merge request'",
           explanation="Pull / merge requests accepted through the forge's merge button.")
def merged_pull_requests(ctx, month):
    merges = ctx.merges if month is None else ctx.merges_by_month.get(month, [])
    return sum(1 for m in merges if m.forge)


@indicator(DIM, "releases", unit="tags",
           formula="tags pointing at a commit reachable from the ref, dated by the tagger (or the "
                   "commit's author date for a lightweight tag)",
           explanation="Releases published.")
def releases(ctx, month):
    tags = ctx.history.tags
    if month is None:
        return len(tags)
    return _releases_by_month(ctx)[month]


@once_per_report
def _releases_by_month(ctx) -> Counter:
    return Counter(month_of_ts(t.time) for t in ctx.history.tags)


@indicator(DIM, "release_cadence_days", unit="days", monthly=False,
           formula="median of the days between consecutive tags",
           explanation="How often releases come; empty with fewer than two tags.")
def release_cadence_days(ctx, month):
    times = sorted(t.time for t in ctx.history.tags)
    if len(times) < 2:
        return None
    return median((b - a) / 86400 for a, b in zip(times, times[1:]))


def _goals(ctx):
    for project in ctx.data.projects:
        for goal in project.goals:
            yield project, goal


@indicator(DIM, "goals_done", unit="goals",
           formula="project goals marked done (monthly: by done_at)",
           explanation="Objectives reached, from the projects' front matter.")
def goals_done(ctx, month):
    if month is None:
        return sum(1 for _, g in _goals(ctx) if g.done)
    return _goals_done_by_month(ctx)[month]


@once_per_report
def _goals_done_by_month(ctx) -> Counter:
    return Counter(month_of(g.done_at) for _, g in _goals(ctx) if g.done)


@indicator(DIM, "goals_total", unit="goals", monthly=False, formula="project goals",
           explanation="Objectives set.")
def goals_total(ctx, month):
    return sum(1 for _ in _goals(ctx))


@indicator(DIM, "goals", unit="goals", monthly=False,
           formula="per project: {done, total} goals",
           explanation="Progress of each project towards its goals.")
def goals(ctx, month):
    result = {}
    for project in sorted(ctx.data.projects, key=lambda p: p.id):
        items = project.goals
        result[project.id] = {"done": sum(1 for g in items if g.done), "total": len(items)}
    return result


@indicator(DIM, "projects_completed", unit="projects", monthly=False,
           formula="projects whose status is completed (or done / finished / achieved)",
           explanation="Projects brought to an end.")
def projects_completed(ctx, month):
    return sum(1 for p in ctx.data.projects if str(p.status or "").lower() in COMPLETED)

