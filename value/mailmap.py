"""`.mailmap` resolution exactly as git does it (mailmap.c), e-mails and names case-insensitive.

libgit2's (and so pygit2's) mailmap compares e-mails case-sensitively, while git compares them
case-insensitively; figures must match `git log --format=%aE`, so this module follows git.
"""

from __future__ import annotations

import hashlib


_SPACE = " \t\n\r"  # git's isspace(): a Unicode space is part of a name


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
    name = text[:left].strip(_SPACE) or None
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
        if second is not None:  # text after the first address without a second one is ignored, as by git
            name2, email2, _ = second
    return name1, email1, name2, email2


def lines(text: str) -> list[str]:
    """The lines of a `.mailmap` as git splits them: at "\n" only (a "\r" or a Unicode line
    separator stays inside its line, where git leaves it)."""
    return text.split("\n")


def entries(text: str) -> list[tuple[int, str, str | None]]:
    """(line number, old e-mail casefolded, new e-mail or None) of each line that maps an address,
    as `Mailmap` reads it: what a report names when it says which line moved whose commits."""
    found = []
    for number, line in enumerate(lines(text), 1):
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
        # (old e-mail casefolded, old name casefolded or None) -> (the line that last gave its
        # e-mail, the old name as that line writes it)
        self._lines: dict[tuple[str, str | None], tuple[int, str | None]] = {}
        self.text = text
        for number, line in enumerate(lines(text), 1):
            parsed = _parse(line)
            if parsed is not None:
                self._add(*parsed, number=number)
        self._memo: dict[tuple[str, str], tuple[str, str]] = {}

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def _add(self, new_name, new_email, old_name, old_email, number: int = 0) -> None:
        if old_email is None:
            old_email, new_email = new_email, None
        entry = self._map.setdefault(old_email.casefold(), [None, None, {}])
        if old_name is None:
            if new_name is not None:
                entry[0] = new_name
            if new_email is not None:
                entry[1] = new_email
                self._lines[(old_email.casefold(), None)] = (number, None)
        else:
            entry[2][old_name.casefold()] = (new_name, new_email)
            self._lines[(old_email.casefold(), old_name.casefold())] = (number, old_name)

    def rewrites(self, email: str) -> list[tuple[int, str | None, str]]:
        """Every address that commits by `email` may be given, by the author name they carry:
        (line number, the old name the line asks for as it writes it, None for any other name,
        the new address). What `resolve` does for one name, listed for all of them; a
        name-qualified line wins over the plain one for its name, even when it gives no address
        (then the commits keep theirs, and it is not listed)."""
        folded = email.casefold()
        entry = self._map.get(folded)
        if entry is None:
            return []
        found = [(self._lines[(folded, None)][0], None, entry[1])] if entry[1] is not None else []
        for old_name, (_new_name, new_email) in sorted(entry[2].items()):
            if new_email is not None:
                found.append((*self._lines[(folded, old_name)], new_email))
        return found

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
