"""Reward splits: exact to the currency's minor unit, the three policies, recipients and the period,
worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from value import money
from value.errors import BadBudget, ValueEngineError
from value.formats import rewards_csv, rewards_table
from value.inputs import LedgerInput
from value.report_types import Report
from value.rewards import Period, counted, distribute, largest_remainder, split


def person(pid, value=0.0, monthly=None, paid=None, member=True):
    """A contributor whose records weigh `monthly` ({month: weight}, one record dated the 15th),
    or `value` in February 2024; records of one dimension, so a month's value is a share of its
    weights."""
    return {"id": pid, "name": pid.title(), "bot": False, "value": value,
            "monthly_value": monthly if monthly is not None else ({"2024-02": value} if value else {}),
            "rewards_received": paid or {}, "member": member}


def floats(values: dict) -> dict:
    """Values as floats: they are the exact fractions of the floats `contributions.scores` gives."""
    return {k: pytest.approx(float(v)) for k, v in values.items()}


def record(day, pid, weight=1.0, kind="commit", source=None, dimension="objective_accomplishment"):
    return {"date": day, "person": pid, "kind": kind, "dimension": dimension, "weight": weight,
            "source": source or f"{pid}-{day}"}


def columns(records: list[dict]) -> dict[str, list]:
    """Records as a report publishes them: one list per field (record i is date[i], person[i], ...)."""
    return {field: [r[field] for r in records] for field in ("date", "person", "kind", "dimension", "weight", "source")}


def report(*people, months=("2024-01", "2024-02"), extra=()):
    records = [record(f"{m}-15", p["id"], round(w, 6)) for p in people for m, w in p["monthly_value"].items() if w]
    records += list(extra)
    records.sort(key=lambda r: (r["date"], r["person"], r["kind"], r["source"]))
    return Report.from_json({"contributors": list(people), "monthly": {"months": list(months)},
                             "contributions": columns(records)})


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


# --------------------------------------------------------------------------- money: ISO 4217 minor units

@pytest.mark.parametrize("currency,budget,parts", [
    ("JPY", "100", ["34", "33", "33"]),
    ("EUR", "100.00", ["33.34", "33.33", "33.33"]),
    ("BHD", "1.000", ["0.334", "0.333", "0.333"]),
    ("BHD", "0.001", ["0.001", "0.000", "0.000"]),
])
def test_splits_are_made_in_the_currency_s_minor_unit(currency, budget, parts):
    rows = distribute(THREE, budget=Decimal(budget), currency=currency, policy="immediate")
    assert [(r["id"], str(r["amount"])) for r in rows] == list(zip(["ann", "ben", "cy"], parts))
    assert sum(r["amount"] for r in rows) == Decimal(budget)
    assert rewards_csv(rows, currency).splitlines()[1] == f"ann,Ann,{parts[0]},{currency}"


def test_a_budget_finer_than_its_currency_is_refused():
    with pytest.raises(BadBudget, match=r"budget 10.5 JPY is not a non-negative amount in whole minor units \(0 decimals\)"):
        distribute(THREE, budget=Decimal("10.5"), currency="JPY")
    with pytest.raises(ValueEngineError, match="'EURO' is not an ISO 4217 currency code"):
        distribute(THREE, budget=Decimal("10"), currency="EURO")


def test_money_module_knows_minor_units_and_codes():
    assert [money.minor_units(c) for c in ("JPY", "EUR", "BHD")] == [0, 2, 3]
    assert money.is_currency("EUR") and not money.is_currency("ZZZ") and not money.is_currency("eur")
    assert [money.format_amount(a, c) for a, c in (("120", "EUR"), ("5", "JPY"), ("1.25", "BHD"))] == [
        "120.00", "5", "1.250"]
    assert money.decimals_of(Decimal("12.345")) == 3 and money.decimals_of(Decimal("1E+3")) == 0
    with pytest.raises(ValueError):
        money.quantize(Decimal("12.345"), "EUR")
    with pytest.raises(ValueError):
        money.minor_units("ZZZ")  # Babel would say 2: an unknown code is never given a default


def test_the_table_prints_the_currency_s_decimals():
    rows = distribute(THREE, budget=Decimal("1.000"), currency="BHD", policy="immediate")
    assert rewards_table(rows, "BHD") == (
        "id     amount BHD  share  name\n"
        "ann     0.334 BHD   33.3%  Ann\n"
        "ben     0.333 BHD   33.3%  Ben\n"
        "cy      0.333 BHD   33.3%  Cy\n"
        "total   1.000 BHD\n")


# --------------------------------------------------------------------------- recipients

MIXED = report(person("ann", 0.25, {"2024-02": 0.25}), person("ben", 0.25, {"2024-02": 0.125}),
               person("kit", 0.5, {"2024-02": 0.625}, member=False))


@pytest.mark.parametrize("policy", ["immediate", "recent", "balanced"])
def test_a_non_member_s_part_is_shared_among_members_by_the_same_policy(policy):
    result = split(MIXED, budget=Decimal("90.00"), currency="EUR", policy=policy)
    assert result.non_members == 1 and result.recipients == "members"
    # every record is of February: kit 0.625, ann 0.25, ben 0.125 (recent adds nothing before it;
    # balanced, nothing paid, splits by all-time value, February's)
    assert result.non_member_share == Fraction(5, 8)
    assert [(r["id"], str(r["amount"])) for r in result.rows] == [("ann", "60.00"), ("ben", "30.00")]


def test_recipients_all_pays_everyone():
    result = split(MIXED, budget=Decimal("80.00"), currency="EUR", policy="immediate", recipients="all")
    assert [(r["id"], str(r["amount"])) for r in result.rows] == [("ann", "20.00"), ("ben", "10.00"), ("kit", "50.00")]
    assert result.non_members == 1 and result.non_member_share == Fraction(5, 8)
    with pytest.raises(ValueEngineError, match="unknown recipients 'friends'"):
        split(MIXED, budget=Decimal("1"), currency="EUR", recipients="friends")


def test_only_non_members_means_nothing_is_paid():
    r = report(person("kit", 1.0, {"2024-02": 1.0}, member=False))
    result = split(r, budget=Decimal("10.00"), currency="EUR", policy="immediate")
    assert result.rows == [] and result.non_members == 1 and result.non_member_share == 1


# --------------------------------------------------------------------------- the period

def test_counted_keeps_value_up_to_the_end_and_payouts_before_the_start():
    r = report(person("ann", monthly={"2024-01": 0.5, "2024-02": 0.5, "2024-03": 1.0}),
               person("ben", monthly={"2024-03": 1.0}), months=("2024-01", "2024-02", "2024-03"))
    ledger = [LedgerInput(date(2024, 1, 31), Decimal("10.00"), "EUR", "reward", payee="ann"),
              LedgerInput(date(2024, 2, 1), Decimal("99.00"), "EUR", "reward", payee="ann"),
              LedgerInput(date(2024, 1, 2), Decimal("7.00"), "USD", "reward", payee="ann"),
              LedgerInput(date(2024, 1, 3), Decimal("5.00"), "EUR", "expense", payee="ann")]
    got = counted(r, currency="EUR", period=Period(date(2024, 2, 1), date(2024, 2, 29)), payouts=ledger)
    # ann alone has records up to February: her value is 1 in each month, the window and in all
    assert got.months == ["2024-01", "2024-02"]
    assert got.monthly == {"ann": {"2024-01": 1, "2024-02": 1}, "ben": {}}
    assert got.window == {"ann": 1} and got.total == {"ann": 1} and got.paid == {"ann": 10}
    assert got.commits == 1 and got.verified is None  # one commit record dated in February
    everything = counted(r, currency="EUR", payouts=ledger)
    assert everything.total == floats({"ann": 2 / 3, "ben": 1 / 3}) and everything.paid == {"ann": 109}
    assert everything.window == {"ann": Fraction(1, 2), "ben": Fraction(1, 2)}  # March, the last month


def test_a_period_counts_records_to_the_day():
    r = report(person("ann"), person("ben"), extra=[record("2024-02-15", "ann"), record("2024-02-20", "ben"),
                                                    record("2024-02-16", "ben", kind="kudos_received",
                                                           dimension="reputation")])
    got = counted(r, currency="EUR", period=Period(date(2024, 2, 1), date(2024, 2, 16)), payouts=[])
    # reputation: ben alone on the 16th; objective accomplishment: ann alone (ben's commit is later)
    assert got.window == {"ann": Fraction(1, 2), "ben": Fraction(1, 2)}
    assert got.monthly == {"ann": {"2024-02": Fraction(1, 2)}, "ben": {"2024-02": Fraction(1, 2)}}
    got = counted(r, currency="EUR", period=Period(date(2024, 2, 1), date(2024, 2, 15)), payouts=[])
    assert got.window == {"ann": 1}


def test_a_plan_counts_cred_as_of_its_end():
    today = [record("2024-01-31", "ann", 6.0, "cred", "cred/2024-01", "reputation"),
             record("2024-01-31", "ben", 4.0, "cred", "cred/2024-01", "reputation"),
             record("2024-02-29", "ben", 5.0, "cred", "cred/2024-02", "reputation")]
    r = report(person("ann"), person("ben"), extra=today)
    r = replace(r, cred_as_of={"2024-01-31": columns([record("2024-01-31", "ann", 9.0, "cred", "cred/2024-01", "reputation"),
                                                      record("2024-01-31", "ben", 1.0, "cred", "cred/2024-01", "reputation")])})
    january = Period(date(2024, 1, 1), date(2024, 1, 31))
    assert counted(r, currency="EUR", period=january, payouts=[]).window == floats({"ann": 0.9, "ben": 0.1})
    assert [x["amount"] for x in distribute(r, budget=Decimal("10"), currency="EUR", policy="immediate",
                                            period=january)] == [Decimal("9.00"), Decimal("1.00")]
    with pytest.raises(ValueEngineError, match="the value report has no cred as of 2024-02-29"):
        counted(r, currency="EUR", period=Period(date(2024, 2, 1), date(2024, 2, 29)), payouts=[])


def test_a_verified_plan_counts_only_the_records_of_verified_commits():
    made = [record("2024-02-10", "ann", source="c1"), record("2024-02-11", "ann", source="c2"),
            record("2024-02-11", "ann", 3.0, "replacement_cost", "c2", "monetary_value"),
            record("2024-02-12", "ben", source="c3"), record("2024-02-12", "ann", 0.5, "review", "c3"),
            record("2024-02-13", "ben", 1.0, "kudos_received", "kudos/2024.yaml:3", "reputation")]
    r = report(person("ann"), person("ben"), extra=made)
    r = replace(r, verified=["c1"])
    period = Period(date(2024, 2, 1), date(2024, 2, 29))
    got = counted(r, currency="EUR", period=period, payouts=[], verified=True)
    # objective accomplishment: ann's verified commit only; reputation: ben's kudos, not a commit
    assert got.window == {"ann": Fraction(1, 2), "ben": Fraction(1, 2)}
    assert (got.commits, got.verified) == (3, 1)
    result = split(r, budget=Decimal("10"), currency="EUR", policy="immediate", period=period, verified=True)
    assert (result.commits, result.verified) == (3, 1)
    r = replace(r, verified=[])
    assert counted(r, currency="EUR", period=period, payouts=[], verified=True).window == {"ben": 1}
    r = replace(r, verified=None)  # no member lists keys: nothing is verified
    assert counted(r, currency="EUR", period=period, payouts=[], verified=True).verified == 0


def test_balanced_over_a_period_ignores_later_value_and_payouts():
    months = ("2024-01", "2024-02", "2024-03")
    before = report(person("ann", 0.5, {"2024-01": 0.5}), person("ben", 0.5, {"2024-01": 0.5}), months=months[:1])
    after = report(person("ann", 0.2, {"2024-01": 0.5, "2024-03": 0.0}),
                   person("ben", 0.8, {"2024-01": 0.5, "2024-03": 1.0}), months=months)
    early = [LedgerInput(date(2023, 12, 1), Decimal("30.00"), "EUR", "reward", payee="ann")]
    late = early + [LedgerInput(date(2024, 1, 15), Decimal("500.00"), "EUR", "reward", payee="ben")]
    plan = {"budget": Decimal("70.00"), "currency": "EUR", "policy": "balanced",
            "period": (date(2024, 1, 1), date(2024, 1, 31))}
    first = distribute(before, payouts=early, **plan)
    assert [(x["id"], str(x["amount"])) for x in first] == [("ann", "20.00"), ("ben", "50.00")]
    assert distribute(after, payouts=late, **plan) == first
    with pytest.raises(ValueEngineError, match="needs the ledger's payouts with their dates"):
        distribute(after, **plan)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueEngineError, match=r"ends \(2024-01-01\) before it starts \(2024-02-01\)"):
        Period(date(2024, 2, 1), date(2024, 1, 1))
