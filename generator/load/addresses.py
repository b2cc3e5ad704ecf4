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

from value.mailmap import Mailmap, lines

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

    def check(self, findings: Findings, mailmaps: list[tuple[str, str]] = ()) -> None:
        """An error for each address listed in more than one member file, at its first listing and
        naming the others; with `.mailmap` files ((path, text), in the order the value engine
        joins them), an error for each line that gives a member's commits to someone else."""
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
        mailmaps = [(rel, text) for rel, text in mailmaps if text]
        if mailmaps:
            self._check_mailmap(findings, mailmaps, items, where, at)

    def _check_mailmap(self, findings: Findings, mailmaps, items, where, at) -> None:
        """Every line of the `.mailmap` files that can give a member's commits to someone else, in
        any form git reads (`<new> <old>`, `New <new> <old>`, `New <new> Old <old>`, `<new> Old
        <old>`; addresses of any case): to an address another member's file lists, or, under an
        author name that the member's own name does not cover, to an address no member lists.
        Each is an error at the member's address, naming the `.mailmap` file and line."""
        mailmap = Mailmap("\n".join(text for _rel, text in mailmaps))
        origin = [(rel, number) for rel, text in mailmaps for number in range(1, len(lines(text)) + 1)]
        # the addresses the engine counts as each member's: those listed, as the `.mailmap` resolves
        # them under the member's own name (value/identities.py)
        own: dict[str, set[str]] = defaultdict(set)
        for address, _rel, _doc, _index, handle, name in items:
            own[handle] |= {address, key(mailmap.resolve(name, address)[1])}
        for address, rel, doc, index, handle, _name in items:
            for number, old_name, new in mailmap.rewrites(address):
                target = key(new)
                listed = where.get(target, [])
                if target == address or any(place[3] == handle for place in listed):
                    continue
                file, line_number = origin[number - 1]
                by = f" (commits by the name {old_name!r})" if old_name is not None else ""  # repr: no invisible character
                line, col = doc.where(("emails", index))
                if listed:
                    findings.error(
                        rel, line, col,
                        f"{file}:{line_number} maps e-mail address '{address}'{by} to an address listed in "
                        f"{listed[0][0]}:{at(listed[0][1], listed[0][2])}: the commits of one member would count "
                        "for another; remove the `.mailmap` line or the address",
                    )
                elif target not in own[handle]:
                    findings.error(
                        rel, line, col,
                        f"{file}:{line_number} maps e-mail address '{address}'{by} to an address no member file "
                        f"lists: those commits of '{handle}' would count for someone else; list the address in "
                        f"{rel} or remove the `.mailmap` line",
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
