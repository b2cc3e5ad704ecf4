"""Community building: who takes part, who joins and stays, how concentrated the work is.

CHAOSS definitions where one exists. Overall figures look at the `inactive_days` window (180 days
by default) that ends on the report's day (the tip commit's date); monthly figures at the month.
Active, new, inactive and retention count people with a record of something they did
(`value.populations`, dated by the record's own date); the bus factor and the onion count commits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from itertools import chain

from ..context import month_end_ts, once_per_report
from ..contributions import records_of
from ..populations import active_between, activity_days, last_day_until
from ..registry import indicator, person

DIM = "community_building"
DAY = 86400
_EPOCH = date(1970, 1, 1).toordinal()


def absence_factor(counts) -> int:
    """Fewest people whose commits reach >= 50% of all commits (CHAOSS bus factor)."""
    ordered = sorted((c for c in counts if c > 0), reverse=True)
    total = sum(ordered)
    if not total:
        return 0
    running = 0
    for k, count in enumerate(ordered, 1):
        running += count
        if 2 * running >= total:
            return k
    return len(ordered)


def onion(counts: dict[str, int]) -> dict[str, str]:
    """core / regular / casual by cumulative commit share (80% / 95%), tied people together.

    People are sorted by commits, descending, and those with the same number form one group. A
    group takes the layer of its first place: core while the commits of everyone before it are
    below 80% of all commits, regular while below 95%, casual after. So the thresholds are
    reached at >= by whole groups, and the order of ids never decides a role."""
    groups: dict[int, list[str]] = defaultdict(list)
    for pid, count in counts.items():
        if count > 0:
            groups[count].append(pid)
    total = sum(count * len(pids) for count, pids in groups.items())
    roles, running = {}, 0
    for count in sorted(groups, reverse=True):
        if 100 * running >= 95 * total and running:
            layer = "casual"
        elif 100 * running >= 80 * total and running:
            layer = "regular"
        else:
            layer = "core"
        for pid in groups[count]:
            roles[pid] = layer
        running += count * len(groups[count])
    return dict(sorted(roles.items()))


@once_per_report
def _activity(ctx) -> dict[str, list[str]]:
    """{person: their activity days}: the people the population counts (value.populations),
    from the report's records (bots' records are kept apart there)."""
    people_records, _bots = records_of(ctx)
    return activity_days(people_records, ctx.kinds, _report_day(ctx))


def _report_day(ctx) -> str | None:
    """The report's day (UTC): activity dated later (an event planned ahead) has not happened."""
    if ctx.commits or ctx.history.as_of is not None:
        return _iso_day(ctx.as_of)
    return None


