"""How people appear on the published site: by name, under a stable pseudonym, or not at all.

Every place that shows a person goes through `People`, so a member's choice of visibility holds
on every page, chart and data file alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from value.identities import is_bot, slugify

from .model import Member

_ADJECTIVES = (
    "Amber Bold Brave Bright Calm Clever Coral Cosmic Curious Deft Eager Fair Gentle Golden Green "
    "Humble Indigo Jolly Keen Kind Lively Lucky Mellow Merry Nimble Noble Patient Quiet Rapid "
    "Rustic Silver Steady Sunny Swift Tidy Valiant Vivid Wise Witty Zesty"
).split()
_ANIMALS = (
    "Badger Beaver Bison Crane Dolphin Falcon Ferret Finch Fox Gecko Hare Heron Ibis Jay Koala "
    "Lark Lemur Lynx Marten Moose Newt Otter Owl Panda Puffin Quail Raven Robin Salmon Seal "
    "Sparrow Stoat Swan Tapir Toad Trout Vole Walrus Wren Yak"
).split()


@dataclass(frozen=True)
class Person:
    """A person as the site shows them."""

    key: str  # member handle or contributor id; never published for pseudonymous people
    name: str
    slug: str | None  # page under members/, None when the person has no page
    pseudonymous: bool = False
    member: Member | None = None


def pseudonym(key: str, salt: str) -> str:
    digest = hashlib.sha256(f"commonplace-pseudonym\0{salt}\0{key}".encode()).digest()
    adjective = _ADJECTIVES[int.from_bytes(digest[:4], "big") % len(_ADJECTIVES)]
    animal = _ANIMALS[int.from_bytes(digest[4:8], "big") % len(_ANIMALS)]
    return f"{adjective} {animal}"


class People:
    """Resolves handles to what may be shown; hidden members resolve to None."""

    def __init__(self, members: dict[str, Member], salt: str):
        self._people: dict[str, Person] = {}
        self._hidden: set[str] = set()
        taken: set[str] = set(members)
        for handle in sorted(members):
            # Templates reach members only through here, and a community's own theme is a
            # template too: the addresses that match commits to people never reach one.
            member = replace(members[handle], emails=())
            if member.visibility == "hidden":
                self._hidden.add(handle)
            elif member.visibility == "pseudonymous":
                name = pseudonym(handle, salt)
                slug, n = slugify(name), 2
                while slug in taken:  # two pseudonyms (or a real handle) may collide
                    slug, n = f"{slugify(name)}-{n}", n + 1
                    name = f"{pseudonym(handle, salt)} {n - 1}"
                taken.add(slug)
                # What would lead back to the person stays out of every template's reach.
                member = replace(member, name=name, source="", affiliation="", bio="", links=(), joined=None,
                                 github="", gitlab="")
                self._people[handle] = Person(handle, name, slug, True, member)
            else:
                self._people[handle] = Person(handle, member.name, handle, False, member)

    def get(self, handle: str) -> Person | None:
        return self._people.get(handle)

    def only(self, handles) -> People:
        """The same people, restricted to these handles: what one page may look up, so that the
        page depends on them only (see render.pagekeys)."""
        handles = list(handles)
        subset = object.__new__(People)
        subset._people = {h: self._people[h] for h in sorted(set(handles)) if h in self._people}
        subset._hidden = {h for h in handles if h in self._hidden}
        return subset

    def is_hidden(self, handle: str) -> bool:
        return handle in self._hidden

    def shown(self, handles) -> list[Person]:
        """The people of a list that may be shown, in the list's order."""
        return [p for p in (self.get(h) for h in handles) if p is not None]

    def listed(self) -> list[Person]:
        """Every member with a page, sorted by displayed name."""
        return sorted(self._people.values(), key=lambda p: (p.name.lower(), p.slug))


def names_someone_unnamed(people: tuple[tuple[str, str], ...], committers: tuple[tuple[str, str], ...],
                          members: dict[str, Member], non_members: str, opt_out: frozenset[str] = frozenset()) -> bool:
    """Whether a commit names, in its author, trailer or committer lines ((name, e-mail) pairs), a
    person the site does not show by name: a pseudonymous or hidden member, or (author and trailers
    only: a forge's own committer is no one) a non-member the site shows under a pseudonym (all of
    them, or those who opted out, `opt_out`, by name or address). Such a
    commit's id is never published: `git log -1 <id>` prints those lines."""
    visibility = {e.strip().lower(): m.visibility for m in members.values() for e in m.emails}
    for name, email in people:
        seen = visibility.get(email.strip().lower())
        if seen in ("pseudonymous", "hidden"):
            return True
        shown_as_pseudonym = (non_members == "pseudonym" or "@" in name
                              or name.strip().lower() in opt_out or email.strip().lower() in opt_out)
        if seen is None and not is_bot((name,), (email,)) and shown_as_pseudonym:
            return True
    return any(visibility.get(email.strip().lower()) in ("pseudonymous", "hidden") for _, email in committers)
