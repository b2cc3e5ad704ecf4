"""Reward splits: exact to the cent, the three policies worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from value.errors import BadBudget
from value.formats import rewards_csv, rewards_table
from value.rewards import distribute, largest_remainder


def person(pid, value=0.0, monthly=None, paid=None):
    return {"id": pid, "name": pid.title(), "bot": False, "value": value, "monthly_value": monthly or {},
            "rewards_received": paid or {}}


def report(*people, months=("2024-01", "2024-02")):
    return {"contributors": list(people), "monthly": {"months": list(months)}}


THREE = report(*(person(p, 1 / 3, {"2024-02": 1 / 3}) for p in ("cy", "ann", "ben")))


@pytest.mark.parametrize("policy", ["immediate", "recent", "balanced"])
def test_awkward_budgets_sum_exactly(policy):
    rows = distribute(THREE, budget=Decimal("100.00"), currency="EUR", policy=policy)
    assert [(r["id"], r["amount"]) for r in rows] == [
        ("ann", Decimal("33.34")), ("ben", Decimal("33.33")), ("cy", Decimal("33.33"))]
    rows = distribute(THREE, budget=Decimal("0.01"), currency="EUR", policy=policy)
    assert [str(r["amount"]) for r in rows] == ["0.01", "0.00", "0.00"]
    assert sum(r["amount"] for r in distribute(THREE, budget=Decimal("1000"), currency="EUR", policy=policy)) == 1000


def test_no_contributors_distributes_nothing():
    assert distribute(report(), budget=Decimal("100.00"), currency="EUR") == []
    assert rewards_csv([], "EUR") == "id,name,amount,currency\n"
    assert "stays unspent" in rewards_table([], "EUR")


def test_immediate_uses_the_last_active_month():
    r = report(person("ann", 0.5, {"2024-01": 0.1, "2024-02": 0.75}), person("ben", 0.5, {"2024-01": 0.9, "2024-02": 0.25}))
    rows = distribute(r, budget=Decimal("100"), currency="EUR", policy="immediate")
    assert [str(x["amount"]) for x in rows] == ["75.00", "25.00"]
    rows = distribute(r, budget=Decimal("100"), currency="EUR", policy="immediate",
                      period=(date(2024, 1, 1), date(2024, 1, 31)))
    assert [str(x["amount"]) for x in rows] == ["10.00", "90.00"]


def test_recent_decays_older_months():
    # d_ann = (0 * 0.5 + 1) * 0.5 + 0 = 0.5; d_ben = 1  ->  100 * 0.5 / 1.5 = 33.333..., 66.666...
    r = report(person("ann", 0.5, {"2024-01": 1.0}), person("ben", 0.5, {"2024-02": 1.0}))
    rows = distribute(r, budget=Decimal("100.00"), currency="EUR", policy="recent", decay=Decimal("0.5"))
    assert [(x["id"], str(x["amount"])) for x in rows] == [("ann", "33.33"), ("ben", "66.67")]


def test_balanced_counts_what_was_paid():
    # pot = 30 + 70 = 100; targets 50 / 50; under: ann 20, ben 50 -> 70 * 20/70, 70 * 50/70
    r = report(person("ann", 0.5, paid={"EUR": "30.00"}), person("ben", 0.5))
    rows = distribute(r, budget=Decimal("70.00"), currency="EUR", policy="balanced")
    assert [(x["id"], str(x["amount"])) for x in rows] == [("ann", "20.00"), ("ben", "50.00")]
    # other currencies do not count; an explicit `paid` replaces the ledger's
    rows = distribute(r, budget=Decimal("70.00"), currency="USD", policy="balanced")
    assert [str(x["amount"]) for x in rows] == ["35.00", "35.00"]
    rows = distribute(r, budget=Decimal("70.00"), currency="EUR", paid={"ben": Decimal("100")})
    assert [(x["id"], str(x["amount"])) for x in rows] == [("ann", "70.00")]


def test_budget_must_be_whole_minor_units():
    with pytest.raises(BadBudget, match="round it"):
        distribute(THREE, budget=Decimal("10.005"), currency="EUR")
    with pytest.raises(BadBudget):
        distribute(THREE, budget=Decimal("-1"), currency="EUR")


def test_largest_remainder_ties_by_id():
    from fractions import Fraction

    assert largest_remainder(2, {"c": Fraction(1), "a": Fraction(1), "b": Fraction(1)}) == {"a": 1, "b": 1, "c": 0}


def test_csv_is_exact():
    rows = distribute(THREE, budget=Decimal("100"), currency="EUR")
    assert rewards_csv(rows, "EUR") == (
        "id,name,amount,currency\nann,Ann,33.34,EUR\nben,Ben,33.33,EUR\ncy,Cy,33.33,EUR\n"
    )
