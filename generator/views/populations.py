"""The people the site counts, defined once (VALUE.md, "Community building"), and how the
populations relate: every page that gives a number of people takes it from here.

- members: member files (hidden members included: counted, never named);
- contributors: people, not bots, with at least one contribution record; `members` of them have
  a member file, `others` do not; `hidden` of them are members who asked not to be listed, and
  `listed` are the rest (by name or pseudonym);
- active: contributors with a record of something they did in the last `days` days
  (`value.populations`: the engine's figure);
- with a commit: the people the onion of participation sorts (commits authored);
- bots: automated accounts, counted apart and in none of the above.

A monthly people figure becomes a yearly chart point through a `Tally` (charts.Tally): the
month's people, joined over the year and counted once, never a mean of months.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from value import populations
from value.contributions import from_report
from value.dimensions.community_building import absence_factor
from value.report_types import Report

from ..i18n import Catalogue
from ..people import People


@dataclass(frozen=True)
class Populations:
    """The counts of each population of people, for one build."""

    members: int  # member files
    contributors: int  # people with a record
    member_contributors: int  # contributors with a member file
    others: int  # contributors without one
    hidden: int  # contributors not listed at their request (hidden members)
    listed: int  # contributors the site names (publicly or by pseudonym)
    idle_members: int  # members with no record yet
    active: int | None  # contributors active in the last `days` days (None without a report)
    days: int
    committers: int  # people with a commit authored: the onion's people
    bots: int


def has_records(row: dict) -> bool:
    """Whether a report's contributor row has a contribution record: what makes a contributor."""
    return bool(row.get("records"))


def populations_of(report: Report | None, people: People, members, days: int) -> Populations:
    """The populations of a build: `members` the member handles, `days` the activity window."""
    rows = [row for row in (report.contributors if report is not None else ()) if has_records(row)]
    with_file = sum(1 for row in rows if row.get("member"))
    hidden = sum(1 for row in rows if people.is_hidden(row["id"]))
    active = None
    if report is not None:
        active = report.dimensions.get("community_building", {}).get("active_contributors")
    return Populations(
        members=len(members), contributors=len(rows), member_contributors=with_file, others=len(rows) - with_file,
        hidden=hidden, listed=len(rows) - hidden, idle_members=max(0, len(members) - with_file), active=active,
        days=days, committers=sum(1 for row in rows if (row.get("commits") or 0) > 0),
        bots=len(report.bots) if report is not None else 0)


def relation(p: Populations, catalogue: Catalogue) -> str:
    """How the populations relate, in one line: "17 contributors: 13 members and 4 others; 1 not
    listed at their request. 15 active in the last 180 days." (and members with no record yet,
    and bots, when there are any)."""
    if not p.contributors:
        return ""
    parts = [catalogue.ngettext("{n} contributor", "{n} contributors", p.contributors) + ": "
             + catalogue.gettext("{members} and {others}",
                                 members=catalogue.ngettext("{n} member", "{n} members", p.member_contributors),
                                 others=catalogue.ngettext("{n} other", "{n} others", p.others))]
    if p.hidden:
        parts.append(catalogue.ngettext("{n} not listed at their request", "{n} not listed at their request", p.hidden))
    if p.idle_members:
        parts.append(catalogue.ngettext("{n} more member with no record yet", "{n} more members with no record yet",
                                        p.idle_members))
    line = "; ".join(parts) + "."
    if p.active is not None:
        line += " " + catalogue.gettext("{active} in the last {days} days.",
                                        active=catalogue.ngettext("{n} active", "{n} active", p.active),
                                        days=catalogue.number(p.days))
    if p.bots:
        line += " " + catalogue.ngettext("{n} automated account counted apart.", "{n} automated accounts counted apart.",
                                         p.bots)
    return line


# -- yearly points of people figures ---------------------------------------------------------
@dataclass(frozen=True)
class PeopleTally:
    """The people of a month (`ids`, less those in `less`): a longer period joins its months and
    counts each person once. `less` makes "returning" = active - new over the same period."""

    ids: frozenset
    less: frozenset = frozenset()
    words: str = ""

    def joined(self, other: PeopleTally) -> PeopleTally:
        return PeopleTally(self.ids | other.ids, self.less | other.less, self.words)

    def figure(self) -> int:
        return len(self.ids - self.less)


@dataclass(frozen=True)
class FactorTally:
    """Commits per person (or organisation) in a month; a longer period adds them up and takes
    the absence factor of the whole (a year's bus factor is the year's, not a mean)."""

    counts: Counter = field(default_factory=Counter)
    words: str = ""

    def joined(self, other: FactorTally) -> FactorTally:
        return FactorTally(self.counts + other.counts, self.words)

    def figure(self) -> int:
        return absence_factor(self.counts.values())


