"""Permanent anchors for what the feeds announce: each entry's id is its page's address and one
of these, and the page carries the same anchor, so a feed entry links to its row or heading.

An anchor is made from the entry's own identity, never from its place in a list: adding or
removing other entries (or other lines of the same file) changes none. A ledger entry is known by
its file and the fields the feed shows (date, kind, currency, amount, from, to), a goal by its
project and title, a testimonial by its file, project, date and words; an event, a project's start
and a member's joining are one per page. Entries identical in all of these are told apart by a
counter in the data's order (`-2`, `-3`...): only they renumber among themselves.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

EVENT = "event"
STARTED = "started"
JOINED = "joined"
DECISION = "decision"


def digest(*parts: object) -> str:
    """Ten hex digits of the parts' SHA-256: enough to tell apart the entries of one page."""
    text = "\0".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _numbered(names: Iterable[str]) -> list[str]:
    """Each name, with `-n` after its n-th repetition (n >= 2)."""
    seen: Counter = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out


def ledger_anchors(entries) -> list[str]:
    """The anchor of each ledger entry, in the order given (the model's: by date, file, line)."""
    return _numbered(f"{e.date.isoformat()}-{e.kind.replace('_', '-')}-"
                     f"{digest(e.source, e.date.isoformat(), e.kind, e.currency, e.amount, e.party_from, e.party_to)}"
                     for e in entries)


def goal_anchors(project) -> list[str]:
    """The anchor of each goal of a project, in its order."""
    return _numbered(f"goal-{digest(project.slug, goal.title)}" for goal in project.goals)


def usage_anchors(records) -> list[str]:
    """The anchor of each usage record (a testimonial is announced), in the order given."""
    return _numbered(f"{r.kind}-{digest(r.source, r.project, r.date.isoformat(), r.quote)}" for r in records)
