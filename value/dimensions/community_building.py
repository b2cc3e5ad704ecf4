"""Community building: who takes part, who joins and stays, how concentrated the work is.

CHAOSS definitions where one exists. Overall figures look at the `inactive_days` window (180 days
by default) that ends on the report's day (the tip commit's date); monthly figures at the month.
Active, new, inactive and retention count people with a record of something they did
(`value.populations`, dated by the record's own date); the bus factor and the onion count commits.

Windows: the bus factor, the elephant factor and the onion are given for the whole history and,
as `*_12m` keys, for the last 12 months (the 12 months ending on the report's day, counted with
the same rules); active contributors for the whole history and the last 12 months beside the
inactive_days window. A 12-month figure is None when nothing happened in those months, so that
an empty window reads as "no history", not as 0.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import chain

from ..context import month_end_ts, once_per_report
from ..contributions import plain_records, records_of
from ..populations import active_between, activity_days, last_day_until, makes_active
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
    """core / regular / casual by cumulative commit share (80% / 95%); ties are never split.

    People are sorted by commits, descending. Without ties, core is the smallest prefix whose
    commits reach >= 80% of all commits, regular the people after it until the prefix reaches
    >= 95%, casual everyone else. People with the same number form one group, and a group that
    these cuts would split (one that straddles a threshold) goes whole to the OUTER ring; a
    group that ends exactly where the cut falls is inside it. So a group is core when the people
    before its last member hold < 80% of the commits, regular when they hold < 95%, casual
    otherwise, and the order of ids never decides a role.

    When everyone is tied the rule gives one ring for all, by how many they are: 1 to 4 people
    are all core (the cut needs all of them), 5 to 19 all regular, 20 or more all casual (the
    core is then empty: nobody stands out)."""
    groups: dict[int, list[str]] = defaultdict(list)
    for pid, count in counts.items():
        if count > 0:
            groups[count].append(pid)
    total = sum(count * len(pids) for count, pids in groups.items())
    roles, running = {}, 0
    for count in sorted(groups, reverse=True):
        running += count * len(groups[count])
        before_last = running - count  # the commits of everyone before the group's last member
        if 100 * before_last < 80 * total:
            layer = "core"
        elif 100 * before_last < 95 * total:
            layer = "regular"
        else:
            layer = "casual"
        for pid in groups[count]:
            roles[pid] = layer
    return dict(sorted(roles.items()))


@once_per_report
def _activity(ctx) -> dict[str, list[str]]:
    """{person: their activity days}: the people the population counts (value.populations),
    from the report's records of people (not bots'). Cred never makes anyone active, so the
    records of git and the data are read, which are made before cred is (`value.credfork`)."""
    if makes_active("cred", ctx.kinds):  # (no kind of that name does today)
        people_records, _bots = records_of(ctx)
        return activity_days(people_records, ctx.kinds, _report_day(ctx))
    records = [r for r in plain_records(ctx) if r[4] > 0]  # as records_of leaves out weight 0
    return activity_days(records, ctx.kinds, _report_day(ctx), people=ctx.humans)


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


def last_12_months(day: str) -> tuple[str, str]:
    """[first, last] days of the 12 months that end on `day`, both included: 2025-03-15 gives
    2024-03-16 to 2025-03-15 (a 29 February steps back to the 28th of the year before)."""
    last = date.fromisoformat(day)
    try:
        year_before = last.replace(year=last.year - 1)
    except ValueError:  # 29 February
        year_before = last.replace(year=last.year - 1, day=28)
    return (year_before + timedelta(days=1)).isoformat(), day


def _year_counts(ctx) -> Counter | None:
    """Non-bot commits per author in the last 12 months; None when the report has no day (no
    history at all). Worked out once per report."""
    memo = ctx.memo.setdefault("human_counts", {})
    if "12m" not in memo:
        day = _report_day(ctx)
        if day is None:
            memo["12m"] = None
        else:
            first, _last = last_12_months(day)
            start = (date.fromisoformat(first).toordinal() - _EPOCH) * DAY
            end = ctx.period_end(None)
            i = bisect_left(ctx.commits, start, key=lambda c: c.time)
            memo["12m"] = Counter([c.author for c in ctx.commits[i:] if c.time < end and not c.bot])
    return memo["12m"]


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


@indicator(DIM, "active_contributors_12m", unit="people", monthly=False,
           formula="distinct non-bot people with a record of something they did in the 12 months "
                   "ending on the report's day (the records active_contributors counts); empty when "
                   "nobody did anything in those months",
           explanation="Active contributors over the last 12 months, beside the whole history's.")
def active_contributors_12m(ctx, month):
    day = _report_day(ctx)
    if day is None:
        return None
    return len(active_between(_activity(ctx), *last_12_months(day))) or None


@indicator(DIM, "active_contributors_whole_history", unit="people", monthly=False,
           formula="distinct non-bot people with a record of something they did, over the whole "
                   "history up to the report's day",
           explanation="Everyone who ever took part: the whole history's active contributors.")
def active_contributors_whole_history(ctx, month):
    return len(_activity(ctx))


def _active(ctx, month) -> set[str]:
    if month is not None:
        return _active_by_month(ctx).get(month, _NOBODY)
    return active_between(_activity(ctx), *_window(ctx, None))


_NOBODY: frozenset = frozenset()


@once_per_report
def _active_by_month(ctx) -> dict[str, set[str]]:
    """{month: the people active in it}, in one pass over everyone's activity days: a month's
    window is its own days, so this is `active_between` of each month without a search per
    person and month (three indicators ask for every month)."""
    by_month: dict[str, set[str]] = defaultdict(set)
    for person, days in _activity(ctx).items():
        for month in {day[:7] for day in days}:
            by_month[month].add(person)
    return by_month


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
           explanation="CHAOSS Contributor Absence Factor (bus factor), over the whole history "
                       "(monthly: the month's commits). This project counts the 50% threshold as "
                       "reached at >= (CHAOSS's text says 'more than').")
def absence(ctx, month):
    return absence_factor(_human_counts(ctx, month).values())


@indicator(DIM, "absence_factor_12m", unit="people", monthly=False,
           formula="the absence factor over the commits of the 12 months ending on the report's "
                   "day; empty when those months have no commit",
           explanation="The bus factor of the last 12 months, beside the whole history's: who "
                       "holds the work now.")
def absence_12m(ctx, month):
    counts = _year_counts(ctx)
    return absence_factor(counts.values()) if counts else None


@indicator(DIM, "elephant_factor", unit="organisations",
           formula="the absence factor over organisations (members' affiliation); commits of "
                   "people without one are left out",
           explanation="CHAOSS Elephant Factor: how few organisations hold half the work, over the "
                       "whole history (monthly: the month's commits). See unaffiliated_share for "
                       "what was left out.")
def elephant(ctx, month):
    return _elephant_of(ctx, _human_counts(ctx, month))


def _elephant_of(ctx, counts: Counter) -> int | None:
    orgs = Counter()
    for pid, count in counts.items():
        org = ctx.people[pid].affiliation
        if org:
            orgs[org] += count
    return absence_factor(orgs.values()) if orgs else None


@indicator(DIM, "elephant_factor_12m", unit="organisations", monthly=False,
           formula="the elephant factor over the commits of the 12 months ending on the report's "
                   "day; empty when those months have no commit or none by someone with an "
                   "affiliation",
           explanation="Organisations holding half the work of the last 12 months, beside the "
                       "whole history's.")
def elephant_12m(ctx, month):
    counts = _year_counts(ctx)
    return _elephant_of(ctx, counts) if counts else None


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
           formula="sort people by commits, descending; core = the smallest prefix reaching >= 80% "
                   "of commits, regular = the next people until >= 95%, casual = the rest; people "
                   "with equal commits are never split: a tie group that straddles a threshold goes "
                   "to the outer ring, one that ends exactly on it stays inside",
           explanation="The onion model of participation (the 1-9-90 rule) over the whole history.")
def roles(ctx, month):
    return _rings(_human_counts(ctx, month))


def _rings(counts: Counter) -> dict[str, int]:
    rings = Counter(onion(counts).values())
    return {"core": rings["core"], "regular": rings["regular"], "casual": rings["casual"]}


@indicator(DIM, "roles_12m", unit="people", monthly=False,
           formula="the onion (roles) over the commits of the 12 months ending on the report's day; "
                   "empty when those months have no commit",
           explanation="The onion model of participation over the last 12 months, beside the whole "
                       "history's.")
def roles_12m(ctx, month):
    counts = _year_counts(ctx)
    return _rings(counts) if counts else None


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


@indicator(DIM, "decisions", unit="decisions", formula="decisions dated in the period (any status)",
           explanation="Governance in the open: decisions proposed and taken, as decisions/ records them.")
def decisions(ctx, month):
    return len(ctx.dated_in(ctx.data.decisions, month))


@indicator(DIM, "decision_participants", unit="people",
           formula="distinct proposers and participants of the period's decisions",
           explanation="How many people take part in the community's decisions.")
def decision_participants(ctx, month):
    return len({pid for d in ctx.dated_in(ctx.data.decisions, month) for pid in d.proposed_by + d.participants})


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

