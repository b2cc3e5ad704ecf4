"""Dates, numbers, money and the ecosystem's files where a fixture cannot say it: built sites read
for what they must not hold, builds of committed hostile files (the value engine reads those from
git), the schemas' bounds, and the command line and value engine's own refusals.

The cases of one file's findings are in tests/fixtures/hostile/values.txt.
"""

from __future__ import annotations

import json
import math
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.cli import main
from generator.load import dates
from generator.load.loader import load_community
from gitrepo import commit_all
from value import money
from value.contributions import MAX_WEIGHT, kinds_of
from value.errors import ValueEngineError
from value.inputs import CommunityData
from value.report import weights_of
from value.rewards import split

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SECRET = "private.example"  # the domain of every address these files hide; no page may hold it

LEAKY = {
    "CODEOWNERS": """\
        pattern.secret@private.example @ana
        [Seeds owner@private.example] @ana
        /catalogue/ ana@example.org someone@private.example
        /packages/@seeds/core/ @ana
        """,
    "CITATION.cff": """\
        cff-version: 1.2.0
        message: Write to cite@private.example before citing
        title: Seed catalogue
        url: https://seeds.example.org/?contact=cite@private.example
        authors:
          - {given-names: Ana, family-names: Lopez <ana@private.example>}
          - {name: Ben (ben@private.example)}
        """,
    ".github/FUNDING.yml": """\
        custom: ["mailto:pay@private.example", "https://pay.example.org/?to=pay@private.example",
                 "https://pay.example.org/seeds"]
        pay@private.example: seeds
        liberapay: seeds
        """,
    ".all-contributorsrc": json.dumps({"contributors": [
        {"login": "ana", "name": "Ana <ana@private.example>", "profile": "mailto:ana@private.example",
         "contributions": ["code", "doc ana@private.example"]}]}),
}


def built_text(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8", errors="replace")
            for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".csv", ".txt", ".ics")}


def test_no_address_in_an_ecosystem_file_reaches_the_site(tmp_path, capsys):
    root = write_files(tmp_path / "community", {**MINIMAL, **LEAKY})
    commit_all(root, "Start")
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--no-search"]) == 0
    log = capsys.readouterr().err
    assert "CODEOWNERS:1:1: warning: this pattern holds an e-mail address" in log
    assert SECRET not in log  # the build's own log names the place, never the address
    pages = built_text(tmp_path / "out")
    assert [rel for rel, text in pages.items() if SECRET in text] == []
    members = pages["members/index.html"]
    # what the files hold besides the addresses is still shown
    assert "/catalogue/" in members and "/packages/@seeds/core/" in members and ">Seeds</h3>" in members
    assert "Ana Lopez, Ben" in pages["index.html"]  # the citation's authors, without their addresses
    assert "pay.example.org/seeds" in pages["index.html"]


HOSTILE_SETS = {
    "too large, not UTF-8, nested thousands deep": {
        "CITATION.cff": "title: Seeds\n" * 90_000,
        ".github/FUNDING.yml": b"github: \xff\xfeana\n",
        ".all-contributorsrc": "[" * 100_000 + "]" * 100_000,
        "CODEOWNERS": "[\n" * 3000 + "* @ana\n",
    },
    "invalid, aliases, wrong types": {
        "CITATION.cff": "title: &t Seeds\nauthors: [*t]\n",
        ".github/FUNDING.yml": "- " + "[" * 3000 + "]" * 3000 + "\n",
        ".all-contributorsrc": '{"contributors": 1e999999, "repoType": {"a": [' + "9" * 5000 + "]}}",
        "CODEOWNERS": "\x00\x01 @@@ ~~~\n* " + "@a " * 400 + "\n",
    },
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SETS))
def test_hostile_ecosystem_files_never_fail_check_or_build(tmp_path, capsys, name):
    root = write_files(tmp_path / "community", MINIMAL)
    for rel, content in HOSTILE_SETS[name].items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    commit_all(root, "Start")
    assert main(["check", str(root)]) == 0, capsys.readouterr()
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--no-search"]) == 0, capsys.readouterr()
    log = capsys.readouterr()
    assert "Traceback" not in log.out + log.err
    assert (tmp_path / "out" / "members" / "index.html").exists()


def test_ecosystem_files_as_symbolic_links_are_not_followed(tmp_path, capsys):
    outside = tmp_path / "outside.txt"
    outside.write_text("title: Secret\nauthors: [{name: secret@private.example}]\n", encoding="utf-8")
    root = write_files(tmp_path / "community", MINIMAL)
    (root / ".github").mkdir()
    for rel in ("CITATION.cff", ".all-contributorsrc", ".github/FUNDING.yml", "CODEOWNERS"):
        os.symlink(outside, root / rel)
    commit_all(root, "Start")
    assert main(["build", str(root), "-o", str(tmp_path / "out"), "--no-search"]) == 0, capsys.readouterr()
    assert [rel for rel, text in built_text(tmp_path / "out").items() if SECRET in text or "Secret" in text] == []


def numeric_nodes(node, path=()):
    """(path, schema) of every value a schema lets be a number."""
    if isinstance(node, dict):
        kinds = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
        if "number" in kinds or "integer" in kinds:
            yield path, node
        for key, sub in node.items():
            yield from numeric_nodes(sub, path + (key,))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from numeric_nodes(sub, path + (i,))


