"""Hostile history: commits whose dates, time zones or trailers no honest tool would write.

git refuses such dates through its environment variables, so the commits are written as raw
objects (`git hash-object --literally`) on top of the minimal community. A build either clamps
what it reads into the supported window and says so once in its log, or stops with an error
naming the commit; it never shows a traceback.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.cli import main
from gitrepo import commit_all, git
from value.history import MAX_TRAILERS

SANE = "1714557600 +0200"  # 2024-05-01T12:00:00+02:00


def raw_commit(root: Path, author: str, committer: str | None = None, message: str = "Hostile\n") -> str:
    """A commit object written as given on top of HEAD, which then points to it; its id."""
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    parent = git(root, "rev-parse", "HEAD").strip()
    body = (f"tree {tree}\nparent {parent}\nauthor Eve Odd <eve@example.net> {author}\n"
            f"committer Eve Odd <eve@example.net> {committer or author}\n\n{message}")
    made = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"], cwd=root,
                          input=body, capture_output=True, text=True, check=True)
    cid = made.stdout.strip()
    git(root, "update-ref", "HEAD", cid)
    return cid


@pytest.fixture
def repo(tmp_path) -> Path:
    root = write_files(tmp_path / "community", MINIMAL)
    commit_all(root, "Start")
    return root


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def value_json(capsys, root: Path) -> dict:
    code, out, err = run(capsys, "value", str(root), "--format", "json")
    assert code == 0, err
    return json.loads(out)


def warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(".git:1:1: warning:")]


OUT_OF_RANGE = {
    "year 1 and before": ("-99999999999 +0000", "1900-01-01T00:00:00+00:00"),
    "beyond year 9999": ("99999999999999 +0000", "9999-01-01T00:00:00+00:00"),
    "year 9999's last second": ("253402300799 +1400", "9999-01-01T14:00:00+14:00"),
    "a second before 1900": ("-2208988801 -0300", "1899-12-31T21:00:00-03:00"),
}


@pytest.mark.parametrize("stamp, shown", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE)
def test_a_commit_dated_outside_the_window_is_clamped_and_named_once_in_the_log(repo, tmp_path, capsys, stamp, shown):
    cid = raw_commit(repo, stamp)
    code, _, err = run(capsys, "build", str(repo), "-o", str(tmp_path / "site"))
    assert code == 0, err
    assert "Traceback" not in err
    warnings = warning_lines(err)
    assert len(warnings) == 1 and cid[:12] in warnings[0] and "1900-01-01 to 9999-01-01" in warnings[0]
    assert (tmp_path / "site" / "index.html").is_file()
    eve = next(c for c in value_json(capsys, repo)["contributors"] if c["name"] == "Eve Odd")
    assert eve["first_commit"] == eve["last_commit"] == shown


@pytest.mark.parametrize("committer", ["-99999999999 +0000", "99999999999999 +0000", "0 +0000"])
def test_a_committer_date_far_from_the_author_date_builds(repo, tmp_path, capsys, committer):
    raw_commit(repo, SANE, committer)
    code, _, err = run(capsys, "build", str(repo), "-o", str(tmp_path / "site"))
    assert code == 0 and "Traceback" not in err, err
    eve = next(c for c in value_json(capsys, repo)["contributors"] if c["name"] == "Eve Odd")
    assert eve["first_commit"] == "2024-05-01T12:00:00+02:00"


@pytest.mark.parametrize("offset", ["+9959", "-9959", "+2400", "-1500", "+99999", "+0060"])
def test_a_time_zone_offset_beyond_any_zone_builds(repo, tmp_path, capsys, offset):
    raw_commit(repo, f"1714557600 {offset}")
    code, _, err = run(capsys, "build", str(repo), "-o", str(tmp_path / "site"))
    assert code == 0 and "Traceback" not in err, err
    eve = next(c for c in value_json(capsys, repo)["contributors"] if c["name"] == "Eve Odd")
    assert eve["first_commit"][:10] in ("2024-04-30", "2024-05-01", "2024-05-02")


@pytest.mark.parametrize("at_head", [True, False], ids=["at HEAD", "under HEAD"])
def test_a_commit_libgit2_cannot_parse_is_an_error_naming_it(repo, tmp_path, capsys, at_head):
    bad = raw_commit(repo, "18446744073709551616 +0000")
    if not at_head:
        raw_commit(repo, SANE)
    code, _, err = run(capsys, "build", str(repo), "-o", str(tmp_path / "site"))
    assert code == 1
    assert "Traceback" not in err and bad in err and "malformed" in err
    assert not (tmp_path / "site").exists()


def test_a_tag_dated_outside_the_window_is_clamped(repo, tmp_path, capsys):
    head = git(repo, "rev-parse", "HEAD").strip()
    body = f"object {head}\ntype commit\ntag v1\ntagger Eve Odd <eve@example.net> 99999999999999 +0000\n\nv1\n"
    made = subprocess.run(["git", "hash-object", "-t", "tag", "-w", "--stdin", "--literally"], cwd=repo,
                          input=body, capture_output=True, text=True, check=True)
    git(repo, "update-ref", "refs/tags/v1", made.stdout.strip())
    code, _, err = run(capsys, "build", str(repo), "-o", str(tmp_path / "site"))
    assert code == 0 and "Traceback" not in err, err
    assert any("tag v1" in line for line in warning_lines(err))


@pytest.mark.parametrize("epoch", ["soon", "-5", "1e9", "１７００００００００", "99999999999999999999999", "253402300799"])
def test_source_date_epoch_that_is_not_a_date_in_the_window_is_an_error(repo, tmp_path, capsys, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code, _, err = run(capsys, "build", str(repo), "-o", str(tmp_path / "site"))
    assert code == 1
    assert "Traceback" not in err and "error: SOURCE_DATE_EPOCH is" in err
    assert not (tmp_path / "site").exists()


def test_a_valid_source_date_epoch_dates_the_build(repo, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01
    code, _, err = run(capsys, "build", str(repo), "-o", str(tmp_path / "site"))
    assert code == 0, err
    assert "2024-06-01" in (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")


def trailer_message(count: int) -> str:
    kinds = ("Co-authored-by", "Reviewed-by", "Signed-off-by")
    lines = [f"{kinds[i % 3]}: Person {i} <p{i}@example.org>" for i in range(count)]
    lines.insert(1, lines[0])  # a repeated trailer counts once
    lines.append(f"Co-authored-by: {'N' * 5000} <long@example.org>")
    return "Pairing with everyone\n\n" + "\n".join(lines) + "\n"


def test_a_commit_with_thousands_of_trailers_counts_at_most_the_cap(repo, tmp_path, capsys):
    cid = raw_commit(repo, SANE, message=trailer_message(6000))
    site = tmp_path / "site"
    code, _, err = run(capsys, "build", str(repo), "-o", str(site))
    assert code == 0, err
    warnings = [line for line in warning_lines(err) if "trailers" in line]
    assert len(warnings) == 1 and cid[:12] in warnings[0] and f"first {MAX_TRAILERS}" in warnings[0]
    report = value_json(capsys, repo)
    named = {c["name"] for c in report["contributors"]} - {"Ana Lopez", "Eve Odd", "Ben Okafor", "Cy Hidden"}
    # the first 50 trailer lines, in order: the repeated first line once, nobody after them
    assert named == {f"Person {i}" for i in range(MAX_TRAILERS)}
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert size < 8_000_000, size

    # a commit after it: the cached and folded history gives the same capped people
    commit_all(repo, "After", allow_empty=True)
    again = value_json(capsys, repo)
    assert {c["name"] for c in again["contributors"]} - {"Ana Lopez", "Eve Odd", "Ben Okafor", "Cy Hidden"} == named
    assert again["notes"] == report["notes"]


def test_trailer_cap_and_bounds_when_read(tmp_path):
    from value.history import parse_trailers

    message = trailer_message(200)
    found = parse_trailers(message)
    assert len(found) == MAX_TRAILERS + 1  # one more than counted: the record says it was capped
    assert found[0] == ("co-authored-by", "Person 0", "p0@example.org")
    assert len(set(found)) == len(found)
    assert not any(len(name) > 200 for _, name, _ in parse_trailers("x\n\nCo-authored-by: " + "N" * 300 + " <n@x.org>"))
