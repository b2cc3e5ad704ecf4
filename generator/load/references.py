"""Names one file gives for a member or a project, checked once every file is loaded.

Which keys name whom is one table (`NAMES`), read from every file of a kind the same way, whether
the file passed its schema or not: a mistake elsewhere in a file never hides an unknown name in it.
"""

from __future__ import annotations

import difflib

from ..errors import Findings
from .patterns import ANY, strings_at
from .yamlsafe import YamlDoc


# kind of file -> (path, kind of thing the text there names)
NAMES: dict[str, tuple[tuple[tuple, str], ...]] = {
    "project": ((("leads", ANY), "member"),),
    "event": ((("organisers", ANY), "member"), (("participants", ANY), "member")),
    "ledger": ((("entries", ANY, "project"), "project"), (("entries", ANY, "by"), "member")),
    "usage": ((("records", ANY, "project"), "project"),),
    "kudos": ((("kudos", ANY, "from"), "member"), (("kudos", ANY, "to"), "member")),
    "contributions": ((("records", ANY, "who"), "member"),),
    "decision": ((("proposed_by",), "member"), (("proposed_by", ANY), "member"), (("participants", ANY), "member")),
    "mentions": ((("mentions", ANY, "people", ANY), "member"),),
    "impact": ((("records", ANY, "project"), "project"), (("records", ANY, "people", ANY), "member")),
}


def texts_at(data, pattern: tuple, at: tuple = ()):
    """(path, text) of each non-empty text `data` holds at `pattern`."""
    return ((path, text) for path, text in strings_at(data, pattern, at) if text)


class References:
    def __init__(self) -> None:
        self.items: list[tuple[str, YamlDoc, tuple, str, str]] = []  # rel, doc, path, kind, value

    def add(self, rel: str, doc: YamlDoc, path: tuple, kind: str, value: str) -> None:
        """`value`, at `path` in `rel`, names a `kind` ("member" or "project")."""
        self.items.append((rel, doc, path, kind, value))

    def collect(self, rel: str, kind: str, doc: YamlDoc, skip=lambda path: False) -> None:
        """Every name a file of `kind` gives (see `NAMES`), but those at a path `skip` refuses."""
        for pattern, named in NAMES.get(kind, ()):
            for path, value in texts_at(doc.data, pattern):
                if not skip(path):
                    self.add(rel, doc, path, named, value)

    def check(self, known: dict[str, dict], findings: Findings) -> None:
        """An error for each name that `known[kind]` lacks, with the closest known name as a hint."""
        for rel, doc, path, kind, value in self.items:
            if value in known[kind] or (kind == "member" and value.startswith("@")):
                continue  # "@login": someone without a member file, by forge login (contributions' schema)
            line, col = doc.where(path)
            close = difflib.get_close_matches(value, sorted(known[kind]), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f": add {kind}s/{value}{'.yaml' if kind == 'member' else '.md'} or fix the name"
            findings.error(rel, line, col, f"unknown {kind} '{value}'{hint}")
