"""Who is counted: the one definition of the people the community figures count (VALUE.md,
"Community building").

- a *contributor* is a person (not a bot) with any contribution record;
- a person is *active* on the days of their records of something they did themselves: a commit
  authored, a co-author or review trailer, a `contributions/` record, an event organised or
  attended, a decision taken part in. Kudos received, cred, usage or a goal credited to a
  project's leads, and the lines and documentation a commit adds (its commit already counts)
  record what others did or what the engine derived: they never make a person active;
- activity is dated by the record's own date (when the work happened, not when it landed), and
  work dated after the report's day (an event planned ahead) is not activity yet.

The engine's indicators (dimensions/community_building.py) and the site's pages
(generator/views/populations.py) both count through these functions, so a figure on a page and
the same figure in `value --format json` are the same number.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Iterable, Mapping

from .kinds import CONTRIBUTIONS, KINDS

# Kinds recording something the person did, whatever their origin (`decision` once decisions
# are read); every kind from the contributions files is added by `makes_active`.
ACTION_KINDS = frozenset({"commit", "coauthor", "review", "event_organised", "event_attended", "decision"})


def _origin(kind) -> str | None:
    if kind is None:
        return None
    if isinstance(kind, Mapping):
        return kind.get("origin")
    return getattr(kind, "origin", None)


def makes_active(key: str, kinds: Mapping) -> bool:
    """Whether a record of kind `key` is something its person did. `kinds`: the report's kinds
    ({key: Kind} or the report's {key: {"origin": ...}}). A kind nobody declared can only come
    from the contributions files (the engine refuses it anywhere else): it counts."""
    if key in ACTION_KINDS:
        return True
    kind = kinds.get(key)
    if kind is None:
        return key not in KINDS
    return _origin(kind) == CONTRIBUTIONS


def activity_days(records: Iterable, kinds: Mapping, until: str | None = None,
                  people: set[str] | None = None) -> dict[str, list[str]]:
    """{person: the sorted distinct ISO days of their activity records}: records as tuples or
    Records (date, person, kind, ...), `until` the report's day (later records are left out),
    `people` the persons counted (None: everyone in the records; pass the humans to leave bots
    out)."""
    active: dict[str, bool] = {}
    days: dict[str, set[str]] = {}
    for record in records:
        day, person, kind = record[0], record[1], record[2]
        if not day or (until is not None and day > until):
            continue
        if people is not None and person not in people:
            continue
        counts = active.get(kind)
        if counts is None:
            counts = active[kind] = makes_active(kind, kinds)
        if counts:
            days.setdefault(person, set()).add(day)
    return {person: sorted(found) for person, found in sorted(days.items())}


def active_between(days: Mapping[str, list[str]], first: str, last: str) -> set[str]:
    """People with an activity day in [first, last] (ISO days, both included)."""
    found = set()
    for person, mine in days.items():
        i = bisect_left(mine, first)
        if i < len(mine) and mine[i] <= last:
            found.add(person)
    return found


def last_day_until(days: Mapping[str, list[str]], person: str, last: str) -> str | None:
    """Their last activity day on or before `last`, None when there is none."""
    mine = days.get(person) or []
    i = bisect_right(mine, last)
    return mine[i - 1] if i else None
