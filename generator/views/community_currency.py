"""The ledger's community currencies (`currencies:`), each apart from money and from the others.

A community currency's section shows what the community itself holds of it (opening balances,
income and spending in it, when the ledger has any), each member's balance from the transfers
between members (given and received; it may be below zero), and the transfers, newest first.
Members appear through their visibility: hidden members are never named, their balances summed
into one line. Amounts are exact, with the unit's own decimals and symbol; nothing is converted.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from value import money

from ..i18n import Catalogue, english
from ..model import LedgerEntry
from .ledger import totals as ledger_totals

ZERO = Decimal(0)


def money_codes(entries: list[LedgerEntry]) -> list[str]:
    """The codes of the ledger's money (ISO 4217), sorted: every code but the community currencies."""
    return sorted({e.currency for e in entries if money.unit(e.currency) is None})


def money_entries(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """The ledger's entries in money (ISO 4217): those of community currencies left out."""
    return [e for e in entries if money.unit(e.currency) is None]


def kind_word(kind: str, catalogue: Catalogue | None = None) -> str:
    """A community currency's kind in words, in the site's language."""
    _ = (catalogue or english()).gettext
    return {"time_bank": _("a time bank"), "mutual_credit": _("a mutual credit"),
            "local_currency": _("a local currency"), "other": _("a community currency")}.get(kind, kind)


def member_balances(entries: list[LedgerEntry], code: str) -> dict[str, dict[str, Decimal]]:
    """{member: {"received", "given", "balance"}} of the transfers in `code`, by handle."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"received": ZERO, "given": ZERO})
    for e in entries:
        if e.currency == code and e.kind in money.TRANSFER_KINDS:
            sums[e.party_from]["given"] += e.amount
            sums[e.party_to]["received"] += e.amount
    return {who: {**s, "balance": s["received"] - s["given"]} for who, s in sorted(sums.items())}


def sections(entries: list[LedgerEntry], people, party_name, catalogue: Catalogue | None = None) -> list[dict]:
    """One section per community currency the ledger uses, by code."""
    catalogue = catalogue or english()
    _ = catalogue.gettext
    out = []
    for code in sorted({e.currency for e in entries if money.unit(e.currency) is not None}):
        unit = money.unit(code)
        exact = lambda a: money.quantize(a, code)  # noqa: E731 - with the unit's decimals
        own = [e for e in entries if e.currency == code and e.kind not in money.TRANSFER_KINDS]
        # what the community itself holds of it, summed as the money's totals are
        totals = {k: exact(v) for k, v in ledger_totals(own)[code].items()} if own else None
        rows, hidden, hidden_count = [], {"received": ZERO, "given": ZERO, "balance": ZERO}, 0
        for who, s in member_balances(entries, code).items():
            if people.is_hidden(who):
                hidden_count += 1
                for k in hidden:
                    hidden[k] += s[k]
                continue
            person = people.get(who)
            rows.append({"name": party_name(who), "path": f"members/{person.slug}/" if person else "",
                         **{k: exact(v) for k, v in s.items()}})
        rows.sort(key=lambda r: (-r["balance"], r["name"]))
        if hidden_count:
            rows.append({"name": catalogue.ngettext("{n} member not listed", "{n} members not listed", hidden_count), "path": "",
                         **{k: exact(v) for k, v in hidden.items()}})
        transfers = [{"date": e.date, "from": party_name(e.party_from), "to": party_name(e.party_to),
                      "amount": e.amount, "note": e.note}
                     for e in reversed(entries) if e.currency == code and e.kind in money.TRANSFER_KINDS]
        out.append({
            "code": code, "name": unit.name, "symbol": unit.symbol, "decimals": unit.decimals, "kind": unit.kind,
            "kind_word": kind_word(unit.kind, catalogue), "totals": totals, "members": rows,
            "transfers": transfers,
            "moved": exact(sum((e.amount for e in entries if e.currency == code and e.kind in money.TRANSFER_KINDS),
                               ZERO)),
        })
    return out


def member_transfers(entries: list[LedgerEntry], handle: str, party_name) -> list[dict]:
    """A member's transfers in community currencies, newest first, and each currency's balance:
    [{"code", "name", "balance", "transfers": [{"date", "direction", "other", "amount", "note"}]}]."""
    out = []
    for code in sorted({e.currency for e in entries if money.unit(e.currency) is not None}):
        mine = [e for e in entries if e.currency == code and e.kind in money.TRANSFER_KINDS
                and handle in (e.party_from, e.party_to)]
        if not mine:
            continue
        balance = sum((e.amount if e.party_to == handle else -e.amount for e in mine), ZERO)
        out.append({"code": code, "name": money.unit(code).name, "balance": money.quantize(balance, code),
                    "transfers": [{"date": e.date, "received": e.party_to == handle,
                                   "other": party_name(e.party_from if e.party_to == handle else e.party_to),
                                   "amount": e.amount, "note": e.note} for e in reversed(mine)]})
    return out


def currencies_document(model) -> list[tuple[str, str, str, list]]:
    """`data/currencies.json`, when the community declares community currencies: as the open data
    package's documents take it, (name, title, description, content)."""
    units = model.config.currencies if model.config is not None else {}
    if not units:
        return []
    rows = [{"code": u.code, "name": u.name, "symbol": u.symbol, "decimals": u.decimals, "kind": u.kind}
            for u in sorted(units.values(), key=lambda u: u.code)]
    return [("currencies", "Community currencies",
             "The units the community declares under currencies: in commonplace.yaml (time-bank hours, mutual "
             "credit...): code, name, symbol, decimals and kind. They are not money: ledger amounts in them are "
             "never converted, nor added to an ISO 4217 currency's.", rows)]
