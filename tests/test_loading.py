"""Loading and validation: the typed model, and what a fixture file cannot hold (a missing file, an
empty folder, a symbolic link, parsed values). Hostile and invalid files with their exact findings,
every mistake reported at its line and all at once, are in fixtures/hostile/community.txt."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.errors import DataError
from generator.load.loader import check_community, load_community
from generator.load.yamlsafe import load_yaml


def messages(root) -> list[str]:
    return [str(f) for f in check_community(root)]


def test_minimal_community_loads_into_typed_model(community):
    model = load_community(community())
    assert model.config.title == "Seed Library"
    assert model.config.base_url == "https://seeds.example.org/library/"
    assert model.community.areas == ("urban-commons", "open-data-commons")
    assert str(model.community.founded) == "2021-03-01"
    assert sorted(model.members) == ["ana", "ben", "cy"]
    assert model.members["ana"].emails == ("ana@example.org",)
    project = model.projects["catalogue"]
    assert (project.goals_done, len(project.goals), project.progress) == (1, 2, 50)
    assert model.events["swap-2024"].guests == 12
    assert model.pages["about"].title == "About us"


def test_missing_files_and_required_keys(community):
    root = community({"community.yaml": "name: X\nlicense: MIT\nareas: []\n", "commonplace.yaml": None})
    found = messages(root)
    assert "commonplace.yaml:1:1: commonplace.yaml is missing: every community needs one (see `commonplace new`)" in found
    assert "community.yaml:1:1: missing required key 'mission'" in found
    assert "community.yaml:3:8: 'areas' must list at least 1 item(s)" in found


def test_not_a_community_at_all(tmp_path):
    with pytest.raises(DataError) as caught:
        load_community(tmp_path)
    assert "is not a Commonplace community" in caught.value.findings[0].message


def test_money_is_exact_and_has_its_currency_s_decimals(community):
    root = community({"ledger/2024.yaml": "currency: EUR\nentries:\n  - {date: 2024-01-05, amount: \"0.1\", kind: donation}\n"
                                          "  - {date: 2024-01-06, amount: \"0.20\", kind: grant}\n"
                                          "  - {date: 2024-01-07, amount: \"500\", kind: grant, currency: JPY}\n"
                                          "  - {date: 2024-01-08, amount: \"1.25\", kind: grant, currency: BHD}\n"})
    model = load_community(root)
    assert [str(e.amount) for e in model.ledger] == ["0.10", "0.20", "500", "1.250"]
    assert sum(e.amount for e in model.ledger if e.currency == "EUR") == Decimal("0.30")


MONEY_MISTAKES = {
    "ledger/2026.yaml": "currency: EUR\nentries:\n  - {date: 2026-01-05, amount: \"79.50\", kind: expense}\n"
                        "  - date: 2026-01-06\n    amount: \"12.345\"\n    kind: donation\n"
                        "  - {date: 2026-01-07, amount: 12.5, kind: donation}\n"
                        "  - {date: 2026-01-08, amount: 500, kind: donation, currency: JPY}\n"
                        "  - {date: 2026-01-09, amount: \"5.5\", kind: donation, currency: JPY}\n"
                        "  - {date: 2026-01-10, amount: \"5.5\", kind: donation, currency: EUE}\n",
    "ledger/other.yaml": "currency: ZZZ\nentries:\n  - {date: 2026-01-05, amount: \"79.50\", kind: expense}\n",
    "rewards/q3.yaml": "budget: 600.00\ncurrency: EUR\npolicy: balanced\nperiod: {start: 2026-07-01, end: 2026-09-30}\n",
    "rewards/yen.yaml": "budget: \"600.5\"\ncurrency: JPY\npolicy: balanced\nperiod: {start: 2026-07-01, end: 2026-09-30}\n",
    "rewards/dinar.yaml": "budget: \"1.2345\"\ncurrency: BHD\npolicy: immediate\nperiod: {start: 2026-07-01, end: 2026-09-30}\n",
}


def test_money_mistakes_are_located_errors_with_the_fix(community):
    root = community(MONEY_MISTAKES)
    with pytest.raises(DataError) as caught:
        load_community(root)
    assert [str(f) for f in caught.value.findings] == [
        'ledger/2026.yaml:5:13: amount 12.345 has 3 decimals, but EUR has 2: write it with at most 2, such as "12.35"',
        'ledger/2026.yaml:7:32: amount 12.5 is an unquoted YAML number, which may lose digits: '
        'quote it, amount: "12.50"',
        'ledger/2026.yaml:8:32: amount 500 is an unquoted YAML number, which may lose digits: quote it, amount: "500"',
        'ledger/2026.yaml:9:32: amount 5.5 has 1 decimal, but JPY has none: write it without decimals, such as "6"',
        "ledger/2026.yaml:10:65: currency 'EUE' is not an ISO 4217 currency code: use one such as EUR, USD or JPY"
        ", or, for a community currency (time-bank hours, mutual credit), declare EUE under `currencies:` in commonplace.yaml",
        "ledger/other.yaml:1:11: currency 'ZZZ' is not an ISO 4217 currency code: use one such as EUR, USD or JPY"
        ", or, for a community currency (time-bank hours, mutual credit), declare ZZZ under `currencies:` in commonplace.yaml",
        'rewards/dinar.yaml:1:9: budget 1.2345 has 4 decimals, but BHD has 3: write it with at most 3, such as "1.235"',
        'rewards/q3.yaml:1:9: budget 600.00 is an unquoted YAML number, which may lose digits: '
        'quote it, budget: "600.00"',
        'rewards/yen.yaml:1:9: budget 600.5 has 1 decimal, but JPY has none: write it without decimals, such as "601"',
    ]


def test_symlinks_are_never_followed(community, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: Secret Person\n")
    root = community()
    (root / "members" / "mallory.yaml").symlink_to(secret)
    model = load_community(root)
    assert "mallory" not in model.members
    assert [str(w) for w in model.warnings] == [
        "members/mallory.yaml:1:1: warning: is a symbolic link: not followed (commit the file itself)"
    ]


def test_ampersands_and_asterisks_in_text_are_just_text():
    doc, findings = load_yaml('name: R&D *garden* crew\nnote: "*x &y"\n', "t.yaml")
    assert findings == [] and doc.data == {"name": "R&D *garden* crew", "note": "*x &y"}
