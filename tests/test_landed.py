"""A record counts when it landed (issue 27; VALUE.md, "When a record counts").

Built from real git repositories: a community whose third quarter of 2026 is closed, then old
work arriving late by every road a forge offers (a merge commit, a rebase, a squash, a
backdated fast-forward, a September record added in December). After each, the closed quarter's
split (`commonplace rewards`) and the records it counts (`value --format json`) are byte-identical
to before, and the new work counts in the month it landed.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from communities import MINIMAL, write_files
from generator.cli import main
from generator.errors import Findings
from generator.federation.peerdata import LocalDataReader, read_open_data
from gitrepo import ANA, git, identity
from value.contributions import from_report, in_period
from value.recordlines import read_records
from value.report_types import Report
from value.rewards import plan_records

BEN = ("Ben Okafor", "ben@example.net")
DAN = ("Dan Reyes", "dan@example.org")
EVA = ("Eva Lind", "eva@example.org")
Q3 = ("2026-07-01", "2026-09-30")

CONTRIBUTIONS = """\
records:
  - date: 2026-07-03
    who: ana
    kind: mentoring
    hours: 2
    description: Taught seed saving
"""
KUDOS = """\
kudos:
  - from: ana
    to: ben
    date: 2026-08-12
    for: The catalogue photos
"""
PLAN = """\
title: Third quarter 2026
budget: "1000.00"
currency: EUR
policy: immediate
period:
  start: 2026-07-01
  end: 2026-09-30
"""
EVE = "name: Eve Marsh\nemails: [eve@example.com]\n"
LATE_RECORD = """\
  - date: 2026-09-10
    who: eve
    kind: welcome
    description: Welcomed the autumn newcomers
