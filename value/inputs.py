"""What the value engine takes besides the history: the community's data as plain values.

`generator/` fills a `CommunityData` from the files it loaded and validated; `value/` never reads
those files itself (it only reads `.mailmap`, `.all-contributorsrc`, `CITATION.cff` and
`.github/FUNDING.yml` from the git tree, so any repository works without Commonplace files).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# The files the engine reads from the git tree itself (any repository may have them), and the
# generator reads from the work tree: one list for both.
MAILMAP_PATH = ".mailmap"
ALL_CONTRIBUTORS_PATH = ".all-contributorsrc"
CITATION_PATH = "CITATION.cff"
FUNDING_PATH = ".github/FUNDING.yml"
COMMUNITY_FILES = (ALL_CONTRIBUTORS_PATH, CITATION_PATH, FUNDING_PATH)


@dataclass(frozen=True)
class Person:
    """One member file (`members/<handle>.yaml`)."""

    id: str  # handle
    name: str
    emails: tuple[str, ...]
    affiliation: str | None = None
    visibility: str = "public"
    signing_keys: tuple[str, ...] = ()  # SSH public keys, "<type> <base64>" (see signatures.py)
    logins: tuple[str, ...] = ()  # forge logins (github:, gitlab:), case-folded: All Contributors' `login`


@dataclass(frozen=True)
class CommunityData:
    """Everything the generator loaded, as plain values; every field may be left empty.

    events:   {"id", "date": date, "organisers": [ids], "participants": [ids], "guests": int,
               + optional "source": path, "lines": {"organisers"|"participants": {id: line}}}
    ledger:   {"date": date, "amount": Decimal, "currency": str,
               "kind": donation|grant|sale|expense|reward, "from", "to", "project",
               + optional "by": id (who raised an income), "source": path, "line": int}
    usage:    {"date": date, "kind": str, "count": int|None, "quote": str|None, "project",
               + optional "source", "line"}
    kudos:    {"from": id, "to": id, "date": date, "for": str, "dimension": str|None,
               + optional "source", "line"}
    projects: {"id", "title", "status", "goals": [{"title", "done": bool, "done_at": date|None,
               + optional "line"}], "leads": [ids] (optional), + optional "source"}
    contributions: {"date": date, "who": id, "kind": str, "hours": number|None,
               "description": str, "dimension": str|None, "source": path, "line": int}
               (work done outside git: `contributions/*.yaml`)

    `source` and `line` make a record's source (`path:line`, see value/contributions.py).
    `periods` are the reward plans' periods, (start, end) days: the engine computes cred as of
    each end (the report's `cred_as_of`), so that later work never changes a closed plan.
    `window` bounds the monthly series (see `context.series_months`).
    `kinds` is `value.kinds` of commonplace.yaml: {kind: weight or {"weight", "dimension"}}.
    """

    members: tuple[Person, ...] = ()
    events: tuple[dict, ...] = ()
    ledger: tuple[dict, ...] = ()
    usage: tuple[dict, ...] = ()
    kudos: tuple[dict, ...] = ()
    projects: tuple[dict, ...] = ()
    contributions: tuple[dict, ...] = ()
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