def report_day(report: Report, records) -> str | None:
    """The report's day (UTC), as the engine takes it: the tip's committer date, else the last
    commit's day; None without either."""
    as_of = report.source.as_of
    if as_of:
        moment = datetime.fromisoformat(as_of)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).date().isoformat()
    days = [r.date for r in records if r.kind == "commit"]
    return max(days) if days else None


class MonthlyPeople:
    """Each month's people, from the report's records, for the charts' yearly points."""

    def __init__(self, report: Report, affiliations: dict[str, str], kudos=(), donations=()):
        records = from_report(report)
        self.months = list(report.monthly.get("months", []))
        activity = populations.activity_days(records, report.kinds, report_day(report, records))
        # each month's active people, and each person's first month, sorted once (not per chart)
        self.active_by_month: dict[str, set] = {}
        self.first_by_month: dict[str, set] = {}
        for person, days in activity.items():
            for month in {day[:7] for day in days}:
                self.active_by_month.setdefault(month, set()).add(person)
            self.first_by_month.setdefault(days[0][:7], set()).add(person)
        self.commits: dict[str, Counter] = {}
        for r in records:
            if r.kind == "commit":
                self.commits.setdefault(r.date[:7], Counter())[r.person] += 1
        self.affiliations = affiliations
        self.kudos_givers: dict[str, set] = {}
        for giver, day in kudos:
            if giver and day:
                self.kudos_givers.setdefault(str(day)[:7], set()).add(giver)
        self.donors: dict[str, set] = {}
        for payer, day in donations:
            if payer and day:
                self.donors.setdefault(str(day)[:7], set()).add(payer)

    def active(self, words: str) -> list[PeopleTally]:
        """The people with activity in each month (`value.populations`: the engine's monthly figure)."""
        return [PeopleTally(frozenset(self.active_by_month.get(m, ())), words=words) for m in self.months]

    def new(self, words: str) -> list[PeopleTally]:
        """The people whose first activity ever falls in each month."""
        return [PeopleTally(frozenset(self.first_by_month.get(m, ())), words=words) for m in self.months]

    def returning(self, words: str) -> list[PeopleTally]:
        """Active people who are not new in the same period (month or year)."""
        return [PeopleTally(a.ids, n.ids, words) for a, n in zip(self.active(words), self.new(words))]

    def absence(self, words: str) -> list[FactorTally]:
        return [FactorTally(Counter(self.commits.get(m, {})), words) for m in self.months]

    def elephant(self, words: str) -> list[FactorTally]:
        result = []
        for m in self.months:
            orgs: Counter = Counter()
            for person, n in self.commits.get(m, {}).items():
                if self.affiliations.get(person):
                    orgs[self.affiliations[person]] += n
            result.append(FactorTally(orgs, words))
        return result

    def givers(self, words: str) -> list[PeopleTally]:
        return [PeopleTally(frozenset(self.kudos_givers.get(m, ())), words=words) for m in self.months]

    def donors_of(self, words: str) -> list[PeopleTally]:
        return [PeopleTally(frozenset(self.donors.get(m, ())), words=words) for m in self.months]


# Monthly figures whose year is a level at its end (the last month), not a sum.
STOCK_FIGURES = frozenset({"inactive_contributors", "users", "deployments"})


def yearly_series(key: str, unit: str, series: dict[str, list], people: MonthlyPeople | None,
                  catalogue: Catalogue) -> tuple[dict[str, list], tuple[str, ...], tuple[str, ...]]:
    """(series, stocks, means) for an indicator's trend chart, so that a year's point is the
    year's own figure: the distinct people of the year for people counted by month, the factor
    of the year's commits for a bus factor, the last month for a level, the mean for a share,
    the sum for everything else (events, commits, amounts)."""
    _ = catalogue.gettext
    if len(series) == 1 and people is not None:
        name = next(iter(series))
        distinct = _("each person counted once in the year")
        tallies = {"active_contributors": lambda: people.active(distinct),
                   "new_contributors": lambda: people.new(distinct),
                   "kudos_givers": lambda: people.givers(distinct),
                   "donors": lambda: people.donors_of(_("each donor counted once in the year")),
                   "absence_factor": lambda: people.absence(_("the factor of the year's commits")),
                   "elephant_factor": lambda: people.elephant(_("the factor of the year's commits"))}
        if key in tallies:
            return {name: tallies[key]()}, (), ()
    if key in STOCK_FIGURES:
        return series, tuple(series), ()
    if unit == "share":
        return series, (), tuple(series)
    return series, (), ()
