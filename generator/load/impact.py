"""Impact records (`impact/*.yaml`): an amount of one indicator in one unit, with its evidence.

What the schema cannot say: an amount is exact (a quoted decimal string: an unquoted YAML number
may already have lost digits), the evidence is an http(s) address or a short text (never another
kind of address), and units spelled almost alike are most likely one unit written two ways (a
warning: amounts of different units are never added, so "kg CO2e" and "kg co2e" make two totals).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..errors import Findings
from ..model import Impact
from .yamlsafe import YamlDoc

# An address: a scheme and a colon ("https:", "javascript:", "data:"), or "//host". Evidence that
# looks like one must be an http(s) address; anything else is a short text, shown and never linked.
ADDRESS = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:(?!\s)|//)")
WEB = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def is_link(evidence: str) -> bool:
    """Is the evidence an http(s) address (shown as a link), rather than a short text?"""
    return bool(WEB.match(evidence))


def records(rel: str, doc: YamlDoc, notes) -> list[Impact]:
    """The records of an impact file, each checked for what its schema cannot say."""
    found = []
    for i, r in enumerate(doc.data["records"]):
        line = doc.where(("records", i))[0]
        value = _amount(rel, doc, ("records", i, "amount"), notes.findings)
        evidence = r["evidence"]
        if ADDRESS.match(evidence) and not is_link(evidence.strip()):
            l, c = doc.where(("records", i, "evidence"))
            notes.findings.error(rel, l, c, "'evidence' is an address but not an http(s) one: give an https:// "
                                             "address, or a short text saying where the figure comes from")
            continue
        if value is None:
            continue
        found.append(Impact(
            date=date.fromisoformat(r["date"]), indicator=r["indicator"].strip(), amount=value, unit=r["unit"].strip(),
            evidence=evidence.strip(), source=rel, line=line, project=r.get("project", ""),
            people=tuple(dict.fromkeys(r.get("people", ()))), note=r.get("note", ""),
        ))
    return found


def _amount(rel: str, doc: YamlDoc, path: tuple, findings: Findings) -> Decimal | None:
    """The exact amount at `path`, or None after reporting why not."""
    value = doc.data
    for step in path:
        value = value[step]
    line, col = doc.where(path)
    if not isinstance(value, str):  # a plain YAML number: its digits may be lost already
        raw = doc.raw.get(tuple(path), str(value))
        findings.error(rel, line, col, f'amount {raw} is an unquoted YAML number, which may lose digits: '
                                       f'quote it, amount: "{raw}"')
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:  # the schema refuses it already; never a traceback
        return None
    if not number.is_finite() or number <= 0:
        findings.error(rel, line, col, "'amount' must be a number greater than zero, such as \"12.5\"")
        return None
    return number


def fold(unit: str) -> str:
    """A unit as it reads, whatever its case, spaces and punctuation: how near-duplicates are found."""
    return re.sub(r"[\s._\-]+", "", unit.casefold())


def check_units(items: list[Impact], findings: Findings) -> None:
    """A warning at the first record of each spelling of a unit or an indicator that another
    spells almost alike (case, spaces, dots, hyphens): they make two totals, never added."""
    first: dict[tuple[str, str], Impact] = {}
    for item in items:  # by date, file and line: the first record of each spelling
        first.setdefault((item.indicator, item.unit), item)
    by_fold: dict[tuple[str, str], list[Impact]] = {}
    for (indicator, unit), item in first.items():
        by_fold.setdefault((fold(indicator), fold(unit)), []).append(item)
    for group in by_fold.values():
        if len(group) < 2:
            continue
        units = sorted({g.unit for g in group})
        indicators = sorted({g.indicator for g in group})
        for item in group[1:]:
            if len(units) > 1:
                findings.warning(item.source, item.line, 1,
                                 f"'{item.indicator}' is counted in units spelled alike "
                                 f"({', '.join(repr(u) for u in units)}): they are two units, and their amounts are "
                                 "never added: write the unit the same way in every record")
            else:
                findings.warning(item.source, item.line, 1,
                                 f"indicators spelled alike ({', '.join(repr(i) for i in indicators)}) make two totals "
                                 f"of '{item.unit}': write the indicator the same way in every record")
