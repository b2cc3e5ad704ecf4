"""Loading and validation: every mistake of every file, reported at its line, all at once."""

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


def test_every_mistake_is_reported_with_its_line(community):
    root = community({
        "members/dan.yaml": """\
            name: Dan
            emial: dan@example.org
            affiliation: NO
            links:
              - title: Site
                url: javascript:alert(1)
            """,
        "members/eve.yaml": "name: Eve\nroles: [a]\nname: Eve Again\n",
        "members/Fred Smith.yaml": "name: Fred\n",
        "members/gil.yaml": "base: &b {name: Gil}\nname: *b\n",
        "projects/catalogue.md": "---\ntitle: Seeds\nstatus: ongoing\nleads: [ana]\n---\nbody\n",
        "events/swap-2024.md": "---\ntitle: Swap\ndate: 06/04/2024\norganisers: [anna]\n---\n",
        "ledger/2024.yaml": "entries:\n  - date: 2024-01-05\n    amount: 12.5.0\n    currency: eur\n    kind: donation\n",
        "pages/members.md": "---\ntitle: M\n---\n",
        "pages/help.yml": "title: x\n",
    })
    assert messages(root) == [
        "events/swap-2024.md:3:7: 'date': '06/04/2024' must be a date in ISO 8601 form: YYYY-MM-DD",
        "ledger/2024.yaml:3:13: 'amount': '12.5.0' must be an exact decimal amount such as \"12.50\"",
        "ledger/2024.yaml:4:15: 'currency': 'eur' must be a three-letter ISO 4217 currency code such as EUR or USD",
        "members/Fred Smith.yaml:1:1: file name 'Fred Smith.yaml' may use only lowercase letters a-z, digits "
        "and '-': rename it to 'fred-smith.yaml'",
        "members/dan.yaml:2:1: unknown key 'emial' (did you mean 'emails'?)",
        "members/dan.yaml:3:14: 'affiliation' must be text, not true/false (YAML reads NO as true/false: "
        "put it in quotes, \"NO\")",
        "members/dan.yaml:6:10: 'url': 'javascript:alert(1)' only https:, http: and mailto: links are allowed",
        "members/eve.yaml:3:1: duplicate key 'name' (first defined on line 1): keep only one",
        "members/gil.yaml:1:7: YAML anchors and aliases (& and *) are not accepted: write the value out in full",
        "pages/help.yml:1:1: pages/ holds .md files: rename it to 'help.md'",
        "pages/members.md:1:1: a page named 'members' would overwrite the portal's own 'members' section: rename the file",
        "projects/catalogue.md:3:9: 'status': 'ongoing' is not allowed; choose one of: proposed, active, paused, "
        "completed, archived",
    ]


def test_references_to_unknown_members_and_projects(community):
    root = community({
        "events/swap-2024.md": "---\ntitle: Swap\ndate: 2024-04-06\norganisers: [anna]\nparticipants: [zed]\n---\n",
        "kudos/2024.yaml": "kudos:\n  - from: ana\n    to: bem\n    date: 2024-02-01\n    for: watering\n",
        "usage/2024.yaml": "records:\n  - date: 2024-01-01\n    kind: users\n    count: 40\n    project: catalog\n",
    })
    assert messages(root) == [
        "events/swap-2024.md:4:14: unknown member 'anna' (did you mean 'ana'?)",
        "events/swap-2024.md:5:16: unknown member 'zed': add members/zed.yaml or fix the name",
        "kudos/2024.yaml:3:9: unknown member 'bem' (did you mean 'ben'?)",
        "usage/2024.yaml:5:14: unknown project 'catalog' (did you mean 'catalogue'?)",
    ]


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


def test_same_output_path_twice_is_an_error(community):
    root = community({"members/ana.yml": "name: Ana Again\n"})
    assert messages(root) == [
        "members/ana.yml:1:1: 'members/ana.yml' and 'members/ana.yaml' would both be published as 'ana': keep one"
    ]
    root = community({"pages/join.md": "---\ntitle: J\n---\n", "pages/join.markdown": "---\ntitle: J2\n---\n"}, name="two")
    assert "pages/join.md:1:1: 'pages/join.md' and 'pages/join.markdown' would both be published as 'join': keep one" in messages(root)


@pytest.mark.parametrize("text, expected", [
    ("a: 1\na: 2\n", "t.yaml:2:1: duplicate key 'a' (first defined on line 1): keep only one"),
    ("a: &x [1]\nb: *x\n", "t.yaml:1:4: YAML anchors and aliases (& and *) are not accepted: write the value out in full"),
    ("a: !!python/object:os.system x\n", "t.yaml:1:4: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system': only plain values are accepted"),
    # libyaml and pure-Python PyYAML word this one differently; the place is the same
    ("a: [1\n", "t.yaml:2:1: invalid YAML: "),
    ("a: .nan\n", "t.yaml:1:4: '.nan' is not a finite decimal number"),
])
def test_yaml_refusals(text, expected):
    _doc, findings = load_yaml(text, "t.yaml")
    assert len(findings) == 1 and str(findings[0]).startswith(expected)
    if not expected.endswith(": "):
        assert str(findings[0]) == expected


@pytest.mark.parametrize("text", ["a: *x\n", "- &x 1\n- 2\n", "a: {b: &c d}\n", "a:\n  - *b\n"])
def test_any_anchor_or_alias_is_refused(text):
    doc, findings = load_yaml(text, "t.yaml")
    assert doc is None and [f.message for f in findings] == [
        "YAML anchors and aliases (& and *) are not accepted: write the value out in full"]


def test_ampersands_and_asterisks_in_text_are_just_text():
    doc, findings = load_yaml('name: R&D *garden* crew\nnote: "*x &y"\n', "t.yaml")
    assert findings == [] and doc.data == {"name": "R&D *garden* crew", "note": "*x &y"}


def test_billion_laughs_is_refused_before_expansion():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)
    )
    doc, findings = load_yaml(bomb, "bomb.yaml")
    assert doc is None and "anchors and aliases" in findings[0].message


def test_front_matter_lines_are_counted_from_the_file_start(community):
    root = community({"pages/about.md": "---\ntitle: About\nmenu: maybe\n---\ntext\n"})
    assert messages(root) == ["pages/about.md:3:7: 'menu' must be true or false, not text"]
