"""The resolved activity every indicator reads: commits by person and month, and the data files.

Built once per report from the `History` and the `CommunityData`; indicators never touch git.
Months are calendar months in UTC, keyed "YYYY-MM"; dates are author dates.
`Context.landing` (value/landed.py) says when each commit and data record landed on the default
branch; contribution records, rewards and cred count a record at the later of its date and that.
"""

from __future__ import annotations

import functools
import re
import time
from bisect import insort
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from . import history as h
from .identities import Identities, Identity
from .inputs import CommunityData
from .kinds import kinds_of
from .registry import dimensions_of


# The seconds `datetime` can show (years 1 to 9999): a commit object may claim any time at all.
FIRST_TS, LAST_TS = -62135596800, 253402300799


def month_of_ts(ts: int) -> str:
    t = time.gmtime(min(max(ts, FIRST_TS), LAST_TS))
    return f"{t.tm_year:04d}-{t.tm_mon:02d}"


def as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def once_per_report(compute):
    """Decorates `compute(ctx)`: worked out the first time, then read from `ctx.memo` (several
    indicators read the same intermediate result)."""
    @functools.wraps(compute)
    def cached(ctx):
        if compute in ctx.memo:
            return ctx.memo[compute]
        result = ctx.memo[compute] = compute(ctx)
        return result

    return cached


def month_of(value) -> str | None:
    d = as_date(value)
    return None if d is None else f"{d.year:04d}-{d.month:02d}"


def month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    months = []
    while (y, m) <= (ly, lm):
        months.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return months


@functools.lru_cache(maxsize=4096)  # a report asks for each month's end many times
def month_end_ts(month: str) -> int:
    """The first second of the next month (UTC): the period's end, exclusive."""
    y, m = int(month[:4]), int(month[5:7])
    if (y, m) >= (9999, 12):  # the next month is past what `datetime` can hold
        return int(datetime(9999, 12, 31, tzinfo=timezone.utc).timestamp()) + 86400
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return int(datetime(y, m, 1, tzinfo=timezone.utc).timestamp())


