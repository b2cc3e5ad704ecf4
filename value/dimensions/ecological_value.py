"""Ecological value: the impact the community's work had, from `impact/*.yaml` (a sixth
dimension, only when the community records impact: `registry.dimensions_of`).

Amounts are exact decimals, added only within one (indicator, unit): amounts of different units
are never added, and a unit spelled two ways is two units.
"""

from __future__ import annotations

from decimal import Decimal

from ..registry import ECOLOGICAL, indicator

DIM = ECOLOGICAL


def recorded(data) -> bool:
    return bool(data.impact)


def totals(records) -> list[dict]:
    """[{"indicator", "unit", "amount" (exact decimal text), "records"}] per (indicator, unit),
    sorted by indicator, then unit."""
    sums: dict[tuple[str, str], list] = {}
    for r in records:
        entry = sums.setdefault((r.indicator, r.unit), [Decimal(0), 0])
        entry[0] += r.amount
        entry[1] += 1
    return [{"indicator": indicator_, "unit": unit, "amount": _text(amount), "records": n}
            for (indicator_, unit), (amount, n) in sorted(sums.items(), key=lambda kv: (kv[0][0].casefold(), kv[0]))]


def _text(amount: Decimal) -> str:
    """An exact decimal as plain text, without an exponent or trailing zeros ("1200", "3.5")."""
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@indicator(DIM, "impact_records", unit="records", when=recorded,
           formula="impact records dated in the period",
           explanation="Measured impact of the community's work, each record with its evidence.")
def impact_records(ctx, month):
    return len(ctx.dated_in(ctx.data.impact, month))


@indicator(DIM, "impact_totals", unit="amounts", monthly=False, when=recorded,
           formula="the amounts of impact records, added up per indicator and unit (different units never added)",
           explanation="How much of each indicator, in each unit it is measured in.")
def impact_totals(ctx, month):
    return totals(ctx.dated_in(ctx.data.impact, month))


@indicator(DIM, "impact_projects", unit="projects", monthly=False, when=recorded,
           formula="projects named by at least one impact record",
           explanation="The projects whose work has a recorded impact.")
def impact_projects(ctx, month):
    return len({r.project for r in ctx.dated_in(ctx.data.impact, month) if r.project})
