"""`CODEOWNERS`: who looks after which part of the repository, as GitHub and GitLab read it.

The first file found of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS` (GitHub's places, in
GitHub's order) and `.gitlab/CODEOWNERS` is read. Each line is a path pattern and its owners:
`@login`, `@org/team` (GitLab: `@group/subgroup`) or an e-mail address. GitLab's sections
(`[Section]`, `^[Optional]`, `[Section][2]`, with default owners after the brackets) are kept as
headings; a line without owners in a section takes the section's defaults.

Owners are resolved to members here, once: a login through the members' `github:`/`gitlab:`
(load/logins.py), an address through the members' `emails`. An address is never kept, matched or
not: only the member it names. Nor is one written as a path pattern or in a section's name: the
members page shows both, so a rule whose pattern holds one is left out, and a section's name is
shown without it. Like the other ecosystem files it is read leniently: a line that cannot be used
is a located warning and is left out; the file and the rules are bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Findings
from .ecosystem import NO_ADDRESS, has_address, without_addresses
from .listing import CODEOWNERS_PATHS
from .logins import LoginIndex

PATHS = CODEOWNERS_PATHS
MAX_RULES = 500  # a page a person can read; GitHub stops reading at 3 MB, far beyond this
MAX_LINE = 1000

_SECTION = re.compile(r"^\^?\[([^\]\n]{1,200})\](?:\[\d{1,4}\])?(.*)$")
_LOGIN = re.compile(r"@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,253}[A-Za-z0-9_-])?)")
_TEAM = re.compile(r"@@?[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)+|@@[A-Za-z0-9_]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Owner:
    kind: str  # member | login | team | email
    text: str = ""  # the @login or @team as written; empty for a member and for any address
    handle: str = ""  # the member it names, when one does


@dataclass(frozen=True)
class Rule:
    pattern: str
    owners: tuple[Owner, ...]
    section: str = ""
    line: int = 0


@dataclass(frozen=True)
class Codeowners:
    path: str
    rules: tuple[Rule, ...]


def _tokens(line: str) -> list[tuple[str, int]]:
    """Whitespace-separated words with their columns (1-based); `\\ ` is a space inside a word;
    a word starting with `#` starts a comment."""
    words, word, start, escaped = [], "", 0, False
    for col, char in enumerate(line + " ", 1):
        if escaped:
            word, escaped = word + char, False
        elif char == "\\":
            word, escaped = word + char, True
            start = start or col
        elif char.isspace():
            if word:
                words.append((word, start))
            word, start = "", 0
        else:
            if not word and char == "#":
                break
            word, start = word + char, start or col
    return words


class _Resolver:
    def __init__(self, members: dict, index: LoginIndex, forge: str):
        self.index, self.forge = index, forge
        self.by_email = {e: h for h in sorted(members, reverse=True) for e in members[h].emails}

    def owner(self, word: str) -> Owner | None:
        if _TEAM.fullmatch(word):
            return Owner("team", word)
        if _LOGIN.fullmatch(word):
            handle = self.index.member(self.forge, word[1:])
            return Owner("member", "", handle) if handle else Owner("login", word)
        if not word.startswith("@") and _EMAIL.fullmatch(word):
            handle = self.by_email.get(word.strip().lower())
            return Owner("member", "", handle) if handle else Owner("email")
        return None


def read(path: str, text: str | None, findings: Findings, members: dict, index: LoginIndex,
         forge: str) -> Codeowners | None:
    """The rules of a CODEOWNERS file, owners resolved; None without a usable rule."""
    if not text:
        return None
    resolve = _Resolver(members, index, forge)
    rules: list[Rule] = []
    section, defaults = "", ()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if len(raw) > MAX_LINE:
            findings.warning(path, number, 1, f"line longer than {MAX_LINE} characters: left out")
            continue
        if len(rules) == MAX_RULES:
            findings.warning(path, number, 1, f"more than {MAX_RULES} rules: the rest are not shown")
            break
        if _SECTION.match(line):
            match = _SECTION.match(line)
            section = match.group(1).strip()
            if has_address(section):
                findings.warning(path, number, raw.index(match.group(1)) + 1,
                                 f"this section's name {NO_ADDRESS}: it is shown without it")
                section = without_addresses(section)
            defaults = _owners(resolve, _tokens(match.group(2)), path, number, findings,
                               offset=len(raw) - len(raw.lstrip()) + match.start(2))
            continue
        words = _tokens(raw)
        if not words:
            continue
        (pattern, col), rest = words[0], words[1:]
        if has_address(pattern):
            findings.warning(path, number, col, f"this pattern {NO_ADDRESS}: the rule is left out")
            continue
        owners = _owners(resolve, rest, path, number, findings) if rest else defaults
        rules.append(Rule(pattern.replace("\\ ", " "), owners, section, number))
    return Codeowners(path, tuple(rules)) if rules else None


def _owners(resolve: _Resolver, words, path: str, number: int, findings: Findings, offset: int = 0) -> tuple[Owner, ...]:
    owners: list[Owner] = []
    for word, col in words:
        owner = resolve.owner(word)
        if owner is None:
            shown = f"'{word}'" if len(word) <= 60 and "@" not in word.lstrip("@") else "this word"
            findings.warning(path, number, col + offset,
                             f"{shown} is not an owner (write @login, @org/team or an e-mail address): left out")
        elif owner not in owners:
            owners.append(owner)
    return tuple(owners)