def add_months(month: str, n: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + n
    index = min(max(index, 0), 9999 * 12 + 11)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# A monthly series is bounded whatever the dates say: at most ten years of months, ending at most
# a year after the last commit (upcoming events), inside the community's date window (1970 to
# ten years after the last commit without one). One hostile date, in the data or in a commit,
# moves where a series starts or ends, never how long it is. Totals still count every record.
MAX_MONTHS = 120
AHEAD_MONTHS = 12
YEARS_AHEAD = 10


def series_months(dated: list[str], anchor: str | None, window: tuple[date, date] | None) -> list[str]:
    """The months of the monthly series: those between the first and last of `dated` ("YYYY-MM"),
    bounded as said above; `anchor` is the month of the last commit (None without commits)."""
    if not dated:
        return []
    first, last = min(dated), max(dated)
    if window is not None:
        low, high = month_of(window[0]), month_of(window[1])
    else:
        low, high = "1970-01", add_months(anchor or last, YEARS_AHEAD * 12)
    if anchor is not None:
        high = min(high, add_months(max(anchor, low), AHEAD_MONTHS))
    last = min(last, high)
    first = max(first, low, add_months(last, 1 - MAX_MONTHS))
    return month_range(first, last) if first <= last else []


def iso(ts: int, offset_minutes: int) -> str:
    zone = timezone(timedelta(minutes=max(min(offset_minutes, 1439), -1439)))
    return datetime.fromtimestamp(min(max(ts, FIRST_TS + 86400), LAST_TS - 86400), zone).isoformat()


@dataclass(slots=True)
class Commit:
    id: str
    author: str
    time: int
    offset: int
    month: str
    added: int
    removed: int
    doc: int  # lines changed in documentation files
    coauthors: tuple[str, ...]
    reviewers: tuple[str, ...]  # Reviewed-by and Acked-by
    signers: tuple[str, ...]
    bot: bool
    capped: bool = False  # named more people in trailers than are counted (history.MAX_TRAILERS)
    code_added: int = 0  # lines of source code (languages.py): what the replacement cost counts
    code_removed: int = 0


@dataclass(slots=True)
class Merge:
    id: str
    author: str | None
    time: int
    month: str
    forge: bool


@dataclass
class Resolved:
    """The history's commits with every identity resolved: what a Context is built on.

    `seen` counts every (name, e-mail) as written; `who` maps each to its contributor id, and
    `bots` gives each id's bot flag. A `Resolved` can take new commits (see `resolve`) as long as
    the ids and bot flags of the people already seen do not change.
    """

    ids: Identities
    seen: Counter
    who: dict
    bots: dict
    commits: list  # Commit, sorted by (time, id)
    merges: list  # Merge, sorted by (time, id)
    # what the last `resolve` added to its base (everything when there was none)
    new_seen: Counter = field(default_factory=Counter)
    new_commits: list = field(default_factory=list)
    new_merges: list = field(default_factory=list)


def _by_time_and_id(item) -> tuple:
    return item.time, item.id


def resolve(counted: list, merged: list, mailmap, data: CommunityData, base: Resolved | None = None) -> Resolved | None:
    """Resolve the records of non-merge (`counted`) and merge commits (`merged`), on top of `base`
    when given. Returns None when the new commits would change the id or the bot flag of someone
    the base already resolved (their commits would then have to be resolved again)."""
    ids = Identities(mailmap, data)
    A_NAME, A_EMAIL, A_TIME, TRAILERS, SUMMARY = h.AUTHOR_NAME, h.AUTHOR_EMAIL, h.AUTHOR_TIME, h.TRAILERS, h.SUMMARY
    # every (name, e-mail) as written, with how often it occurs: resolved once each
    new_seen = Counter([(r[A_NAME], r[A_EMAIL]) for r in counted])
    new_seen.update([(r[A_NAME], r[A_EMAIL]) for r in merged])
    counted_trailers = h.counted_trailers
    new_seen.update([(n, e) for r in counted for _, n, e in counted_trailers(r[TRAILERS])])
    if base is not None:
        seen = Counter(base.seen)
        seen.update(new_seen)
    else:
        seen = new_seen
    key_of = {raw: ids.key(raw[0], raw[1], n) for raw, n in seen.items()}
    pid_of = ids.finish()
    people = ids.people
    who = {raw: pid_of[key] for raw, key in key_of.items()}
    bot = {pid: p.bot for pid, p in people.items()}
    if base is not None:
        for raw, pid in base.who.items():
            if who[raw] != pid or bot[pid] != base.bots[pid]:
                return None
    month_of_day: dict[int, str] = {}

    def month(ts: int) -> str:
        m = month_of_day.get(ts // 86400)
        if m is None:
            m = month_of_day[ts // 86400] = month_of_ts(ts)
        return m

    commits = []
    append = commits.append
    for r in counted:
        author = who[(r[A_NAME], r[A_EMAIL])]
        trailers = r[TRAILERS]
        if trailers:
            co, rev, sig = [], [], []
            for kind, n, e in counted_trailers(trailers):
                pid = who[(n, e)]
                target = co if kind == "co-authored-by" else sig if kind == "signed-off-by" else rev
                if pid != author and pid not in target:
                    target.append(pid)
            co, rev, sig = tuple(co), tuple(rev), tuple(sig)
        else:
            co = rev = sig = ()
        added, removed, doc, code_added, code_removed = r[SUMMARY]
        t = r[A_TIME]
        append(Commit(r[h.ID], author, t, r[h.AUTHOR_OFFSET], month(t), added, removed, doc,
                      co, rev, sig, bot[author], h.trailers_capped(trailers), code_added, code_removed))
    merges = [Merge(r[h.ID], who[(r[A_NAME], r[A_EMAIL])], r[A_TIME], month(r[A_TIME]), r[h.FORGE_MERGE])
              for r in merged]
    added_commits, added_merges = commits, merges
    if base is not None and len(commits) + len(merges) <= 256:  # a few new ones: put in place
        new_commits, new_merges = commits, merges
        commits, merges = list(base.commits), list(base.merges)
        for c in new_commits:
            insort(commits, c, key=_by_time_and_id)
        for m in new_merges:
            insort(merges, m, key=_by_time_and_id)
    else:
        if base is not None:
            commits = base.commits + commits
            merges = base.merges + merges
        commits.sort(key=_by_time_and_id)
        merges.sort(key=_by_time_and_id)
    return Resolved(ids, seen, who, {pid: bot[pid] for pid in set(who.values())}, commits, merges,
                    new_seen, added_commits, added_merges)


def resolve_history(history: h.History, data: CommunityData) -> Resolved:
    records = history.records
    return resolve([records[cid] for cid in history.counted], [records[cid] for cid in history.merges],
                   history.mailmap, data)


_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
NOTE_IDS = 3  # commits a note of the build log names; it counts the others


def _listed(ids: list[str]) -> str:
    """The first NOTE_IDS of `ids` (commit ids shortened, other names as they are), then a count."""
    shown = ", ".join(cid[:12] if _COMMIT_ID.fullmatch(cid) else cid for cid in ids[:NOTE_IDS])
    return shown + (f" and {len(ids) - NOTE_IDS} more" if len(ids) > NOTE_IDS else "")


def history_notes(commits: list[Commit], merges: list[Merge], tip: str | None, as_of: tuple[int, int] | None,
                  tags) -> list[str]:
    """What the build log says about commits read differently from what they claim: dates outside
    the supported window (clamped) and more trailers than are counted (capped). One line each."""
    notes = []
    first, last, most = h.EARLIEST_TIME, h.LATEST_TIME, h.MAX_OFFSET  # `is_clamped`, inlined: one per commit
    clamped = [c.id for c in commits if c.time == first or c.time == last or c.offset == most or c.offset == -most]
    clamped.extend(m.id for m in merges if h.is_clamped(m.time))
    if as_of is not None and h.is_clamped(*as_of):
        clamped.append(f"the committer date of {(tip or '')[:12]}")
    clamped.extend(f"tag {t.name}" for t in tags if h.is_clamped(t.time, t.offset))
    if clamped:
        notes.append(f"dates outside 1900-01-01 to 9999-01-01, or time zone offsets of a day or more, "
                     f"were read as the nearest date or offset inside them: {_listed(clamped)} "
                     "(a commit's date is fixed once made; figures count them at the clamped date)")
    capped = [c.id for c in commits if c.capped]
    if capped:
        notes.append(f"commits naming more than {h.MAX_TRAILERS} people in Co-authored-by, Reviewed-by, "
                     f"Acked-by and Signed-off-by trailers count only the first {h.MAX_TRAILERS}: {_listed(capped)}")
    return notes


class Context:
    def __init__(self, history: h.History, data: CommunityData, resolved: Resolved | None = None) -> None:
        self.history = history
        self.data = data
        self.memo: dict = {}  # results indicators share within one report
        self._dated: dict = {}  # (id of a list, key) -> (the list, {month: its items}); see dated_in
        if resolved is None:
            resolved = resolve_history(history, data)
        self.resolved = resolved
        self.ids = resolved.ids
        people = self.ids.people
        self.commits: list[Commit] = resolved.commits
        self.merges: list[Merge] = resolved.merges
        # people named only in the data files
        for event in data.events:
            for pid in event.organisers + event.participants:
                self.ids.ensure(pid)
        for k in data.kudos:
            for pid in (k.giver, k.receiver):
                if pid:
                    self.ids.ensure(pid)
        for r in data.contributions:
            self.ids.ensure(r.who)
        for d in data.decisions:
            for pid in d.proposed_by + d.participants:
                self.ids.ensure(pid)
        for m in data.mentions:
            for pid in m.people:
                self.ids.ensure(pid)
        for e in data.ledger:
            if e.by:
                self.ids.ensure(e.by)
        for p in data.projects:
            for pid in p.leads:
                self.ids.ensure(pid)
        self.kinds = kinds_of(data.kinds, dimensions_of(data))  # the contribution kinds, with the config's weights
        self.people: dict[str, Identity] = people
        self.humans = {pid for pid, p in people.items() if not p.bot}

        self.by_month: dict[str, list[Commit]] = defaultdict(list)
        for c in self.commits:
            self.by_month[c.month].append(c)
        self.authors = dict.fromkeys(c.author for c in self.commits)  # who authored a commit, first ones first
        self.merges_by_month: dict[str, list[Merge]] = defaultdict(list)
        for m in self.merges:
            self.merges_by_month[m.month].append(m)

        if history.as_of is not None:
            self.as_of = history.as_of[0]
        else:
            self.as_of = max((c.time for c in self.commits), default=0)
        dated = [c.month for c in self.commits[:1] + self.commits[-1:]]
        for items in (data.events, data.ledger, data.usage, data.kudos, data.contributions, data.decisions,
                      data.mentions, data.impact, data.surveys):  # indicators read them by month
            dated.extend(m for m in self._by_month(items, "date") if m)
        for project in data.projects:
            dated.extend(m for m in (month_of(g.done_at) for g in project.goals) if m)
        dated.extend(month_of_ts(t.time) for t in history.tags)
        if history.as_of is not None:
            dated.append(month_of_ts(self.as_of))
        anchor = month_of_ts(self.as_of) if self.commits or history.as_of is not None else None
        self.months = series_months(dated, anchor, data.window)
        self.notes = history_notes(self.commits, self.merges, history.commit, history.as_of, history.tags)
        # when each commit and data record landed on the default branch (value/landed.py), set by
        # the report (`report.report_from`); None: every record lands on its own date
        self.landing = None

    # -- helpers the indicators share ------------------------------------------------------
    def commits_in(self, month: str | None) -> list[Commit]:
        return self.commits if month is None else self.by_month.get(month, [])

    def human_commits_in(self, month: str | None) -> list[Commit]:
        return [c for c in self.commits_in(month) if not c.bot]

    def dated_in(self, items, month: str | None, key: str = "date") -> list:
        """The items whose `key` falls in the month (all of them for None), in their order.

        Indicators ask this for every month: the items are sorted into months once per (list,
        key), instead of reading every date again for each month. The lists are the report's
        inputs and do not change while it is built."""
        if month is None:
            return list(items)
        return list(self._by_month(items, key).get(month, ()))

    def _by_month(self, items, key: str) -> dict:
        """{month (None when undated): the items dated in it, in their order}, built once."""
        entry = self._dated.get((id(items), key))
        if entry is None:
            by_month: dict = {}
            for i in items:
                by_month.setdefault(month_of(getattr(i, key)), []).append(i)
            # holding the list keeps its id from being given to another one while the entry lives
            entry = self._dated[(id(items), key)] = (items, by_month)
        return entry[1]

    def period_end(self, month: str | None) -> int:
        return self.as_of + 1 if month is None else month_end_ts(month)
