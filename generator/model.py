"""The content model: what a community repository says, validated and typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .vocabulary import INCOME_KINDS, OPENING_KINDS


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Forge:
    kind: str  # github | gitlab
    repo: str  # owner/name (GitLab: group/sub/name)
    branch: str = "main"
    host: str = ""
    path: str = ""  # the community's folder inside the repository
    api: str = ""  # the forge's API base URL (`fetch --forge`); empty: the one `host` implies

    @property
    def base(self) -> str:
        host = self.host.rstrip("/") or ("https://github.com" if self.kind == "github" else "https://gitlab.com")
        return f"{host}/{self.repo}"


@dataclass(frozen=True)
class Config:
    title: str
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    forge: Forge | None = None
    weights: dict = field(default_factory=dict)
    bots: tuple[str, ...] = ()
    salary: tuple[Decimal, str] = (Decimal("55000"), "USD")
    inactive_days: int = 180
    kinds: dict = field(default_factory=dict)  # value.kinds: kind -> weight or {"weight", "dimension"}
    non_members: str = "name"
    opt_out: frozenset[str] = frozenset()  # names and addresses, lower-cased: shown under a pseudonym
    feed_entries: int = 20
    history: str = "folder"  # folder | repository: the commits value counts (see value_scope)
    paths: tuple[str, ...] = ()  # only the commits that touch one of these count (value/history.py)
    # The window every date of the data lies in (`dates` in commonplace.yaml; the loader fills in
    # the defaults: 1970-01-01 to ten years after the commit built).
    earliest: date | None = None
    latest: date | None = None
    advice: dict = field(default_factory=dict)  # rule -> {threshold, enabled} (value/advice.py)
    currencies: dict = field(default_factory=dict)  # code -> value.money.Unit: `currencies:`, community currencies
    min_respondents: int = 5  # surveys: fewer respondents are shown as a total only (generator/load/surveys.py)


@dataclass(frozen=True)
class Community:
    name: str
    mission: str
    license: str
    areas: tuple[str, ...]
    tagline: str = ""
    data_license: str = ""
    governance: str = ""
    legal_form: str = ""
    economic_model: str = ""
    scope: str = ""
    location: str = ""
    founded: date | None = None
    contact: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Member:
    handle: str
    name: str
    source: str
    emails: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliation: str = ""
    bio: str = ""
    links: tuple[Link, ...] = ()
    visibility: str = "public"  # public | pseudonymous | hidden
    joined: date | None = None
    signing_keys: tuple[str, ...] = ()  # SSH public keys as "<type> <base64>", comments left out
    github: str = ""  # login, as written (matched case-insensitively: see load/logins.py)
    gitlab: str = ""  # username, as written


@dataclass(frozen=True)
class Goal:
    title: str
    done: bool = False
    done_at: date | None = None
    note: str = ""
    line: int = 0  # of the goal in the project file


@dataclass(frozen=True)
class Project:
    slug: str
    title: str
    source: str
    body: str = ""
    summary: str = ""
    status: str = "active"
    leads: tuple[str, ...] = ()
    started: date | None = None
    due: date | None = None
    goals: tuple[Goal, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def goals_done(self) -> int:
        return sum(1 for g in self.goals if g.done)

    @property
    def progress(self) -> int:
        """Whole percent of goals done (0 when the project has no goals)."""
        return (100 * self.goals_done) // len(self.goals) if self.goals else 0


@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    date: date
    source: str
    body: str = ""
    end_date: date | None = None
    kind: str = "other"
    location: str = ""
    online: bool = False
    organisers: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    guests: int = 0
    summary: str = ""
    links: tuple[Link, ...] = ()
    organiser_lines: tuple[int, ...] = ()  # the line of each organiser in the file
    participant_lines: tuple[int, ...] = ()  # the line of each participant
    time: str = ""  # "HH:MM", local time in `timezone` ("" for an all-day event); see render/calendar.py
    end_time: str = ""
    timezone: str = ""  # an IANA name, checked against zoneinfo when loaded


@dataclass(frozen=True)
class LedgerEntry:
    date: date
    amount: Decimal
    currency: str
    kind: str  # donation | grant | sale | expense | reward | opening_balance | transfer
    source: str
    line: int
    party_from: str = ""
    party_to: str = ""
    project: str = ""
    note: str = ""
    reference: str = ""
    by: str = ""  # the member who raised an income (a grant written, a sale made)
    plan: str = ""  # the reward plan a payout pays out (rewards/<plan>.yaml)

    @property
    def incoming(self) -> bool:
        return self.kind in INCOME_KINDS

    @property
    def adds(self) -> bool:
        """Money added to the balance: income, or an opening balance (which is not income)."""
        return self.kind in INCOME_KINDS or self.kind in OPENING_KINDS


@dataclass(frozen=True)
class Usage:
    date: date
    kind: str
    source: str
    line: int
    count: int | None = None
    quote: str = ""
    reported_by: str = ""
    project: str = ""
    note: str = ""


@dataclass(frozen=True)
class Impact:
    """A record of `impact/*.yaml`: an amount of one indicator in one unit, with its evidence.
    Amounts are added only with those of the same (indicator, unit)."""

    date: date
    indicator: str
    amount: Decimal
    unit: str
    evidence: str
    source: str
    line: int
    project: str = ""
    people: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class SurveyQuestion:
    """A question of a survey: its ordered answers and how many chose each (aggregated only)."""

    question: str
    scale: tuple[str, ...]
    counts: tuple[int, ...]  # one per label of `scale`, in its order
    line: int
    multiple: bool = False


@dataclass(frozen=True)
class Survey:
    """`surveys/<slug>.yaml`: the aggregated results of one survey, never individual responses."""

    slug: str
    title: str
    date: date
    respondents: int
    source: str
    questions: tuple[SurveyQuestion, ...] = ()
    description: str = ""
    url: str = ""


@dataclass(frozen=True)
class Kudos:
    giver: str
    receiver: str
    date: date
    reason: str
    source: str
    line: int
    dimension: str = ""


@dataclass(frozen=True)
class Contribution:
    """A record of `contributions/*.yaml`: work done outside git."""

    date: date
    who: str
    kind: str
    description: str
    source: str
    line: int
    hours: Decimal | None = None
    dimension: str = ""  # the kind's dimension when empty


@dataclass(frozen=True)
class Decision:
    """A decision of `decisions/<slug>.md`: its proposal is the body."""

    slug: str
    title: str
    date: date
    status: str  # proposed | accepted | rejected | superseded
    source: str
    proposed_by: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    outcome: str = ""
    superseded_by: str = ""
    body: str = ""
    proposer_lines: tuple[int, ...] = ()  # the line of each proposer in the file
    participant_lines: tuple[int, ...] = ()  # the line of each participant
    superseded_at: tuple[int, int] = (1, 1)  # (line, column) of `superseded_by`


@dataclass(frozen=True)
class Mention:
    """An entry of `mentions/*.yaml`: the world outside speaking of the community."""

    date: date
    kind: str  # press | citation | award | talk | dependent
    title: str
    url: str
    source: str
    line: int
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class FreePage:
    """A free page of `pages/*.md` (about, join, code of conduct)."""

    slug: str
    title: str
    source: str
    body: str = ""
    summary: str = ""
    order: int = 100
    menu: bool = True


@dataclass(frozen=True)
class RewardPlan:
    slug: str
    budget: Decimal
    currency: str
    policy: str
    start: date
    end: date
    source: str
    title: str = ""
    decay: Decimal = Decimal("0.5")
    note: str = ""
    recipients: str = "members"  # members | all: who may be paid (a non-member has no way to be)
    verified: bool = False  # count only the records of commits signed with their author's key
    settled: "Settlement | None" = None  # the split written by `rewards --settle`: the plan's truth


@dataclass(frozen=True)
class Settlement:
    """A plan's `settled:` block: the commit its split was computed at, the day it was settled,
    and each recipient's amount (by member id, or contributor id when the plan pays everyone),
    with where each is written (line, column of its id)."""

    as_of: str
    date: date
    amounts: tuple[tuple[str, Decimal], ...]
    line: int  # the line of `settled:`
    amount_at: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Peer:
    name: str
    url: str
    relation: str
    source: str
    line: int
    title: str = ""
    branch: str = "main"
    mode: str = "git"
    path: str = ""
    data_branch: str = ""


@dataclass(frozen=True)
class Discover:
    """`discover:` of federation.yaml: follow peers of peers up to `depth` steps (the declared
    peers are step 1), adding at most `max` communities."""

    depth: int = 2
    max: int = 500


@dataclass
class Model:
    """Everything loaded from one community repository, in a stable order."""

    root: Path
    config: Config
    community: Community
    members: dict[str, Member] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    pages: dict[str, FreePage] = field(default_factory=dict)
    ledger: list[LedgerEntry] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    kudos: list[Kudos] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    impact: list[Impact] = field(default_factory=list)
    surveys: dict[str, Survey] = field(default_factory=dict)
    rewards: dict[str, RewardPlan] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    peers: list[Peer] = field(default_factory=list)
    discover: Discover | None = None  # federation.yaml's discover: (a directory node)
    funding: tuple[Link, ...] = ()  # from .github/FUNDING.yml
    citation: object = None  # ecosystem.Citation from CITATION.cff
    recognition: dict = field(default_factory=dict)  # handle -> contribution types (.all-contributorsrc)
    codeowners: object = None  # codeowners.Codeowners from CODEOWNERS, owners resolved to members
    documents: dict = field(default_factory=dict)  # kind -> file with it (load/documents.py)
    catalogue: object = None  # i18n.Catalogue of config.language, read once by the loader
    warnings: list = field(default_factory=list)
    # {plan slug: value.rewards.Split}: each settled plan as this version computes it at its as_of
    # (None when that commit cannot be read), set by the build's value stage (generator.settlement)
    settled_splits: dict = field(default_factory=dict)
    # key -> a data file's pickled parse (`load.parse`), by the build cache the loader filled: the
    # data files at old commits (generator/landedfiles.py) are mostly texts it parsed already
    parses: object = field(default=None, repr=False, compare=False)

