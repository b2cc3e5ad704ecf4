"""The community's licence is an SPDX id (a located warning with the closest id when it is not),
and the advice says whether it is open: OSI-approved or conformant with the Open Definition
("accessible as a public good"). Real repositories, real checks and builds."""

from __future__ import annotations

from datetime import date

import pytest

from communities import MINIMAL
from generator.build import build
from generator.cli import main
from generator.load import licences
from generator.load.loader import load_community
from generator.resources import package_dir
from generator.valuation import value_report
from generator.views.advice import advise_model
from gitrepo import commit_all


def community_yaml(license: str, data_license: str | None = None) -> str:
    text = MINIMAL["community.yaml"].replace("license: CC-BY-SA-4.0", f"license: {license}")
    return text.rstrip(" ") + (f"        data_license: {data_license}\n" if data_license else "")


def test_the_list_ships_in_the_package_and_says_where_it_comes_from():
    text = (package_dir() / "licence_list" / "spdx.txt").read_text(encoding="utf-8")
    assert "spdx.org/licenses" in text and "isOsiApproved" in text and "opendefinition.org" in text
    ids = [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(ids) == len({i.lower() for i in ids}) > 600  # every SPDX id, once
    table = licences.known()
    assert table["mit"].open and table["gpl-3.0-or-later"].open and table["cc-by-sa-4.0"].open
    assert table["odbl-1.0"].open and table["cc0-1.0"].open
    assert not table["cc-by-nc-4.0"].open and not table["cc-by-nd-4.0"].open and not table["busl-1.1"].open


@pytest.mark.parametrize("expression, is_open", [
    ("MIT", True), ("mit", True), ("MIT OR CC-BY-NC-4.0", True), ("MIT AND CC-BY-NC-4.0", False),
    ("GPL-2.0-only WITH Classpath-exception-2.0", True), ("GPL-3.0+", True), ("LicenseRef-ours", False),
    ("CC-BY-NC-SA-4.0", False), ("CC-BY-4.0 AND ODbL-1.0", True),
])
def test_an_expression_is_open_when_every_licence_it_requires_is(expression, is_open):
    assert licences.is_open(expression) is is_open


def test_an_id_that_is_not_spdx_is_a_located_warning_with_the_closest_id(community, capsys):
    root = community({"community.yaml": community_yaml("GPL-3 OR LicenseRef-ours", "odbl-1.0")})
    commit_all(root, "Start")
    assert main(["check", str(root)]) == 0  # a warning, not an error
    out = capsys.readouterr()
    text = out.out + out.err
    assert ("community.yaml:4:10: warning: 'license': 'GPL-3' is not an SPDX licence id: did you mean "
            "'GPL-3.0-only'?") in text
    assert "odbl" not in text  # SPDX ids are matched case-insensitively
    assert "LicenseRef" not in text.replace("'LicenseRef-<name>'", "")
    assert main(["check", str(root), "--strict"]) == 1  # strict mode fails on it


def advice_of(root) -> dict:
    model = load_community(root)
    return {f["rule"]: f for f in advise_model(model, value_report(root, model), date(2024, 7, 1))["findings"]}


def test_a_licence_that_is_not_open_is_a_risk_whose_next_step_edits_community_yaml(community, tmp_path):
    root = community({"community.yaml": community_yaml("CC-BY-NC-4.0")})
    commit_all(root, "Start")
    found = advice_of(root)["open_licence"]
    assert found["kind"] == "risk" and found["args"] == {"licence": "CC-BY-NC-4.0"}
    assert found["file"] == "community.yaml" and found["action"] == "edit"
    assert found["url"] == "https://github.com/seeds/library/edit/main/community.yaml"
    out = build(root, tmp_path / "site", incremental=False, search=False).out_dir
    page = (out / "sustainability" / "index.html").read_text()
    assert "The licence CC-BY-NC-4.0 is not an open licence" in page
    assert 'href="https://github.com/seeds/library/edit/main/community.yaml"' in page


def test_an_open_content_licence_and_a_closed_data_licence_is_still_a_risk(community):
    root = community({"community.yaml": community_yaml("CC-BY-SA-4.0", "LicenseRef-members-only")})
    commit_all(root, "Start")
    assert advice_of(root)["open_licence"]["args"] == {"licence": "LicenseRef-members-only"}
    both = community({"community.yaml": community_yaml("CC-BY-SA-4.0", "ODbL-1.0")}, name="both")
    commit_all(both, "Start")
    found = advice_of(both)["open_licence"]
    assert found["kind"] == "strength" and found["args"] == {"licence": "CC-BY-SA-4.0 · ODbL-1.0"}
