"""Which identities are bots: `[bot]`, the well-known automation accounts, forge noreply bot
addresses, and the community's own list; never a human whose name only contains a bot's."""

from __future__ import annotations

import pytest

from value.identities import is_bot, listed_bots
from value.inputs import CommunityData
from value.report import build_report


@pytest.mark.parametrize("names, emails", [
    (("dependabot[bot]",), ("49699333+dependabot[bot]@users.noreply.github.com",)),
    (("ImgBotApp",), ("ImgBotHelp@gmail.com",)),
    (("IMGBOT",), ()),
    (("Renovate Bot",), ("bot@renovateapp.com",)),
    (("renovate_bot",), ()),
    (("pre-commit-ci",), ()),
    (("GitHub Actions",), ("noreply@github.com",)),
    (("All Contributors",), ()),
    (("Semantic Release Bot",), ("semantic-release-bot@martynus.net",)),
    (("Weblate",), ("noreply@weblate.org",)),
    (("Some Name",), ("12345+mergify@users.noreply.github.com",)),  # the login behind the noreply address
    (("Some Name",), ("snyk-bot@snyk.io",)),
    (("Tokens",), ("project_42_bot_1f2e3d@noreply.gitlab.example",)),
    (("Tokens",), ("group_7_bot@noreply.gitlab.com",)),
])
def test_bots_are_recognised(names, emails):
    assert is_bot(names, emails)


@pytest.mark.parametrize("names, emails", [
    (("Renovate Smith",), ("renovate.smith@example.org",)),  # a bot's name inside a human's
    (("Bob Renovates",), ("bob@example.org",)),
    (("Dependa Bottom",), ("dependa@example.org",)),
    (("Ana",), ("codecov.fan@example.org",)),
    (("Ana",), ("ana@users.noreply.github.com",)),
    (("Robot Wars Fan",), ("robot@example.org",)),
    (("Ana",), ("project_42_bot@example.org",)),  # not a noreply address
])
def test_humans_are_not_bots(names, emails):
    assert not is_bot(names, emails)


def test_the_communitys_own_list_matches_ids_names_and_addresses_in_any_case():
    listed = listed_bots((" CI Helper ", "Deploy@Example.org"))
    assert is_bot(("ci helper",), (), listed)
    assert is_bot(("Someone",), ("deploy@example.org",), listed)
    assert not is_bot(("CI Helpers",), ("deploy2@example.org",), listed)


def test_well_known_accounts_are_reported_apart_in_a_real_history(make_repo, tmp_path):
    r = make_repo()
    r.commit("a", ("Ana", "ana@example.org"), "2024-01-05T10:00:00+00:00", {"a.txt": "1\n"})
    r.commit("b", ("ImgBotApp", "ImgBotHelp@gmail.com"), "2024-01-06T10:00:00+00:00", {"logo.txt": "x\n"})
    r.commit("c", ("Renovate Bot", "bot@renovateapp.com"), "2024-01-07T10:00:00+00:00", {"deps.txt": "1\n"})
    r.commit("d", ("Renovate Smith", "rs@example.org"), "2024-01-08T10:00:00+00:00", {"b.txt": "1\n"})
    r.commit("e", ("Deployer", "deploy@example.org"), "2024-01-09T10:00:00+00:00", {"c.txt": "1\n"})
    report = build_report(r.path, cache_dir=tmp_path / "cache", data=CommunityData(bots=("deployer",))).to_json()
    assert [p["id"] for p in report["contributors"]] == ["ana", "renovate-smith"]
    assert [b["id"] for b in report["bots"]] == ["deployer", "imgbotapp", "renovate-bot"]
    assert report["dimensions"]["community_building"]["active_contributors"] == 2
