"""Reward distributions: SourceCred's grain policies over contribution records, exact to the minor unit.

With c_i a contributor's value (contributions.scores over the records of a period), g_i what
the ledger shows was already paid to them and B the budget (VALUE.md):
- immediate: amount_i = B · c_i / Σ c, c_i their value over the period (by default the last
             month in which anyone has value);
- recent:    d_i = fold over the months (oldest first, up to the period's end) of
             d·(1 − decay) + c_t; amount_i = B · d_i / Σ d;
- balanced:  target_i = (Σ g + B) · C_i / Σ C, C their value over every record up to the
             period's end (all records without a period); under_i = max(0, target_i − g_i);
             amount_i = B · under_i / Σ under.
What a plan counts (value up to its end, payouts before its start) is decided in one place,
`counted`: the records counted by the end (the later of date and landed), with cred as of the end, payouts before the start;
a plan with `verified` counts the records of verified commits only. Recipients: members only by default (a non-member has no way to be paid); the
non-members' part of the weights is reported, and the budget is split among members by the
same weights; `recipients="all"` pays everyone.
The budget is split in integer minor units (ISO 4217, `value.money`) by the largest remainder
method (floor every share; the leftover units go one by one to the largest remainders, ties by
id), so the parts always sum
exactly to the budget and nobody gets a negative amount. Shares are worked out in exact
fractions. When nobody has a positive weight (no contributors, or no value in the window), the
result is an empty list: nothing is distributed and the whole budget stays with the community.
Rows: contributors with a positive weight, sorted by id. Each split also says why each person gets
what they get (`Split.reasons`, made by `explain`): their share of the value the policy counts,
their fair part, what they had already received, this payout and, for a person paid nothing, why.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from . import money
from .context import month_range
from .contributions import Record, from_columns, from_report, in_period, scores
from .errors import BadBudget, ValueEngineError
from .inputs import LedgerInput
from .registry import DIMENSIONS
from .report_types import Report

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


def paid_from_report(report: Report, currency: str) -> dict[str, Decimal]:
    return {
        c["id"]: Decimal(c.get("rewards_received", {}).get(currency, "0"))
        for c in report.contributors
    }


@dataclass(frozen=True)
class Period:
    """A plan's period, both days included."""

    start: date
    end: date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueEngineError(f"the reward period ends ({self.end}) before it starts ({self.start})")


# The kinds of record made from a commit: their `source` is the commit id (contributions.py).
COMMIT_KINDS = ("commit", "coauthor", "review", "replacement_cost", "documentation")


@dataclass(frozen=True)
class Counted:
    """What a plan counts: the records counted by its period's end (date or landed, the later), payouts before its start.

    months:  the calendar months from the first record's to the end's (the last record's without
             a period), every one, so that a decay goes on through months without records;
    monthly: {id: {"YYYY-MM": value}}, each month's value; the end's month up to the end's day;
    window:  {id: value} over the period, the immediate policy's c_i (without a period: the last
             month in which anyone has value);
    total:   {id: value} over every record up to the end, the balanced policy's C_i;
    paid:    {id: amount}, rewards in the plan's currency paid before the start (g_i);
    commits: the people's commits dated in the period (without a period: ever);
    verified: how many of those are verified (None unless the plan counts verified commits only)."""

    months: list[str]
    monthly: dict[str, dict[str, Fraction]]
    window: dict[str, Fraction]
    total: dict[str, Fraction]
    paid: dict[str, Fraction]
    commits: int = 0
    verified: int | None = None


