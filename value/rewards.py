"""Reward distributions: SourceCred's grain policies over value, exact to the minor unit.

With c_i a contributor's value, g_i what the ledger shows was already paid to them and B the
budget (VALUE.md):
- immediate: amount_i = B · c_i / Σ c, c_i the sum of their monthly values in the window
  (`period`, or by default the last month in which anyone has value);
- recent:    d_i = fold over the months (oldest first, up to the period's end) of
             d·(1 − decay) + c_t; amount_i = B · d_i / Σ d;
- balanced:  target_i = (Σ g + B) · C_i / Σ C over all time; under_i = max(0, target_i − g_i);
             amount_i = B · under_i / Σ under.
The budget is split in integer minor units by the largest remainder method (floor every share;
the leftover units go one by one to the largest remainders, ties by id), so the parts always sum
exactly to the budget and nobody gets a negative amount. Shares are worked out in exact
fractions. When nobody has a positive weight (no contributors, or no value in the window), the
result is an empty list: nothing is distributed and the whole budget stays with the community.
Rows: contributors with a positive weight, sorted by id.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from .errors import BadBudget, ValueEngineError

POLICIES = ("immediate", "recent", "balanced")


def _fraction(value) -> Fraction:
    return Fraction(str(value)) if not isinstance(value, Fraction) else value


def _month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def largest_remainder(units: int, weights: dict[str, Fraction]) -> dict[str, int]:
    """Split `units` in proportion to `weights` (all >= 0, sum > 0) exactly."""
    total = sum(weights.values())
    quotas = {pid: units * w / total for pid, w in weights.items()}
    floors = {pid: q.numerator // q.denominator for pid, q in quotas.items()}
    left = units - sum(floors.values())
    order = sorted(quotas, key=lambda pid: (-(quotas[pid] - floors[pid]), pid))
    for pid in order[:left]:
        floors[pid] += 1
    return floors


def paid_from_report(report: dict, currency: str) -> dict[str, Decimal]:
    return {
        c["id"]: Decimal(c.get("rewards_received", {}).get(currency, "0"))
        for c in report.get("contributors", ())
    }


def distribute(
    report: dict,
    *,
    budget: Decimal,
    currency: str,
    policy: str = "balanced",
    paid: dict[str, Decimal] | None = None,
    decay: Decimal = Decimal("0.5"),
    period: tuple[date, date] | None = None,
    minor_units: int = 2,
) -> list[dict]:
    if policy not in POLICIES:
        raise ValueEngineError(f"unknown reward policy '{policy}': choose one of {', '.join(POLICIES)}")
    budget = Decimal(budget)
    units_exact = budget.scaleb(minor_units)
    if not budget.is_finite() or budget < 0 or units_exact != units_exact.to_integral_value():
        raise BadBudget(
            f"budget {budget} {currency} is not a non-negative amount in whole minor units "
            f"({minor_units} decimals): round it, e.g. {budget.quantize(Decimal(1).scaleb(-minor_units)) if budget.is_finite() else '100.00'}"
        )
    decay_f = _fraction(decay)
    if not 0 <= decay_f <= 1:
        raise ValueEngineError(f"decay {decay} must be between 0 and 1")
    units = int(units_exact)
    people = {c["id"]: c for c in report.get("contributors", ()) if not c.get("bot")}
    months = list(report.get("monthly", {}).get("months", ()))
    if period is not None:
        first, last = _month(period[0]), _month(period[1])
        if first > last:
            raise ValueEngineError("the reward period ends before it starts")
    else:
        first = last = None

    weights: dict[str, Fraction] = {}
    if policy == "immediate":
        if first is None:
            active = [m for m in months if any(c.get("monthly_value", {}).get(m) for c in people.values())]
            first = last = active[-1] if active else None
        for pid, c in people.items():
            values = c.get("monthly_value", {})
            weights[pid] = sum((_fraction(v) for m, v in values.items() if first is not None and first <= m <= last), Fraction(0))
    elif policy == "recent":
        span = [m for m in months if last is None or m <= last]
        for pid, c in people.items():
            values = c.get("monthly_value", {})
            d = Fraction(0)
            for m in span:
                d = d * (1 - decay_f) + _fraction(values.get(m, 0))
            weights[pid] = d
    else:
        given = paid if paid is not None else paid_from_report(report, currency)
        g = {pid: _fraction(given.get(pid, 0)) for pid in people}
        value = {pid: _fraction(c.get("value", 0)) for pid, c in people.items()}
        total_value = sum(value.values())
        if total_value:
            pot = sum(g.values()) + _fraction(budget)
            for pid in people:
                weights[pid] = max(Fraction(0), pot * value[pid] / total_value - g[pid])
    weights = {pid: w for pid, w in weights.items() if w > 0}
    if not weights:
        return []
    split = largest_remainder(units, weights)
    total = sum(weights.values())
    return [
        {
            "id": pid,
            "name": people[pid].get("name", pid),
            "amount": Decimal(split[pid]).scaleb(-minor_units),
            "share": round(float(weights[pid] / total), 6),
        }
        for pid in sorted(weights)
    ]
