"""What the value engine takes besides the history: the community's data as small frozen records.

`generator/` fills a `CommunityData` from the files it loaded and validated; `value/` never reads
those files itself (it only reads `.mailmap`, `.all-contributorsrc`, `CITATION.cff` and
`.github/FUNDING.yml` from the git tree, so any repository works without Commonplace files).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .paths import ALL_CONTRIBUTORS_PATH, CITATION_PATH, COMMUNITY_FILES, FUNDING_PATH, MAILMAP_PATH  # noqa: F401


@dataclass(frozen=True)
class MemberInput:
    """One member file (`members/<handle>.yaml`), as the engine matches identities with it."""

    id: str  # handle
    name: str
    emails: tuple[str, ...]
    affiliation: str | None = None
    visibility: str = "public"
    signing_keys: tuple[str, ...] = ()  # SSH public keys, "<type> <base64>" (see signatures.py)
    logins: tuple[str, ...] = ()  # forge logins (github:, gitlab:), case-folded: All Contributors' `login`


# Every dated input below carries `source` (the data file's path) and, for a record of its own,
# `line`: together they make a record's source, `path:line` (see value/contributions.py).
@dataclass(frozen=True)
class EventInput:
    """A community event (`events/<slug>.md`)."""

    id: str
    date: date | None
    organisers: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    guests: int = 0
    source: str | None = None
    organiser_lines: Mapping[str, int] = field(default_factory=dict)  # organiser -> line of the file
    participant_lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LedgerInput:
    """A ledger entry (`ledger/*.yaml`): money in (INCOME_KINDS) or out (SPENDING_KINDS)."""

    date: date | None
    amount: Decimal
    currency: str
    kind: str
    payer: str | None = None  # the file's `from`
    payee: str | None = None  # the file's `to`
    project: str | None = None
    by: str | None = None  # who raised an income
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class UsageInput:
    """Evidence of social use (`usage/*.yaml`)."""

    date: date | None
    kind: str
    count: int | None = None
    quote: str | None = None
    project: str | None = None
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class ImpactInput:
    """Impact the community's work had (`impact/*.yaml`): an exact amount of one indicator in one
    unit; amounts of different units are never added."""

    date: date | None
    indicator: str
    amount: Decimal
    unit: str
    project: str | None = None
    people: tuple[str, ...] = ()
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class SurveyInput:
    """A survey's totals (`surveys/*.yaml`): only what social use value counts of it."""

    id: str
    date: date | None
    respondents: int
    source: str | None = None


@dataclass(frozen=True)
class KudosInput:
    """Peer recognition (`kudos/*.yaml`): the file's `from` is the giver, `to` the receiver."""

    giver: str | None
    receiver: str | None
    date: date | None
    reason: str = ""  # the file's `for`
    dimension: str | None = None
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class GoalInput:
    title: str
    done: bool = False
    done_at: date | None = None
    line: int | None = None


@dataclass(frozen=True)
class ProjectInput:
    """A project (`projects/<slug>.md`): its goals are credited to its leads."""

    id: str
    title: str = ""
    status: str = ""
    leads: tuple[str, ...] = ()
    goals: tuple[GoalInput, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class ContributionInput:
    """Work done outside git (`contributions/*.yaml`)."""

    date: date | None
    who: str
    kind: str
    hours: float | None = None
    description: str = ""
    dimension: str | None = None
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class DecisionInput:
    """A decision (`decisions/<slug>.md`): its proposers and participants take part in governance."""

    id: str
    date: date | None
    status: str = "accepted"
    proposed_by: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    source: str | None = None
    proposer_lines: Mapping[str, int] = field(default_factory=dict)  # proposer -> line of the file
    participant_lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MentionInput:
    """External reputation (`mentions/*.yaml`): press, citations, awards, talks, dependents."""

    date: date | None
    kind: str
    title: str = ""
    url: str = ""
    people: tuple[str, ...] = ()  # the members it is about; none: the community's
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class CommunityData:
    """Everything the generator loaded, as plain values; every field may be left empty.

    `periods` are the reward plans' periods, (start, end) days: the engine computes cred as of
    each end (the report's `cred_as_of`), so that later work never changes a closed plan.
    `window` bounds the monthly series (see `context.series_months`).
    `kinds` is `value.kinds` of commonplace.yaml: {kind: weight or {"weight", "dimension"}}.
    """

    members: tuple[MemberInput, ...] = ()
    events: tuple[EventInput, ...] = ()
    ledger: tuple[LedgerInput, ...] = ()
    usage: tuple[UsageInput, ...] = ()
    kudos: tuple[KudosInput, ...] = ()
    projects: tuple[ProjectInput, ...] = ()
    contributions: tuple[ContributionInput, ...] = ()
    decisions: tuple[DecisionInput, ...] = ()
    mentions: tuple[MentionInput, ...] = ()
    impact: tuple[ImpactInput, ...] = ()  # none: the report has no ecological value dimension
    surveys: tuple[SurveyInput, ...] = ()
    kinds: dict | None = None  # kind -> weight, or {"weight", "dimension"}; default: contributions.KINDS
    weights: dict | None = None  # dimension -> weight; default equal
    bots: tuple[str, ...] = ()  # ids, names or e-mails declared bots in the config
    salary: tuple[Decimal, str] = (Decimal("55000"), "USD")
    inactive_days: int = 180
    peers: int = 0  # federation peers declared
    periods: tuple[tuple[date, date], ...] = ()  # reward plans' (start, end): cred as of each end
    # The first and last day the data may hold (`dates` in commonplace.yaml): monthly series never
    # run outside it, whatever date a commit's author gave. None: see context.series_months.
    window: tuple[date, date] | None = None
    # The `.mailmap` text authors are resolved with, when the caller read it (a build of a work
    # tree reads the work tree's, uncommitted edits included); None: the engine reads it from the
    # commit it counts.
    mailmap: str | None = None
