"""Findings printed for people (text), for GitHub annotations, GitLab Code Quality, or JSON.

A finding whose path is empty concerns no one file (a shallow clone, a cache folder that is a
link): it is printed as `error: message`, as the command line prints such a refusal."""

from __future__ import annotations

import hashlib
import json

from .errors import Finding

FORMATS = ("text", "github", "gitlab", "json")


def _repo_path(prefix: str, path: str) -> str:
    return f"{prefix}/{path}" if prefix else path


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _line(f: Finding) -> str:
    return str(f) if f.path else f"{f.severity}: {f.message}"


def as_text(findings: list[Finding], prefix: str = "") -> str:
    return "".join(f"{_line(f)}\n" for f in findings)


def as_github(findings: list[Finding], prefix: str = "") -> str:
    """Workflow commands; `prefix` makes paths relative to the repository root, as GitHub needs."""
    lines = []
    for f in findings:
        kind = "error" if f.severity == "error" else "warning"
        if not f.path:
            lines.append(f"::{kind}::{_escape_data(f.message)}\n")
            continue
        file = _escape_property(_repo_path(prefix, f.path))
        lines.append(f"::{kind} file={file},line={f.line},col={f.col}::{_escape_data(f.message)}\n")
    return "".join(lines)


def as_gitlab(findings: list[Finding], prefix: str = "") -> str:
    """A GitLab Code Quality report (a JSON array), one issue per finding; one that concerns no
    file is put on the community's folder (GitLab needs a path)."""
    issues = []
    for f in findings:
        path = _repo_path(prefix, f.path) if f.path else (prefix or ".")
        fingerprint = hashlib.sha256(f"{path}:{f.line}:{f.col}:{f.message}".encode()).hexdigest()[:32]
        issues.append({
            "check_name": "commonplace",
            "description": f.message,
            "fingerprint": fingerprint,
            "location": {"lines": {"begin": max(f.line, 1)}, "path": path},
            "severity": "major" if f.severity == "error" else "minor",
            "type": "issue",
        })
    return json.dumps(issues, indent=2, sort_keys=True) + "\n"


def as_json(findings: list[Finding], prefix: str = "") -> str:
    rows = [{"path": f.path, "line": f.line, "col": f.col, "severity": f.severity, "message": f.message} for f in findings]
    return json.dumps(rows, indent=2, sort_keys=True) + "\n"


def render(findings: list[Finding], fmt: str, prefix: str = "") -> str:
    return {"text": as_text, "github": as_github, "gitlab": as_gitlab, "json": as_json}[fmt](findings, prefix)


def summary(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    files = len({f.path for f in findings if f.path})
    if not findings:
        return "no problems found"
    parts = [f"{errors} error{'s' * (errors != 1)}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"{' and '.join(parts)}" + (f" in {files} file{'s' * (files != 1)}" if files else "")
