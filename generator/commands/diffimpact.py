"""`commonplace diff`'s rows and notes for impact records and surveys.

Impact: the total of each (indicator, unit) that moved, exact; amounts in different units are
never added. Surveys: those added or removed, with their respondents; a survey's answers are
never shown here (below `surveys: {min_respondents}` they are shown nowhere).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from value.dimensions.ecological_value import totals

if TYPE_CHECKING:
    from ..model import Model


def _signed(delta: Decimal) -> str:
    text = format(delta, "f")
    return text if delta < 0 else f"+{text}"


def impact_rows(base: Model | None, head: Model) -> list[tuple[str, str, str, str]]:
    """(figure, before, after, change) for each impact total per indicator and unit that moved."""
    before = {(t["indicator"], t["unit"]): Decimal(t["amount"]) for t in totals(base.impact if base else ())}
    after = {(t["indicator"], t["unit"]): Decimal(t["amount"]) for t in totals(head.impact)}
    rows = []
    for indicator, unit in sorted(set(before) | set(after)):
        b, h = before.get((indicator, unit), Decimal(0)), after.get((indicator, unit), Decimal(0))
        if b != h:
            rows.append((f"impact: {indicator} ({unit})", f"{_plain(b)} {unit}", f"{_plain(h)} {unit}",
                         _signed(_normal(h - b))))
    return rows


def _normal(amount: Decimal) -> Decimal:
    return amount.normalize() if amount != amount.to_integral_value() else amount.quantize(Decimal(1))


def _plain(amount: Decimal) -> str:
    return format(_normal(amount), "f")


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
