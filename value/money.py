"""Money as its currency has it: ISO 4217 codes and minor units, from Babel's currency data (CLDR).

A currency's minor unit is how many decimals its amounts have: JPY 0, EUR 2, BHD 3. Budgets and
ledger amounts may not have more; splits are made in whole minor units; every amount is written
with exactly its currency's decimals ("120.00 EUR", "5 JPY", "1.250 BHD"). Both packages use this
module: the loader to check amounts, `value.rewards` to split, the site and the terminal to print.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    # Imported here: Babel's number module takes ~25 ms to import, and most commands never need it.
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def codes() -> list[str]:
    """Every ISO 4217 code Babel knows, sorted."""
    return sorted(_codes())


def is_currency(code: str) -> bool:
    """Is `code` an ISO 4217 currency code Babel knows ("EUR": yes; "EURO", "eur", "ZZZ": no)?"""
    return isinstance(code, str) and code in _codes()


@lru_cache(maxsize=None)
def minor_units(code: str) -> int:
    """The number of decimals of `code`'s amounts (ISO 4217 minor unit): JPY 0, EUR 2, BHD 3.

    An unknown code is an error, never the default of 2 that Babel would give."""
    if not is_currency(code):
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
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
