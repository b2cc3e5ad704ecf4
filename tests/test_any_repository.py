"""`commonplace value` and `rewards` on any repository, safely (issue 14, point 10).

A bare clone is read (the history needs no work tree); a repository without commits, an unknown
ref and a shallow clone are clear one-line errors; a history that counts no commit says so
instead of printing zeros as if they were figures. A repository that holds no community is only
read: its caches go to the user's cache folder, `$XDG_CACHE_HOME/commonplace/<key>` (mode 0700).

The repository: Ana adds `src/main.py` (1 line) and `README.md` (1 line); Bo adds
`src/util.py` (2 lines).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.cache.folders import value_cache_dir
from generator.cli import main
from gitrepo import commit_all, git

BO = ("Bo Tran", "bo@example.net")


@pytest.fixture
def xdg(tmp_path, monkeypatch) -> Path:
    """This test's own user cache folder."""
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def software_repo(root: Path) -> Path:
    write_files(root, {"src/main.py": "print('hi')\n", "README.md": "# tool\n"})
    commit_all(root, "First")
    write_files(root, {"src/util.py": "x = 1\ny = 2\n"})
    commit_all(root, "Second", author=BO, date="2024-06-01T12:00:00+00:00")
    return root


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `folder`, with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


def value_json(source: Path, capsys, *args: str) -> dict:
    assert main(["value", str(source), "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def figures(report: dict) -> dict:
    return {c["id"]: (c["commits"], c["lines_added"]) for c in report["contributors"]}


def user_caches(xdg: Path) -> list[Path]:
    return sorted((xdg / "commonplace").iterdir()) if (xdg / "commonplace").exists() else []


def assert_private(folder: Path) -> None:
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700, oct(folder.stat().st_mode)


def test_a_plain_repository_is_read_and_its_cache_goes_to_the_users_folder(tmp_path, xdg, capsys):
    root = software_repo(tmp_path / "tool")
    before = snapshot(root / ".git")
    report = value_json(root, capsys)
    assert figures(report) == {"ana-lopez": (1, 2), "bo-tran": (1, 2)}
    assert snapshot(root / ".git") == before  # nothing written into the repository
    assert not (root / ".commonplace-cache").exists()
    [cache] = user_caches(xdg)
    assert_private(xdg / "commonplace")
    assert_private(cache)
    assert list(cache.glob("history-*.pickle"))  # the engine's caches are there
    assert value_cache_dir(root) == cache
    # a second run reads the cache, still writing nothing into the repository
    assert value_json(root, capsys) == report
    assert snapshot(root / ".git") == before
    assert main(["rewards", str(root), "--budget", "10.00", "--currency", "EUR"]) == 0
    capsys.readouterr()
    assert snapshot(root / ".git") == before and user_caches(xdg) == [cache]


def test_a_bare_clone_is_read_like_its_work_tree(tmp_path, xdg, capsys):
    root = software_repo(tmp_path / "tool")
    bare = tmp_path / "tool.git"
    git(tmp_path, "clone", "-q", "--bare", str(root), str(bare))
    before = snapshot(bare)
    report = value_json(bare, capsys)
    assert figures(report) == {"ana-lopez": (1, 2), "bo-tran": (1, 2)}
    assert report["source"]["commit"] == git(root, "rev-parse", "HEAD").strip()
    assert report["source"]["subdir"] is None
    assert value_json(bare / "refs", capsys) == report  # a folder of it: the same repository
    assert main(["rewards", str(bare), "--budget", "100.00", "--currency", "EUR", "--format", "csv",
                 "--recipients", "all"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("100.00")
    assert snapshot(bare) == before
    [cache] = user_caches(xdg)
    assert_private(cache)


def test_a_mirror_without_a_config_file_is_read(tmp_path, xdg, capsys):
    """Some mirrors keep only HEAD, objects and refs: libgit2 then takes the folder above for a work
    tree, which it is not; the line counts must still be read from the git folder itself."""
    root = software_repo(tmp_path / "tool")
    mirror = tmp_path / "mirror" / "repo"
    mirror.parent.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(root), str(mirror))
    (mirror / "config").unlink()
    assert figures(value_json(mirror, capsys)) == {"ana-lopez": (1, 2), "bo-tran": (1, 2)}


def test_a_community_keeps_its_cache_in_its_git_folder(community, xdg, capsys):
    root = community()
    commit_all(root, "Start")
    value_json(root, capsys)
    assert (root / ".git" / "commonplace-cache").is_dir()
    assert user_caches(xdg) == []


def test_a_repository_without_commits_is_a_clear_error(tmp_path, xdg, capsys):
    root = tmp_path / "empty"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    before = snapshot(root / ".git")
    for args in (["value", str(root)], ["value", str(root), "--format", "json"],
                 ["rewards", str(root), "--budget", "10.00", "--currency", "EUR"]):
        assert main(args) == 1
        out, err = capsys.readouterr()
        assert out == ""  # no table, no JSON of zeros
        assert err == f"error: {root} is a repository with no commits yet, so there is no history to count: " \
                      "commit first (git add, then git commit)\n"
    assert snapshot(root / ".git") == before and user_caches(xdg) == []


def test_an_unknown_ref_and_a_shallow_clone_are_clear_errors(tmp_path, xdg, capsys):
    root = software_repo(tmp_path / "tool")
    assert main(["value", str(root), "--ref", "no-such-branch"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "unknown ref 'no-such-branch'" in err
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True,
                   env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    for command in (["value", str(shallow)], ["rewards", str(shallow), "--budget", "1.00", "--currency", "EUR"]):
        assert main(command) == 1
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "shallow clone" in err and "git fetch --unshallow" in err


def test_a_history_that_counts_no_commit_says_so(tmp_path, xdg, capsys):
    """A community folder written but never committed: the figures from git are zeros, and the
    report says why before showing any."""
    root = software_repo(tmp_path / "tool")
    head = git(root, "rev-parse", "HEAD").strip()
    write_files(root, {f"community/{rel}": text for rel, text in MINIMAL.items()})
    assert main(["value", str(root / "community")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == (f"No commits counted: no commit up to {head[:12]} changes the folder community/, "
                        "so every figure from the history is zero.")
    report = value_json(root / "community", capsys)
    assert report["dimensions"]["objective_accomplishment"]["commits"] == 0
    assert main(["value", str(root / "community"), "--format", "json"]) == 0
    assert "note: No commits counted" in capsys.readouterr().err


def test_the_users_cache_folder_follows_xdg(tmp_path, monkeypatch):
    from value.cache import user_cache_dir

    root = software_repo(tmp_path / "tool")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for unset in ("", "relative/cache"):  # unset, empty or relative: ~/.cache, as the XDG specification says
        monkeypatch.setenv("XDG_CACHE_HOME", unset)
        folder = user_cache_dir(root / ".git")
        assert folder.parent == tmp_path / "home" / ".cache" / "commonplace"
        assert_private(folder)
        assert_private(folder.parent)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir(root / ".git").parent == tmp_path / "xdg" / "commonplace"
    other = software_repo(tmp_path / "other")
    assert user_cache_dir(other / ".git") != user_cache_dir(root / ".git")  # one folder per repository
