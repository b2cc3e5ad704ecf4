"""Money raised and replacement cost (the monetary dimension): money in and out (exact decimals, per
currency, opening balances apart from income) and the estimated replacement cost of the source code."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from ..filedata import yaml_data
from ..money import INCOME_KINDS, SPENDING_KINDS, balance_sign, is_currency
from ..registry import indicator, person

DIM = "monetary_value"
CENT = Decimal("0.01")
# The replacement cost is a model's guess: it is shown to this many significant figures, never to
# the cent (the report keeps the exact figure beside it).
ESTIMATE_FIGURES = 2
# A funding platform's key as GitHub's funding file writes them (ko_fi, open_collective): the keys
# are published, so a key of any other form (an address, markup) is not counted.
PLATFORM_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def cocomo(lines: int) -> tuple[float, float]:
    """Open Hub's basic COCOMO: person-months = 2.4 × KLOC^1.05; person-years = that / 12."""
    months = 2.4 * (max(lines, 0) / 1000) ** 1.05
    return months, months / 12


def _sum(entries) -> dict[str, str]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        totals[e.currency] += Decimal(e.amount)
    return {cur: str(totals[cur]) for cur in sorted(totals)}


def _entries(ctx, month, kinds):
    return [e for e in ctx.dated_in(ctx.data.ledger, month) if e.kind in kinds]


@indicator(DIM, "income", unit="currency",
           formula="sum of donations, grants and sales, per currency",
           explanation="Money received, exact, never converted between currencies.")
def income(ctx, month):
    return _sum(_entries(ctx, month, INCOME_KINDS))


@indicator(DIM, "expenses", unit="currency",
           formula="sum of expenses and rewards, per currency",
           explanation="Money spent, rewards to contributors included.")
def expenses(ctx, month):
    return _sum(_entries(ctx, month, SPENDING_KINDS))


@indicator(DIM, "balance", unit="currency", monthly=False,
           formula="opening balances + income − expenses, per currency",
           explanation="What the ledger holds.")
def balance(ctx, month):
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for e in ctx.data.ledger:
        if balance_sign(e.kind):  # a transfer between members leaves the community's balance as it was
            totals[e.currency] += balance_sign(e.kind) * Decimal(e.amount)
    return {cur: str(totals[cur]) for cur in sorted(totals)}


@indicator(DIM, "donors", unit="donors",
           formula="distinct 'from' of donations of money (ISO 4217; a community currency's are not money)",
           explanation="How many people or organisations give money.")
def donors(ctx, month):
    return len({e.payer for e in _entries(ctx, month, {"donation"}) if e.payer and is_currency(e.currency)})


@indicator(DIM, "returned_to_contributors", unit="share", monthly=False,
           formula="spending whose 'to' is a contributor's id / all spending, per currency",
           explanation="How much of what the community spends goes back to the people doing the work.")
def returned(ctx, month):
    spent, back = defaultdict(Decimal), defaultdict(Decimal)
    for e in _entries(ctx, month, SPENDING_KINDS):
        amount = Decimal(e.amount)
        spent[e.currency] += amount
        if e.payee in ctx.humans:
            back[e.currency] += amount
    return {cur: float(back[cur] / spent[cur]) if spent[cur] else None for cur in sorted(spent)}


@indicator(DIM, "funding_channels", unit="channels", monthly=False,
           formula="platforms with a value in .github/FUNDING.yml",
           explanation="Ways to support the community financially (GitHub's funding file).")
def funding_channels(ctx, month):
    data = yaml_data(ctx.history.files.get(".github/FUNDING.yml"))
    if not isinstance(data, dict):
        return []
    return sorted(str(k) for k, v in data.items() if v not in (None, "", [], {}) and PLATFORM_KEY.fullmatch(str(k)))


@indicator(DIM, "replacement_cost", unit="currency", monthly=False,
           formula="lines = lines of source code added − removed (files in programming languages, as a "
                   "language classifier such as linguist types them; not data, markup or prose such as YAML, "
                   "Markdown or CSV); person-months = 2.4 × (lines / 1000)^1.05; person-years = person-months / 12; "
                   "cost = person-years × yearly salary, shown rounded to 2 significant figures",
           explanation="An ESTIMATE of what writing the source code again would cost (Open Hub's basic COCOMO "
                       "over lines of source code only); nothing when the history has no source code.")
def replacement_cost(ctx, month):
    lines = max(0, sum(c.code_added - c.code_removed for c in ctx.commits))
    months, years = cocomo(lines)
    salary, currency = ctx.data.salary
    cost = (Decimal(repr(years)) * Decimal(salary)).quantize(CENT, ROUND_HALF_EVEN)
    return {
        "estimate": True,
        "basis": "source code",
        "lines": lines,
        "person_months": round(months, 3),
        "person_years": round(years, 3),
        "salary": str(salary),
        "cost": str(cost),
        "rounded": str(rounded(cost)),
        "currency": currency,
    }


def rounded(amount: Decimal, significant: int = ESTIMATE_FIGURES) -> Decimal:
    """An estimate as it is shown: `significant` figures, never finer than a whole unit of the
    currency (11,386.54 → 11,000; 5.23 → 5; 0 → 0), half to even."""
    if amount == 0:
        return Decimal(0)
    step = max(amount.adjusted() - significant + 1, 0)
    return amount.quantize(Decimal(1).scaleb(step), ROUND_HALF_EVEN).quantize(Decimal(1))


@person(DIM, "rewards_received", unit="currency",
        formula="ledger entries of kind reward with 'to' = their id, per currency",
        explanation="What the community has already paid them (used by the balanced policy).")
def rewards_received(ctx):
    paid: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for e in ctx.data.ledger:
        if e.kind == "reward" and e.payee:
            paid[e.payee][e.currency] += Decimal(e.amount)
    return {pid: {cur: str(v[cur]) for cur in sorted(v)} for pid, v in paid.items()}

