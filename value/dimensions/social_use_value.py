"""Social use value: evidence that people outside use the work, and what makes it usable."""

from __future__ import annotations

from collections import Counter

from ..context import as_date, once_per_report
from ..filedata import yaml_data
from ..registry import indicator, person

DIM = "social_use_value"
SNAPSHOT_KINDS = frozenset({"users", "deployments"})  # counts that are a state, not a flow


def usage_total(records, kind: str) -> int:
    """Flows (downloads, citations, ...) add up; snapshots (users, deployments) take the latest
    count of each project, summed over projects."""
    records = [r for r in records if r.kind == kind and r.count is not None]
    if kind not in SNAPSHOT_KINDS:
        return sum(int(r.count) for r in records)
    latest = {}
    for r in sorted(records, key=lambda r: as_date(r.date) or as_date("0001-01-01")):
        latest[r.project] = int(r.count)
    return sum(latest.values())


def _usage(kind):
    def func(ctx, month):
        return usage_total(ctx.dated_in(ctx.data.usage, month), kind)

    return func


for _kind, _what in (("downloads", "summed"), ("citations", "summed"),
                     ("users", "latest count per project, summed"),
                     ("deployments", "latest count per project, summed")):
    indicator(DIM, _kind, unit=_kind,
              formula=f"usage records of kind {_kind}: counts {_what}",
              explanation=f"Evidence of use: {_kind} reported in usage/.")(_usage(_kind))


@indicator(DIM, "usage_by_kind", unit="count",
           formula="every usage kind but testimonials, with the rule of downloads / users",
           explanation="All usage evidence, by kind.")
def usage_by_kind(ctx, month):
    records = ctx.dated_in(ctx.data.usage, month)
    kinds = sorted({r.kind for r in records if r.kind and r.kind != "testimonial"})
    return {k: usage_total(records, k) for k in kinds}


@indicator(DIM, "testimonials", unit="quotes",
           formula="usage records of kind testimonial, or with a quote",
           explanation="People saying, in their words, what the work does for them.")
def testimonials(ctx, month):
    return sum(1 for r in ctx.dated_in(ctx.data.usage, month) if r.kind == "testimonial" or r.quote)


@indicator(DIM, "forks_and_peers", unit="peers", monthly=False,
           formula="federation peers declared in federation.yaml",
           explanation="Other communities that build on, mirror or work with this one.")
def forks_and_peers(ctx, month):
    return int(ctx.data.peers)


@indicator(DIM, "citable", unit="yes/no", monthly=False,
           formula="CITATION.cff is YAML with cff-version, message, title and a non-empty authors list",
           explanation="Whether others can cite the work properly.")
def citable(ctx, month):
    data = yaml_data(ctx.history.files.get("CITATION.cff"))
    return (isinstance(data, dict) and all(data.get(k) for k in ("cff-version", "message", "title"))
            and isinstance(data.get("authors"), list) and bool(data["authors"]))


@once_per_report
def _doc_lines(ctx) -> dict[str, int]:
    """Commit id -> lines changed in documentation files (read with the commit, see docfiles)."""
    return {c.id: c.doc for c in ctx.commits}


@indicator(DIM, "documentation_share", unit="share",
           formula="lines changed in documentation files (docs/, *.md, *.rst, README, ...) / all "
                   "lines changed",
           explanation="How much of the work goes into making it understandable and usable.")
def documentation_share(ctx, month):
    doc, total = _doc_sums(ctx).get(month, (0, 0))
    return doc / total if total else None


@once_per_report
def _doc_sums(ctx) -> dict:
    """{month (None: overall): (doc lines, all lines)}; whole numbers, so the shares are exact."""
    sums = {key: (sum([c.doc for c in commits]), sum([c.added + c.removed for c in commits]))
            for key, commits in ctx.by_month.items()}
    sums[None] = (sum(p[0] for p in sums.values()), sum(p[1] for p in sums.values()))
    return sums


@person(DIM, "documentation_lines", unit="lines",
        formula="lines changed in documentation files in commits they authored",
        explanation="Their documentation work.")
def documentation_lines(ctx):
    counts = Counter()
    doc = _doc_lines(ctx)
    for c in ctx.commits:
        counts[c.author] += doc[c.id]
    return {pid: n for pid, n in counts.items() if n}



def _surveyed(data) -> bool:
    return bool(data.surveys)


@indicator(DIM, "surveys", unit="surveys", when=_surveyed,
           formula="surveys (surveys/*.yaml) that closed in the period",
           explanation="Surveys the community ran to hear from the people it serves.")
def surveys(ctx, month):
    return len(ctx.dated_in(ctx.data.surveys, month))


@indicator(DIM, "survey_respondents", unit="people", when=_surveyed,
           formula="the respondents of the surveys that closed in the period, added up (a person answering "
                   "two surveys counts twice)",
           explanation="How many answers the community's surveys gathered.")
def survey_respondents(ctx, month):
    return sum(s.respondents for s in ctx.dated_in(ctx.data.surveys, month))
