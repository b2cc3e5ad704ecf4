"""Money as its currency has it: ISO 4217 codes and minor units, from Babel's currency data (CLDR),
and the community currencies a community declares (`currencies:`), with the decimals it gives them.

A currency's minor unit is how many decimals its amounts have: JPY 0, EUR 2, BHD 3. Budgets and
ledger amounts may not have more; splits are made in whole minor units; every amount is written
with exactly its currency's decimals ("120.00 EUR", "5 JPY", "1.250 BHD"). Both packages use this
module: the loader to check amounts, `value.rewards` to split, the site and the terminal to print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

# The ledger kinds that bring money in and that pay it out (`ledger/*.yaml`'s `kind`). The loader,
# the engine's indicators and advice, and the model all read these.
INCOME_KINDS = frozenset({"donation", "grant", "sale"})
SPENDING_KINDS = frozenset({"expense", "reward"})
# Money the community held before its ledger began: it adds to the balance but is no income (no
# donor, no income raised, not in the income figures).
OPENING_KINDS = frozenset({"opening_balance"})

# Amounts have at most this many digits before the decimal point: every sum and split of them
# stays exact inside the 28 digits of Python's decimal arithmetic.
MAX_DIGITS = 15


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    # Imported here: Babel's number module takes ~25 ms to import, and most commands never need it.
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


# ISO 4217 codes that name no money anyone is paid in: "no currency", testing, precious metals
# and units of account. An amount in one of them cannot be paid, added up or split, so each is
# refused with what it stands for.
NOT_MONEY = {
    "XXX": "ISO 4217's code for \"no currency\"",
    "XTS": "reserved by ISO 4217 for testing",
    "XAU": "gold (a troy ounce), a precious metal",
    "XAG": "silver (a troy ounce), a precious metal",
    "XPD": "palladium (a troy ounce), a precious metal",
    "XPT": "platinum (a troy ounce), a precious metal",
    "XBA": "a European bond-market unit of account",
    "XBB": "a European bond-market unit of account",
    "XBC": "a European bond-market unit of account",
    "XBD": "a European bond-market unit of account",
    "XEU": "the European Currency Unit, a unit of account replaced by the euro (EUR)",
    "XDR": "the IMF's Special Drawing Right, a unit of account between governments",
    "XSU": "the SUCRE, a unit of account between governments",
    "XUA": "the African Development Bank's unit of account",
    "XAD": "the Arab Monetary Fund's unit of account",
    "XFO": "a former settlement unit of account (the gold franc)",
    "XFU": "a former settlement unit of account (the UIC franc)",
    "XRE": "a former unit of account of funds",
}


# -- community currencies ---------------------------------------------------------------------
# Units a community declares under `currencies:` in commonplace.yaml: time-bank hours, mutual
# credit, a local currency. They are never money: never converted, never added to an ISO amount.
UNIT_KINDS = ("time_bank", "mutual_credit", "local_currency", "other")
# Kinds whose balances may run below zero by design: no overdraft warning (`overdrawn`).
MAY_RUN_NEGATIVE = frozenset({"mutual_credit"})
MAX_UNIT_DECIMALS = 6
MAX_UNITS = 20  # community currencies one community declares at most
# A ledger entry that moves a community currency between two members: no income, no spending.
TRANSFER_KINDS = frozenset({"transfer"})


@dataclass(frozen=True)
class Unit:
    """A community currency as `currencies:` declares it."""

    code: str  # 3 to 8 capital letters, not an ISO 4217 code
    name: str  # "Hores"
    symbol: str  # "h"
    decimals: int  # 0 to MAX_UNIT_DECIMALS
    kind: str = "other"  # one of UNIT_KINDS


# The declared units of the community being read. The loader sets them once per load from
# commonplace.yaml (`declare`), before any amount is read: every function of this module then
# knows their decimals, as it knows ISO 4217's from Babel's data.
_declared: dict[str, Unit] = {}


def declare(units) -> None:
    """Make `units` ({code: Unit}) the declared community currencies, replacing any before."""
    global _declared
    _declared = dict(units or {})


def declared() -> dict[str, Unit]:
    """The declared community currencies, {code: Unit}."""
    return dict(_declared)


def unit(code) -> Unit | None:
    """The declared community currency of `code`, or None (an ISO code, or unknown)."""
    return _declared.get(code) if isinstance(code, str) else None


def is_unit(code) -> bool:
    """Can an amount be in `code`: an ISO 4217 currency, or a declared community currency?"""
    return is_currency(code) or unit(code) is not None


def codes() -> list[str]:
    """Every ISO 4217 code Babel knows that names money (the codes of NOT_MONEY left out), sorted."""
    return sorted(_codes() - NOT_MONEY.keys())


def is_currency(code: str) -> bool:
    """Is `code` an ISO 4217 currency code Babel knows that names money ("EUR": yes; "EURO",
    "eur", "ZZZ", "XXX", "XAU": no)?"""
    return isinstance(code, str) and code in _codes() and code not in NOT_MONEY


def refusal(code, declarable: bool = False) -> str:
    """Why `code` cannot be the currency of an amount paid or budgeted, and what to write instead
    (for a code `is_currency` refuses). `declarable`: where a community currency may stand (the
    ledger, a reward plan), the hint to declare one."""
    if isinstance(code, str) and code in NOT_MONEY:
        return (f"currency '{code}' is {NOT_MONEY[code]}, not money anyone is paid in: write the currency "
                "the amount was paid in, such as EUR, USD or JPY")
    if declarable and isinstance(code, str) and COMMUNITY_CODE.fullmatch(code):
        return (f"currency '{code}' is not an ISO 4217 currency code: use one such as EUR, USD or JPY, or, for a "
                f"community currency (time-bank hours, mutual credit), declare {code} under `currencies:` in "
                "commonplace.yaml")
    return f"currency '{code}' is not an ISO 4217 currency code: use one such as EUR, USD or JPY"


# The form of a community currency's code: 3 to 8 capital letters.
COMMUNITY_CODE = re.compile(r"[A-Z]{3,8}")


def minor_units(code: str) -> int:
    """The number of decimals of `code`'s amounts (ISO 4217 minor unit): JPY 0, EUR 2, BHD 3; a
    declared community currency's `decimals`.

    An unknown code is an error, never the default of 2 that Babel would give."""
    declared_unit = unit(code)
    if declared_unit is not None:
        return declared_unit.decimals
    return _iso_minor_units(code)


@lru_cache(maxsize=None)
def _iso_minor_units(code: str) -> int:
    if not is_currency(code):
        raise ValueError(refusal(code))
    from babel.numbers import get_currency_precision

    return get_currency_precision(code)


def decimals_of(amount: Decimal) -> int:
    """How many decimals an exact amount is written with ("12.50": 2, "12": 0, "1E+3": 0)."""
    exponent = Decimal(amount).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def quantize(amount, code: str) -> Decimal:
    """`amount` with exactly `code`'s decimals ("5" EUR → 5.00). Never rounds away a digit: an
    amount with more decimals than the currency has is a ValueError."""
    value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    places = minor_units(code)
    if not value.is_finite() or value.adjusted() >= 28 - places:  # past what decimal arithmetic holds exactly
        raise ValueError(f"{code} amounts are finite and have at most {28 - places} digits before the decimal point")
    if decimals_of(value.normalize()) > places:
        raise ValueError(f"{value} has more decimals than {code}'s {places}")
    return value.quantize(Decimal(1).scaleb(-places))


def to_units(amount, code: str) -> int:
    """An amount as a whole number of `code`'s minor units (12.50 EUR → 1250)."""
    return int(quantize(amount, code).scaleb(minor_units(code)))


