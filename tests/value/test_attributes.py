"""Line counts follow the work tree's `.gitattributes` as git does: a file marked binary counts 0
lines, and a bare clone (no work tree, no attributes) counts what `git log` counts there."""

from __future__ import annotations

from gitrepo import commit_all, git
from value.report import build_report


def lines(report) -> tuple[int, int]:
    [ana] = report["contributors"]
    return ana["commits"], ana["lines_added"]


def git_lines(path, *where) -> int:
    out = git(path, *where, "log", "--no-merges", "--numstat", "-M100%", "--format=@%H")
    return sum(int(line.split("\t")[0]) for line in out.splitlines() if line.count("\t") == 2 and line[0] != "-")


def test_a_file_marked_binary_counts_no_lines(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / ".gitattributes").write_text("data/*.txt binary\n")
    (root / "data").mkdir()
    (root / "data" / "table.txt").write_text("".join(f"row {i}\n" for i in range(10)))
    (root / "README").write_text("one\ntwo\n")
    commit_all(root, "Start")
    assert git_lines(root) == 3  # git: the README and .gitattributes, not the table
    report = build_report(root, use_cache=False, engine="git").to_json()
    assert lines(report) == (1, 3)
    bare = tmp_path / "repo.git"
    git(tmp_path, "clone", "-q", "--bare", str(root), str(bare))
    assert lines(build_report(bare, use_cache=False, engine="git").to_json()) == (1, git_lines(bare))
