"""Reference formulas from VALUE.md, each checked on a vector worked out by hand."""

from __future__ import annotations

import pytest

from value.cred import credrank
from value.dimensions.community_building import absence_factor, onion
from value.dimensions.monetary_value import cocomo
from value.identities import slugify
from value.mailmap import Mailmap
from value.indicators import indicator_registry
from value.registry import ALL_DIMENSIONS


def test_chaos_absence_factor_vector():
    assert absence_factor([1000, 202, 90, 33, 332, 343, 42, 433]) == 2
    assert absence_factor([1, 1]) == 1  # 50% reached at >=
    assert absence_factor([]) == 0


def test_onion_roles():
    # 80 of 100 commits: a alone reaches 80%; b reaches 90%, so the cut at 95% falls between the
    # tied c and d: the group straddles it and goes whole to the outer ring, casual.
    assert onion({"a": 80, "b": 10, "c": 5, "d": 5}) == {"a": "core", "b": "regular", "c": "casual", "d": "casual"}
    assert onion({"b": 1, "a": 1}) == {"a": "core", "b": "core"}  # the 80% cut needs both
    assert onion({"a": 0, "b": 3}) == {"b": "core"}  # nobody without commits gets a role
    assert onion({}) == {}


def test_onion_ties_are_ties():
    # 10 people with 1 commit each: taken one by one, 8 ids would be core, 1 regular, 1 casual,
    # and which ones would depend on the order of their ids. The 80% cut splits the group, so it
    # goes outward; it ends exactly on the 95% cut (the 10th person), so it is regular, whole.
    counts = {f"p{i}": 1 for i in range(10)}
    assert set(onion(counts).values()) == {"regular"}
    # a, b, c tied at 10 after z's 70 (of 100): one by one, a would be core (80% reached) and
    # b, c regular; the group straddles 80% and goes to the outer ring, regular, all three.
    counts = {"z": 70, "a": 10, "b": 10, "c": 10}
    assert onion(counts) == {"z": "core", "a": "regular", "b": "regular", "c": "regular"}
    renamed = {"z": 70, "c": 10, "b": 10, "a": 10, "0": 0}
    assert onion(renamed) == onion(counts)
    # ties straddling 95%: 90 before the group of two 5s (of 100): casual, both
    assert onion({"x": 90, "y": 5, "w": 5}) == {"x": "core", "y": "casual", "w": "casual"}


def test_onion_on_the_chaoss_vector():
    counts = dict(zip("abcdefgh", [1000, 202, 90, 33, 332, 343, 42, 433]))  # 2475 commits
    # sorted 1000, 433, 343, 332 (2108 >= 80%), then 202, 90 (2400 >= 95%), then 42, 33
    roles = onion(counts)
    assert roles == {"a": "core", "h": "core", "f": "core", "e": "core",
                     "b": "regular", "c": "regular", "g": "casual", "d": "casual"}
    assert absence_factor(counts.values()) == 2


def test_cocomo_ten_thousand_lines():
    months, years = cocomo(10_000)
    assert round(years, 3) == 2.244
    assert months == pytest.approx(2.4 * 10 ** 1.05)


def test_credrank_with_authorship_only_is_the_commit_share():
    commits = [("ann", (), "2024-01")] * 5 + [("ben", (), "2024-02")] * 3 + [("cy", (), "2024-02")] * 2
    cred, monthly = credrank(commits)
    assert cred["ann"] == pytest.approx(500, abs=1e-3)
    assert cred["ben"] == pytest.approx(300, abs=1e-3)
    assert cred["cy"] == pytest.approx(200, abs=1e-3)
    assert sum(monthly["2024-02"].values()) == pytest.approx(500, abs=1e-3)


def test_credrank_trailers_and_kudos_move_cred():
    plain, _ = credrank([("ann", (), "m")] * 2 + [("ben", (), "m")] * 2)
    reviewed, _ = credrank([("ann", ("ben",), "m")] * 2 + [("ben", (), "m")] * 2)
    assert plain["ann"] == pytest.approx(500, abs=1e-3)
    assert reviewed["ben"] > 500 > reviewed["ann"]
    thanked, _ = credrank([("ann", (), "m")] * 2 + [("ben", (), "m")] * 2, kudos=[("ann", "m")])
    assert thanked["ann"] > 500
    only_kudos, _ = credrank([], kudos=[("cy", "m")])
    assert only_kudos == {"cy": pytest.approx(1000)}


def test_mailmap_follows_git(make_repo):
    repo = make_repo()
    text = (
        "# comment\n"
        "Proper Name <proper@example.org> <Commit@Example.org>\n"
        "<canonical@example.org> <old@example.org>\n"
        "Only Name <name-only@example.org>\n"
        "Specific <specific@example.org> Some Name <shared@example.org>\n"
        "Default <default@example.org> <shared@example.org>\n"
    )
    (repo.path / ".mailmap").write_text(text)
    mailmap = Mailmap(text)
    cases = [
        ("X", "commit@example.org"), ("X", "COMMIT@EXAMPLE.ORG"), ("Y", "old@example.org"),
        ("Z", "name-only@example.org"), ("some name", "shared@example.org"), ("Other", "shared@example.org"),
        ("Nobody", "nobody@example.org"),
    ]
    for name, email in cases:
        out = repo.git("check-mailmap", f"{name} <{email}>").strip()
        assert out == "{} <{}>".format(*mailmap.resolve(name, email)), (name, email)


def test_slugs():
    assert slugify("José Álvarez") == "jose-alvarez"
    assert slugify("李") == ""


def test_registry_is_complete():
    entries = indicator_registry()
    keys = [(e["dimension"], e["key"], e["level"]) for e in entries]
    assert len(keys) == len(set(keys))
    for e in entries:
        assert e["dimension"] in ALL_DIMENSIONS and e["formula"] and e["explanation"] and e["unit"]
    assert {e["level"] for e in entries} == {"community", "person"}
    # scores come from the contribution kinds: every dimension has some, each fully described
    from value.contributions import KINDS

    assert {k.dimension for k in KINDS.values()} == set(ALL_DIMENSIONS)
    assert all(k.unit and k.explanation and k.weight > 0 for k in KINDS.values())
    community = {e["key"] for e in entries if e["level"] == "community"}
    for key in ("active_contributors", "new_contributors", "inactive_contributors", "retention",
                "absence_factor", "elephant_factor", "roles", "events", "event_participants", "members",
                "commits", "commits_with_merges", "lines_changed", "merged_pull_requests", "releases",
                "goals_done", "goals_total", "projects_completed", "income", "expenses", "balance",
                "donors", "returned_to_contributors", "funding_channels", "replacement_cost",
                "downloads", "users", "deployments", "citations", "testimonials", "forks_and_peers",
                "citable", "documentation_share", "kudos", "recognised"):
        assert key in community, key


def test_ecosystem_yaml_refuses_aliases_and_bad_input():
    from value.filedata import yaml_data

    assert yaml_data("liberapay: seeds\n") == {"liberapay": "seeds"}
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n"
    assert yaml_data(bomb) is None
    assert yaml_data("a: [1\n") is None and yaml_data("") is None and yaml_data(None) is None
