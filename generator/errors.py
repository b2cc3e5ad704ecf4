"""The one user-facing error type: a finding that points at a place in the user's files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """A problem in the community's files, located as `path:line:col` (1-based)."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"  # "error" fails the build; "warning" only under --strict

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"


class CommonplaceError(Exception):
    """An error the user can fix; printed as a message, never as a traceback."""


class DataError(CommonplaceError):
    """The community's data has problems; carries every finding at once."""

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(findings)
        errors = sum(1 for f in self.findings if f.severity == "error")
        super().__init__(f"{errors} error(s) in the community's files")


class Findings:
    """Collects findings while loading so all of them can be reported together."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def error(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Finding(path, line, col, message, "error"))

    def warning(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Finding(path, line, col, message, "warning"))

    def extend(self, findings) -> None:
        self.items.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]

    def sorted(self) -> list[Finding]:
        return sorted(set(self.items))
