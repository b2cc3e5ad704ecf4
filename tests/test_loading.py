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


def test_money_is_exact_decimal_even_when_unquoted(community):
    root = community({"ledger/2024.yaml": "currency: EUR\nentries:\n  - {date: 2024-01-05, amount: 0.10, kind: donation}\n"
                                          "  - {date: 2024-01-06, amount: \"0.20\", kind: grant}\n"})
    model = load_community(root)
    assert [e.amount for e in model.ledger] == [Decimal("0.10"), Decimal("0.20")]
    assert sum(e.amount for e in model.ledger) == Decimal("0.30")


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