"""


def commit(root, message: str, author, when: str, files: dict | None = None, committer_date: str | None = None) -> str:
    if files:
        write_files(root, files)
    git(root, "add", "-A")
    env = identity(author, when)
    if committer_date:
        env["GIT_COMMITTER_DATE"] = committer_date
    git(root, "commit", "-q", "--allow-empty", "-m", message, env=env)
    return git(root, "rev-parse", "HEAD").strip()


def at(day: str) -> str:
    return f"{day}T12:00:00+00:00"


@pytest.fixture
def community(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    root = tmp_path / "seeds"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    files = {**MINIMAL, "contributions/2026.yaml": CONTRIBUTIONS, "kudos/2026.yaml": KUDOS,
             "rewards/2026-q3.yaml": PLAN, "members/eve.yaml": EVE,
             "members/ben.yaml": "name: Ben Okafor\nemails: [ben@example.net]\n"}
    commit(root, "Start", ANA, at("2026-07-02"), files)
    commit(root, "Catalogue photos", BEN, at("2026-07-20"), {"photos.md": "photos\n"})
    commit(root, "Varieties", ANA, at("2026-08-10"), {"varieties.md": "beans\npeas\n"})
    commit(root, "Lending rules", BEN, at("2026-09-15"), {"rules.md": "lend\nreturn\nthank\n"})
    commit(root, "October notes", ANA, at("2026-10-03"), {"notes.md": "autumn\n"})
    return root


def value_json(root, capsys) -> dict:
    """The value report as `--format json` prints it, with the records `--records -` streams put
    back as its columns (since schema /5 the JSON leaves them out)."""
    assert main(["value", str(root), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert main(["value", str(root), "--records", "-"]) == 0
    report.update(read_records(capsys.readouterr().out.splitlines()))
    return report


def split(root, capsys) -> str:
    assert main(["rewards", str(root), "--budget", "1000", "--currency", "EUR", "--policy", "immediate",
                 "--period", f"{Q3[0]}..{Q3[1]}", "--format", "csv"]) == 0
    return capsys.readouterr().out


def quarter(report: dict) -> str:
    """What the closed quarter counts in the value report, as text: its records (cred as of its
    end, as a plan counts it), each with the day it landed."""
    records = plan_records(Report.from_json(report), date(2026, 9, 30))
    return json.dumps([r.as_dict() for r in in_period(records, *Q3)], sort_keys=True)


def closed(root, capsys) -> tuple[str, str]:
    return split(root, capsys), quarter(value_json(root, capsys))


def landed_of(report: dict, kind: str, source_part: str) -> list[tuple[str, str, str]]:
    """(person, date, landed) of the records of `kind` whose source contains `source_part`."""
    c = report["contributions"]
    return [(p, d, l) for p, d, l, k, s in zip(c["person"], c["date"], c["landed"], c["kind"], c["source"])
            if k == kind and source_part in s]


def test_old_work_arriving_late_never_moves_the_closed_quarter(community, capsys):
    root = community
    before = closed(root, capsys)
    assert "ana" in before[0] and "ben" in before[0]

    # (a) a merge commit of a branch whose commits are dated inside the quarter
    git(root, "checkout", "-q", "-b", "feature", "HEAD~1")
    late = commit(root, "Seed map", DAN, at("2026-09-20"), {"map.md": "north\nsouth\n"})
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pull request #7 from dan/map", "feature",
        env=identity(ANA, at("2026-11-05")))
    git(root, "branch", "-q", "-D", "feature")
    assert closed(root, capsys) == before
    report = value_json(root, capsys)
    assert [(d, l) for _p, d, l in landed_of(report, "commit", late)] == [("2026-09-20", "2026-11-05")]
    dan = next(c for c in report["contributors"] if c["id"] == "dan-reyes")
    assert set(dan["monthly_value"]) == {"2026-11"}  # counted in the month it landed, not in September

    # (b) the same kind of work rebased onto main: author dates old, committer dates new
    git(root, "checkout", "-q", "-b", "rebased", "HEAD~2")
    commit(root, "Germination table", DAN, at("2026-09-22"), {"germination.md": "90%\n"})
    git(root, "rebase", "-q", "main", env={**identity(DAN, at("2026-11-10"))})
    rebased = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--ff-only", "rebased")
    git(root, "branch", "-q", "-D", "rebased")
    assert git(root, "log", "-1", "--format=%ad", "--date=short", rebased).strip() == "2026-09-22"
    assert closed(root, capsys) == before
    report = value_json(root, capsys)
    assert [(d, l) for _p, d, l in landed_of(report, "commit", rebased)] == [("2026-09-22", "2026-11-10")]

    # (c) squash-merged, the squash keeping the author date of the work
    git(root, "checkout", "-q", "-b", "squashed", "HEAD~3")
    commit(root, "Harvest calendar", EVA, at("2026-09-24"), {"calendar.md": "june\n"})
    commit(root, "Harvest calendar, more", EVA, at("2026-09-25"), {"calendar.md": "june\njuly\n"})
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--squash", "squashed")
    squash = commit(root, "Harvest calendar (#9)", EVA, at("2026-09-25"), committer_date=at("2026-11-15"))
    git(root, "branch", "-q", "-D", "squashed")
    assert closed(root, capsys) == before
    report = value_json(root, capsys)
    assert [(d, l) for _p, d, l in landed_of(report, "commit", squash)] == [("2026-09-25", "2026-11-15")]

    # (d) a backdated fast-forward: committer date set inside the closed quarter
    backdated = commit(root, "Backdated", DAN, at("2026-09-29"), {"old.md": "old\n"})
    assert closed(root, capsys) == before
    report = value_json(root, capsys)
    assert [(d, l) for _p, d, l in landed_of(report, "commit", backdated)] == [("2026-09-29", "2026-11-15")]

    # (e) a September-dated contributions/ record added in December
    with open(root / "contributions/2026.yaml", "a", encoding="utf-8") as handle:
        handle.write(LATE_RECORD)
    commit(root, "Record the welcome", ANA, at("2026-12-02"))
    assert closed(root, capsys) == before
    report = value_json(root, capsys)
    assert landed_of(report, "welcome", "contributions/2026.yaml") == [("eve", "2026-09-10", "2026-12-02")]
    eve = next(c for c in report["contributors"] if c["id"] == "eve")
    assert set(eve["monthly_value"]) == {"2026-12"}
    # the records already there keep the day they landed
    assert landed_of(report, "mentoring", "contributions/") == [("ana", "2026-07-03", "2026-07-02")]
    # recorded ahead of the day it was given: it counts on its date
    assert landed_of(report, "kudos_received", "kudos/") == [("ben", "2026-08-12", "2026-07-02")]

    # a report computed without any cache says the same
    shutil.rmtree(root / ".git" / "commonplace-cache")
    assert value_json(root, capsys) == report


def test_an_edited_or_moved_record_keeps_the_day_it_landed(community, capsys):
    root = community
    with open(root / "contributions/2026.yaml", "a", encoding="utf-8") as handle:
        handle.write(LATE_RECORD)
    commit(root, "Record the welcome", ANA, at("2026-12-02"))
    # edited (hours, description) and moved to another file, on another line
    write_files(root, {
        "contributions/2026.yaml": CONTRIBUTIONS,
        "contributions/care.yaml": "records:\n  - date: 2026-07-30\n    who: ben\n    kind: mentoring\n"
                                   "    description: Pruning\n"
                                   + LATE_RECORD.replace("autumn newcomers", "newcomers") + "    hours: 3\n",
    })
    commit(root, "Move the care work", ANA, at("2026-12-20"))
    report = value_json(root, capsys)
    assert landed_of(report, "welcome", "contributions/care.yaml:") == [("eve", "2026-09-10", "2026-12-02")]
    # ben's July record is new in December: it lands then
    assert landed_of(report, "mentoring", "contributions/care.yaml:") == [("ben", "2026-07-30", "2026-12-20")]
    assert landed_of(report, "mentoring", "contributions/2026.yaml:") == [("ana", "2026-07-03", "2026-07-02")]


def test_a_record_only_in_the_work_tree_lands_at_the_build_date(community, capsys, monkeypatch):
    root = community
    with open(root / "contributions/2026.yaml", "a", encoding="utf-8") as handle:
        handle.write(LATE_RECORD)
    report = value_json(root, capsys)
    assert landed_of(report, "welcome", "contributions/") == [("eve", "2026-09-10", "2026-10-03")]  # HEAD's date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    report = value_json(root, capsys)
    assert landed_of(report, "welcome", "contributions/") == [("eve", "2026-09-10", "2027-01-15")]
    assert landed_of(report, "mentoring", "contributions/") == [("ana", "2026-07-03", "2026-07-02")]


def test_a_malformed_file_at_an_old_commit_is_skipped(community, capsys):
    root = community
    commit(root, "Broken", ANA, at("2026-11-01"), {"contributions/2026.yaml": "records: [\n"})
    # more that an old commit may hold: a file that is not UTF-8, a link, a folder in place of a file
    (root / "kudos/2026.yaml").write_bytes(b"kudos:\n  - from: \xff\xfe\n")
    (root / "usage").symlink_to("/etc")
    write_files(root, {"events/old.md/x.md": "---\ntitle: x\n---\n"})
    commit(root, "Hostile", ANA, at("2026-11-02"))
    (root / "usage").unlink()
    shutil.rmtree(root / "events")
    write_files(root, {"kudos/2026.yaml": KUDOS})
    commit(root, "Cleaned", ANA, at("2026-11-03"))
    with open(root / "contributions/2026.yaml", "w", encoding="utf-8") as handle:
        handle.write(CONTRIBUTIONS + LATE_RECORD)
    commit(root, "Fixed", ANA, at("2026-11-20"))
    report = value_json(root, capsys)
    assert landed_of(report, "welcome", "contributions/") == [("eve", "2026-09-10", "2026-11-20")]
    # ana's record was there before the file broke: it keeps its day; so does the kudos
    assert landed_of(report, "mentoring", "contributions/") == [("ana", "2026-07-03", "2026-07-02")]
    assert landed_of(report, "kudos_received", "kudos/") == [("ben", "2026-08-12", "2026-07-02")]


def test_a_detached_pull_request_checkout_builds_and_its_work_lands_at_the_build_date(community, tmp_path, capsys,
                                                                                      monkeypatch):
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(community), str(clone))
    git(clone, "checkout", "-q", "--detach", "origin/main")
    git(clone, "branch", "-q", "-D", "main")  # a CI checkout: no local branch, origin/HEAD only
    with open(clone / "contributions/2026.yaml", "a", encoding="utf-8") as handle:
        handle.write(LATE_RECORD)
    pr = commit(clone, "Pull request work", DAN, at("2026-09-18"), {"pr.md": "proposal\n"})
    git(clone, "checkout", "-q", "--detach", "origin/main")
    git(clone, "merge", "-q", "--no-ff", "-m", "Merge pr into main", pr, env=identity(DAN, at("2026-10-04")))
    before = quarter(value_json(community, capsys))
    report = value_json(clone, capsys)
    assert [(d, l) for _p, d, l in landed_of(report, "commit", pr)] == [("2026-09-18", "2026-10-04")]
    assert landed_of(report, "welcome", "contributions/") == [("eve", "2026-09-10", "2026-10-04")]
    assert quarter(report) == before  # the quarter as the branch has it
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    report = value_json(clone, capsys)
    assert [(d, l) for _p, d, l in landed_of(report, "commit", pr)] == [("2026-09-18", "2027-01-15")]
    assert landed_of(report, "welcome", "contributions/") == [("eve", "2026-09-10", "2027-01-15")]  # not on main
    # what the default branch holds keeps its own landed days
    first = git(clone, "rev-list", "--max-parents=0", "HEAD").strip()
    assert [(d, l) for _p, d, l in landed_of(report, "commit", first)] == [("2026-07-02", "2026-07-02")]


def test_a_community_in_a_subfolder(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    files = {f"site/{k}": v for k, v in {**MINIMAL, "contributions/2026.yaml": CONTRIBUTIONS,
                                                     "members/eve.yaml": EVE}.items()}
    commit(top, "Start", ANA, at("2026-07-02"), {**files, "src/tool.py": "x = 1\n"})
    with open(top / "site/contributions/2026.yaml", "a", encoding="utf-8") as handle:
        handle.write(LATE_RECORD)
    commit(top, "Late record", ANA, at("2026-12-02"))
    report = value_json(top / "site", capsys)
    assert landed_of(report, "welcome", "contributions/") == [("eve", "2026-09-10", "2026-12-02")]
    assert landed_of(report, "mentoring", "contributions/") == [("ana", "2026-07-03", "2026-07-02")]


@pytest.mark.parametrize("schema", ["commonplace.value/3", "commonplace.value/4"])
def test_federation_reads_peers_publishing_either_version(tmp_path, schema):
    value = {"schema": schema, "source": {"commit": "a" * 40, "branch": "main"},
             "dimensions": {"reputation": {"kudos": 9}, "objective_accomplishment": {"commits": 120}},
             "contributions": {"date": ["2026-01-05"], "dimension": ["objective_accomplishment"],
                               "kind": ["commit"], "person": ["rosa"], "source": ["b" * 40], "weight": [1.0]}}
    if schema.endswith("/4"):
        value["contributions"]["landed"] = ["2026-01-09"]
    package = {"name": "huerta", "title": "Huerta", "licenses": [{"name": "ODbL-1.0"}],
               "resources": [{"name": "value", "path": "value.json", "format": "json"}]}
    write_files(tmp_path, {"data/datapackage.json": json.dumps(package), "data/value.json": json.dumps(value)})
    findings = Findings()
    data = read_open_data(LocalDataReader(tmp_path, findings), findings)
    assert [f for f in findings.items if f.severity == "error"] == []
    assert data is not None and data.dimensions["reputation"]["kudos"] == 9
    # a report of either version gives its records back, a /3 one landed on its own date
    records = from_report(Report.from_json(value))
    assert [r.landed for r in records] == (["2026-01-09"] if schema.endswith("/4") else ["2026-01-05"])


def test_the_walk_of_old_commits_reads_the_loaders_parses_and_gets_the_same_keys(monkeypatch):
    """The data files at old commits are mostly the texts the loader just parsed: read through the
    build cache's parses, they give the same record identities, and nothing is parsed twice."""
    from communities import EXAMPLE
    from generator import landedfiles
    from generator.cache.buildcache import BuildCache
    from generator.load.loader import load_community
    from value.landed import DATA_FOLDERS

    model = load_community(EXAMPLE, cache=BuildCache())
    texts = {p.relative_to(EXAMPLE).as_posix(): p.read_text(encoding="utf-8")
             for folder in DATA_FOLDERS for p in sorted((EXAMPLE / folder).glob("*")) if p.is_file()}
    assert len(texts) > 10
    fresh = {rel: landedfiles.DataFileKeys(model.config.kinds).keys(rel, text) for rel, text in texts.items()}
    parsed = []
    real = landedfiles.parse.parse_text
    monkeypatch.setattr(landedfiles.parse, "parse_text", lambda *a, **k: parsed.append(a[0]) or real(*a, **k))
    shared = landedfiles.DataFileKeys(model.config.kinds, model.parses)
    assert {rel: shared.keys(rel, text) for rel, text in texts.items()} == fresh
    assert parsed == []
    assert any(fresh.values())