def plan_records(report: Report, end: date | None = None, verified: bool = False) -> list[Record]:
    """The people's records a plan counts, sorted by date: those counted by `end` (date or landed, the later), with the cred
    as of `end` (the report's `cred_as_of`) in place of the cred as of today; with `verified`,
    the records of a commit only when it is verified (the report's `verified`)."""
    records = from_report(report)
    if end is not None:
        last = end.isoformat()
        as_of = report.cred_as_of
        if last in as_of:
            records = [r for r in records if r.kind != "cred"] + from_columns(as_of[last])
        elif any(r.kind == "cred" for r in records):
            raise ValueEngineError(f"the value report has no cred as of {last}: compute it with the plan's period "
                                   "(CommunityData.periods), so that later work cannot change the plan")
        records = in_period(records, None, last)
    if verified:
        signed = set(report.verified or ())
        records = [r for r in records if r.kind not in COMMIT_KINDS or r.source in signed]
    records.sort(key=Record.sort_key)
    return records


def _values(records, weights: dict[str, float]) -> dict[str, Fraction]:
    """{person: value} of these records (contributions.scores), as exact fractions of the floats."""
    return {pid: Fraction(v) for pid, v in scores(records, weights).value.items()}


def counted(report: Report, *, currency: str, period: Period | None = None,
            payouts: Iterable[LedgerInput] | None = None, verified: bool = False) -> Counted:
    """THE ONE PLACE where a plan's period filters what it counts (VALUE.md, "Rewards": only
    records counted by `end`, only payouts dated before `start`).

    Value comes from the report's contribution records (`contributions.from_report`, scored with
    `contributions.scores` and the report's weights), to the day: a period ending mid-month
    counts that month's records up to its end. Cred is the cred as of the end (`cred_as_of`),
    not today's: later commits and kudos move today's cred of every month. Payouts come from the
    ledger's `kind: reward` entries (`payouts`: `LedgerInput`s, as `CommunityData.ledger`), or, without them, from the report's all-time `rewards_received`.
    With `verified`, the records of commits that are not verified are left out (`plan_records`).
    """
    people = report.people
    weights = report.weights or dict.fromkeys(DIMENSIONS, 1.0)
    end = period.end if period else None
    records = plan_records(report, end, verified)
    records.sort(key=Record.counts_on.fget)  # stable: by the day each counts (date or landed, VALUE.md)
    days = [r.counts_on for r in records]
    last = _month(end) if end else (days[-1][:7] if days else None)
    months = month_range(days[0][:7], last) if days and days[0][:7] <= last else []
    monthly: dict[str, dict[str, Fraction]] = {c["id"]: {} for c in people}
    for m in months:
        for pid, v in _values(records[bisect_left(days, m):bisect_left(days, f"{m}-32")], weights).items():
            if v and pid in monthly:
                monthly[pid][m] = v
    if period is not None:
        window = _values(in_period(records, period.start.isoformat(), end.isoformat()), weights)
    else:
        active = [m for m in months if any(values.get(m) for values in monthly.values())]
        window = {pid: values.get(active[-1], Fraction(0)) for pid, values in monthly.items()} if active else {}
    total = _values(records, weights)

    everything = plan_records(report, end) if verified else records
    in_window = (in_period(everything, period.start.isoformat(), end.isoformat()) if period else everything)
    commits = sum(1 for r in in_window if r.kind == "commit")
    signed = None
    if verified:
        ids = set(report.verified or ())
        signed = sum(1 for r in in_window if r.kind == "commit" and r.source in ids)

    if payouts is None and period is None:
        paid = {pid: _fraction(v) for pid, v in paid_from_report(report, currency).items()}
    elif payouts is None:  # the report's totals are not dated: a period cannot use them
        paid = {}
    else:
        paid = {}
        for e in payouts:
            if e.kind != "reward" or e.currency != currency or not e.payee:
                continue
            if period is not None and e.date >= period.start:
                continue
            paid[e.payee] = paid.get(e.payee, Fraction(0)) + _fraction(e.amount)
    return Counted(months, monthly, window, total, paid, commits, signed)


@dataclass(frozen=True)
class Split:
    """A budget split: the rows paid, and the part of the value of contributors who are not
    members (shared among members unless the plan pays everyone)."""

    rows: list[dict]
    non_members: int = 0  # contributors with a positive weight who have no member file
    non_member_share: Fraction = Fraction(0)  # their part of the policy's weights, 0..1
    recipients: str = "members"
    commits: int = 0  # the people's commits dated in the period
    verified: int | None = None  # how many of them are verified, for a plan that counts only those
    # Why each person gets what they get (`explain`): {id: Reason}, for everyone with value or
    # payouts counted, paid or not.
    reasons: dict = field(default_factory=dict)


