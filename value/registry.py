"""The one table of indicators: each registered once with its key, formula and explanation.

Levels: `community` indicators fill `dimensions` (and `monthly` when `monthly` is true);
`person` figures are shown per contributor. A contributor's scores do not come from here but
from their contribution records (`contributions.py`; the table of kinds is `kinds.py`).

A leaf: the dimension modules register into it as they are imported, and import nothing back.
Read the table through `value.indicators`, which imports them all first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

DIMENSIONS = (
    "community_building",
    "objective_accomplishment",
    "monetary_value",
    "social_use_value",
    "reputation",
)
# A dimension that exists only when the community records what it counts: ecological value,
# from impact records (`impact/*.yaml`). Without them it is nowhere: not in the report, its
# weights, scores, pages or open data (`present`).
ECOLOGICAL = "ecological_value"
OPTIONAL_DIMENSIONS = (ECOLOGICAL,)
ALL_DIMENSIONS = DIMENSIONS + OPTIONAL_DIMENSIONS
# Each dimension's name wherever it is shown (navigation, headings, tables, charts, the terminal):
# one label each, saying what it counts.
DIMENSION_TITLES = {
    "community_building": "Community building",
    "objective_accomplishment": "Objective accomplishment",
    "monetary_value": "Money raised and replacement cost",
    "social_use_value": "Social use value",
    "reputation": "Reputation",
    "ecological_value": "Ecological value",
}


def present(dimensions) -> tuple[str, ...]:
    """The dimensions a report has, in their order: the five, and each optional one that
    `dimensions` (a report's `dimensions` or `weights`, or any names) holds."""
    return DIMENSIONS + tuple(d for d in OPTIONAL_DIMENSIONS if d in dimensions)


def dimensions_of(data) -> tuple[str, ...]:
    """The dimensions of a report of `data` (a `CommunityData`): ecological value only when it
    has impact records."""
    return DIMENSIONS + ((ECOLOGICAL,) if getattr(data, "impact", ()) else ())


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    level: str  # "community" | "person"
    unit: str
    formula: str
    explanation: str
    monthly: bool
    func: Callable
    when: Callable | None = None  # when(data) false: the indicator is not in the report (nothing to count)

    def describe(self) -> dict:
        return {
            "key": self.key,
            "dimension": self.dimension,
            "level": self.level,
            "unit": self.unit,
            "monthly": self.monthly,
            "formula": self.formula,
            "explanation": self.explanation,
        }


REGISTRY: list[Indicator] = []


def _register(item: Indicator) -> None:
    if item.dimension not in ALL_DIMENSIONS:
        raise ValueError(f"unknown dimension {item.dimension!r}")
    if any(i.dimension == item.dimension and i.key == item.key and i.level == item.level for i in REGISTRY):
        raise ValueError(f"indicator {item.dimension}.{item.key} registered twice")
    REGISTRY.append(item)


def indicator(dimension: str, key: str, *, unit: str, formula: str, explanation: str, monthly: bool = True,
              when: Callable | None = None):
    """A community-level indicator: func(ctx, month or None) -> JSON value (None: not applicable).
    `when(data)`: whether a report of that `CommunityData` has it at all (default: always)."""

    def wrap(func):
        _register(Indicator(key, dimension, "community", unit, formula, explanation, monthly, func, when))
        return func

    return wrap


def person(dimension: str, key: str, *, unit: str, formula: str, explanation: str):
    """A person-level figure: func(ctx) -> {id: value}, shown on each contributor."""

    def wrap(func):
        _register(Indicator(key, dimension, "person", unit, formula, explanation, False, func))
        return func

    return wrap
