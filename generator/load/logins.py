"""Members' forge logins: how the ecosystem's files that name people by login (`.all-contributorsrc`,
`CODEOWNERS`) find the member they mean.

A member says who they are on a forge with `github:` or `gitlab:` in their file. A profile link in
their `links` counts too, when it is exactly a profile page (`https://github.com/<login>` or
`https://gitlab.com/<username>`, or the configured forge's own host; a trailing slash and `www.`
allowed; never a repository or any deeper page), and only for a forge the member declares no
login for. Failing both, a login equal to the member's handle still matches, as before logins
could be declared. Logins are compared case-insensitively (GitHub's and GitLab's are).

A login declared in two member files is an error, as an e-mail address is (it would let one person
collect another's credit); a login that only links claim for two members matches neither.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

from ..errors import Findings
from .yamlsafe import YamlDoc

FORGES = ("github", "gitlab")
# The members' schema holds the same patterns (schemas/member.schema.json).
LOGIN = {
    "github": re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}"),
    "gitlab": re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,253}[A-Za-z0-9_-])?"),
}
PUBLIC_HOSTS = {"github": "github.com", "gitlab": "gitlab.com"}


def key(login: str) -> str:
    return login.casefold()


def profile_login(url: str, hosts: dict[str, set[str]]) -> tuple[str, str] | None:
    """(forge, login) when `url` is a profile page on one of the forges' hosts."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if parts.scheme not in ("https", "http") or parts.query or parts.fragment or parts.port:
        return None
    name = parts.path.removeprefix("/").removesuffix("/")
    for forge in FORGES:
        if host in hosts[forge] and LOGIN[forge].fullmatch(name):
            return forge, name
    return None


class Logins:
    """The logins member files declare, collected while they are built and checked once all are."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str, YamlDoc, str]] = []  # forge, login key, rel, doc, handle

    def add(self, forge: str, login: str, rel: str, doc: YamlDoc, handle: str) -> None:
        self.items.append((forge, key(login), rel, doc, handle))

    def check(self, findings: Findings) -> None:
        """An error for each login declared in more than one member file, at its first listing."""
        places: dict[tuple[str, str], list[tuple[str, YamlDoc]]] = defaultdict(list)
        for forge, login, rel, doc, _handle in sorted(self.items, key=lambda i: (i[0], i[1], i[2])):
            places[forge, login].append((rel, doc))
        for (forge, login), found in places.items():
            if len(found) > 1:
                rel, doc = found[0]
                line, col = doc.where((forge,))
                others = ", ".join(f"{r}:{':'.join(map(str, d.where((forge,))))}" for r, d in found[1:])
                findings.error(rel, line, col, f"{forge} login '{login}' is also declared in {others}: "
                               "a login belongs to one person; remove it from one file")


class LoginIndex:
    """Finds the member a forge login names."""

    def __init__(self, members: dict, forge_host: str = ""):
        hosts = {forge: {public} for forge, public in PUBLIC_HOSTS.items()}
        self.handles = {key(handle): handle for handle in members}
        self.declared: dict[tuple[str, str], str] = {}
        linked: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.has: set[tuple[str, str]] = set()  # (forge, handle) of members who declare a login
        for handle in sorted(members):
            member = members[handle]
            for forge in FORGES:
                login = getattr(member, forge, "")
                if login:
                    self.declared.setdefault((forge, key(login)), handle)
                    self.has.add((forge, handle))
        extra = urlsplit(forge_host).hostname if forge_host else None
        for handle in sorted(members):
            for link in members[handle].links:
                found = profile_login(link.url, {f: h | ({extra} if extra else set()) for f, h in hosts.items()})
                if found and (found[0], handle) not in self.has:
                    linked[found[0], key(found[1])].add(handle)
        self.linked = {where: next(iter(who)) for where, who in linked.items() if len(who) == 1}
        self.claimed = set(self.declared) | set(linked)

    def member(self, forge: str, login: str) -> str | None:
        """The handle of the member with this login on `forge`, or None."""
        k = (forge, key(login))
        if k in self.declared:
            return self.declared[k]
        if k in self.linked:
            return self.linked[k]
        if k in self.claimed:
            return None  # claimed by two members' links: neither
        handle = self.handles.get(key(login))
        if handle and (forge, handle) not in self.has:
            return handle
        return None