def _iso_day(ts: int) -> str:
    return date.fromordinal(_EPOCH + ts // DAY).isoformat()


def _days_before(day: str, n: int) -> str:
    return date.fromordinal(max(1, date.fromisoformat(day).toordinal() - n)).isoformat()


def _window(ctx, month) -> tuple[str, str]:
    """[first, last] days of the period, both included: the month, or the inactive_days days
    that end on the report's day."""
    if month is None:
        last = _iso_day(ctx.period_end(None) - 1)
        return _days_before(last, ctx.data.inactive_days - 1), last
    return f"{month}-01", _month_last_day(month)


def _month_last_day(month: str) -> str:
    return _iso_day(month_end_ts(month) - 1)


def _human_counts(ctx, month) -> Counter:
    """Non-bot commits per author in the period; worked out once per period (several indicators
    read it)."""
    memo = ctx.memo.setdefault("human_counts", {})
    counts = memo.get(month)
    if counts is None:
        counts = memo[month] = Counter([c.author for c in ctx.commits_in(month) if not c.bot])
    return counts


@indicator(DIM, "active_contributors", unit="people",
           formula="distinct non-bot people with a record of something they did in the period: a "
                   "commit authored, a co-author or review trailer, a contributions/ record, an "
                   "event organised or attended (kudos received and cred do not count)",
           explanation="How many people contribute (CHAOSS Active Contributors). Overall: in the "
                       "last inactive_days (180) days up to the report's day; monthly: in the month.")
def active_contributors(ctx, month):
    return len(_active(ctx, month))


def _active(ctx, month) -> set[str]:
    return active_between(_activity(ctx), *_window(ctx, month))


@once_per_report
def _firsts(ctx) -> Counter:
    return Counter(days[0][:7] for days in _activity(ctx).values())


@indicator(DIM, "new_contributors", unit="people",
           formula="people whose first record of something they did, over the whole history, falls in "
                   "the period",
           explanation="Newcomers (CHAOSS New Contributors: first contribution ever, not first in a "
                       "query window). Overall: in the last 180 days.")
def new_contributors(ctx, month):
    if month is not None:
        return _firsts(ctx)[month]
    first, last = _window(ctx, month)
    return sum(1 for days in _activity(ctx).values() if first <= days[0] <= last)


@indicator(DIM, "inactive_contributors", unit="people",
           formula="people with a record of something they did before the period's end whose last "
                   "one then is older than inactive_days (180) days",
           explanation="People who contributed and stopped (CHAOSS Inactive Contributors).")
def inactive_contributors(ctx, month):
    if month is not None:
        return _inactive_series(ctx)[month]
    _first, last = _window(ctx, None)
    return _inactive_at(ctx, last)


def _inactive_at(ctx, last: str) -> int:
    """People with activity on or before `last` but none in the inactive_days days ending there."""
    limit = _days_before(last, ctx.data.inactive_days - 1)
    activity, count = _activity(ctx), 0
    for person in activity:
        seen = last_day_until(activity, person, last)
        if seen is not None and seen < limit:
            count += 1
    return count


@once_per_report
def _inactive_series(ctx) -> dict[str, int]:
    """Inactive people at every month's end in one pass: those who started by the end minus
    those with activity in the inactive_days days before it (a sliding window over all
    activity days)."""
    activity = _activity(ctx)
    events = sorted((day, person) for person, days in activity.items() for day in days)
    firsts = sorted(days[0] for days in activity.values())
    window: Counter = Counter()
    lo = hi = started = 0
    memo = {}
    for month in ctx.months:
        last = _month_last_day(month)
        limit = _days_before(last, ctx.data.inactive_days - 1)
        while hi < len(events) and events[hi][0] <= last:
            window[events[hi][1]] += 1
            hi += 1
        while lo < hi and events[lo][0] < limit:
            person = events[lo][1]
            window[person] -= 1
            if not window[person]:
                del window[person]
            lo += 1
        while started < len(firsts) and firsts[started] <= last:
            started += 1
        memo[month] = started - len(window)
    return memo


@indicator(DIM, "retention", unit="share",
           formula="|active(previous period) ∩ active(period)| / |active(previous period)|",
           explanation="Share of the previous period's contributors still active. Overall: the last "
                       "180 days against the 180 before; empty when nobody was active before.")
def retention(ctx, month):
    if month is None:
        first, last = _window(ctx, None)
        days = ctx.data.inactive_days
        before = active_between(_activity(ctx), _days_before(first, days), _days_before(first, 1))
        if not before:
            return None
        return len(before & _active(ctx, None)) / len(before)
    y, m = int(month[:4]), int(month[5:7])
    before = _active(ctx, f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}")
    if not before:
        return None
    return len(before & _active(ctx, month)) / len(before)


@indicator(DIM, "absence_factor", unit="people",
           formula="sort people by commits, descending; the smallest k whose top k hold >= 50% of "
                   "all commits",
           explanation="CHAOSS Contributor Absence Factor (bus factor). This project counts the 50% "
                       "threshold as reached at >= (CHAOSS's text says 'more than').")
def absence(ctx, month):
    return absence_factor(_human_counts(ctx, month).values())


@indicator(DIM, "elephant_factor", unit="organisations",
           formula="the absence factor over organisations (members' affiliation); commits of "
                   "people without one are left out",
           explanation="CHAOSS Elephant Factor: how few organisations hold half the work. See "
                       "unaffiliated_share for what was left out.")
def elephant(ctx, month):
    orgs = Counter()
    for pid, count in _human_counts(ctx, month).items():
        org = ctx.people[pid].affiliation
        if org:
            orgs[org] += count
    return absence_factor(orgs.values()) if orgs else None


@indicator(DIM, "unaffiliated_share", unit="share",
           formula="commits of people without an affiliation / all non-bot commits",
           explanation="What the elephant factor could not attribute to an organisation.")
def unaffiliated(ctx, month):
    counts = _human_counts(ctx, month)
    total = sum(counts.values())
    if not total:
        return None
    return sum(c for pid, c in counts.items() if not ctx.people[pid].affiliation) / total


@indicator(DIM, "roles", unit="people", monthly=False,
           formula="sort people by commits, descending, people with equal commits forming one "
                   "group; core = the smallest run of whole groups reaching >= 80% of commits, "
                   "regular = the next groups until >= 95%, casual = the rest (a tie never splits "
                   "people between two roles)",
           explanation="The onion model of participation (the 1-9-90 rule) over the whole history.")
def roles(ctx, month):
    counts = Counter(onion(_human_counts(ctx, month)).values())
    return {"core": counts["core"], "regular": counts["regular"], "casual": counts["casual"]}


@indicator(DIM, "events", unit="events", formula="events dated in the period",
           explanation="Community events held (events/).")
def events(ctx, month):
    return len(ctx.dated_in(ctx.data.events, month))


@indicator(DIM, "event_participants", unit="participations",
           formula="sum over the period's events of |organisers ∪ participants| + guests",
           explanation="How many took part in events, guests without a member file included.")
def event_participants(ctx, month):
    return sum(
        len(set(e.organisers) | set(e.participants)) + int(e.guests or 0)
        for e in ctx.dated_in(ctx.data.events, month)
    )


@indicator(DIM, "members", unit="people", monthly=False, formula="member files",
           explanation="People with a members/<handle>.yaml file.")
def members(ctx, month):
    return len(ctx.data.members)


# -- person level ----------------------------------------------------------------------------
@once_per_report
def _event_roles(ctx):
    """(events organised, events attended) per person (two figures read it)."""
    organised, attended = Counter(), Counter()
    for e in ctx.data.events:
        orgs = set(e.organisers)
        for pid in orgs:
            organised[pid] += 1
        for pid in set(e.participants) - orgs:
            attended[pid] += 1
    return organised, attended


@person(DIM, "events_organised", unit="events", formula="events naming them as an organiser",
        explanation="Events this person organised.")
def events_organised(ctx):
    return dict(_event_roles(ctx)[0])


@person(DIM, "events_attended", unit="events",
        formula="events naming them as a participant (not as an organiser)",
        explanation="Events this person took part in.")
def events_attended(ctx):
    return dict(_event_roles(ctx)[1])


@person(DIM, "reviews", unit="commits",
        formula="non-merge commits naming them in a Reviewed-by or Acked-by trailer (not their own)",
        explanation="Reviews given: work that helps others' contributions land.")
def reviews(ctx):
    return dict(Counter(chain.from_iterable([c.reviewers for c in ctx.commits if c.reviewers])))


@person(DIM, "signed_off", unit="commits",
        formula="non-merge commits of others naming them in a Signed-off-by trailer",
        explanation="Commits they passed on or certified (the Developer Certificate of Origin chain).")
def signed_off(ctx):
    return dict(Counter(chain.from_iterable([c.signers for c in ctx.commits if c.signers])))


@person(DIM, "role", unit="role", formula="core, regular or casual (see roles)",
        explanation="Their place in the onion model over the whole history.")
def role(ctx):
    return onion(_human_counts(ctx, None))

