"""The community's licences (`license`, `data_license` of community.yaml) as SPDX ids, and whether
they are open.

`generator/licence_list/spdx.txt` lists every id of the SPDX License List, each flagged `osi`
(approved by the Open Source Initiative: SPDX's `isOsiApproved`) or `okd` (conformant with the
Open Knowledge Definition: the Open Definition's list) when it is an open licence, and where it
comes from. An id the list lacks is a located warning with the closest id as a hint (SPDX ids are
matched case-insensitively, as SPDX says, so `mit` is MIT and no warning); `LicenseRef-...` is a
licence of the community's own, which SPDX allows, and is never called unknown (nor open).

An expression is open when, read as SPDX reads it, every licence it requires is open: `A OR B`
when either is, `A AND B` when both are; an exception (`A WITH E`) only adds permissions to A.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from ..errors import Findings
from ..resources import package_dir
from .yamlsafe import YamlDoc

OPEN_FLAGS = frozenset({"osi", "okd"})
OWN_PREFIXES = ("licenseref-", "documentref-")
KEYS = ("license", "data_license")


@dataclass(frozen=True)
class Known:
    id: str
    flags: frozenset

    @property
    def open(self) -> bool:
        return bool(self.flags & OPEN_FLAGS)


@lru_cache(maxsize=1)
def known() -> dict[str, Known]:
    """Every SPDX id (licences and exceptions), by its lower-cased id."""
    table = {}
    text = (package_dir() / "licence_list" / "spdx.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spdx_id, *flags = line.split()
        table[spdx_id.lower()] = Known(spdx_id, frozenset(flags))
    return table


def ids_of(expression: str) -> list[str]:
    """The ids an expression names (its licences and exceptions), in order."""
    return [word for word in expression.replace("(", " ").replace(")", " ").split()
            if word not in ("AND", "OR", "WITH")]


def _own(spdx_id: str) -> bool:
    return spdx_id.lower().startswith(OWN_PREFIXES)


def unknown_ids(expression: str) -> list[str]:
    """The ids of `expression` that are not SPDX ids (a licence of one's own, LicenseRef-, is)."""
    table = known()
    return [i for i in ids_of(expression) if i.rstrip("+").lower() not in table and i.lower() not in table
            and not _own(i)]


def suggestion(spdx_id: str) -> str | None:
    """The SPDX id closest to `spdx_id`, or None."""
    table = known()
    lowered = spdx_id.lower()
    candidates = [k for k, v in table.items() if "exception" not in v.flags and "deprecated" not in v.flags]
    for candidate in (lowered + ".0-only", lowered + "-only", lowered + ".0", lowered + ".0.0"):
        if candidate in table and "deprecated" not in table[candidate].flags:
            return table[candidate].id
    close = difflib.get_close_matches(lowered, candidates, n=1, cutoff=0.6)
    return table[close[0]].id if close else None


def is_open(expression: str) -> bool:
    """Whether every licence the expression requires is open (OSI-approved or OKD-conformant)."""
    table = known()

    def one(spdx_id: str) -> bool:
        entry = table.get(spdx_id.lower()) or table.get(spdx_id.rstrip("+").lower())
        return entry is not None and entry.open

    # Precedence as SPDX has it: WITH binds tightest, then AND, then OR. Parentheses are rare in a
    # community's licence; where they appear the expression is read without them (conservatively:
    # a licence that is not open anywhere makes an AND group closed).
    words = expression.replace("(", " ").replace(")", " ").split()
    alternatives, group, previous = [], [], ""
    for word in words:
        if word in ("AND", "OR", "WITH"):
            if word == "OR":
                alternatives.append(group)
                group = []
            previous = word
            continue
        if previous != "WITH":
            group.append(word)
        previous = word
    alternatives.append(group)
    return any(group and all(one(i) for i in group) for group in alternatives)


def check(rel: str, doc: YamlDoc, findings: Findings) -> None:
    """A warning at `license` / `data_license` for each id that is not an SPDX id."""
    for key in KEYS:
        value = doc.data.get(key)
        if not isinstance(value, str):
            continue
        for spdx_id in unknown_ids(value):
            line, col = doc.where((key,))
            close = suggestion(spdx_id)
            hint = f"did you mean '{close}'? " if close else ""
            findings.warning(rel, line, col, f"'{key}': '{spdx_id}' is not an SPDX licence id: {hint}use the id from "
                                             "https://spdx.org/licenses/, or 'LicenseRef-<name>' for a licence of "
                                             "your own")
