"""Every indicator of the five dimensions, once each dimension's module has registered its own
(`value.registry` holds the table; `value.dimensions` fills it)."""

from __future__ import annotations

from . import dimensions  # noqa: F401  (importing it registers every indicator)
from .registry import REGISTRY, Indicator


def indicators(level: str | None = None, dimension: str | None = None) -> list[Indicator]:
    return [i for i in REGISTRY if (level is None or i.level == level) and (dimension is None or i.dimension == dimension)]


def indicator_registry() -> list[dict]:
    """Every indicator, for the methodology page: key, dimension, level, unit, formula, explanation."""
    return [i.describe() for i in indicators()]
