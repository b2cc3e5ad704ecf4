"""Reward distributions: SourceCred's grain policies over value, exact to the minor unit.

With c_i a contributor's value, g_i what the ledger shows was already paid to them and B the
budget (VALUE.md):
- immediate: amount_i = B · c_i / Σ c, c_i the sum of their monthly values in the window
  (`period`, or by default the last month in which anyone has value);
- recent:    d_i = fold over the months (oldest first, up to the period's end) of
             d·(1 − decay) + c_t; amount_i = B · d_i / Σ d;
- balanced:  target_i = (Σ g + B) · C_i / Σ C, C up to the period's end (all-time value without
             a period); under_i = max(0, target_i − g_i); amount_i = B · under_i / Σ under.
What a plan counts (value up to its end, payouts before its start) is decided in one place,
`counted`. Recipients: members only by default (a non-member has no way to be paid); the
non-members' part of the weights is reported, and the budget is split among members by the
same weights; `recipients="all"` pays everyone.
The budget is split in integer minor units (ISO 4217, `value.money`) by the largest remainder
method (floor every share; the leftover units go one by one to the largest remainders, ties by
id), so the parts always sum
exactly to the budget and nobody gets a negative amount. Shares are worked out in exact
fractions. When nobody has a positive weight (no contributors, or no value in the window), the
result is an empty list: nothing is distributed and the whole budget stays with the community.
Rows: contributors with a positive weight, sorted by id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from . import money
from .errors import BadBudget, ValueEngineError

POLICIES = ("immediate", "recent", "balanced")
RECIPIENTS = ("members", "all")


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


@dataclass(frozen=True)
class Period:
    """A plan's period, both days included."""

    start: date
    end: date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueEngineError(f"the reward period ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class Counted:
    """What a plan counts: value up to its period's end, payouts before its start.

    monthly: {id: {"YYYY-MM": value}}, the months up to the end (all of them without a period);
    total:   {id: value}, the balanced policy's C_i (all-time `value` without a period);
    paid:    {id: amount}, rewards in the plan's currency paid before the start (g_i)."""

    monthly: dict[str, dict[str, Fraction]]
    total: dict[str, Fraction]
    paid: dict[str, Fraction]


def counted(report: dict, *, currency: str, period: Period | None = None,
            payouts: Iterable[dict] | None = None) -> Counted:
    """THE ONE PLACE where a plan's period filters what it counts (VALUE.md, "Rewards": only
    records dated up to `end`, only payouts dated before `start`).

    Today value comes from the report's `monthly_value` (calendar months, so the month of `end`
    counts whole) and payouts from the ledger's `kind: reward` entries (`payouts`: dicts with
    date, amount, currency, kind, to, as `CommunityData.ledger`), or, without them, from the
    report's all-time `rewards_received`. When contribution records land, this function reads
    them instead (records dated <= end) and the policies below stay as they are.
    """
    people = [c for c in report.get("contributors", ()) if not c.get("bot")]
    last = _month(period.end) if period else None
    monthly = {
        c["id"]: {m: _fraction(v) for m, v in (c.get("monthly_value") or {}).items() if last is None or m <= last}
        for c in people
    }
    if period is None:
        total = {c["id"]: _fraction(c.get("value", 0)) for c in people}
    else:
        total = {pid: sum(values.values(), Fraction(0)) for pid, values in monthly.items()}
    if payouts is None and period is None:
        paid = {pid: _fraction(v) for pid, v in paid_from_report(report, currency).items()}
    elif payouts is None:  # the report's totals are not dated: a period cannot use them
        paid = {}
    else:
        paid = {}
        for e in payouts:
            if e.get("kind") != "reward" or e.get("currency") != currency or not e.get("to"):
                continue
            if period is not None and e["date"] >= period.start:
                continue
            paid[e["to"]] = paid.get(e["to"], Fraction(0)) + _fraction(e["amount"])
    return Counted(monthly, total, paid)


@dataclass(frozen=True)
class Split:
    """A budget split: the rows paid, and the part of the value of contributors who are not
    members (shared among members unless the plan pays everyone)."""

    rows: list[dict]
    non_members: int = 0  # contributors with a positive weight who have no member file
    non_member_share: Fraction = Fraction(0)  # their part of the policy's weights, 0..1
    recipients: str = "members"


def split(
    report: dict,
    *,
    budget: Decimal,
    currency: str,
    policy: str = "balanced",
    paid: dict[str, Decimal] | None = None,
    decay: Decimal = Decimal("0.5"),
    period: Period | tuple[date, date] | None = None,
    minor_units: int | None = None,
    recipients: str = "members",
    payouts: Iterable[dict] | None = None,
) -> Split:
    if policy not in POLICIES:
        raise ValueEngineError(f"unknown reward policy '{policy}': choose one of {', '.join(POLICIES)}")
    if recipients not in RECIPIENTS:
        raise ValueEngineError(f"unknown recipients '{recipients}': choose one of {', '.join(RECIPIENTS)}")
    if minor_units is None:
        if not money.is_currency(currency):
            raise ValueEngineError(f"'{currency}' is not an ISO 4217 currency code: use one such as EUR, USD or JPY")
        minor_units = money.minor_units(currency)
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
    if period is not None and not isinstance(period, Period):
        period = Period(*period)
    units = int(units_exact)
    people = {c["id"]: c for c in report.get("contributors", ()) if not c.get("bot")}
    months = list(report.get("monthly", {}).get("months", ()))
    if policy == "balanced" and period is not None and payouts is None and paid is None:
        raise ValueEngineError("the balanced policy over a period needs the ledger's payouts with their dates")
    got = counted(report, currency=currency, period=period, payouts=payouts)
    if period is not None:
        first, last = _month(period.start), _month(period.end)
    else:
        first = last = None

    weights: dict[str, Fraction] = {}
    if policy == "immediate":
        if first is None:
            active = [m for m in months if any(got.monthly.get(pid, {}).get(m) for pid in people)]
            first = last = active[-1] if active else None
        for pid in people:
            values = got.monthly.get(pid, {})
            weights[pid] = sum((v for m, v in values.items() if first is not None and first <= m <= last), Fraction(0))
    elif policy == "recent":
        span = [m for m in months if last is None or m <= last]
        for pid in people:
            values = got.monthly.get(pid, {})
            d = Fraction(0)
            for m in span:
                d = d * (1 - decay_f) + values.get(m, 0)
            weights[pid] = d
    else:
        given = got.paid if paid is None else {pid: _fraction(v) for pid, v in paid.items()}
        g = {pid: given.get(pid, Fraction(0)) for pid in people}
        total_value = sum(got.total.get(pid, Fraction(0)) for pid in people)
        if total_value:
            pot = sum(g.values()) + _fraction(budget)
            for pid in people:
                weights[pid] = max(Fraction(0), pot * got.total.get(pid, Fraction(0)) / total_value - g[pid])
    weights = {pid: w for pid, w in weights.items() if w > 0}
    everyone = sum(weights.values())
    outside = {pid: w for pid, w in weights.items() if not people[pid].get("member")}
    non_member_share = sum(outside.values(), Fraction(0)) / everyone if everyone else Fraction(0)
    if recipients == "members":  # a non-member has no way to be paid: their part goes to members
        weights = {pid: w for pid, w in weights.items() if pid not in outside}
    if not weights:
        return Split([], len(outside), non_member_share, recipients)
    parts = largest_remainder(units, weights)
    total = sum(weights.values())
    rows = [
        {
            "id": pid,
            "name": people[pid].get("name", pid),
            "amount": Decimal(parts[pid]).scaleb(-minor_units),
            "share": round(float(weights[pid] / total), 6),
        }
        for pid in sorted(weights)
    ]
    return Split(rows, len(outside), non_member_share, recipients)


def distribute(report: dict, **options) -> list[dict]:
    """The rows of `split(report, **options)`: who gets what, sorted by id."""
    return split(report, **options).rows
