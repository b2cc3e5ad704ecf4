"""Names one file gives for a member or a project, checked once every file is loaded."""

from __future__ import annotations

import difflib

from ..errors import Findings
from .yamlsafe import YamlDoc


class References:
    def __init__(self) -> None:
        self.items: list[tuple[str, YamlDoc, tuple, str, str]] = []  # rel, doc, path, kind, value

    def add(self, rel: str, doc: YamlDoc, path: tuple, kind: str, value: str) -> None:
        """`value`, at `path` in `rel`, names a `kind` ("member" or "project")."""
        self.items.append((rel, doc, path, kind, value))

    def check(self, known: dict[str, dict], findings: Findings) -> None:
        """An error for each name that `known[kind]` lacks, with the closest known name as a hint."""
        for rel, doc, path, kind, value in self.items:
            if value in known[kind]:
                continue
            line, col = doc.where(path)
            close = difflib.get_close_matches(value, sorted(known[kind]), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f": add {kind}s/{value}{'.yaml' if kind == 'member' else '.md'} or fix the name"
            findings.error(rel, line, col, f"unknown {kind} '{value}'{hint}")
