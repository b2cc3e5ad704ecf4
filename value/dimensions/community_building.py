"""Community building: who takes part, who joins and stays, how concentrated the work is.

CHAOSS definitions where one exists. Overall figures look at the `inactive_days` window (180 days
by default) before the report's date (the tip commit's date); monthly figures at the month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import chain

from ..context import month_end_ts, month_of_ts, once_per_report
from ..registry import indicator, person

DIM = "community_building"
DAY = 86400


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


def _window(ctx, month):
    """[start, end) of the period: the month, or the inactive_days before the report date."""
    end = ctx.period_end(month)
    if month is None:
        return end - ctx.data.inactive_days * DAY, end
    y, m = int(month[:4]), int(month[5:7])
    start = month_end_ts(f"{y - 1:04d}-12") if m == 1 else month_end_ts(f"{y:04d}-{m - 1:02d}")
    return start, end


def _human_counts(ctx, month) -> Counter:
    """Non-bot commits per author in the period; worked out once per period (several indicators
    read it)."""
    memo = ctx.memo.setdefault("human_counts", {})
    counts = memo.get(month)
    if counts is None:
        counts = memo[month] = Counter([c.author for c in ctx.commits_in(month) if not c.bot])
    return counts


@indicator(DIM, "active_contributors", unit="people",
           formula="distinct non-bot people with a commit authored in the period",
           explanation="How many people contribute (CHAOSS Active Contributors). Overall: in the "
                       "last inactive_days (180) days; monthly: in the month.")
def active_contributors(ctx, month):
    return len(_active(ctx, month))


def _active(ctx, month) -> set[str]:
    if month is None:
        return ctx.active_between(*_window(ctx, None))
    return {c.author for c in ctx.human_commits_in(month)}


@once_per_report
def _firsts(ctx) -> Counter:
    return Counter(month_of_ts(times[0]) for pid, times in ctx.times.items() if pid in ctx.humans)


@indicator(DIM, "new_contributors", unit="people",
           formula="people whose first authored commit over the whole history falls in the period",
           explanation="Newcomers (CHAOSS New Contributors: first commit ever, not first in a query "
                       "window). Overall: in the last 180 days.")
def new_contributors(ctx, month):
    if month is not None:
        return _firsts(ctx)[month]
    start, end = _window(ctx, month)
    return sum(1 for pid, times in ctx.times.items() if pid in ctx.humans and start <= times[0] < end)


@indicator(DIM, "inactive_contributors", unit="people",
           formula="people with a commit before the period's end whose last commit then is older "
                   "than inactive_days (180) days",
           explanation="People who contributed and stopped (CHAOSS Inactive Contributors).")
def inactive_contributors(ctx, month):
    if month is not None:
        return _inactive_series(ctx)[month]
    end = ctx.period_end(month)
    limit = end - ctx.data.inactive_days * DAY
    count = 0
    for pid in ctx.times:
        if pid in ctx.humans:
            last = ctx.last_commit_before(pid, end)
            if last is not None and last < limit:
                count += 1
    return count


@once_per_report
def _inactive_series(ctx) -> dict[str, int]:
    """Inactive people at every month's end in one pass: those who started before the end minus
    those with a commit in the inactive_days before it (a sliding window over all commits)."""
    commits = [(c.time, c.author) for c in ctx.commits if not c.bot]
    firsts = sorted(times[0] for pid, times in ctx.times.items() if pid in ctx.humans)
    width = ctx.data.inactive_days * DAY
    window: Counter = Counter()
    lo = hi = started = 0
    memo = {}
    for month in ctx.months:
        end = month_end_ts(month)
        while hi < len(commits) and commits[hi][0] < end:
            window[commits[hi][1]] += 1
            hi += 1
        while lo < hi and commits[lo][0] < end - width:
            pid = commits[lo][1]
            window[pid] -= 1
            if not window[pid]:
                del window[pid]
            lo += 1
        while started < len(firsts) and firsts[started] < end:
            started += 1
        memo[month] = started - len(window)
    return memo


@indicator(DIM, "retention", unit="share",
           formula="|active(previous period) ∩ active(period)| / |active(previous period)|",
           explanation="Share of the previous period's contributors still active. Overall: the last "
                       "180 days against the 180 before; empty when nobody was active before.")
def retention(ctx, month):
    if month is None:
        start, end = _window(ctx, None)
        prev = (start - (end - start), start)
        before = ctx.active_between(*prev)
        if not before:
            return None
        return len(before & ctx.active_between(start, end)) / len(before)
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

