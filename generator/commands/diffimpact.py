"""What `commonplace diff` reads of impact records and surveys.

Impact: the total of each (indicator, unit), exact; amounts in different units are never added.
Surveys: those added or removed, with their respondents; a survey's answers are never shown here
(below `surveys: {min_respondents}` they are shown nowhere).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from value.dimensions.ecological_value import totals

if TYPE_CHECKING:
    from ..model import Model


def impact_totals(model: Model | None) -> dict[tuple[str, str], str]:
    """(indicator, unit) -> the exact total of its records, as text without trailing zeros."""
    return {(t["indicator"], t["unit"]): t["amount"] for t in totals(model.impact if model else ())}


def survey_notes(base: Model | None, head: Model) -> list[str]:
    """Surveys added and removed, each with its respondents (never its answers)."""
    b_surveys = base.surveys if base else {}
    notes = []
    added = sorted(set(head.surveys) - set(b_surveys), key=lambda s: (head.surveys[s].date, s))
    if added:
        notes.append("Surveys added: " + ", ".join(
            f"{head.surveys[s].title} ({head.surveys[s].date.isoformat()}, {_people(head.surveys[s].respondents)})"
            for s in added))
    removed = sorted(set(b_surveys) - set(head.surveys))
    if removed:
        notes.append("Surveys removed: " + ", ".join(b_surveys[s].title for s in removed))
    return notes


def _people(n: int) -> str:
    return f"{n} respondent" if n == 1 else f"{n} respondents"
