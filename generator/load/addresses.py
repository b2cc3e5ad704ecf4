"""The e-mail addresses member files list, checked once every member is loaded: an address belongs
to one person.

The value engine gives a commit to the member whose file lists its (mailmap-resolved) author
address, so an address listed in two files, or a `.mailmap` line that sends one member's address
to another member's, would let one person take another's commits and rewards; a signing key in two
files would sign for both. Addresses are
compared as the engine compares them: trimmed and lower-cased (a `.mailmap` resolves them as git
does). A finding may name the address: findings go to the terminal and CI, never to the site.
"""

from __future__ import annotations

from collections import defaultdict

from value.mailmap import Mailmap, entries

from ..errors import Findings
from .yamlsafe import YamlDoc

FIX = "an address belongs to one person; remove it from one file"


def key(address: str) -> str:
    """An address as the engine compares it."""
    return address.strip().lower()


class Addresses:
    def __init__(self) -> None:
        self.items: list[tuple[str, str, YamlDoc, int, str, str]] = []  # key, rel, doc, index, handle, name
        self.keys: list[tuple[str, str, YamlDoc, int]] = []  # signing key, rel, doc, index

    def add(self, rel: str, doc: YamlDoc, index: int, address: str, handle: str, name: str) -> None:
        """`address` is item `index` of the `emails` of member `handle` (file `rel`). Its line is
        looked up only for a finding: a file read from the build cache is parsed again for it."""
        self.items.append((key(address), rel, doc, index, handle, name))

    def add_key(self, rel: str, doc: YamlDoc, index: int, key: str, handle: str) -> None:
        """`key` ("<type> <base64>") is item `index` of the `signing_keys` of member `handle`."""
        self.keys.append((key, rel, doc, index))

    def check(self, findings: Findings, mailmap_rel: str = ".mailmap", mailmap_text: str | None = None) -> None:
        """An error for each address listed in more than one member file, at its first listing and
        naming the others; with a `.mailmap`, an error for each line that resolves one member's
        address to an address another member's file lists."""
        def at(doc: YamlDoc, index: int) -> str:
            line, col = doc.where(("emails", index))
            return f"{line}:{col}"

        items = sorted(self.items, key=lambda i: (i[1], i[3]))
        where: dict[str, list[tuple[str, YamlDoc, int, str]]] = defaultdict(list)
        for address, rel, doc, index, handle, _name in items:
            if all(other[0] != rel for other in where[address]):
                where[address].append((rel, doc, index, handle))
        for address, places in where.items():
            if len(places) > 1:
                rel, doc, index, _ = places[0]
                line, col = doc.where(("emails", index))
                others = ", ".join(f"{r}:{at(d, i)}" for r, d, i, _ in places[1:])
                findings.error(rel, line, col, f"e-mail address '{address}' is also listed in {others}: {FIX}")
        self._check_keys(findings)
        if not mailmap_text:
            return
        mailmap = Mailmap(mailmap_text)
        line_of: dict[str, int] = {}
        for number, old, _new in entries(mailmap_text):
            line_of[old] = number  # git keeps the last line for an address
        for address, rel, doc, index, handle, name in items:
            resolved = key(mailmap.resolve(name, address)[1])
            target = where.get(resolved)
            if resolved == address or not target or target[0][3] == handle:
                continue
            number = line_of.get(address.casefold())
            line, col = doc.where(("emails", index))
            findings.error(
                rel, line, col,
                f"{mailmap_rel}{f':{number}' if number else ''} maps e-mail address '{address}' to an address "
                f"listed in {target[0][0]}:{at(target[0][1], target[0][2])}: the commits of one member would "
                "count for another; remove the `.mailmap` line or the address",
            )

    def _check_keys(self, findings: Findings) -> None:
        """A signing key in two member files would sign for both people: an error, as for an address."""
        where: dict[str, list[tuple[str, YamlDoc, int]]] = defaultdict(list)
        for key_text, rel, doc, index in sorted(self.keys, key=lambda i: (i[1], i[3])):
            if all(other[0] != rel for other in where[key_text]):
                where[key_text].append((rel, doc, index))
        for places in where.values():
            if len(places) > 1:
                rel, doc, index = places[0]
                line, col = doc.where(("signing_keys", index))
                others = ", ".join(f"{r}:{':'.join(map(str, d.where(('signing_keys', i))))}" for r, d, i in places[1:])
                findings.error(rel, line, col, f"this signing key is also listed in {others}: "
                                               "a key belongs to one person; remove it from one file")