def from_units(units: int, code: str) -> Decimal:
    """Whole minor units back to an amount with the currency's decimals (1250 EUR → 12.50)."""
    return Decimal(units).scaleb(-minor_units(code))


def format_amount(amount, code: str) -> str:
    """An amount with its currency's decimals and no grouping, for data and the terminal:
    "120.00" (EUR), "5" (JPY), "1.250" (BHD)."""
    return f"{quantize(amount, code):f}"


def example(amount, code: str) -> str:
    """`amount` written as it should be in a data file for `code` (its decimals, quoted away
    from YAML's numbers by the caller): 12.5 EUR → "12.50"; more decimals are rounded half up,
    only to show the form."""
    from decimal import ROUND_HALF_UP

    places = minor_units(code)
    return f"{Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def balance_sign(kind: str) -> int:
    """How an entry of `kind` moves its currency's balance: +1 (income, an opening balance), −1
    (spending) or 0."""
    if kind in INCOME_KINDS or kind in OPENING_KINDS:
        return 1
    return -1 if kind in SPENDING_KINDS else 0


def overdrawn(entries) -> dict:
    """{currency: (entry, balance)} for each currency whose running balance goes below zero (a
    mutual credit's may: it is left out): the entry after which it first does, and the balance
    then. `entries` have `date`, `kind`, `amount` and `currency`, in the order they are listed; a
    day's money in counts before its money out, so that the order of one day's entries decides
    nothing."""
    found: dict = {}
    balance: dict[str, Decimal] = {}
    days: dict = {}
    for e in entries:
        days.setdefault(e.date, []).append(e)
    for day in sorted(days):
        for e in sorted(days[day], key=lambda e: balance_sign(e.kind) < 0):  # stable: in, then out
            declared_unit = unit(e.currency)
            if e.currency in found or (declared_unit is not None and declared_unit.kind in MAY_RUN_NEGATIVE):
                continue
            balance[e.currency] = balance.get(e.currency, Decimal(0)) + balance_sign(e.kind) * Decimal(e.amount)
            if balance[e.currency] < 0:
                found[e.currency] = (e, balance[e.currency])
    return found
