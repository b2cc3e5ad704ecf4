"""`commonplace value` and `commonplace rewards` on real repositories, and the shallow-clone stop."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from decimal import Decimal

from communities import write_files
from generator.cli import main
from gitrepo import ANA, commit_all, git


def software_repo(tmp_path):
    """A plain software project: no Commonplace files at all."""
    root = tmp_path / "tool"
    write_files(root, {"src/main.py": "print('hi')\n", "README.md": "# tool\n"})
    commit_all(root, "First")
    write_files(root, {"src/util.py": "x = 1\ny = 2\n"})
    commit_all(root, "Second", author=("Bo Tran", "bo@example.net"), committer=ANA)
    return root


def test_value_json_for_any_git_repository(tmp_path, capsys):
    root = software_repo(tmp_path)
    assert main(["value", str(root), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "commonplace.value/5"
    assert report["source"]["commit"] == git(root, "rev-parse", "HEAD").strip()
    assert set(report["dimensions"]) == {"community_building", "objective_accomplishment", "monetary_value",
                                         "social_use_value", "reputation"}
    people = {c["id"]: c for c in report["contributors"]}
    assert (people["ana-lopez"]["commits"], people["ana-lopez"]["lines_added"]) == (1, 2)
    assert (people["bo-tran"]["commits"], people["bo-tran"]["lines_added"]) == (1, 2)
    assert people["bo-tran"]["emails"] == ["bo@example.net"]  # local report: addresses allowed here
    assert report["dimensions"]["monetary_value"]["income"] == {}  # no ledger: only history figures


def test_value_table_speaks_as_the_site_does(tmp_path, capsys):
    assert main(["value", str(software_repo(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "Community building" in out and "Largest shares:" in out and "Bo Tran (bo-tran)" in out
    # no raw mapping, list or internal key: the portal's names and percentages
    assert "{" not in out and "': " not in out and "[" not in out
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", out)
    assert re.search(r"^  Core, regular and casual contributors +2 core, 0 regular, 0 casual$", out, re.M)  # a tie: one layer
    assert re.search(r"^  Bus factor, last 12 months +1$", out, re.M)  # the window, named
    # one commit and two lines each: an even split of the work, as a percentage
    assert re.search(r"^ +50\.0%  Ana Lopez \(ana-lopez\)$", out, re.M)
    assert re.search(r"^ +\d+\.\d%  Ana Lopez \(ana-lopez\), 1 commit$", out, re.M)  # value, in percent


def test_value_table_of_a_community_uses_its_titles_and_shares(community, capsys):
    root = community({"ledger/2024.yaml": """\
        currency: EUR
        entries:
          - {date: 2024-03-14, amount: "300.00", kind: grant, from: City Council}
          - {date: 2024-03-20, amount: "60.00", kind: expense, to: Print shop}
          - {date: 2024-04-01, amount: "20.00", kind: reward, to: ana}
        """})
    commit_all(root)
    assert main(["value", str(root)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  Spending returned to contributors +25\.0%$", out, re.M)  # 20.00 of 80.00 EUR
    assert re.search(r"^  Income +€300\.00$", out, re.M)
    assert "Seed catalogue: " in out and "catalogue 1/2" not in out  # a project by its title
    assert "{" not in out and not re.findall(r"\b[a-z]+_[a-z_]+\b", out)
    # the JSON contract is untouched: raw keys and fractions, for programs
    assert main(["value", str(root), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dimensions"]["monetary_value"]["returned_to_contributors"] == {"EUR": 0.25}


def test_rewards_csv_sums_exactly_to_awkward_budgets(tmp_path, capsys):
    root = software_repo(tmp_path)
    for budget in ("0.01", "100.00", "1000.00"):
        assert main(["rewards", str(root), "--budget", budget, "--currency", "EUR", "--policy", "balanced",
                     "--format", "csv", "--recipients", "all"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert sum(Decimal(r["amount"]) for r in rows) == Decimal(budget)
        assert {r["currency"] for r in rows} == {"EUR"}


def test_rewards_pay_members_only_by_default(tmp_path, capsys):
    """A repository without member files: nobody may be paid, and the output says why and what to do."""
    root = software_repo(tmp_path)
    assert main(["rewards", str(root), "--budget", "100.00", "--currency", "EUR"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing to distribute: nobody who may be paid has value")
    assert ("Contributors who are not members: 2 people, 100.0 % of the value; their part is shared among "
            "members by the same policy (--recipients all pays them)") in out


def test_rewards_usage_errors(tmp_path, capsys):
    root = software_repo(tmp_path)
    assert main(["rewards", str(root), "--budget", "0.001", "--currency", "EUR"]) == 1
    assert "whole minor units" in capsys.readouterr().err
    try:
        main(["rewards", str(root), "--budget", "lots", "--currency", "EUR"])
    except SystemExit as exc:
        assert exc.code == 2


def test_value_outside_a_repository_is_a_clear_error(tmp_path, capsys):
    assert main(["value", str(tmp_path)]) == 1
    assert "is not inside a git repository" in capsys.readouterr().err


def test_a_shallow_clone_stops_the_build_with_the_fix(community, tmp_path, capsys):
    root = community()
    commit_all(root, "One")
    write_files(root, {"pages/more.md": "---\ntitle: More\n---\nx\n"})
    commit_all(root, "Two")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True)
    out = tmp_path / "site"
    assert main(["build", str(shallow), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "shallow clone" in err and "fetch-depth: 0" in err and "GIT_DEPTH: 0" in err
    assert "Traceback" not in err and not out.exists()


def test_value_json_carries_every_figure_and_records_stream_apart(tmp_path, capsys):
    from generator.valuation import value_report

    root = software_repo(tmp_path)
    write_files(root, {"deps.txt": "a==2\n"})
    commit_all(root, "Bump a", author=("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"))
    records = tmp_path / "out" / "records.jsonl"
    records.parent.mkdir()
    assert main(["value", str(root), "--format", "json", "--records", str(records)]) == 0
    printed = json.loads(capsys.readouterr().out)
    full = value_report(root).to_json()
    # every figure, and only the record columns left out (schema /5)
    assert {"contributions", "bot_contributions", "cred_as_of"} <= set(full)
    assert printed == json.loads(json.dumps({k: v for k, v in full.items()
                                             if k not in ("contributions", "bot_contributions", "cred_as_of")}))
    # one record a line, each the JSON of its fields in Record's order; the people's, then the bots'
    text = records.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert text == "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    fields = ["date", "person", "kind", "dimension", "weight", "source", "landed"]
    people = full["contributions"]
    bots = full["bot_contributions"]
    assert [[r[f] for f in fields] for r in lines if "bot" not in r] == [list(row) for row in zip(*(people[f] for f in fields))]
    assert [[r[f] for f in fields] for r in lines if r.get("bot")] == [list(row) for row in zip(*(bots[f] for f in fields))]
    assert [r.get("bot", False) for r in lines] == sorted(r.get("bot", False) for r in lines)
    assert {r["person"] for r in lines if r.get("bot")} == {"dependabot-bot"} and len(people["date"]) >= 4
    assert [r["kind"] for r in lines if r["person"] == "bo-tran"] == ["commit", "replacement_cost", "cred"]


def test_value_records_to_standard_output_print_only_the_records(tmp_path, capsys):
    root = software_repo(tmp_path)
    assert main(["value", str(root), "--records", "-"]) == 0
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines and all(set(r) == {"date", "person", "kind", "dimension", "weight", "source", "landed"} for r in lines)
    assert "Community building" not in out


def test_value_records_to_a_folder_that_does_not_exist_is_a_clear_error(tmp_path, capsys):
    root = software_repo(tmp_path)
    target = tmp_path / "missing" / "records.jsonl"
    assert main(["value", str(root), "--records", str(target)]) == 1
    err = capsys.readouterr().err
    assert str(target) in err and "cannot write the records" in err and "Traceback" not in err
    assert not target.parent.exists()


def test_value_output_to_a_reader_that_stops_ends_quietly(tmp_path, monkeypatch, capsys):
    """`commonplace value --records - | head -1`: the reader closes the pipe; the command stops
    writing, with the shell's code for a writer ended by SIGPIPE and no error line."""
    import os
    import sys

    root = software_repo(tmp_path)
    for args in (["--records", "-"], ["--format", "json"], []):
        read, write = os.pipe()
        os.close(read)  # a reader that has stopped already
        closed = open(write, "w", encoding="utf-8")
        monkeypatch.setattr(sys, "stdout", closed)
        try:
            assert main(["value", str(root), *args]) == 141
        finally:
            monkeypatch.undo()
            try:
                closed.close()
            except OSError:
                pass
    assert capsys.readouterr().err == ""