# Why someone gets nothing (a Reason's `why`; "" when they are paid).
RECEIVED_MORE = "received_more"  # balanced: already received at least their fair part
NOT_A_MEMBER = "not_member"  # the plan pays members only
NO_VALUE = "no_value"  # no value counted by the policy (payouts only)
ROUNDED = "rounded"  # their part is less than the currency's smallest unit, or went to larger remainders


@dataclass(frozen=True)
class Reason:
    """One line of a split, explained (VALUE.md, "Rewards"): `share` their part of the value the
    policy counts (c_i / Σ c: the period's for immediate, the decayed months' for recent, all
    value up to the end for balanced); `fair` their fair part (B · share; for balanced, the
    target (Σ g + B) · share); `received` what the ledger shows they had already received (g_i);
    `amount` this payout; `why` why they get nothing ("" when they get something)."""

    share: Fraction
    fair: Fraction
    received: Fraction
    amount: Decimal
    why: str = ""


def _basis(policy: str, got: Counted, people, decay: Fraction) -> dict[str, Fraction]:
    """The value each person has under the policy: c_i (immediate), d_i (recent), C_i (balanced)."""
    if policy == "immediate":
        return {pid: got.window.get(pid, Fraction(0)) for pid in people}
    if policy == "recent":
        return _policy_weights("recent", got, people, decay, None, Decimal(0))
    return {pid: got.total.get(pid, Fraction(0)) for pid in people}


def explain(policy: str, got: Counted, people: dict, decay: Fraction, paid: dict | None, budget: Decimal,
            amounts: dict[str, Decimal], recipients: str, zero: Decimal) -> dict[str, Reason]:
    """{id: Reason} for each person with value under the policy or payouts counted."""
    basis = _basis(policy, got, people, decay)
    given = got.paid if paid is None else {pid: _fraction(v) for pid, v in paid.items()}
    whole = sum(basis.values(), Fraction(0))
    pot = _fraction(budget) + (sum((given.get(pid, Fraction(0)) for pid in people), Fraction(0))
                               if policy == "balanced" else 0)
    result = {}
    for pid in sorted(people):
        value, received = basis.get(pid, Fraction(0)), given.get(pid, Fraction(0))
        if not value and not received:
            continue
        share = value / whole if whole else Fraction(0)
        fair = pot * share
        amount = amounts.get(pid, zero)
        why = ""
        if not amount:
            if recipients == "members" and not people[pid].get("member"):
                why = NOT_A_MEMBER
            elif not value:
                why = NO_VALUE
            elif policy == "balanced" and received >= fair:
                why = RECEIVED_MORE
            else:
                why = ROUNDED
        result[pid] = Reason(share, fair, received, amount, why)
    return result


def _budget_units(budget: Decimal, currency: str, minor_units: int) -> int:
    """The budget in whole minor units; refused when it has more digits than any community shares
    out, is negative or not finite, or has more decimals than the currency."""
    if budget.is_finite() and budget.adjusted() >= money.MAX_DIGITS:
        raise BadBudget(f"the budget has more than {money.MAX_DIGITS} digits before the decimal "
                        "point: no community shares out that much; give the budget it has")
    units_exact = budget.scaleb(minor_units)
    if not budget.is_finite() or budget < 0 or units_exact != units_exact.to_integral_value():
        raise BadBudget(
            f"budget {budget} {currency} is not a non-negative amount in whole minor units "
            f"({minor_units} decimals): round it, e.g. {budget.quantize(Decimal(1).scaleb(-minor_units)) if budget.is_finite() else '100.00'}"
        )
    return int(units_exact)


