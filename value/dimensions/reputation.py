"""Reputation: recognition by peers, and cred from the graph of who worked with whom."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timezone

from ..context import as_date, month_of, month_of_ts, once_per_report
from .. import credfork
from ..cred import credrank
from ..registry import indicator, person
from .community_building import absence_factor

DIM = "reputation"


@once_per_report
def cred_of(ctx):
    """(cred per person, cred per month per person), non-bot people only: from the child that
    `credfork.start` forked for it, when there is one, else computed here."""
    found = credfork.take(ctx)
    return found if found is not None else credrank(*cred_graph(ctx))


def cred_graph(ctx, end: date | None = None) -> tuple[list, list]:
    """The graph CredRank walks: (commits, kudos) as `credrank` takes them, each in the month it
    counts (the later of its own date and the day it landed, value/landed.py); with `end`, only
    the commits and kudos that count by that day, so the graph as it was then: work that landed
    later never moves it."""
    from ..contributions import data_landed

    humans = ctx.humans
    limit = None if end is None else int(datetime(end.year, end.month, end.day, tzinfo=timezone.utc).timestamp()) + 86400
    landing = ctx.landing
    landed_at, build = (landing.commits.get, landing.build) if landing is not None else (None, 0)
    commits = []
    months: dict[int, str] = {}  # day -> its month: most commits land on a day others landed on
    for c in ctx.commits:
        if c.bot:
            continue
        t, month = c.time, c.month
        if landing is not None:
            arrived = landed_at(c.id, build)  # `Landing.commit`, without a call per commit
            if arrived > t:
                day = arrived // 86400
                month = months.get(day)
                if month is None:
                    month = months[day] = month_of_ts(arrived)
                t = arrived
        if limit is None or t < limit:
            commits.append((c.author, [p for p in c.coauthors + c.reviewers if p in humans]
                            if c.coauthors or c.reviewers else (), month))
    landed_on = data_landed(ctx)
    kudos = []
    for k in ctx.data.kudos:
        day = as_date(k.date)
        if k.receiver not in humans:
            continue
        arrived = landed_on.get(id(k))
        if day is not None and arrived is not None and arrived > day.isoformat():
            day = date.fromisoformat(arrived)
        if end is None or (day is not None and day <= end):
            kudos.append((k.receiver, month_of(day)))
    return commits, kudos


@indicator(DIM, "kudos", unit="kudos", formula="kudos dated in the period",
           explanation="Recognition given by one member to another (kudos/).")
def kudos(ctx, month):
    return len(ctx.dated_in(ctx.data.kudos, month))


@indicator(DIM, "kudos_givers", unit="people", formula="distinct givers of the period's kudos",
           explanation="How widely recognition is given, not only received.")
def kudos_givers(ctx, month):
    return len({k.giver for k in ctx.dated_in(ctx.data.kudos, month) if k.giver})


@indicator(DIM, "mentions", unit="mentions", formula="mentions dated in the period",
           explanation="How the world outside sees the community: press, citations, awards, talks and "
                       "dependent projects (mentions/).")
def mentions(ctx, month):
    return len(ctx.dated_in(ctx.data.mentions, month))


@indicator(DIM, "mentions_by_kind", unit="mentions", formula="the period's mentions counted by kind",
           explanation="External reputation, by kind of mention.")
def mentions_by_kind(ctx, month):
    found = Counter(m.kind for m in ctx.dated_in(ctx.data.mentions, month))
    return {kind: found[kind] for kind in sorted(found)}


@indicator(DIM, "cred_concentration", unit="people", monthly=False,
           formula="the smallest k whose top k people hold >= 50% of cred",
           explanation="The absence factor over cred: how few people hold half the reputation.")
def cred_concentration(ctx, month):
    cred, _ = cred_of(ctx)
    return absence_factor(cred.values())


def _all_contributors(ctx):
    text = ctx.history.files.get(".all-contributorsrc")
    if not text:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return None
    items = data.get("contributors") if isinstance(data, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else None


@indicator(DIM, "recognised", unit="share", monthly=False,
           formula="non-bot people with commits listed in .all-contributorsrc (by a login of their "
                   "member file, by login = id, or by name) / non-bot people with commits",
           explanation="All Contributors coverage: how many of those who did the work are credited "
                       "by name. Empty without .all-contributorsrc.")
def recognised(ctx, month):
    listed = _all_contributors(ctx)
    if listed is None:
        return None
    logins = {str(i.get("login", "")).casefold() for i in listed}
    names = {str(i.get("name", "")).casefold() for i in listed}
    workers = [pid for pid in ctx.authors if pid in ctx.humans]
    if not workers:
        return None
    declared = {m.id: m.logins for m in ctx.data.members}
    hit = sum(1 for pid in workers if pid.casefold() in logins or ctx.people[pid].name.casefold() in names
              or any(login in logins for login in declared.get(pid, ())))
    return hit / len(workers)


@indicator(DIM, "contribution_types", unit="types", monthly=False,
           formula="distinct contribution types in .all-contributorsrc",
           explanation="Breadth of the kinds of work the community credits (code, docs, ideas, ...).")
def contribution_types(ctx, month):
    listed = _all_contributors(ctx)
    if listed is None:
        return None
    return len({str(t) for i in listed for t in (i.get("contributions") or ())})


@person(DIM, "cred", unit="cred",
        formula="1000 · π(person) / Σ π(people), simplified CredRank (see value/cred.py)",
        explanation="Reputation from the contribution graph: authorship, co-authorship, reviews "
                    "and kudos. With authorship only, it is 1000 × their share of commits.")
def cred(ctx):
    return cred_of(ctx)[0]


@person(DIM, "kudos_received", unit="kudos", formula="kudos naming them as 'to'",
        explanation="Recognition received.")
def kudos_received(ctx):
    return dict(Counter(k.receiver for k in ctx.data.kudos if k.receiver))


@person(DIM, "kudos_given", unit="kudos", formula="kudos naming them as 'from'",
        explanation="Recognition given.")
def kudos_given(ctx):
    return dict(Counter(k.giver for k in ctx.data.kudos if k.giver))

