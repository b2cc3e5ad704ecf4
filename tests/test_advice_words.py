"""The advice's words follow their numbers: every rule text that counts something has a singular
and a plural, in English and in the shipped Spanish, and one person alone is said as such."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.i18n import load_catalogue
from generator.views.advice import message
from value.advice import RULES, Plural

# A count followed by a plural noun: what a sentence about one thing must never say.
ONE_PLURAL = {"en": r"\b1 (?:people|events|months|projects|goals|members)\b",
              "es": r"\b1 (?:personas|eventos|meses|proyectos|objetivos|miembros)\b"}


def finding(rule, kind: str, n: int) -> dict:
    """A finding of `rule` whose every number is `n` (threshold, value and args alike)."""
    return {"rule": rule.key, "kind": kind, "value": n, "threshold": n, "source": rule.source, "file": "",
            "args": {"before": n + 1, "after": n, "projects": n, "top": n, "currency": "EUR", "people": n,
                     "newcomers": n, "funders": n}}


def plural_texts():
    for rule in RULES:
        for kind in ("risk", "strength"):
            text = rule.risk if kind == "risk" else rule.strength
            if isinstance(text, Plural):
                yield pytest.param(rule, kind, id=f"{rule.key}-{kind}")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("rule, kind", list(plural_texts()))
def test_a_count_of_one_takes_the_singular(rule, kind, language):
    catalogue = load_catalogue(Path("/nonexistent"), language)
    one, two = message(catalogue, finding(rule, kind, 1)), message(catalogue, finding(rule, kind, 2))
    assert one != two and "{" not in one + two
    assert re.findall(ONE_PLURAL[language], one) == []


def test_the_texts_that_count_are_plurals():
    """No rule text puts a number it fills before a noun it does not make agree."""
    counted = re.compile(r"\{(value|threshold|before|after|top)\} (?:people|events|months|goals|members)\b")
    plain = [text for rule in RULES for text in (rule.risk, rule.strength, rule.test)
             if isinstance(text, str) and counted.search(text)]
    assert plain == []


def test_one_person_alone_is_a_community_that_starts():
    catalogue = load_catalogue(Path("/nonexistent"), "en")
    [bus_factor] = [r for r in RULES if r.key == "bus_factor"]
    alone = {**finding(bus_factor, "risk", 1), "variant": "alone"}
    assert message(catalogue, alone).startswith("One person made every commit of the last 12 months")
    assert message(catalogue, finding(bus_factor, "risk", 1)).startswith("Bus factor of the last 12 months: 1.")
    spanish = load_catalogue(Path("/nonexistent"), "es")
    assert message(spanish, alone).startswith("Una sola persona hizo todos los commits")