def test_every_number_a_schema_allows_is_bounded_and_a_float_holds_it_exactly():
    found = 0
    for schema in sorted(SCHEMAS.glob("*.schema.json")):
        for path, node in numeric_nodes(json.loads(schema.read_text(encoding="utf-8"))):
            found += 1
            low = node.get("minimum", node.get("exclusiveMinimum"))
            high = node.get("maximum", node.get("exclusiveMaximum"))
            where = f"{schema.name}: {'/'.join(map(str, path))}"
            assert low is not None and high is not None, f"{where} has no bound on both sides"
            assert all(math.isfinite(b) and abs(b) < 2 ** 53 for b in (low, high)), where
            if path[-1] == "weight" or "weights" in path or "kinds" in path or path[-2:] == ("anyOf", 0):
                assert (low, high) == (0, MAX_WEIGHT), where  # the value engine's own bound
    assert found >= 40


from generator.gitinfo import LATEST_TIME  # noqa: E402


def test_the_date_window_never_ends_past_its_bound(monkeypatch, tmp_path):
    """The latest SOURCE_DATE_EPOCH a build accepts (9999-01-01; later is an error, see
    test_hostile_history.py) still gives a window `datetime` holds."""
    root = write_files(tmp_path / "community", MINIMAL)
    commit_all(root, "Start")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LATEST_TIME))
    assert dates.reference_day(root) == dates.LAST_DAY
    assert load_community(root).config.latest == dates.LAST_DAY
    assert dates.window(None, None, date(9999, 12, 31)) == (dates.EARLIEST, dates.LAST_DAY)


def test_the_widest_window_builds_with_data_on_its_bounds(tmp_path):
    files = {
        "commonplace.yaml": MINIMAL["commonplace.yaml"] + "dates: {earliest: 1800-01-01, latest: 2199-12-31}\n",
        "ledger/all.yaml": 'currency: EUR\nentries:\n'
                           '  - {date: 1800-01-01, amount: "999999999999999.99", kind: donation, by: ana}\n'
                           '  - {date: 2199-12-31, amount: "999999999999999.99", kind: reward, to: ana}\n',
        "usage/all.yaml": "records:\n  - {date: 2199-12-31, kind: downloads, count: 999999999999999, project: catalogue}\n",
        "contributions/all.yaml": "records:\n  - {date: 1800-01-01, who: ana, kind: mentoring, hours: 744, "
                                  "description: Long ago}\n",
        "rewards/all.yaml": 'budget: "999999999999999.00"\ncurrency: EUR\npolicy: balanced\n'
                            "period: {start: 1800-01-01, end: 2199-12-31}\n",
    }
    root = write_files(tmp_path / "community", {**MINIMAL, **files})
    commit_all(root, "Start")
    result = build(root, tmp_path / "out", search=False)
    months = {row["month"] for row in json.loads(result.contents["data/indicators-monthly.json"])}
    assert 0 < len(months) <= 120
    assert "999,999,999,999,999.99" in result.contents["ledger/index.html"].decode("utf-8")


@pytest.mark.parametrize("code", sorted(money.NOT_MONEY))
def test_rewards_refuses_a_code_that_is_not_money(tmp_path, capsys, code):
    with pytest.raises(SystemExit) as caught:
        main(["rewards", str(tmp_path), "--budget", "100", "--currency", code.lower()])
    assert caught.value.code == 2
    assert f"currency '{code}' is " in capsys.readouterr().err and "not money anyone is paid in" in money.refusal(code)


def test_rewards_refuses_a_budget_past_exact_arithmetic(tmp_path, capsys):
    root = write_files(tmp_path / "community", MINIMAL)
    commit_all(root, "Start")
    for budget in ("1e400", "99999999999999999999999999999999"):
        assert main(["rewards", str(root), "--budget", budget, "--currency", "EUR"]) == 1
        assert "the budget has more than 15 digits before the decimal point" in capsys.readouterr().err


def test_the_value_engine_refuses_what_the_loader_refuses():
    """The last line, for callers of `value/` that never read a commonplace.yaml."""
    for weight in (math.nan, math.inf, -1, MAX_WEIGHT * 10):
        with pytest.raises(ValueEngineError):
            weights_of(CommunityData(weights={"reputation": weight}))
        with pytest.raises(ValueEngineError):
            kinds_of({"commit": weight})
    with pytest.raises(ValueEngineError):
        weights_of(CommunityData(weights={d: 0 for d in ("community_building", "objective_accomplishment",
                                                           "monetary_value", "social_use_value", "reputation")}))
    for code in ("XXX", "XAU"):
        with pytest.raises(ValueEngineError, match="not money anyone is paid in"):
            split({"contributors": []}, budget=Decimal("10"), currency=code, minor_units=2)
    with pytest.raises(ValueError):
        money.quantize(Decimal("1e400"), "EUR")
    assert not money.is_currency("XXX") and money.is_currency("XOF") and "XTS" not in money.codes()


@pytest.mark.parametrize("weight", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("-Infinity"), True, 1e400])
def test_the_schema_check_never_takes_a_non_finite_number_or_true_for_a_weight(weight):
    """YAML gives neither floats nor NaN (yamlsafe); a caller that does still gets a finding."""
    from generator.load.schemafast import fast_valid
    from generator.load.validate import validate
    from generator.load.yamlsafe import YamlDoc

    data = {"title": "Seeds", "value": {"weights": {"reputation": weight}}}
    assert not fast_valid("commonplace", data)
    found = validate("commonplace", YamlDoc(data), "commonplace.yaml")
    assert len(found) == 1 and "'reputation'" in found[0].message, found
