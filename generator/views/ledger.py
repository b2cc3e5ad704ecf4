"""The ledger as tables and pictures: by month and kind, per currency, in exact decimals.

An opening balance (money held before the ledger began) adds to the balance and is never income:
it has its own column and its own side of the money flow."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from value import money
from value.context import month_range

from ..i18n import Catalogue, english
from ..model import LedgerEntry
from .charts import Chart, Founding, flow, grouped, line_chart

ZERO = Decimal(0)


def currencies(entries: list[LedgerEntry]) -> list[str]:
    return sorted({e.currency for e in entries})


def _column(e: LedgerEntry) -> str | None:
    if e.incoming:
        return "income"
    if e.kind in money.OPENING_KINDS:
        return "opening"
    return "expenses" if e.kind in money.SPENDING_KINDS else None


def totals(entries: list[LedgerEntry]) -> dict[str, dict[str, Decimal]]:
    """Opening balances, income, expenses and balance per currency (sorted by code), in exact
    decimals."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"opening": ZERO, "income": ZERO, "expenses": ZERO})
    for e in entries:
        column = _column(e)
        if column:
            sums[e.currency][column] += e.amount
    return {c: {**s, "balance": s["opening"] + s["income"] - s["expenses"]} for c, s in sorted(sums.items())}


def by_month(entries: list[LedgerEntry], currency: str) -> list[dict]:
    """Income, expenses and the running balance (opening balances included) per month, for one
    currency."""
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"opening": ZERO, "income": ZERO, "expenses": ZERO})
    for e in entries:
        column = _column(e)
        if e.currency == currency and column:
            months[e.date.strftime("%Y-%m")][column] += e.amount
    rows, balance = [], ZERO
    exact = lambda a: money.quantize(a, currency)  # noqa: E731 - with the currency's decimals: 0.00 EUR, 0 JPY
    for month in sorted(months):
        m = months[month]
        balance += m["opening"] + m["income"] - m["expenses"]
        rows.append({"month": month, "income": exact(m["income"]), "expenses": exact(m["expenses"]),
                     "balance": exact(balance)})
    return rows


def kind_words(catalogue: Catalogue | None = None) -> dict[str, str]:
    """{ledger kind: its name in words, in the site's language}, for the ledger's tables."""
    _ = (catalogue or english()).gettext
    return {"donation": _("Donation"), "grant": _("Grant"), "sale": _("Sale"), "expense": _("Expense"),
            "reward": _("Reward"), "opening_balance": _("Opening balance"), "transfer": _("Transfer")}


def by_kind(entries: list[LedgerEntry]) -> list[dict]:
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for e in entries:
        sums[(e.currency, e.kind)] += e.amount
        counts[(e.currency, e.kind)] += 1
    return [{"currency": c, "kind": k, "entries": counts[(c, k)], "amount": sums[(c, k)]} for c, k in sorted(sums)]


def every_month(rows: list[dict], currency: str) -> list[dict]:
    """`by_month`'s rows with the months between them filled in (nothing in or out, the balance
    carried), so that a chart's periods are whole and its time axis even."""
    if not rows:
        return []
    known = {r["month"]: r for r in rows}
    zero = money.quantize(ZERO, currency)
    filled, balance = [], zero
    for month in month_range(rows[0]["month"], rows[-1]["month"]):
        row = known.get(month) or {"month": month, "income": zero, "expenses": zero, "balance": balance}
        balance = row["balance"]
        filled.append(row)
    return filled


def balance_chart(entries: list[LedgerEntry], currency: str, catalogue: Catalogue | None = None,
                  founding: Founding | None = None) -> Chart:
    catalogue = catalogue or english()
    _ = catalogue.gettext
    rows = every_month(by_month(entries, currency), currency)
    return line_chart(
        _("Income, expenses and balance in {currency}", currency=currency),
        _("Monthly income and expenses in {currency}, and the balance at the end of each month, from the ledger.",
          currency=currency),
        [r["month"] for r in rows],
        {_("Income"): [r["income"] for r in rows], _("Expenses"): [r["expenses"] for r in rows],
         _("Balance"): [r["balance"] for r in rows]},
        label_name=_("Month"), localise=grouped(catalogue), stocks=(_("Balance"),), catalogue=catalogue,
        founding=founding,
    )


def _grouped(pairs: list[tuple[str, Decimal]], keep: int = 6, others: str = "Others") -> list[tuple[str, Decimal]]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for name, amount in pairs:
        sums[name] += amount
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ordered) > keep:
        rest = sum((a for _, a in ordered[keep - 1:]), ZERO)
        ordered = ordered[: keep - 1] + [(others, rest)]
    return ordered


def money_flow(entries: list[LedgerEntry], currency: str, party_name, is_contributor,
               catalogue: Catalogue | None = None) -> Chart:
    """Donors, grants, sales and any opening balance → the community → contributors (rewards, paid
    work) and expenses."""
    catalogue = catalogue or english()
    _ = catalogue.gettext
    inflow, outflow = [], []
    for e in entries:
        if e.currency != currency:
            continue
        if e.kind in money.OPENING_KINDS:  # where the money spent came from, though not income
            inflow.append((_("Opening balance"), e.amount))
        elif e.incoming:
            who = party_name(e.party_from) if e.party_from else _("Unnamed")
            label = f"{catalogue.term(e.kind).capitalize()}: {who}" if e.kind != "donation" else f"{who}"
            inflow.append((label, e.amount))
        elif is_contributor(e.party_to):
            outflow.append((_("Paid to contributors"), e.amount))
        else:
            outflow.append((e.party_to or _("Other expenses"), e.amount))
    return flow(
        _("Money flows in {currency}", currency=currency),
        _("Where the community's {currency} came from and where it went, from the ledger.", currency=currency),
        _grouped(inflow, others=_("Others")), _grouped(outflow, others=_("Others")), _("Community"), currency,
        headers=(_("Direction"), _("Party")), directions=(_("in"), _("out")), localise=grouped(catalogue),
        fmt=lambda amount: catalogue.money(amount, currency), sides=(_("Came in"), _("Went out")),
    )