def _policy_weights(policy: str, got: Counted, people, decay: Fraction, paid: dict | None,
                    budget: Decimal) -> dict[str, Fraction]:
    """Each person's weight in the split, as the policy has it: the window's value (immediate),
    the months' value with older months decayed (recent), or what brings everyone's payouts,
    this budget included, closest to their share of all-time value (balanced)."""
    weights: dict[str, Fraction] = {}
    if policy == "immediate":
        weights = {pid: got.window.get(pid, Fraction(0)) for pid in people}
    elif policy == "recent":
        for pid in people:
            values = got.monthly.get(pid, {})
            d = Fraction(0)
            for m in got.months:
                d = d * (1 - decay) + values.get(m, 0)
            weights[pid] = d
    else:
        given = got.paid if paid is None else {pid: _fraction(v) for pid, v in paid.items()}
        g = {pid: given.get(pid, Fraction(0)) for pid in people}
        total_value = sum(got.total.get(pid, Fraction(0)) for pid in people)
        if total_value:
            pot = sum(g.values()) + _fraction(budget)
            for pid in people:
                weights[pid] = max(Fraction(0), pot * got.total.get(pid, Fraction(0)) / total_value - g[pid])
    return weights


def split(
    report: Report,
    *,
    budget: Decimal,
    currency: str,
    policy: str = "balanced",
    paid: dict[str, Decimal] | None = None,
    decay: Decimal = Decimal("0.5"),
    period: Period | tuple[date, date] | None = None,
    minor_units: int | None = None,
    recipients: str = "members",
    payouts: Iterable[LedgerInput] | None = None,
    verified: bool = False,
) -> Split:
    if policy not in POLICIES:
        raise ValueEngineError(f"unknown reward policy '{policy}': choose one of {', '.join(POLICIES)}")
    if recipients not in RECIPIENTS:
        raise ValueEngineError(f"unknown recipients '{recipients}': choose one of {', '.join(RECIPIENTS)}")
    if not money.is_unit(currency):  # money, or a community currency the community declares
        raise ValueEngineError(money.refusal(currency, declarable=True))
    if minor_units is None:
        minor_units = money.minor_units(currency)
    budget = Decimal(budget)
    units = _budget_units(budget, currency, minor_units)
    decay_f = _fraction(decay)
    if not 0 <= decay_f <= 1 or decay_f.denominator > 10 ** 15:  # exact powers of a finer decay grow past any time
        raise ValueEngineError(f"decay {str(decay)[:40]} must be between 0 and 1, with at most 15 decimals")
    if period is not None and not isinstance(period, Period):
        period = Period(*period)
    people = {c["id"]: c for c in report.people}
    if policy == "balanced" and period is not None and payouts is None and paid is None:
        raise ValueEngineError("the balanced policy over a period needs the ledger's payouts with their dates")
    got = counted(report, currency=currency, period=period, payouts=payouts, verified=verified)

    weights = {pid: w for pid, w in _policy_weights(policy, got, people, decay_f, paid, budget).items() if w > 0}
    everyone = sum(weights.values())
    outside = {pid: w for pid, w in weights.items() if not people[pid].get("member")}
    non_member_share = sum(outside.values(), Fraction(0)) / everyone if everyone else Fraction(0)
    if recipients == "members":  # a non-member has no way to be paid: their part goes to members
        weights = {pid: w for pid, w in weights.items() if pid not in outside}
    zero = Decimal(0).scaleb(-minor_units)
    if not weights:
        reasons = explain(policy, got, people, decay_f, paid, budget, {}, recipients, zero)
        return Split([], len(outside), non_member_share, recipients, got.commits, got.verified, reasons)
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
    reasons = explain(policy, got, people, decay_f, paid, budget, {r["id"]: r["amount"] for r in rows},
                      recipients, zero)
    return Split(rows, len(outside), non_member_share, recipients, got.commits, got.verified, reasons)


def distribute(report: Report, **options) -> list[dict]:
    """The rows of `split(report, **options)`: who gets what, sorted by id."""
    return split(report, **options).rows
