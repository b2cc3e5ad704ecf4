"""`.mailmap` resolution exactly as git does it (mailmap.c), e-mails and names case-insensitive.

libgit2's (and so pygit2's) mailmap compares e-mails case-sensitively, while git compares them
case-insensitively; figures must match `git log --format=%aE`, so this module follows git.
"""

from __future__ import annotations

import hashlib


def _name_and_email(text: str, allow_empty_email: bool):
    """git's parse_name_and_email: (name or None, email, rest or None) or None."""
    left = text.find("<")
    if left < 0:
        return None
    right = text.find(">", left + 1)
    if right < 0:
        return None
    if not allow_empty_email and right == left + 1:
        return None
    name = text[:left].strip() or None
    email = text[left + 1 : right]
    rest = text[right + 1 :]
    return name, email, (rest if rest else None)


def _parse(line: str) -> tuple[str | None, str, str | None, str | None] | None:
    """(new name, new e-mail, old name, old e-mail) of one line, as git's mailmap.c reads it, or
    None when the line maps nothing."""
    if line.startswith("#"):
        return None
    first = _name_and_email(line, False)
    if first is None:
        return None
    name1, email1, rest = first
    name2 = email2 = None
    if rest is not None:
        second = _name_and_email(rest, True)
        if second is not None:
            name2, email2, _ = second
        elif rest.strip():
            name2 = rest  # git keeps the unparsed rest as an old name; mimic it
    return name1, email1, name2, email2


def entries(text: str) -> list[tuple[int, str, str | None]]:
    """(line number, old e-mail casefolded, new e-mail or None) of each line that maps an address,
    as `Mailmap` reads it: what a report names when it says which line moved whose commits."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        parsed = _parse(line)
        if parsed is None:
            continue
        _name1, email1, _name2, email2 = parsed
        found.append((number, email2.casefold(), email1) if email2 is not None else (number, email1.casefold(), None))
    return found


class Mailmap:
    """Maps (name, e-mail) to the canonical (name, e-mail) declared in `.mailmap` files."""

    def __init__(self, text: str = "") -> None:
        # old e-mail (casefolded) -> [name or None, email or None, {old name casefolded: (name, email)}]
        self._map: dict[str, list] = {}
        self.text = text
        for line in text.splitlines():
            self._line(line)
        self._memo: dict[tuple[str, str], tuple[str, str]] = {}

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def _line(self, line: str) -> None:
        parsed = _parse(line)
        if parsed is not None:
            self._add(*parsed)

    def _add(self, new_name, new_email, old_name, old_email) -> None:
        if old_email is None:
            old_email, new_email = new_email, None
        entry = self._map.setdefault(old_email.casefold(), [None, None, {}])
        if old_name is None:
            if new_name is not None:
                entry[0] = new_name
            if new_email is not None:
                entry[1] = new_email
        else:
            entry[2][old_name.casefold()] = (new_name, new_email)

    def resolve(self, name: str, email: str) -> tuple[str, str]:
        key = (name, email)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        result = (name, email)
        entry = self._map.get(email.casefold())
        if entry is not None:
            new_name, new_email = entry[0], entry[1]
            if entry[2]:
                sub = entry[2].get(name.casefold())
                if sub is not None:
                    new_name, new_email = sub
            result = (new_name if new_name is not None else name, new_email if new_email is not None else email)
        self._memo[key] = result
        return result
