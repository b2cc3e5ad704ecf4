"""Whose commits an identity change moves: the same commits resolved under two sets of identities.

A commit belongs to the member whose file lists its mailmap-resolved author address, otherwise to
that address alone (VALUE.md, "Identity"). A change to `.mailmap` or to the members' e-mail lists
can therefore give existing commits to someone else. `identity_moves` resolves the authors of a
set of commits under the old identities (`.mailmap` text and members) and under the new ones, and
returns every author whose commits change hands, with how many. Names and addresses in a `Move`
are as written in the history: for local use; whoever publishes it shows people their own way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .identities import Identities
from .inputs import CommunityData
from .mailmap import Mailmap


@dataclass(frozen=True)
class ResolvedAuthor:
    """One author as one set of identities resolves them."""

    id: str  # contributor id (a member's handle, or a slug of the name)
    name: str  # the member's name, or the name used most with the address
    member: bool
    key: str  # the mailmap-resolved address, lower-cased


@dataclass(frozen=True)
class Move:
    name: str  # the author as written in the commits
    email: str
    commits: int
    before: ResolvedAuthor
    after: ResolvedAuthor


def _resolve(authors: Counter, mailmap: Mailmap, data: CommunityData) -> dict[tuple[str, str], ResolvedAuthor]:
    ids = Identities(mailmap, data)
    keys = {raw: ids.key(raw[0], raw[1], n) for raw, n in authors.items()}
    pid_of = ids.finish()
    sides = {}
    for raw, key in keys.items():
        person = ids.people[pid_of[key]]
        sides[raw] = ResolvedAuthor(person.id, person.name, person.member, key)
    return sides


def _owner(side: ResolvedAuthor) -> tuple[str, str]:
    """Who a commit counts for: a member, or an address that is nobody's member file's."""
    return ("member", side.id) if side.member else ("address", side.key)


def identity_moves(authors: Counter, before: tuple[Mailmap, CommunityData],
                   after: tuple[Mailmap, CommunityData]) -> list[Move]:
    """`authors`: {(name, e-mail) as written: number of commits}. The authors whose commits count
    for someone else after the change, sorted by the number of commits (most first), then author."""
    old = _resolve(authors, *before)
    new = _resolve(authors, *after)
    moves = [Move(raw[0], raw[1], n, old[raw], new[raw]) for raw, n in authors.items()
             if _owner(old[raw]) != _owner(new[raw])]
    return sorted(moves, key=lambda m: (-m.commits, m.email, m.name))
